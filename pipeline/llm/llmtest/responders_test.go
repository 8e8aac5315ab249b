package llmtest

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/briefing"
)

func TestSummarizer(t *testing.T) {
	article := "Putin gives Kim a car\n\nRussian President Vladimir Putin gave Kim Jong Un a car, KCNA said on Tuesday. The United States says 16,000 containers were shipped. Kim visited Russia in 2023. A fourth sentence. A fifth one. A sixth one."
	call := Call{Messages: []Message{{Role: "system", Content: "rules"}, {Role: "user", Content: "Summarize.\n<article>\n" + article + "\n</article>"}, {Role: "user", Content: "repair please"}}}
	var s struct {
		Headline string   `json:"headline"`
		Facts    []string `json:"key_facts"`
		People   []string `json:"people"`
		Orgs     []string `json:"organizations"`
		Dates    []string `json:"dates"`
		Figures  []string `json:"figures"`
	}
	if err := json.Unmarshal([]byte(Summarizer()(call).Content), &s); err != nil {
		t.Fatal(err)
	}
	if s.Headline != "Russian President Vladimir Putin gave Kim Jong Un a car, KCNA said on Tuesday." || len(s.Facts) != 5 {
		t.Errorf("headline %q, %d facts", s.Headline, len(s.Facts))
	}
	if !reflect.DeepEqual(s.Figures, []string{"16,000 containers"}) || len(s.Dates) != 1 || !strings.HasPrefix(s.Dates[0], "2023: ") {
		t.Errorf("figures %v, dates %v", s.Figures, s.Dates)
	}
	if !reflect.DeepEqual(s.People, []string{"Russian President Vladimir Putin", "Kim Jong Un", "United States"}) || !reflect.DeepEqual(s.Orgs, []string{"KCNA"}) {
		t.Errorf("people %v, organizations %v", s.People, s.Orgs)
	}
}

func TestBrieferDigests(t *testing.T) {
	digests := `[1] Putin gives Kim a car (2024-02-20)
Headline: Putin gave Kim Jong Un a Russian-made car.
Figures: 25 mares; 5 stallions
Dates: 2024-02-20: KCNA reports the gift
[2][5] (same wire story) Kim gets a car
Headline: Putin gave Kim Jong Un a Russian-made car!
Figures: 30 mares
[3] Birthday letter
Headline: Kim wishes Putin a happy birthday.
Dates: 2024-10-07: Putin turns 72; 2024-02-20: KCNA reports the gift
`
	call := Call{Messages: []Message{{Role: "user", Content: "<sources>\n" + digests + "</sources>"}}}
	var a bAnswer
	if err := json.Unmarshal([]byte(Briefer()(call).Content), &a); err != nil {
		t.Fatal(err)
	}
	wantPoints := []briefing.Point{{Text: "Putin gave Kim Jong Un a Russian-made car.", Cites: []int{1, 2, 5}}, {Text: "Kim wishes Putin a happy birthday.", Cites: []int{3}}}
	if !reflect.DeepEqual(a.Points, wantPoints) {
		t.Errorf("points = %+v", a.Points)
	}
	wantTimeline := []briefing.Event{{Date: "2024-02-20", Text: "KCNA reports the gift", Cites: []int{1, 3}}, {Date: "2024-10-07", Text: "Putin turns 72", Cites: []int{3}}}
	if !reflect.DeepEqual(a.Timeline, wantTimeline) {
		t.Errorf("timeline = %+v", a.Timeline)
	}
	if len(a.Differences) != 1 || a.Differences[0].Topic != "Number of mares" || !reflect.DeepEqual(a.Differences[0].Sides[1], briefing.Side{Claim: "30 mares", Cites: []int{2, 5}}) {
		t.Errorf("differences = %+v", a.Differences)
	}
}

