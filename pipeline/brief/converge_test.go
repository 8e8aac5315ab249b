package brief

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest/llmclient"
)

var citeRe = regexp.MustCompile(`\[(\d+)\]`)

// verbose is a model that ignores every length it is asked for: each
// answer has a point per source number in its input, one point citing all
// of them, and an event per source, so its partials never shrink.
func verbose(c llmtest.Call) llmtest.Reply {
	user := c.User()
	if i := strings.LastIndex(user, "<sources>"); i >= 0 {
		user = user[i:]
	} else if i := strings.LastIndex(user, "<partials>"); i >= 0 {
		user = user[i:]
	}
	var ns []int
	for _, m := range citeRe.FindAllStringSubmatch(user, -1) {
		var n int
		fmt.Sscan(m[1], &n)
		ns = append(ns, n)
	}
	slices.Sort(ns)
	ns = slices.Compact(ns)
	type item struct {
		Date  string `json:"date,omitempty"`
		Text  string `json:"text"`
		Cites []int  `json:"cites"`
	}
	a := struct {
		Title    string `json:"title"`
		Overview string `json:"overview"`
		Points   []item `json:"key_points"`
		Timeline []item `json:"timeline"`
	}{Title: "Local councils", Overview: "Councils across France voted on local projects and their costs, with opposition citing debt."}
	a.Points = append(a.Points, item{Text: "Councils across France approved local projects costing millions of euros.", Cites: ns})
	for _, n := range ns {
		a.Points = append(a.Points, item{Text: fmt.Sprintf("Source %d reports that its council approved a local project despite the opposition's objections about debt.", n), Cites: []int{n}})
		a.Timeline = append(a.Timeline, item{Date: "2024-03-01", Text: fmt.Sprintf("council vote reported by source %d", n), Cites: []int{n}})
	}
	b, _ := json.Marshal(a)
	return llmtest.Reply{Content: string(b)}
}

// fitsContext refuses, as vLLM does, a request whose prompt (at four bytes
// a token, fewer tokens than depeche's estimate) and answer room exceed
// limit tokens.
func fitsContext(limit int, refused *int, h llmtest.Handler) llmtest.Handler {
	return func(c llmtest.Call) llmtest.Reply {
		n := 0
		for _, m := range c.Messages {
			n += len(m.Content)
		}
		answer, _ := c.Body["max_tokens"].(float64)
		if n/4+int(answer) > limit {
			*refused++
			return llmtest.ContextLengthVLLM()
		}
		return h(c)
	}
}

// TestBriefConverges: 200 sources through small contexts, with a model
// that keeps to the lengths it is asked for and with one that lists every
// source in every answer. Each reduce level must shrink, so the briefing is
// made in a bounded number of calls, no prompt exceeds the context, and
// every source is cited or listed as also covered.
func TestBriefConverges(t *testing.T) {
	tests := []struct {
		name                     string
		model                    llmtest.Handler
		contextTokens, maxTokens int
		wantCitedAll             bool
	}{
		{"obedient model, 4k context", fakeModel(), 4096, 1024, false},
		{"verbose model, 4k context", verbose, 4096, 1024, false},
		{"obedient model, 900-token context", fakeModel(), 900, 300, false},
		{"verbose model, 900-token context", verbose, 900, 300, false},
		{"obedient model, 16k context", fakeModel(), 16384, 2048, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refused := 0
			c, srv := llmclient.Serve(t, fitsContext(tt.contextTokens, &refused, tt.model))
			srcs := manySources(200)
			b, err := Brief(context.Background(), c, srcs, Options{ContextTokens: tt.contextTokens, MaxTokens: tt.maxTokens})
			if err != nil {
				t.Fatal(err)
			}
			cited := citedSources(b)
			mustCheck(t, &b, srcs)
			if refused > 0 {
				t.Errorf("%d requests exceeded the %d-token context", refused, tt.contextTokens)
			}
			maps, levels := 0, 0
			parts := -1
			for _, call := range srv.Calls() {
				if call.Stage == "brief-map" {
					maps++
				}
				if n := strings.Count(call.User(), "## Partial briefing "); n > 0 && n != parts {
					levels++
					parts = n
				}
			}
			// Each level at most halves: the calls after the map are fewer
			// than the map calls, plus one per level for the odd batch.
			if maps < 2 || srv.Count() > 2*maps+levels+1 {
				t.Errorf("%d calls for %d map calls: the reduce does not shrink", srv.Count(), maps)
			}
			last := srv.Calls()[srv.Count()-1]
			if strings.Contains(last.System(), "another step merges") {
				t.Error("the last call was asked for a partial briefing")
			}
			cs := b.Citations
			if cs.Points == 0 || cs.CitedSources == 0 || cs.Unresolved != 0 || cs.CitedSources+len(b.AlsoCovered) != 200 {
				t.Errorf("citations %+v, also covered %d", cs, len(b.AlsoCovered))
			}
			if tt.wantCitedAll && cited != 200 {
				t.Errorf("the reduce kept citations of %d of 200 sources", cited)
			}
			t.Logf("%d calls (%d map), %d points, %d of 200 cited", srv.Count(), maps, cs.Points, cs.CitedSources)
		})
	}
}

