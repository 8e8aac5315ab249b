package briefing

import (
	"slices"
	"strings"
	"testing"
	"time"

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

// TestOpeningClaimsStayInTheirStories: in a briefing told in stories, an
// opening point may cite the articles of the stories it cites (so a failed
// citation is moved within its story), a story's claims its own, and a
// point citing no story's article any article.
func TestOpeningClaimsStayInTheirStories(t *testing.T) {
	b := Briefing{
		Points: []Point{{Text: "summit", Cites: []int{2}}, {Text: "both", Cites: []int{1, 4}}, {Text: "loose", Cites: []int{9}}},
		Stories: []Story{
			{Sources: []int{1, 2, 3}, Points: []Point{{Text: "in A", Cites: []int{1}}}},
			{Sources: []int{4, 5}},
		},
	}
	want := map[string][]int{"summit": {1, 2, 3}, "both": {1, 2, 3, 4, 5}, "loose": nil, "in A": {1, 2, 3}}
	cs := b.Claims()
	if len(cs) != len(want) {
		t.Fatalf("%d claims, want %d", len(cs), len(want))
	}
	for _, c := range cs {
		if w := want[*c.Text]; !slices.Equal(c.Within, w) {
			t.Errorf("%q may cite %v, want %v", *c.Text, c.Within, w)
		}
	}
}

func TestMarkNew(t *testing.T) {
	b := Briefing{
		Sources: []news.Source{{N: 1, Stem: "a"}, {N: 2, Stem: "b", New: true}, {N: 3, Stem: "c", New: true}},
		Points: []Point{
			{Text: "only new", Cites: []int{2, 3}},
			{Text: "old and new", Cites: []int{1, 2}},
			{Text: "uncited", Cites: []int{}},
		},
		Timeline:    []Event{{Date: "2023-09-13", Text: "new event", Cites: []int{3}}},
		Differences: []Difference{{Topic: "t", Sides: []Side{{Claim: "old", Cites: []int{1}}, {Claim: "new", Cites: []int{2}}}}},
		AlsoCovered: []int{},
	}
	since := time.Date(2026, 11, 30, 18, 2, 0, 0, time.UTC)
	MarkNew(&b, since)
	got := []bool{b.Points[0].New, b.Points[1].New, b.Points[2].New, b.Timeline[0].New, b.Differences[0].Sides[0].New, b.Differences[0].Sides[1].New}
	if want := []bool{true, false, false, true, false, true}; !slices.Equal(got, want) {
		t.Errorf("new = %v, want %v", got, want)
	}
	if b.NewSince == nil || !b.NewSince.Equal(since) {
		t.Errorf("new_since = %v", b.NewSince)
	}
	if err := Validate(b); err != nil {
		t.Errorf("briefing with marks does not validate: %v", err)
	}
	md := Markdown(b)
	for _, want := range []string{
		"*2 of 3 articles are new since 2026-11-30 18:02 UTC; what only they report is marked* **new**.",
		"- **new** · only new [2][3]", "- old and new [1][2]", "**2023-09-13** — **new** · new event [3]",
		"  - old [1]", "  - **new** · new [2]", "[2] b — **new**", "[1] a  \n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("briefing.md lacks %q:\n%s", want, md)
		}
	}
}

// TestStoriesMarkdown: a briefing told in stories opens with one point per
// story, lists the stories with a section and renders each, marks a story
// new when all its articles are and counts new articles in one that grew,
// and lists the stories without a section under Also covered.
func TestStoriesMarkdown(t *testing.T) {
	b := Briefing{
		Title: "Two stories", Overview: "Two summits.",
		Sources: []news.Source{{N: 1, Stem: "a"}, {N: 2, Stem: "b", New: true}, {N: 3, Stem: "c", New: true}, {N: 4, Stem: "d", New: true}},
		Points:  []Point{{Text: "Putin went to Pyongyang.", Cites: []int{1}}, {Text: "Xi met Putin.", Cites: []int{3}}},
		Stories: []Story{
			{Title: "Putin in Pyongyang", Sources: []int{1, 2}, Distinct: 2, First: "2024-06-19", Latest: "2024-06-20", Section: true,
				Points: []Point{{Text: "Putin went to Pyongyang.", Cites: []int{1, 2}}, {Text: "Seoul protested.", Cites: []int{2}}}},
			{Title: "Putin in Beijing", Sources: []int{3}, Distinct: 1, Latest: "2024-05-16", Section: true,
				Points: []Point{{Text: "Xi met Putin.", Cites: []int{3}}}},
			{Title: "Notre-Dame reopens", Sources: []int{4}, Distinct: 1, Latest: "2024-12-07"},
		},
		AlsoCovered: []int{4}, Timeline: []Event{}, Differences: []Difference{},
	}
	MarkNew(&b, time.Date(2026, 11, 30, 18, 2, 0, 0, time.UTC))
	if st := b.Stories; st[0].New || st[0].NewSources != 1 || !st[1].New || !st[2].New {
		t.Errorf("story marks: %+v", st)
	}
	if !b.Stories[0].Points[1].New || b.Stories[0].Points[0].New {
		t.Errorf("point marks in the first story: %+v", b.Stories[0].Points)
	}
	if err := Validate(b); err != nil {
		t.Errorf("does not validate: %v", err)
	}
	md := Markdown(b)
	for _, want := range []string{
		"## Key points\n\n- Putin went to Pyongyang. [1]\n- **new** · Xi met Putin. [3]\n",
		"## The stories\n\n1. **1 new** · **Putin in Pyongyang** — 2 sources, 2024-06-19 to 2024-06-20\n2. **new** · **Putin in Beijing** — 1 source, 2024-05-16\n",
		"## 1. Putin in Pyongyang\n\n**1 new** · *2 sources, 2024-06-19 to 2024-06-20*\n\n### Key points\n\n- Putin went to Pyongyang. [1][2]\n- **new** · Seoul protested. [2]\n",
		"## 2. Putin in Beijing",
		"## Also covered\n\n- **new** · **Notre-Dame reopens** [4] — 1 source, 2024-12-07\n\n## Sources",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("briefing.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "## Timeline") || strings.Contains(md, "## Where sources differ") {
		t.Errorf("a briefing in stories has no briefing-wide timeline or differences:\n%s", md)
	}
}