func TestBrieferPartials(t *testing.T) {
	partials := `## Partial briefing 1
Key points:
- Putin gave Kim a car. [1][2]
Timeline:
- 2024-02-20: KCNA reports the gift [1]
Differences:
- Number of mares
  - 25 mares [1]
  - 30 mares [2]
## Partial briefing 2
Key points:
- Putin gave Kim a car. [7]
- Kim wrote to Putin. [8]
`
	call := Call{Messages: []Message{{Role: "user", Content: "<partials>\n" + partials + "</partials>"}}}
	var a bAnswer
	if err := json.Unmarshal([]byte(Briefer()(call).Content), &a); err != nil {
		t.Fatal(err)
	}
	want := bAnswer{
		Title: "Briefing: Putin gave Kim a car.", Overview: "Putin gave Kim a car. Kim wrote to Putin.",
		Points:      []briefing.Point{{Text: "Putin gave Kim a car.", Cites: []int{1, 2, 7}}, {Text: "Kim wrote to Putin.", Cites: []int{8}}},
		Timeline:    []briefing.Event{{Date: "2024-02-20", Text: "KCNA reports the gift", Cites: []int{1}}},
		Differences: []briefing.Difference{{Topic: "Number of mares", Sides: []briefing.Side{{Claim: "25 mares", Cites: []int{1}}, {Claim: "30 mares", Cites: []int{2}}}}},
	}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("got %+v\nwant %+v", a, want)
	}
}

func TestBrieferKeepsToTheLength(t *testing.T) {
	partials := `## Partial briefing 1
Key points:
- Lyon approves a tram line. [1]
- Three councils approve hospital wings costing more than planned this year. [2][3][4]
- Nantes approves a bridge repair. [5][6]
Timeline:
- 2024-03-02: Nantes vote [5]
- 2024-03-01: Lyon vote [1]
`
	call := Call{Messages: []Message{{Role: "user", Content: "Merge these 1 partial briefings.\nLength: at most 2 key points, 1 timeline events and 0 differences, each of at most 6 words.\n<partials>\n" + partials + "</partials>"}}}
	var a bAnswer
	if err := json.Unmarshal([]byte(Briefer()(call).Content), &a); err != nil {
		t.Fatal(err)
	}
	wantPoints := []briefing.Point{{Text: "Three councils approve hospital wings costing", Cites: []int{2, 3, 4}}, {Text: "Nantes approves a bridge repair.", Cites: []int{5, 6}}}
	if !reflect.DeepEqual(a.Points, wantPoints) {
		t.Errorf("points = %+v", a.Points)
	}
	if len(a.Timeline) != 1 || a.Timeline[0].Date != "2024-03-01" {
		t.Errorf("timeline = %+v", a.Timeline)
	}
}

func TestLimited(t *testing.T) {
	body := func(n int) Call {
		return Call{Messages: []Message{{Role: "user", Content: strings.Repeat("x", n*4)}}, Body: map[string]any{"max_tokens": 300.0}}
	}
	long := Text(strings.Repeat("word ", 400)) // 500 tokens

	if r := Limited(Small{Context: 1000, Family: "vllm"}, long)(body(800)); r.Status != 400 || !strings.Contains(r.Body, "maximum context length is 1000 tokens and your request has 800 input tokens") {
		t.Errorf("vLLM, prompt + max_tokens over the context: %d %s", r.Status, r.Body)
	}
	if r := Limited(Small{Context: 1000, Family: "llama.cpp"}, long)(body(800)); r.Status != 0 || r.FinishReason != "length" || r.CompletionTokens != 200 {
		t.Errorf("llama.cpp, the prompt fits: status %d, finish %q after %d tokens; want cut where the context is full", r.Status, r.FinishReason, r.CompletionTokens)
	}
	if r := Limited(Small{Context: 1000, Family: "llama.cpp"}, long)(body(1200)); r.Status != 400 || !strings.Contains(r.Body, `"n_prompt_tokens":1200,"n_ctx":1000`) {
		t.Errorf("llama.cpp, prompt over the context: %d %s", r.Status, r.Body)
	}
	seen := 0
	echo := func(c Call) Reply { seen = promptTokens(c); return Reply{Content: "ok"} }
	if r := Limited(Small{Context: 1000, Family: "ollama"}, echo)(body(1600)); r.Status != 0 || r.PromptTokens != 1000 || seen != 1000 {
		t.Errorf("Ollama: status %d, reported %d prompt tokens, the model saw %d; want 1000 kept silently", r.Status, r.PromptTokens, seen)
	}
	if r := Limited(Small{AnswerCap: 100, Family: "vllm"}, long)(body(10)); r.FinishReason != "length" || r.CompletionTokens != 100 || len(r.Content) > 400 {
		t.Errorf("answer cap: finish %q after %d tokens, %d bytes", r.FinishReason, r.CompletionTokens, len(r.Content))
	}
}

