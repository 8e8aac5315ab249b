package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/depeche-news/depeche/pipeline/apertium"
	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/extract"
	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/news"
)

// OfflineConfig configures the offline engine.
type OfflineConfig struct {
	Glossary *glossary.Glossary
	Workers  int    // Apertium pipelines; 0 = one per core
	Command  string // "" = apertium
}

// Offline is the offline engine: Apertium translation through Spanish with
// protected names and numbers (package apertium), extractive summaries and
// briefing (package extract). It never touches the network.
type Offline struct {
	tr  *apertium.Translator
	gl  *glossary.Glossary
	cmd string
}

// Model names what produced the offline outputs, for front matter.
const (
	OfflineTranslateModel = "apertium fr-es → spa-eng (protected pivot)"
	OfflineExtractModel   = "extractive (centrality + MMR)"
)

// NewOffline starts the Apertium pipelines.
func NewOffline(cfg OfflineConfig) (*Offline, error) {
	tr, err := apertium.NewTranslator(apertium.TranslatorConfig{Workers: cfg.Workers, Glossary: cfg.Glossary, Command: cfg.Command})
	if err != nil {
		return nil, err
	}
	return &Offline{tr: tr, gl: cfg.Glossary, cmd: cfg.Command}, nil
}

// Name implements Engine.
func (e *Offline) Name() string { return "offline" }

// Model implements Engine.
func (e *Offline) Model(stage string) string {
	if stage == "translate" {
		return OfflineTranslateModel
	}
	return OfflineExtractModel
}

// Identity implements Engine: the result depends on the glossary and
// this code's version of the pivot and the extractor.
func (e *Offline) Identity(stage string) string {
	return fmt.Sprintf("offline/%s/%s/v1", stage, e.gl.Version())
}

// Estimate implements Engine: the offline engine costs no tokens.
func (e *Offline) Estimate(news.Article) (int, int) { return 0, 0 }

// Translate implements Engine.
func (e *Offline) Translate(ctx context.Context, a news.Article) (news.Translation, error) {
	start := time.Now()
	title, paras, warns, err := e.tr.Translate(ctx, a.Title, a.Paragraphs)
	if err != nil {
		return news.Translation{}, err
	}
	return news.Translation{
		Stem: a.Stem, Source: a.Source, SHA256: a.SHA256, Title: title, Paragraphs: paras, Meta: a.Meta,
		Stats: news.Stats{Engine: "offline", Model: OfflineTranslateModel, Chunks: 1, Warnings: warns, Duration: time.Since(start)},
	}, nil
}

// Summarize implements Engine.
func (e *Offline) Summarize(_ context.Context, t news.Translation) (news.Summary, error) {
	s := extract.New(extract.Options{Known: e.gl.Kinds()}).Summarize(t)
	s.Stem = t.Stem
	return s, nil
}

// Close implements Engine.
func (e *Offline) Close() error { return e.tr.Close() }

// Brief implements Engine. The offline briefing is extractive: every
// point is a sentence of the translations, cited to every article carrying it.
func (e *Offline) Brief(_ context.Context, sources []news.Source, opt news.BriefOptions) (briefing.Briefing, error) {
	start := time.Now()
	b := extract.New(extract.Options{Known: e.gl.Kinds()}).Brief(sources, extract.Options{MaxWords: opt.MaxWords, Focus: opt.Focus})
	b.Stats.Engine, b.Stats.Model, b.Stats.Duration = "offline", OfflineExtractModel, time.Since(start)
	return b, nil
}
