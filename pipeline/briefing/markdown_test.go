package briefing

import (
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/news"
)

// testSources are five small articles and a wire copy of the second.
func testSources() []news.Source {
	src := func(n int, stem, title, date, author, text string) news.Source {
		return news.Source{N: n, Stem: stem, File: stem + ".txt", Title: title, Meta: news.Meta{Title: title, Date: date, Author: author}, Text: text}
	}
	return []news.Source{
		src(1, "000_ab2097d8a47941ba", `Putin gives his "special friend" Kim Jong-un a Russian-made luxury car`, "2024-02-20", "",
			"The car was delivered to Kim's top aides. It was a gift for his personal use."),
		src(2, "001_0f2cf2a9d1bc2be9", "Putin gives Kim Jong Un a Russian-made car for his personal use", "2024-02-20", "",
			"Kim Yo Jong and an official received the car.\n\nIt is an Aurus."),
		src(3, "002_07ee16e23944cb03", "Vladimir Putin and Kim Jong Un laughed in a Russian limousine", "2024-06-20", "",
			"Putin landed in Pyongyang on 19 June 2024."),
		src(4, "003_187cdce079f5099f", `Kim Jong-un wishes his "closest comrade" Putin a happy birthday as Russia and North Korea tighten ties`, "2024-10-07", "Jean Delaunay",
			"Kim wished Putin a happy birthday."),
		src(5, "004_963bdecf930b2952", "Putin takes Kim Jong Un for a drive in the Russian limousine he gave him", "2024-06-20", "",
			"Putin took Kim for a drive."),
		{N: 6, Stem: "wire-copy", File: "wire-copy.html", Title: "Kim receives a car from Putin", Group: 1, Text: "Kim Yo Jong and an official received the car."},
	}
}

// checkedBriefing is a briefing as the citation check leaves it.
func checkedBriefing(t *testing.T) Briefing {
	srcs := testSources()
	srcs[1].Group = 1
	return Briefing{
		Banner:   "Offline draft: extractive, not a model's summary.",
		Title:    "Putin's limousine diplomacy with Kim Jong Un",
		Overview: "Russia gave North Korea's leader Aurus cars twice in 2024.",
		Points: []Point{
			{Text: "Putin gave Kim a Russian-made Aurus car for his personal use.", Cites: []int{1, 2, 6},
				Evidence: []Evidence{{N: 1, Sentences: []news.SentenceID{"p1.s2"}}, {N: 2, Sentences: []news.SentenceID{"p2.s1"}}, {N: 6, Sentences: []news.SentenceID{"p1.s1"}}}},
			{Text: "Tokyo's Nikkei index fell 3% amid yen volatility.", Cites: []int{3}, Marked: "citation [3] does not mention “Tokyo”, “Nikkei”"},
		},
		Timeline: []Event{{Date: "2024-06-19", Text: "Putin lands in Pyongyang.", Cites: []int{3}, Evidence: []Evidence{{N: 3, Sentences: []news.SentenceID{"p1.s1"}}}}},
		Differences: []Difference{{Topic: "Who received the car", Sides: []Side{
			{Claim: "Kim's top aides", Cites: []int{1}, Evidence: []Evidence{{N: 1, Sentences: []news.SentenceID{"p1.s1"}}},
				Attribution: "attribution lost: the source says “KCNA said”"},
			{Claim: "Kim Yo Jong and an official", Cites: []int{2}, Evidence: []Evidence{{N: 2, Sentences: []news.SentenceID{"p1.s1"}}}}}}},
		Sources:     srcs,
		AlsoCovered: []int{4, 5},
		Groups:      [][]int{{2, 6}},
		Engine:      "llm",
		Citations:   CitationStats{Points: 2, Citations: 4, CitedSources: 4, Uncited: []int{4, 5}},
	}
}

func TestMarkdown(t *testing.T) {
	md := Markdown(checkedBriefing(t))
	for _, want := range []string{
		"> Offline draft",
		"# Putin's limousine diplomacy with Kim Jong Un\n",
		"## Key points\n",
		"- Putin gave Kim a Russian-made Aurus car for his personal use. [1][2][6]\n",
		"  - Kim's top aides [1] ⚠ (attribution lost: the source says “KCNA said”)\n",
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
	bad.Points = append([]Point(nil), b.Points...)
	bad.Points[0].Cites = []int{0}
	if err := Validate(bad); err == nil || !strings.Contains(err.Error(), "minimum") {
		t.Errorf("cite 0: err = %v, want a minimum violation", err)
	}
	badID := b
	badID.Points = append([]Point(nil), b.Points...)
	badID.Points[0].Evidence = []Evidence{{N: 1, Sentences: []news.SentenceID{"3"}}}
	if err := Validate(badID); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Errorf("sentence id \"3\": err = %v, want a pattern violation", err)
	}
	unchecked := Briefing{Title: "x"} // nil slices encode as null
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

func TestClip(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 90, "short"},
		{"Vladimir Putin offered Kim Jong Un a Russian-made car for his personal use", 40, "Vladimir Putin offered Kim Jong Un a…"},
		{"Éééééééééééééééééééé", 7, "Ééé…"},
	} {
		if got := clip(tt.in, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
