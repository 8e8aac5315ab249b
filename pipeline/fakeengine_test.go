package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/engine"
	"github.com/depeche-news/depeche/pipeline/news"
)

// fakeEngine is an Engine that "translates" by marking each paragraph,
// summarizes with its first sentences and briefs one point per source, and
// records every call, so the runner can be tested without a model or the
// CLI. failTranslate and failSummarize name stems whose stage fails with
// that error.
type fakeEngine struct {
	identity      string
	failTranslate map[string]error
	failSummarize map[string]error
	failBrief     error
	onTranslate   func() // called as each translation starts

	mu      sync.Mutex
	calls   []string      // "translate a", "summarize a", "brief 3"
	briefed []news.Source // what the last Brief was given
}

var _ engine.Engine = (*fakeEngine)(nil)

func (e *fakeEngine) record(call string) {
	e.mu.Lock()
	e.calls = append(e.calls, call)
	e.mu.Unlock()
}

// count returns how many calls start with prefix ("translate ", "brief").
func (e *fakeEngine) count(prefix string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, c := range e.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func (e *fakeEngine) Name() string                  { return "fake" }
func (e *fakeEngine) Model(stage news.Stage) string { return "fake-" + string(stage) }
func (e *fakeEngine) Identity(stage news.Stage) string {
	return "fake/" + string(stage) + "/" + e.identity
}
func (e *fakeEngine) Estimate(a news.Article) (int, int) { return 2, 100 * len(a.Paragraphs) }
func (e *fakeEngine) Close() error                       { return nil }

// english is what the fake makes of a French paragraph.
func english(p string) string { return "EN " + p }

func (e *fakeEngine) Translate(ctx context.Context, a news.Article) (news.Translation, error) {
	e.record("translate " + a.Stem)
	if e.onTranslate != nil {
		e.onTranslate()
	}
	if err := e.failTranslate[a.Stem]; err != nil {
		return news.Translation{Stats: news.Stats{Requests: 1}}, err
	}
	t := news.Translation{Title: english(a.Title), Stats: news.Stats{Engine: "fake", Model: "fake-translate", Requests: 1,
		Usage: news.Usage{PromptTokens: 10, CompletionTokens: 10}}}
	for _, p := range a.Paragraphs {
		t.Paragraphs = append(t.Paragraphs, english(p))
	}
	return t, ctx.Err()
}

func (e *fakeEngine) Summarize(ctx context.Context, t news.Translation) (news.Summary, error) {
	e.record("summarize " + t.Stem)
	if err := e.failSummarize[t.Stem]; err != nil {
		return news.Summary{}, err
	}
	first, _, _ := strings.Cut(t.Paragraphs[0], ". ")
	return news.Summary{Headline: t.Title, KeyFacts: []string{first + "."},
		Stats: news.Stats{Engine: "fake", Model: "fake-summarize", Requests: 1, Usage: news.Usage{PromptTokens: 5, CompletionTokens: 5}}}, nil
}

func (e *fakeEngine) Brief(ctx context.Context, srcs []news.Source, opt engine.BriefOptions) (briefing.Briefing, error) {
	e.record(fmt.Sprintf("brief %d", len(srcs)))
	e.mu.Lock()
	e.briefed = append([]news.Source(nil), srcs...)
	e.mu.Unlock()
	if e.failBrief != nil {
		return briefing.Briefing{}, e.failBrief
	}
	b := briefing.Briefing{Title: "Fake briefing", Overview: "What the sources say.", Engine: "fake",
		Stats: news.Stats{Engine: "fake", Model: "fake-brief", Requests: 1}}
	for _, s := range srcs {
		b.Points = append(b.Points, briefing.Point{Text: s.Summary.KeyFacts[0], Cites: []int{s.N}})
	}
	return b, ctx.Err()
}

// fakeBatcher is a fakeEngine with batch mode: while a batch is open, a
// request it has not answered yet is collected and deferred; Send answers
// everything collected (or, write-only, nothing).
type fakeBatcher struct {
	*fakeEngine

	mu       sync.Mutex
	open     bool
	submit   bool
	pending  map[string]bool
	answered map[string]bool
	sends    int
}

var _ engine.Batcher = (*fakeBatcher)(nil)

func (b *fakeBatcher) StartBatch(_ context.Context, opt engine.BatchOptions) (engine.Batch, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.open, b.submit = true, opt.Submit
	b.pending, b.answered = map[string]bool{}, map[string]bool{}
	return b, nil
}

// defer reports whether the request named key waits for a round.
func (b *fakeBatcher) deferred(key string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open || b.answered[key] {
		return nil
	}
	b.pending[key] = true
	return engine.Mark(fmt.Errorf("%s: %w", key, errors.New("collected")), engine.ErrDeferred)
}

func (b *fakeBatcher) Translate(ctx context.Context, a news.Article) (news.Translation, error) {
	if err := b.deferred("translate " + a.Stem); err != nil {
		return news.Translation{}, err
	}
	return b.fakeEngine.Translate(ctx, a)
}

func (b *fakeBatcher) Summarize(ctx context.Context, t news.Translation) (news.Summary, error) {
	if err := b.deferred("summarize " + t.Stem); err != nil {
		return news.Summary{}, err
	}
	return b.fakeEngine.Summarize(ctx, t)
}

func (b *fakeBatcher) Brief(ctx context.Context, srcs []news.Source, opt engine.BriefOptions) (briefing.Briefing, error) {
	if err := b.deferred("brief"); err != nil {
		return briefing.Briefing{}, err
	}
	return b.fakeEngine.Brief(ctx, srcs, opt)
}

func (b *fakeBatcher) Pending() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pending)
}

func (b *fakeBatcher) Send(context.Context, int) (bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sends++
	if !b.submit {
		return false, nil
	}
	for k := range b.pending {
		b.answered[k] = true
	}
	b.pending = map[string]bool{}
	return true, nil
}

func (b *fakeBatcher) Summary() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return fmt.Sprintf("fake batch: %d answers in %d rounds", len(b.answered), b.sends)
}

func (b *fakeBatcher) Close() error {
	b.mu.Lock()
	b.open = false
	b.mu.Unlock()
	return nil
}
