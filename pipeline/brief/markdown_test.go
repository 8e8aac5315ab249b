package brief

import (
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/news"
)

func checkedBriefing(t *testing.T) news.Briefing {
	seeds := seedSources(t)
	srcs := append(seeds, wireCopy(seeds[1], 6))
	srcs[1].Group, srcs[5].Group = 1, 1
	b := news.Briefing{
		Banner:   "Offline draft: extractive, not a model's summary.",
		Title:    "Putin's limousine diplomacy with Kim Jong Un",
		Overview: "Russia gave North Korea's leader Aurus cars twice in 2024.",
		Points: []news.Point{
			{Text: "Putin gave Kim a Russian-made Aurus car for his personal use.", Cites: []int{2, 1, 6}},
			{Text: "Tokyo's Nikkei index fell 3% amid yen volatility.", Cites: []int{3}},
		},
		Timeline:    []news.Event{{Date: "2024-06-19", Text: "Putin lands in Pyongyang.", Cites: []int{3}}},
		Differences: []news.Difference{{Topic: "Who received the car", Sides: []news.Side{{Claim: "Kim's top aides", Cites: []int{1}}, {Claim: "Kim Yo Jong and an official", Cites: []int{2}}}}},
		Sources:     srcs,
		Groups:      [][]int{{2, 6}},
		Engine:      "llm",
	}
	Check(&b, srcs)
	return b
}

func TestMarkdown(t *testing.T) {
	md := Markdown(checkedBriefing(t))
	for _, want := range []string{
		"> Offline draft",
		"# Putin's limousine diplomacy with Kim Jong Un\n",
		"## Key points\n",
		"- Putin gave Kim a Russian-made Aurus car for his personal use. [1][2][6]\n",
		"[3] ⚠ (citation [3] does not mention",
		"## Timeline\n",
		"- **2024-06-19** — Putin lands in Pyongyang. [3]",
		"## Where sources differ\n",
		"  - Kim Yo Jong and an official [2]",
		"## Also covered\n",
		"- [4] Kim Jong-un wishes",
		"- [5] Putin takes Kim",
		"## Sources\n",
		"[4] Kim Jong-un wishes his \"closest comrade\" Putin a happy birthday as Russia and North Korea tighten ties — 003_187cdce079f5099f.txt — 2024-10-07 · Jean Delaunay",
		"[6] Kim receives a car from Putin — wire-copy.html  \n",
		"*[2] and [6] carry the same wire story",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("briefing.md lacks %q\n%s", want, md)
		}
	}
	if strings.Index(md, "## Key points") > strings.Index(md, "## Sources") {
		t.Error("sections out of order")
	}
}

func TestMarkdownNoDifferences(t *testing.T) {
	b := checkedBriefing(t)
	b.Differences = nil
	md := Markdown(b)
	if !strings.Contains(md, "## Where sources differ\n\nNo conflicting") {
		t.Errorf("want a line saying no conflict was found:\n%s", md)
	}
}

func TestValidate(t *testing.T) {
	b := checkedBriefing(t)
	if err := Validate(b); err != nil {
		t.Fatalf("checked briefing does not validate: %v", err)
	}
	bad := b
	bad.Points = append([]news.Point(nil), b.Points...)
	bad.Points[0].Cites = []int{0}
	if err := Validate(bad); err == nil || !strings.Contains(err.Error(), "minimum") {
		t.Errorf("cite 0: err = %v, want a minimum violation", err)
	}
	unchecked := news.Briefing{Title: "x"} // nil slices encode as null
	if err := Validate(unchecked); err == nil || !strings.Contains(err.Error(), "key_points") {
		t.Errorf("unchecked briefing: err = %v, want key_points type error", err)
	}
}

func TestValidateJSON(t *testing.T) {
	schema := []byte(`{"type":"object","required":["a"],"properties":{"a":{"type":"array","items":{"$ref":"#/$defs/n"}},"b":{"type":["string","null"]}},"$defs":{"n":{"type":"integer","minimum":1}}}`)
	tests := []struct {
		data string
		ok   bool
	}{
		{`{"a":[1,2]}`, true},
		{`{"a":[1,2],"b":null}`, true},
		{`{"a":[1,2],"b":"x"}`, true},
		{`{"a":[1.5]}`, false},
		{`{"a":[0]}`, false},
		{`{"b":"x"}`, false},
		{`{"a":"x"}`, false},
		{`[]`, false},
	}
	for _, tt := range tests {
		err := validateJSON(schema, []byte(tt.data))
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok=%v", tt.data, err, tt.ok)
		}
	}
}
