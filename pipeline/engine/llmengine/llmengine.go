// Package llmengine is the LLM engine: it wires the stages that ask a model
// (translate, summarize, brief) to one llm.Client, keys their caches on the
// endpoint and parameters, and turns the client's errors into the engine
// package's. Each stage owns its prompts, validation and chunk-level
// caching; this package only composes them.
package llmengine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/depeche-news/depeche/pipeline/brief"
	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/cite"
	"github.com/depeche-news/depeche/pipeline/config"
	"github.com/depeche-news/depeche/pipeline/engine"
	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
	"github.com/depeche-news/depeche/pipeline/story"
	"github.com/depeche-news/depeche/pipeline/summarize"
	"github.com/depeche-news/depeche/pipeline/translate"
	"github.com/depeche-news/depeche/prompts"
)

// Engine is the engine backed by an OpenAI-compatible endpoint (or several).
type Engine struct {
	client   *llm.Client
	cfg      *config.Config
	glossary *glossary.Glossary
	prompts  *prompts.Set
	cache    *store.Cache
}

var (
	_ engine.Engine  = (*Engine)(nil)
	_ engine.Batcher = (*Engine)(nil)
)

// New returns the engine that sends the stages' requests through c, with
// the prompts of cfg.Prompts.Dir and the chunk-level cache in cacheDir
// (force: ignore what it holds, still refresh it).
func New(cfg *config.Config, c *llm.Client, gl *glossary.Glossary, cacheDir string, force bool) (*Engine, error) {
	ps, err := prompts.Load(cfg.Prompts.Dir)
	if err != nil {
		return nil, &config.Error{Msg: err.Error()}
	}
	return &Engine{client: c, cfg: cfg, glossary: gl, prompts: ps, cache: store.NewCache(cacheDir, force)}, nil
}

// Name implements Engine.
func (e *Engine) Name() string { return news.EngineLLM }

// Model implements Engine.
func (e *Engine) Model(stage news.Stage) string {
	if m := e.override(stage); m != "" {
		return m
	}
	return e.client.Model()
}

// override is the stage's own model (translate.model, …) or "": requests
// then name each endpoint's configured model, so llm.endpoints may serve
// different model names for the same job.
func (e *Engine) override(stage news.Stage) string {
	switch stage {
	case news.StageTranslate:
		return e.cfg.Translate.Model
	case news.StageSummarize:
		return e.cfg.Summarize.Model
	case news.StageBrief:
		return e.cfg.Brief.Model
	}
	return ""
}

// scope is the part of every cache key that names the endpoint and the
// request parameters: the same prompt to another server or at another
// temperature is another result.
func (e *Engine) scope() string {
	l := e.cfg.LLM
	var eps []string
	if len(l.Endpoints) == 0 {
		eps = append(eps, l.BaseURL)
	}
	for _, ep := range l.Endpoints {
		eps = append(eps, ep.BaseURL+"|"+ep.Model)
	}
	return store.Key("llm", eps, l.Temperature, l.MaxTokens, l.TokenParam, l.ContextTokens, l.Extra)
}

func (e *Engine) promptVersion(names ...string) string {
	var vs []string
	for _, n := range names {
		if p, err := e.prompts.Get(n); err == nil {
			vs = append(vs, p.Version)
		}
	}
	return strings.Join(vs, "+")
}

// Identity implements Engine.
func (e *Engine) Identity(stage news.Stage) string {
	switch stage {
	case news.StageTranslate:
		return store.Key("llm", stage, e.scope(), e.Model(stage), e.promptVersion("translate", "review"),
			e.glossary.Version(), e.cfg.Translate.Review, e.cfg.Translate.MaxAttempts)
	case news.StageSummarize:
		return store.Key("llm", stage, e.scope(), e.Model(stage), e.promptVersion("summarize", "summarize-merge", "restate"))
	default:
		return store.Key("llm", stage, e.scope(), e.Model(stage), e.promptVersion("brief", "brief-reduce", "brief-overview", "restate"))
	}
}

// Translate implements Engine.
func (e *Engine) Translate(ctx context.Context, a news.Article) (news.Translation, error) {
	t, err := translate.Translate(ctx, e.client, a, e.translateOptions())
	return t, boundary(err)
}

func (e *Engine) translateOptions() translate.Options {
	return translate.Options{
		Model: e.override(news.StageTranslate), ContextTokens: e.cfg.LLM.ContextTokens, MaxTokens: e.cfg.LLM.MaxTokens,
		MaxAttempts: e.cfg.Translate.MaxAttempts, Review: e.cfg.Translate.Review, Glossary: e.glossary,
		Prompts: e.prompts, Cache: e.cache, CacheScope: e.scope(),
	}
}

