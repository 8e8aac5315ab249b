package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/depeche-news/depeche/pipeline/brief"
	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/config"
	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
	"github.com/depeche-news/depeche/pipeline/summarize"
	"github.com/depeche-news/depeche/pipeline/translate"
	"github.com/depeche-news/depeche/prompts"
)

// LLM is the engine backed by an OpenAI-compatible endpoint (or several).
// It only wires the stage packages to the client; each stage owns its
// prompts, validation and chunk-level caching.
type LLM struct {
	client   *llm.Client
	cfg      *config.Config
	glossary *glossary.Glossary
	prompts  *prompts.Set
	cache    *store.Cache
}

var _ Engine = (*LLM)(nil)

// Name implements Engine.
func (e *LLM) Name() string { return "llm" }

// Model implements Engine.
func (e *LLM) Model(stage string) string {
	if m := e.override(stage); m != "" {
		return m
	}
	return e.client.Model()
}

// override is the stage's own model (translate.model, …) or "": requests
// then name each endpoint's configured model, so llm.endpoints may serve
// different model names for the same job.
func (e *LLM) override(stage string) string {
	switch stage {
	case "translate":
		return e.cfg.Translate.Model
	case "summarize":
		return e.cfg.Summarize.Model
	case "brief":
		return e.cfg.Brief.Model
	}
	return ""
}

// Client exposes the client for totals in the manifest.
func (e *LLM) Client() *llm.Client { return e.client }

// scope is the part of every cache key that names the endpoint and the
// request parameters: the same prompt to another server or at another
// temperature is another result.
func (e *LLM) scope() string {
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

func (e *LLM) promptVersion(names ...string) string {
	var vs []string
	for _, n := range names {
		if p, err := e.prompts.Get(n); err == nil {
			vs = append(vs, p.Version)
		}
	}
	return strings.Join(vs, "+")
}

// Identity implements Engine.
func (e *LLM) Identity(stage string) string {
	switch stage {
	case "translate":
		return store.Key("llm", stage, e.scope(), e.Model(stage), e.promptVersion("translate", "review"),
			e.glossary.Version(), e.cfg.Translate.Review, e.cfg.Translate.MaxAttempts)
	case "summarize":
		return store.Key("llm", stage, e.scope(), e.Model(stage), e.promptVersion("summarize"))
	default:
		return store.Key("llm", stage, e.scope(), e.Model(stage), e.promptVersion("brief", "brief-reduce"))
	}
}

// Translate implements Engine.
func (e *LLM) Translate(ctx context.Context, a news.Article) (news.Translation, error) {
	return translate.Translate(ctx, e.client, a, e.translateOptions())
}

func (e *LLM) translateOptions() translate.Options {
	return translate.Options{
		Model: e.override("translate"), ContextTokens: e.cfg.LLM.ContextTokens, MaxTokens: e.cfg.LLM.MaxTokens,
		MaxAttempts: e.cfg.Translate.MaxAttempts, Review: e.cfg.Translate.Review, Glossary: e.glossary,
		Prompts: e.prompts, Cache: e.cache, CacheScope: e.scope(),
	}
}

// Summarize implements Engine.
func (e *LLM) Summarize(ctx context.Context, t news.Translation) (news.Summary, error) {
	return summarize.Summarize(ctx, e.client, t, summarize.Options{
		Model: e.override("summarize"), Prompts: e.prompts, Cache: e.cache, CacheScope: e.scope(),
		ContextTokens: e.cfg.LLM.ContextTokens, MaxTokens: e.cfg.LLM.MaxTokens,
	})
}

// Brief implements Engine.
func (e *LLM) Brief(ctx context.Context, sources []news.Source, opt BriefOptions) (briefing.Briefing, error) {
	return brief.Brief(ctx, e.client, sources, brief.Options{
		Model: e.override("brief"), Prompts: e.prompts, Cache: e.cache, CacheScope: e.scope(),
		ContextTokens: e.cfg.LLM.ContextTokens, MaxTokens: e.cfg.LLM.MaxTokens,
		MaxWords: opt.MaxWords, Focus: opt.Focus,
	})
}

// Estimate implements Engine: chunks as Translate would cut them, each
// costing its prompt (system prompt, glossary, text) and an answer of about
// the same size, plus one summary call.
func (e *LLM) Estimate(a news.Article) (requests, tokens int) {
	model := e.Model("translate")
	count := func(s string) int { return llm.CountTokens(model, s) }
	o := e.translateOptions()
	budget := translate.Budget(o.ContextTokens, o.MaxTokens, 300)
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
func (e *LLM) Close() error { return nil }

func (e *LLM) String() string {
	return fmt.Sprintf("llm engine (%s at %s)", e.client.Model(), e.client.Endpoint())
}
