package offline

import (
	"context"
	"fmt"
	"time"

	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/news"
)

// EngineConfig configures the offline engine.
type EngineConfig struct {
	Glossary *glossary.Glossary
	Workers  int    // Apertium pipelines; 0 = one per core
	Command  string // "" = apertium
}

// Engine is the offline engine: Apertium translation through Spanish with
// protected names and numbers, extractive summaries and briefing. It never
// touches the network. It satisfies engine.Engine (checked in that package,
// which imports this one).
type Engine struct {
	tr  *Translator
	gl  *glossary.Glossary
	cmd string
}

// Model names what produced the offline outputs, for front matter.
const (
	TranslateModel = "apertium fr-es → spa-eng (protected pivot)"
	ExtractModel   = "extractive (centrality + MMR)"
)

// NewEngine starts the Apertium pipelines.
func NewEngine(cfg EngineConfig) (*Engine, error) {
	tr, err := NewTranslator(TranslatorConfig{Workers: cfg.Workers, Glossary: cfg.Glossary, Command: cfg.Command})
	if err != nil {
		return nil, err
	}
	return &Engine{tr: tr, gl: cfg.Glossary, cmd: cfg.Command}, nil
}

// Name implements engine.Engine.
func (e *Engine) Name() string { return "offline" }

// Model implements engine.Engine.
func (e *Engine) Model(stage string) string {
	if stage == "translate" {
		return TranslateModel
	}
	return ExtractModel
}

// Identity implements engine.Engine: the result depends on the glossary and
// this code's version of the pivot and the extractor.
func (e *Engine) Identity(stage string) string {
	return fmt.Sprintf("offline/%s/%s/v1", stage, e.gl.Version())
}

// Estimate implements engine.Engine: the offline engine costs no tokens.
func (e *Engine) Estimate(news.Article) (int, int) { return 0, 0 }

// Translate implements engine.Engine.
func (e *Engine) Translate(ctx context.Context, a news.Article) (news.Translation, error) {
	start := time.Now()
	title, paras, warns, err := e.tr.Translate(ctx, a.Title, a.Paragraphs)
	if err != nil {
		return news.Translation{}, err
	}
	return news.Translation{
		Stem: a.Stem, Source: a.Source, SHA256: a.SHA256, Title: title, Paragraphs: paras, Meta: a.Meta,
		Stats: news.Stats{Engine: "offline", Model: TranslateModel, Chunks: 1, Warnings: warns, Duration: time.Since(start)},
	}, nil
}

// Summarize implements engine.Engine.
func (e *Engine) Summarize(_ context.Context, t news.Translation) (news.Summary, error) {
	s := NewExtractor(ExtractOptions{Known: e.gl.Kinds()}).Summarize(t)
	s.Stem = t.Stem
	return s, nil
}

// Close implements engine.Engine.
func (e *Engine) Close() error { return e.tr.Close() }

// Brief implements engine.Engine. The offline briefing is extractive: every
// point is a sentence of the translations, cited to every article carrying it.
func (e *Engine) Brief(_ context.Context, sources []news.Source, opt news.BriefOptions) (news.Briefing, error) {
	start := time.Now()
	b := NewExtractor(ExtractOptions{Known: e.gl.Kinds()}).Brief(sources, ExtractOptions{MaxWords: opt.MaxWords, Focus: opt.Focus})
	b.Stats.Engine, b.Stats.Model, b.Stats.Duration = "offline", ExtractModel, time.Since(start)
	return b, nil
}
