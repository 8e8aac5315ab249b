package briefing

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/depeche-news/depeche/pipeline/news"
)

// TestTraces: every claim has a trace whose path names it in
// briefing.json and whose lines read back as its citations and evidence.
func TestTraces(t *testing.T) {
	b := Briefing{
		Sources: []news.Source{{N: 1, Stem: "001_kcna"}, {N: 2, Stem: "002_yonhap"}, {N: 3}},
		Points: []Point{
			{Text: "Putin gave Kim a car.", Cites: []int{1, 2}, Evidence: []Evidence{
				{N: 1, Sentences: []news.SentenceID{"p1.s1", "p4.s2"}}, {N: 2, Sentences: []news.SentenceID{"p0.s1"}}}},
			{Text: "Doubted.", Cites: []int{3}, Marked: "unsupported: citation [3] does not mention “x”"},
		},
		Timeline: []Event{{Date: "2024-02-20", Text: "The car arrived.", Cites: []int{2},
			Evidence: []Evidence{{N: 2, Sentences: []news.SentenceID{"p2.s1"}}}}},
		Differences: []Difference{{Topic: "t", Sides: []Side{{Claim: "Two.", Cites: []int{1}}, {Claim: "Three.", Cites: []int{2}}}}},
	}
	traces := Traces(&b)
	claims := b.Claims()
	if len(traces) != len(claims) {
		t.Fatalf("%d traces for %d claims", len(traces), len(claims))
	}
	data, _ := json.Marshal(b)
	var doc any
	_ = json.Unmarshal(data, &doc)
	for i, tr := range traces {
		c := claims[i]
		obj, ok := jsonPath(doc, tr.Claim).(map[string]any)
		text := "text"
		if c.Kind == "side" {
			text = "claim"
		}
		if !ok || obj[text] != *c.Text {
			t.Errorf("trace %q does not name %q in briefing.json (found %v)", tr.Claim, *c.Text, obj)
		}
		if tr.Unsupported != (*c.Marked != "") {
			t.Errorf("%s: unsupported = %v", tr.Claim, tr.Unsupported)
		}
		var cites []int
		for _, line := range tr.Evidence {
			n, stem, ids, ok := ParseTraceLine(line)
			if !ok {
				t.Fatalf("%s: line %q does not parse", tr.Claim, line)
			}
			cites = append(cites, n)
			if want := b.Sources[n-1].Stem; stem != want && !(want == "" && stem == "-") {
				t.Errorf("%s: [%d] stem %q, want %q", tr.Claim, n, stem, want)
			}
			if want := EvidenceFor(*c.Evidence, n); !slices.Equal(ids, want) {
				t.Errorf("%s: [%d] ids %v, want %v", tr.Claim, n, ids, want)
			}
		}
		if !slices.Equal(cites, *c.Cites) {
			t.Errorf("%s: cites %v, want %v", tr.Claim, cites, *c.Cites)
		}
	}
	if got := traces[0].Evidence[0]; got != "[1] 001_kcna p1.s1 p4.s2" {
		t.Errorf("line = %q", got)
	}
	for _, bad := range []string{"", "[x] a", "1 a p1.s1", "[2]"} {
		if _, _, _, ok := ParseTraceLine(bad); ok {
			t.Errorf("ParseTraceLine(%q) ok", bad)
		}
	}
}

var pathStep = regexp.MustCompile(`(\w+)\[(\d+)\]`)

// jsonPath follows "a[1].b[0]" into a decoded JSON document.
func jsonPath(doc any, path string) any {
	for _, m := range pathStep.FindAllStringSubmatch(path, -1) {
		obj, ok := doc.(map[string]any)
		if !ok {
			return nil
		}
		arr, ok := obj[m[1]].([]any)
		i, _ := strconv.Atoi(m[2])
		if !ok || i >= len(arr) {
			return nil
		}
		doc = arr[i]
	}
	return doc
}
