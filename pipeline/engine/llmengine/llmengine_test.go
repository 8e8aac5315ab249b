package llmengine

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/config"
	"github.com/depeche-news/depeche/pipeline/engine"
	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest/llmclient"
	"github.com/depeche-news/depeche/pipeline/news"
)

func newEngine(t *testing.T, srv *llmtest.Server, mod func(*config.Config), opts ...llmclient.Option) *Engine {
	t.Helper()
	cfg := config.Defaults()
	cfg.LLM.BaseURL = srv.URL()
	if mod != nil {
		mod(cfg)
	}
	e, err := New(cfg, llmclient.New(t, srv, opts...), glossary.New(nil), t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestIdentityChangesWithModelAndPrompt(t *testing.T) {
	srv := llmtest.New(t, nil)
	a := newEngine(t, srv, nil)
	b := newEngine(t, srv, func(c *config.Config) { c.Translate.Model = "another-model" })
	if a.Identity("translate") == b.Identity("translate") {
		t.Error("changing translate.model kept the translate identity")
	}
	if a.Identity("summarize") != b.Identity("summarize") {
		t.Error("changing translate.model changed the summarize identity (would rerun summaries for nothing)")
	}
}

// The runner sees the client's budget and batch errors as the engine
// package's, and reads them as the client wrote them.
func TestBoundaryMarksTheClientsErrors(t *testing.T) {
	srv := llmtest.New(t, llmtest.Translator())
	e := newEngine(t, srv, nil, llmclient.With(func(c *llm.Config) { c.MaxTotalTokens = 10 }))
	a := news.Article{Stem: "a", Title: "Le titre", Paragraphs: []string{"Le président a parlé mardi devant les députés."}, Lang: "fr"}
	_, err := e.Translate(context.Background(), a)
	if !errors.Is(err, engine.ErrBudget) || !errors.Is(err, llm.ErrBudget) {
		t.Fatalf("err = %v, want engine.ErrBudget and llm.ErrBudget", err)
	}
	if !strings.Contains(err.Error(), "llm.max_total_tokens") {
		t.Errorf("err = %q: the client's wording was lost", err)
	}
	if n := srv.Count(); n != 0 {
		t.Errorf("%d requests sent past the budget", n)
	}

	for _, tt := range []struct {
		in   error
		want error
	}{
		{nil, nil},
		{llm.ErrDeferred, engine.ErrDeferred},
		{llm.ErrContextLength, llm.ErrContextLength},
	} {
		got := boundary(tt.in)
		if !errors.Is(got, tt.want) || (tt.in != nil && got.Error() != tt.in.Error()) {
			t.Errorf("boundary(%v) = %v, want it to match %v and read the same", tt.in, got, tt.want)
		}
		if tt.in != nil && errors.Is(got, engine.ErrBudget) != errors.Is(tt.in, llm.ErrBudget) {
			t.Errorf("boundary(%v) matches engine.ErrBudget: %v", tt.in, errors.Is(got, engine.ErrBudget))
		}
	}
}
