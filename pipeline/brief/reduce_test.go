package brief

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest/llmclient"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
)

// withSummaries gives the seed sources the summaries a model would write.
func withSummaries(t *testing.T) []news.Source {
	srcs := seedSources(t)
	for i := range srcs {
		first, _, _ := strings.Cut(srcs[i].Text, ". ")
		srcs[i].Summary = news.Summary{Headline: first + ".", KeyFacts: []string{first + "."}}
	}
	return srcs
}

func TestBriefRepair(t *testing.T) {
	tests := []struct {
		name    string
		handler llmtest.Handler
		wantErr string
	}{
		{"malformed once, repaired", llmtest.Times(1, llmtest.Reply{Content: "```json\n{\"title\": \"x\", \"key_points\": [\n```"}, llmtest.Briefer()), ""},
		{"malformed twice", llmtest.Text(`Here is your briefing: {"title": "x", key_points: []}`), "brief: brief-reduce: model returned invalid JSON twice: not valid JSON"},
		{"no key points twice", llmtest.Text(`{"title": "x", "key_points": []}`), `model returned invalid JSON twice: no "key_points"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, srv := llmclient.Serve(t, tt.handler)
			b, err := Brief(context.Background(), c, withSummaries(t), Options{})
			if srv.Count() != 2 {
				t.Errorf("%d calls, want the call and one repair", srv.Count())
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Points) != 5 || b.Stats.Requests != 2 || len(b.Stats.Retries) != 1 {
				t.Errorf("points %d, stats %+v", len(b.Points), b.Stats)
			}
		})
	}
}

func TestBriefInventedCitation(t *testing.T) {
	answer := `{"title": "T", "overview": "O", "key_points": [
		{"text": "Putin gave Kim Jong Un a Russian-made Aurus limousine.", "cites": [1, 9]},
		{"text": "Kim sent Putin a birthday letter for his 72nd birthday.", "cites": ["[9]"]},
		"Putin and Kim swapped seats in the Aurus during the Pyongyang visit [3][5]",
		{"text": "Kim received a Russian-made car for his personal use.", "cites": [2]},
		{"text": "Kim wished Putin a happy birthday as his closest comrade.", "cites": [4]}
	], "timeline": [], "differences": []}`
	c, _ := llmclient.Serve(t, llmtest.Text(answer))
	srcs := withSummaries(t)
	b, err := Brief(context.Background(), c, srcs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, &b, srcs)
	want := briefing.CitationStats{Points: 4, Citations: 5, Unresolved: 2, Dropped: 1, CitedSources: 5}
	if got := b.Citations; got.Points != want.Points || got.Citations != want.Citations || got.Unresolved != want.Unresolved || got.Dropped != want.Dropped || got.CitedSources != want.CitedSources {
		t.Errorf("citations = %+v, want %+v", got, want)
	}
	if md := briefing.Markdown(b); strings.Contains(md, "[9]") || !strings.Contains(md, "swapped seats in the Aurus during the Pyongyang visit [3][5]") {
		t.Errorf("briefing.md:\n%s", md)
	}
}

func TestBriefMaxWordsAndFocus(t *testing.T) {
	c, srv := llmclient.Serve(t, llmtest.Briefer())
	b, err := Brief(context.Background(), c, withSummaries(t), Options{MaxWords: 130, Focus: "economic consequences"})
	if err != nil {
		t.Fatal(err)
	}
	words := len(strings.Fields(b.Overview))
	for _, p := range b.Points {
		words += len(strings.Fields(p.Text))
	}
	// The fake answers one point per source: five, well past 130 words.
	if len(b.Points) < 2 || len(b.Points) == 5 || words > 130 {
		t.Errorf("%d points, %d words: not trimmed to max_words", len(b.Points), words)
	}
	if len(b.Stats.Warnings) != 1 || b.Stats.Warnings[0].Code != "brief_trimmed" {
		t.Errorf("warnings = %+v", b.Stats.Warnings)
	}
	call := srv.Calls()[0]
	if !strings.Contains(call.System(), "under 130 words") || !strings.Contains(call.User(), "Focus: economic consequences") {
		t.Errorf("max_words and focus missing from the prompt:\n%s\n%s", call.System(), call.User())
	}
}

func TestBriefCache(t *testing.T) {
	c, srv := llmclient.Serve(t, llmtest.Briefer())
	opt := Options{Cache: store.NewCache(t.TempDir(), false), CacheScope: "s"}
	first, err := Brief(context.Background(), c, withSummaries(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	second, err := Brief(context.Background(), c, withSummaries(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Count() != 1 || second.Stats.Cached != 1 || second.Stats.Requests != 0 || second.Title != first.Title {
		t.Errorf("%d calls; second stats %+v", srv.Count(), second.Stats)
	}
}

func TestParseDraft(t *testing.T) {
	d, err := parseDraft(`<think>{}</think>{"Title": "T", "points": [{"point": "A [2]", "citations": ["1", 3]}],
		"timeline": ["2024-06-19: Putin lands [3]", {"date": "2024-06-20", "event": "Hanoi", "sources": [4]}],
		"differences": [{"topic": "Cars", "sides": [{"claim": "first", "cites": [1]}, "second [2]"]}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "T" || d.Points[0].Text != "A" || !equal(d.Points[0].Cites, []int{1, 2, 3}) {
		t.Errorf("points = %+v", d.Points)
	}
	if len(d.Timeline) != 2 || d.Timeline[0].Date != "2024-06-19" || d.Timeline[0].Text != "Putin lands" || d.Timeline[1].Text != "Hanoi" || !equal(d.Timeline[1].Cites, []int{4}) {
		t.Errorf("timeline = %+v", d.Timeline)
	}
	if len(d.Differences) != 1 || len(d.Differences[0].Sides) != 2 || d.Differences[0].Sides[1].Claim != "second" {
		t.Errorf("differences = %+v", d.Differences)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestBriefMapUsesEverySlot: the map phase hands all its batches to the
// client, whose limiter keeps the endpoint's slots full, instead of
// holding back calls of its own.
func TestBriefMapUsesEverySlot(t *testing.T) {
	const slots = 8
	srv := llmtest.New(t, func(c llmtest.Call) llmtest.Reply {
		if c.Stage == "brief-map" {
			// a short partial, so that the reduce is quick; slow enough for
			// every slot to fill
			return llmtest.Reply{Content: `{"title": "t", "key_points": [{"text": "Councils vote budgets.", "cites": [1]}]}`, Delay: 100 * time.Millisecond}
		}
		return fakeModel()(c)
	})
	c := llmclient.New(t, srv, llmclient.Concurrency(slots))
	srcs := manySources(300)
	b, err := Brief(context.Background(), c, srcs, Options{ContextTokens: 2048, MaxTokens: 512})
	if err != nil {
		t.Fatal(err)
	}
	maps := 0
	for _, call := range srv.Calls() {
		if call.Stage == "brief-map" {
			maps++
		}
	}
	if maps < 2*slots {
		t.Fatalf("%d map calls; the test needs more than %d", maps, 2*slots)
	}
	if p := srv.PeakInFlight(); p != slots {
		t.Errorf("peak in flight %d, want the endpoint's %d slots", p, slots)
	}
	t.Logf("%d calls (%d map), %d requests in stats", srv.Count(), maps, b.Stats.Requests)
}
