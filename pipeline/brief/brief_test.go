package brief

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/cite"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest/llmclient"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/news/newstest"
	"github.com/depeche-news/depeche/pipeline/summarize"
)

func fakeModel() llmtest.Handler {
	return llmtest.Router{"summarize": llmtest.Summarizer(), "brief-map": llmtest.Briefer(), "brief-reduce": llmtest.Briefer()}.Handle
}

// summarized runs the seeds through the summarize stage of the fake model,
// as the runner would, and groups them.
func summarized(t *testing.T, c *llm.Client, srcs []news.Source) []news.Source {
	t.Helper()
	for i, s := range srcs {
		tr := news.Translation{Stem: s.Stem, Source: s.File, Title: s.Title, Paragraphs: newstest.Paragraphs(s), Meta: s.Meta}
		sm, err := summarize.Summarize(context.Background(), c, tr, summarize.Options{})
		if err != nil {
			t.Fatal(err)
		}
		srcs[i].Summary = sm
	}
	for gi, g := range cite.Group(srcs) {
		for _, n := range g {
			srcs[n-1].Group = gi + 1
		}
	}
	return srcs
}

func TestBriefSeeds(t *testing.T) {
	c, srv := llmclient.Serve(t, fakeModel())
	srcs := summarized(t, c, seedSources(t))
	b, err := Brief(context.Background(), c, srcs, Options{Model: "test-model", MaxWords: 400, Focus: "military cooperation"})
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, &b, srcs)
	md := briefing.Markdown(b)
	for _, section := range []string{"# Briefing: ", "## Key points\n", "## Timeline\n", "## Where sources differ\n", "## Sources\n"} {
		if !strings.Contains(md, section) {
			t.Errorf("briefing.md lacks %q", section)
		}
	}
	cs := b.Citations
	if cs.Unresolved != 0 || cs.CitedSources != 5 || len(b.AlsoCovered) != 0 || cs.Points == 0 {
		t.Errorf("citations = %+v, also covered %v", cs, b.AlsoCovered)
	}
	for n := 1; n <= 5; n++ {
		if !strings.Contains(md, fmt.Sprintf("[%d]", n)) {
			t.Errorf("[%d] never cited", n)
		}
	}
	if len(b.Differences) == 0 {
		t.Error("no difference found between the seeds' figures")
	}
	if err := briefing.Validate(b); err != nil {
		t.Errorf("briefing.json does not validate: %v", err)
	}
	if b.Engine != "llm" || b.Model != "test-model" || b.Stats.Requests != 1 || b.Stats.Prompt != "brief-v3+brief-reduce-v3" || b.Focus != "military cooperation" {
		t.Errorf("engine %q model %q stats %+v", b.Engine, b.Model, b.Stats)
	}
	last := srv.Calls()[srv.Count()-1]
	if last.Stage != "brief-reduce" {
		t.Errorf("stage = %q", last.Stage)
	}
	for _, want := range []string{"military cooperation", "400 words"} {
		if !strings.Contains(last.System()+last.User(), want) {
			t.Errorf("the prompt lacks %q", want)
		}
	}
	for _, s := range srcs {
		ps := newstest.Paragraphs(s)
		if strings.Contains(last.User(), ps[len(ps)-1]) {
			t.Errorf("the briefing prompt carries the text of [%d], not its digest", s.N)
		}
	}
}