// Summarize implements Engine.
func (e *Engine) Summarize(ctx context.Context, t news.Translation) (news.Summary, error) {
	s, err := summarize.Summarize(ctx, e.client, t, summarize.Options{
		Model: e.override(news.StageSummarize), Prompts: e.prompts, Cache: e.cache, CacheScope: e.scope(),
		ContextTokens: e.cfg.LLM.ContextTokens, MaxTokens: e.cfg.LLM.MaxTokens,
	})
	return s, boundary(err)
}

// Brief implements Engine: map-reduce per story, then the opening over the
// stories (story.Compose); sources that tell one story make one briefing.
func (e *Engine) Brief(ctx context.Context, sources []news.Source, opt engine.BriefOptions) (briefing.Briefing, error) {
	options := func(words int) brief.Options {
		return brief.Options{
			Model: e.override(news.StageBrief), Prompts: e.prompts, Cache: e.cache, CacheScope: e.scope(),
			ContextTokens: e.cfg.LLM.ContextTokens, MaxTokens: e.cfg.LLM.MaxTokens,
			MaxWords: words, Focus: opt.Focus,
		}
	}
	b, err := story.Compose(ctx, sources, opt,
		func(ctx context.Context, srcs []news.Source, words int) (briefing.Briefing, error) {
			return brief.Brief(ctx, e.client, srcs, options(words))
		},
		func(ctx context.Context, stories []briefing.Story, opt news.BriefOptions) (string, string, []briefing.Point, news.Stats, error) {
			return brief.Overview(ctx, e.client, stories, options(opt.MaxWords))
		})
	return b, boundary(err)
}

// Judge returns the model judge of the citation check (brief.verify:
// model), on the briefing's model, prompts and cache.
func (e *Engine) Judge() cite.Judge {
	return judge{brief.NewJudge(e.client, brief.Options{
		Model: e.override(news.StageBrief), Prompts: e.prompts, Cache: e.cache, CacheScope: e.scope(),
		MaxTokens: e.cfg.LLM.MaxTokens,
	})}
}

// judge passes the model judge's errors through the boundary, so that a
// deferral to a batch round or a spent budget reaches the runner as such.
type judge struct{ j *brief.ModelJudge }

func (j judge) Judge(ctx context.Context, qs []cite.Question) ([]bool, news.Stats, error) {
	a, st, err := j.j.Judge(ctx, qs)
	return a, st, boundary(err)
}

// boundary is where the client's errors become the engine package's: the
// runner acts on engine.ErrBudget and engine.ErrDeferred and never sees
// package llm. The error still reads as the client wrote it.
func boundary(err error) error {
	switch {
	case errors.Is(err, llm.ErrBudget):
		return engine.Mark(err, engine.ErrBudget)
	case errors.Is(err, llm.ErrDeferred):
		return engine.Mark(err, engine.ErrDeferred)
	}
	return err
}

// StartBatch implements engine.Batcher with the client's batch mode and
// the OpenAI Files and Batches calls (llm.BatchRun).
func (e *Engine) StartBatch(ctx context.Context, opt engine.BatchOptions) (engine.Batch, error) {
	var since time.Time
	if opt.Force {
		since = time.Now() // answers stored by earlier runs are asked again
	}
	b, err := e.client.StartBatch(ctx, llm.BatchRunOptions{CacheDir: opt.CacheDir, Since: since,
		Submit: opt.Submit, Poll: opt.Poll, Ingest: opt.Ingest, Notes: opt.Notes})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Estimate implements Engine: chunks as Translate would cut them, each
// costing its prompt (system prompt, glossary, text) and an answer of about
// the same size, plus one summary call.
func (e *Engine) Estimate(a news.Article) (requests, tokens int) {
	model := e.Model(news.StageTranslate)
	count := func(s string) int { return llm.CountTokens(model, s) }
	o := e.translateOptions()
	budget, _ := translate.Plan(e.client.Limits(o.Model, llm.Limits{Context: o.ContextTokens, Answer: o.MaxTokens}), 300)
	src := 0
	for _, ch := range translate.Chunks(a, budget, count) {
		n := 0
		for _, p := range ch {
			n += count(p)
		}
		requests++
		tokens += 300 + 2*n + n/10
		src += n
	}
	if e.cfg.Translate.Review {
		requests *= 2
		tokens *= 2
	}
	requests++
	tokens += src + 600
	return requests, tokens
}

// Close implements Engine.
func (e *Engine) Close() error { return nil }

func (e *Engine) String() string {
	return fmt.Sprintf("llm engine (%s at %s)", e.client.Model(), e.client.Endpoint())
}