// TestBriefOneBatchIsTheBriefing: when the sources do not fit one prompt
// but their batch does once cut, that one call writes the briefing; no
// reduce call "merges" a single partial.
func TestBriefOneBatchIsTheBriefing(t *testing.T) {
	src := manySources(1)
	for i := range 200 {
		src[0].Summary.KeyFacts = append(src[0].Summary.KeyFacts, fmt.Sprintf("Fact number %d about the tram line vote in Lyon.", i))
	}
	refused := 0
	c, srv := llmclient.Serve(t, fitsContext(2048, &refused, fakeModel()))
	b, err := Brief(context.Background(), c, src, Options{ContextTokens: 2048, MaxTokens: 512})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Count() != 1 || refused != 0 || strings.Contains(srv.Calls()[0].System(), "another step merges") {
		t.Errorf("%d calls, %d refused: want one call for the whole briefing", srv.Count(), refused)
	}
	if len(b.Points) == 0 {
		t.Error("no key point")
	}
}

// TestFit cuts partial briefings to their share of the next prompt.
func TestFit(t *testing.T) {
	r, err := newReducer(nil, Options{Model: "test-model"})
	if err != nil {
		t.Fatal(err)
	}
	many := make([]int, 120)
	for i := range many {
		many[i] = i + 1
	}
	d := draft{
		Overview: "Councils voted on local projects across France this week, with opposition citing debt.",
		Points: []briefing.Point{
			{Text: "Lyon approves a tram line.", Cites: []int{1}},
			{Text: "Three councils approve hospital wings costing more than planned.", Cites: []int{2, 3, 4}},
			{Text: "Nantes and Rennes approve bridge repairs.", Cites: []int{5, 6}},
		},
		Timeline:    []briefing.Event{{Date: "2024-03-01", Text: "Lyon council vote", Cites: []int{1}}},
		Differences: []briefing.Difference{{Topic: "Cost of the bridge", Sides: []briefing.Side{{Claim: "5 million", Cites: []int{5}}, {Claim: "6 million", Cites: []int{6}}}}},
	}
	full := render(d, 1)
	tests := []struct {
		name   string
		d      draft
		tokens int
		want   []string // key point lines kept, in order
		whole  bool     // the full rendering
	}{
		{"fits: unchanged", d, r.tokens(full) + 1, nil, true},
		{"room for two points: the two best cited, in their order", d, r.tokens(render(draft{Points: d.Points[1:]}, 1)) + 1,
			[]string{"- Three councils approve hospital wings costing more than planned. [2][3][4]", "- Nantes and Rennes approve bridge repairs. [5][6]"}, false},
		{"room for one point: the best cited", d, r.tokens(render(draft{Points: d.Points[1:2]}, 1)) + 1,
			[]string{"- Three councils approve hospital wings costing more than planned. [2][3][4]"}, false},
		{"a point too big for any share is cut", draft{Points: []briefing.Point{{Text: strings.Repeat("word ", 40), Cites: many}}}, 60, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.fit(tt.d, 1, tt.tokens)
			if n := r.tokens(got) + 1; n > tt.tokens {
				t.Errorf("%d tokens, share %d:\n%s", n, tt.tokens, got)
			}
			if tt.whole != (got == render(tt.d, 1)) {
				t.Errorf("whole = %v:\n%s", got == render(tt.d, 1), got)
			}
			if tt.want != nil {
				var lines []string
				_, after, _ := strings.Cut(got, "Key points:\n")
				for _, l := range strings.Split(after, "\n") {
					if !strings.HasPrefix(l, "- ") {
						break
					}
					lines = append(lines, l)
				}
				if !slices.Equal(lines, tt.want) {
					t.Errorf("points %q, want %q", lines, tt.want)
				}
			}
			if !strings.HasPrefix(got, "## Partial briefing 1\n") || !utf8.ValidString(got) {
				t.Errorf("not a partial briefing:\n%s", got)
			}
			if !strings.Contains(got, "Key points:\n- ") {
				t.Errorf("no key point left:\n%s", got)
			}
		})
	}
}

// TestLimitsFor: the limits a prompt states fit the share they are for.
func TestLimitsFor(t *testing.T) {
	for _, tokens := range []int{40, 85, 150, 360, 900, 2000} {
		l := limitsFor(tokens)
		if l.Points < 1 || l.Words < minPointWords || l.Words > maxPointWords {
			t.Errorf("limitsFor(%d) = %+v", tokens, l)
		}
		if cost := headerTokens + (l.Points+l.Events)*pointTokens(l.Words); cost > max(tokens, headerTokens+pointTokens(minPointWords)) {
			t.Errorf("limitsFor(%d) = %+v costs %d", tokens, l, cost)
		}
	}
}
