package briefing

import (
	"testing"

	"github.com/depeche-news/depeche/pipeline/news"
)

func TestSentenceIDs(t *testing.T) {
	txt := Split("Kim meets Putin", []string{
		"Putin landed in Pyongyang. Kim met him at the airport!",
		"« Nous sommes amis », a-t-il dit. The visit lasted 2.5 days.",
		"",
	})
	tests := []struct {
		id   news.SentenceID
		want string
		ok   bool
	}{
		{"p1.s1", "Putin landed in Pyongyang.", true},
		{"p1.s2", "Kim met him at the airport!", true},
		{"p2.s2", "The visit lasted 2.5 days.", true},
		{"p1.s3", "", false},
		{"p3.s1", "", false}, // an empty paragraph keeps its number but has no sentence
		{"p4.s1", "", false},
		{"p0.s1", "Kim meets Putin", true},
		{"p0.s2", "", false},
		{"1.1", "", false},
		{"p1.sx", "", false},
	}
	for _, tt := range tests {
		got, ok := txt.Sentence(tt.id)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Sentence(%q) = %q, %v; want %q, %v", tt.id, got, ok, tt.want, tt.ok)
		}
	}
	if id := news.SentenceAt(12, 3); id != "p12.s3" {
		t.Errorf("SentenceAt(12, 3) = %q", id)
	}
	var ids []news.SentenceID
	txt.Each(func(id news.SentenceID, _ string) { ids = append(ids, id) })
	if len(ids) != 4 || ids[3] != "p2.s2" {
		t.Errorf("Each visited %v", ids)
	}
	if m := txt.Marked(); m != "[p1.s1] Putin landed in Pyongyang. [p1.s2] Kim met him at the airport!\n\n[p2.s1] « Nous sommes amis », a-t-il dit. [p2.s2] The visit lasted 2.5 days.\n\n" {
		t.Errorf("Marked = %q", m)
	}
}

func TestClaims(t *testing.T) {
	b := Briefing{
		Points:      []Point{{Text: "a", Cites: []int{1}}},
		Timeline:    []Event{{Text: "b", Cites: []int{2}}},
		Differences: []Difference{{Sides: []Side{{Claim: "c", Cites: []int{3}}, {Claim: "d", Cites: []int{4}}}}},
	}
	cs := b.Claims()
	if len(cs) != 4 || *cs[2].Text != "c" || cs[3].Kind != "side" {
		t.Fatalf("claims = %+v", cs)
	}
	*cs[3].Cites = []int{5}
	*cs[0].Evidence = []Evidence{{N: 1, Sentences: []news.SentenceID{"p1.s1"}}}
	if b.Differences[0].Sides[1].Cites[0] != 5 || EvidenceFor(b.Points[0].Evidence, 1)[0] != "p1.s1" {
		t.Error("claims do not point into the briefing")
	}
}
