// Package offline is the offline engine: Apertium translation through
// Spanish with protected names and numbers (package apertium), extractive
// summaries and briefing (package extract). It never touches the network.
package offline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/depeche-news/depeche/pipeline/apertium"
	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/config"
	"github.com/depeche-news/depeche/pipeline/engine"
	"github.com/depeche-news/depeche/pipeline/extract"
	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/story"
)

// Config configures the offline engine.
type Config struct {
	Glossary *glossary.Glossary
	Workers  int    // Apertium pipelines; 0 = one per core
	Command  string // "" = apertium
	Phrases  string // the user's extra French expressions (offline.phrases); "" = built-in only
	// Dictionaries are the dictd dictionaries (offline.dictionaries) for the
	// words Apertium does not know. A default one that is missing is done
	// without, and Note says so.
	Dictionaries []string
}

// Engine is the offline engine.
type Engine struct {
	tr      *apertium.Translator
	gl      *glossary.Glossary
	cmd     string
	phrases *apertium.Phrases
	dict    string // the dictionary's path and version, for Identity
	note    string
}

// Model names what produced the offline outputs, for front matter.
const (
	TranslateModel = "apertium fr-es → spa-eng (protected pivot)"
	ExtractModel   = "extractive (centrality + MMR)"
)

var _ engine.Engine = (*Engine)(nil)

// New starts the Apertium pipelines.
func New(cfg Config) (*Engine, error) {
	ph, err := apertium.LoadPhrases(cfg.Phrases)
	if err != nil {
		return nil, fmt.Errorf("offline.phrases: %w", err)
	}
	var dicts []*apertium.Dictionary
	var missing []string
	dictID := "nodict"
	for _, path := range cfg.Dictionaries {
		d, err := apertium.LoadDictionary(path)
		switch {
		case err == nil:
			dicts = append(dicts, d)
			dictID += "+" + d.Version()
		case config.IsDefaultDictionary(path) && errors.Is(err, fs.ErrNotExist):
			missing = append(missing, path)
		default:
			return nil, fmt.Errorf("offline.dictionaries: %w", err)
		}
	}
	var note string
	if len(missing) > 0 {
		note = fmt.Sprintf("no dictionary at %s (scripts/deps.sh installs dict-freedict-fra-eng and dict-freedict-fra-spa): more words Apertium does not know stay in French", strings.Join(missing, ", "))
	}
	tr, err := apertium.NewTranslator(apertium.TranslatorConfig{Workers: cfg.Workers, Glossary: cfg.Glossary, Command: cfg.Command, Phrases: ph, Dictionaries: dicts})
	if err != nil {
		return nil, err
	}
	return &Engine{tr: tr, gl: cfg.Glossary, cmd: cfg.Command, phrases: ph, dict: dictID, note: note}, nil
}

// Note says what the engine runs without ("" when nothing is missing).
func (e *Engine) Note() string {
	return e.note
}

// Name implements Engine.
func (e *Engine) Name() string { return news.EngineOffline }

// Model implements Engine.
func (e *Engine) Model(stage news.Stage) string {
	if stage == news.StageTranslate {
		return TranslateModel
	}
	return ExtractModel
}

// Identity implements Engine: the result depends on the glossary, the
// expressions table, the dictionaries and this code's version of the pivot
// and the extractor (the v number: raise it when the rules change).
func (e *Engine) Identity(stage news.Stage) string {
	return fmt.Sprintf("offline/%s/%s/%s/%s/v4", stage, e.gl.Version(), e.phrases.Version(), e.dict)
}

// Estimate implements Engine: the offline engine costs no tokens.
func (e *Engine) Estimate(news.Article) (int, int) { return 0, 0 }

// Translate implements Engine.
func (e *Engine) Translate(ctx context.Context, a news.Article) (news.Translation, error) {
	start := time.Now()
	title, paras, rep, err := e.tr.Translate(ctx, a.Title, a.Paragraphs)
	if err != nil {
		return news.Translation{}, err
	}
	return news.Translation{
		Stem: a.Stem, Source: a.Source, SHA256: a.SHA256, Title: title, Paragraphs: paras, Meta: a.Meta,
		Stats: news.Stats{Engine: news.EngineOffline, Model: TranslateModel, Chunks: 1, Warnings: rep.Warnings, Duration: time.Since(start),
			Words: rep.Words, Untranslated: rep.Untranslated},
	}, nil
}

// Summarize implements Engine.
func (e *Engine) Summarize(_ context.Context, t news.Translation) (news.Summary, error) {
	s := extract.New(extract.Options{Known: e.gl.Kinds()}).Summarize(t)
	s.Stem = t.Stem
	return s, nil
}

// Close implements Engine.
func (e *Engine) Close() error { return e.tr.Close() }

// Brief implements Engine. The offline briefing is extractive: every
// point is a sentence of the translations, cited to every article carrying it.
// Sources that tell several stories are briefed story by story, with an
// extractive opening over them (story.Compose).
func (e *Engine) Brief(ctx context.Context, sources []news.Source, opt news.BriefOptions) (briefing.Briefing, error) {
	start := time.Now()
	ex := extract.New(extract.Options{Known: e.gl.Kinds()})
	b, err := story.Compose(ctx, sources, opt,
		func(_ context.Context, srcs []news.Source, words int) (briefing.Briefing, error) {
			return ex.Brief(srcs, extract.Options{MaxWords: words, Focus: opt.Focus}), nil
		},
		func(_ context.Context, stories []briefing.Story, _ news.BriefOptions) (string, string, []briefing.Point, news.Stats, error) {
			title, overview, points := extract.Overview(stories, len(sources))
			return title, overview, points, news.Stats{}, nil
		})
	b.Stats.Engine, b.Stats.Model, b.Stats.Duration = news.EngineOffline, ExtractModel, time.Since(start)
	return b, err
}