func TestBriefWireCopyShownOnce(t *testing.T) {
	c, srv := llmclient.Serve(t, fakeModel())
	seeds := seedSources(t)
	srcs := summarized(t, c, append(seeds, newstest.WireCopy(seeds[1], 6)))
	b, err := Brief(context.Background(), c, srcs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(b.Groups, [][]int{{2, 6}}) {
		t.Errorf("groups = %v", b.Groups)
	}
	if u := srv.Calls()[srv.Count()-1].User(); !strings.Contains(u, "[2][6] (same wire story)") || strings.Contains(u, "\n[6] ") {
		t.Errorf("the wire story is not presented once under both numbers:\n%s", u)
	}
	mustCheck(t, &b, srcs)
	if b.Citations.CitedSources != 6 {
		t.Errorf("citations = %+v", b.Citations)
	}
}

// manySources makes n distinct articles with summaries of ~100 tokens.
func manySources(n int) []news.Source {
	cities := []string{"Lyon", "Lille", "Nantes", "Rennes", "Brest", "Nice", "Metz", "Dijon", "Tours", "Reims", "Caen", "Rouen"}
	topics := []string{"tram line", "hospital wing", "bridge repair", "school canteen", "water plant"}
	var out []news.Source
	for i := 0; i < n; i++ {
		city, topic := cities[i%len(cities)], topics[i/len(cities)%len(topics)]
		head := fmt.Sprintf("%s council approves a %s costing %d million euros", city, topic, 10+i)
		out = append(out, news.Source{N: i + 1, Stem: fmt.Sprintf("a%02d", i+1), File: fmt.Sprintf("a%02d.html", i+1),
			Title: fmt.Sprintf("%s: the %s vote", city, topic), Meta: news.Meta{Date: fmt.Sprintf("2024-03-%02d", 1+i%28)},
			Summary: news.Summary{Headline: head, KeyFacts: []string{
				head + ".", fmt.Sprintf("Mayor of %s says work on the %s starts in %d.", city, topic, 2025+i%3),
				fmt.Sprintf("Opposition councillors in %s voted against, citing debt.", city),
				fmt.Sprintf("The %s will serve %d residents.", topic, 1000*(i+3)),
			}, Figures: []string{fmt.Sprintf("%d million euros", 10+i), fmt.Sprintf("%d residents", 1000*(i+3))},
				Dates: []string{fmt.Sprintf("2024-03-%02d: %s council vote", 1+i%28, city)}, Angle: "Local budget politics."}})
	}
	return out
}

// contextLimit refuses, as vLLM does, any prompt over 4,096 tokens.
func contextLimit(refused *int, h llmtest.Handler) llmtest.Handler {
	return func(c llmtest.Call) llmtest.Reply {
		n := 0
		for _, m := range c.Messages {
			n += len(m.Content)
		}
		if n/4 > 4096 {
			*refused++
			return llmtest.ContextLengthVLLM()
		}
		return h(c)
	}
}

func TestBriefHierarchical(t *testing.T) {
	tests := []struct {
		name          string
		contextTokens int
	}{
		{"context known: batches sized up front", 4096},
		{"context unknown: learns from the refusal", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refused := 0
			c, srv := llmclient.Serve(t, contextLimit(&refused, fakeModel()))
			srcs := manySources(60)
			b, err := Brief(context.Background(), c, srcs, Options{ContextTokens: tt.contextTokens, MaxTokens: 1024})
			if err != nil {
				t.Fatal(err)
			}
			// The fake merges look-alike headlines of different towns into
			// one point: the reduce must keep every citation, and the check
			// then removes the ones whose article says another town.
			if n := citedSources(b); n != 60 {
				t.Errorf("the reduce kept citations of %d of 60 sources", n)
			}
			mustCheck(t, &b, srcs)
			maps := 0
			for _, call := range srv.Calls() {
				if call.Stage == "brief-map" {
					maps++
				}
			}
			if maps < 2 || srv.Calls()[srv.Count()-1].Stage != "brief-reduce" {
				t.Errorf("%d map calls of %d: not a hierarchical reduce", maps, srv.Count())
			}
			if tt.contextTokens > 0 && refused > 0 {
				t.Errorf("%d prompts over the known context were sent", refused)
			}
			if tt.contextTokens == 0 && (refused == 0 || len(b.Stats.Warnings) == 0) {
				t.Errorf("refused %d, warnings %v: the unknown context was not learnt", refused, b.Stats.Warnings)
			}
			if b.Citations.CitedSources+len(b.AlsoCovered) != 60 || b.Citations.CitedSources == 0 || b.Citations.Unresolved != 0 {
				t.Errorf("citations = %+v, also covered %v", b.Citations, b.AlsoCovered)
			}
			// A refusal cancels the rest of its level: a sibling cancelled
			// in flight counts as sent, though the server may not have seen
			// it arrive.
			if d := b.Stats.Requests - srv.Count(); d < -4 || d > 4 {
				t.Errorf("stats count %d requests, server saw %d", b.Stats.Requests, srv.Count())
			}
			t.Logf("%d calls (%d map), %d refused, %d points", srv.Count(), maps, refused, len(b.Points))
		})
	}
}

// TestBriefLearnsSmallServer: configured for 4,096 tokens and 2,048-token
// answers, the briefing meets a server with a 1,500-token context that
// cuts answers at 300 tokens; after what the first refusals and cuts teach,
// every call fits, and the briefing is made.
func TestBriefLearnsSmallServer(t *testing.T) {
	var mu sync.Mutex
	bad := map[int]bool{}
	small := llmtest.Limited(llmtest.Small{Context: 1500, AnswerCap: 300, Family: "vllm"}, fakeModel())
	c, srv := llmclient.Serve(t, func(call llmtest.Call) llmtest.Reply {
		r := small(call)
		if r.Status != 0 || r.FinishReason == "length" {
			mu.Lock()
			bad[call.N] = true
			mu.Unlock()
		}
		return r
	})
	srcs := manySources(20)
	b, err := Brief(context.Background(), c, srcs, Options{ContextTokens: 4096, MaxTokens: 2048})
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, &b, srcs)
	if len(b.Points) == 0 || b.Citations.CitedSources == 0 {
		t.Fatalf("no briefing: %+v", b.Citations)
	}
	if len(bad) == 0 || len(bad) > 8 {
		t.Errorf("%d of %d calls refused or cut: want the first few, not more", len(bad), srv.Count())
	}
	last := 0
	for n := range bad {
		last = max(last, n)
	}
	if late := srv.Count() - last; late < srv.Count()/2 {
		t.Errorf("calls were still refused or cut at call %d of %d", last, srv.Count())
	}
	t.Logf("%d calls, %d refused or cut, warnings %v", srv.Count(), len(bad), b.Stats.Warnings)
}