func TestParaphrase(t *testing.T) {
	tests := []struct {
		in   string
		k    int
		want string
	}{
		{"According to the prefecture, 7,800 homes have been affected and 1,200 people evacuated.", 0,
			"7 800 dwellings have been hit and 1.2 thousand persons evacuated, according to prefecture."},
		{"The United States says more than 16,000 containers went to Russia.", 1,
			"United States states over 16 thousand containers went to Russia."},
		{"The United States says more than 16,000 containers went to Russia.", 2, "United States states over 16,000 containers went to Russia."},
		{"The fund will pay for the repair of roads and bridges, the ministry said.", 0,
			"Ministry stated that package will pay for repair of roads and bridges."},
		{"The Louvre welcomed 8.9 million visitors, up 14% on the year.", 0, "Louvre welcomed 8,900,000 visitors, up 14 per cent on year."},
		{"The Louvre welcomed 8.9 million visitors, up 14% on the year.", 1, "Louvre welcomed 8 900 000 visitors, up 14% on year."},
	}
	for _, tt := range tests {
		if got := Paraphrase(tt.in, tt.k); got != tt.want {
			t.Errorf("Paraphrase(%q, %d)\n got %q\nwant %q", tt.in, tt.k, got, tt.want)
		}
	}
}

func TestJudgeReadsParaphrase(t *testing.T) {
	sents := "According to the prefecture, 7,800 homes have been affected and 1,200 people evacuated."
	for _, claim := range []string{Paraphrase(sents, 0), Paraphrase(sents, 1), Paraphrase(sents, 2)} {
		if !judged(claim, sents) {
			t.Errorf("the judge does not read %q as %q", claim, sents)
		}
	}
	if judged("7,900 homes have been affected and 1,200 people evacuated.", sents) {
		t.Error("the judge reads 7,900 as 7,800")
	}
}

func TestStripAttribution(t *testing.T) {
	for in, want := range map[string]string{
		"According to the prefecture, 7,800 homes have been affected.":                            "7,800 homes have been affected.",
		"The decree allows victims to be compensated, the interior minister Hélène Caradec said.": "The decree allows victims to be compensated.",
		"The United States says more than 16,000 containers went to Russia.":                      "More than 16,000 containers went to Russia.",
		"The floods are reportedly the worst in sixty years.":                                     "The floods are the worst in sixty years.",
		"The driver would have tried to cross a flooded road.":                                    "The driver tried to cross a flooded road.",
		`"We waited two days for the pumps," said Karim Benali, a baker in Arques.`:               "We waited two days for the pumps.",
		"Insurers have received more than 12,000 claims so far, according to France Assureurs.":   "Insurers have received more than 12,000 claims so far.",
		"The river rose to 3.45 metres on Tuesday evening.":                                       "The river rose to 3.45 metres on Tuesday evening.",
		"FlyEire said on Thursday it had been forced to cancel 400 flights.":                      "It had been forced to cancel 400 flights.",
	} {
		if got := StripAttribution(in); got != want {
			t.Errorf("StripAttribution(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
