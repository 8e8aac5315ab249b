package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/depeche-news/depeche/pipeline/engine"
	"github.com/depeche-news/depeche/pipeline/ingest"
	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
)

// outcome of one file; set on its record under the manifest lock.
type outcome struct {
	status    Status
	stage     news.Stage
	reason    string
	cachedAll bool
}

// processOne takes one file as far as opt.Through and records what happened.
// Errors stay with the file: the batch goes on.
func (r *runner) processOne(ctx context.Context, it *item) {
	rec := it.rec
	var outputs []string
	stages := map[news.Stage]*news.Stats{}
	out := r.runFile(ctx, it, stages, &outputs)
	if out.status == "" {
		out.status = StatusOK
		if out.cachedAll {
			out.status = StatusCached
		}
	}
	if ctx.Err() != nil && out.status == StatusFailed {
		// Interrupted mid-file: nothing half-done was written, and whatever
		// chunks were accepted are cached; the file is simply not done yet.
		out = outcome{status: StatusPending, stage: out.stage, reason: "interrupted"}
	}
	tokens := 0
	for _, s := range stages {
		tokens += s.Usage.PromptTokens + s.Usage.CompletionTokens
	}
	_ = r.manifest.update(false, func() {
		rec.Status, rec.Stage, rec.Reason = out.status, out.stage, out.reason
		if len(stages) > 0 {
			rec.Stages = stages
		}
		rec.Outputs = outputs
	})
	if rec.Status != StatusPending {
		r.prog.fileDone(rec, tokens)
	}
}

// statsOf copies a result's stats for the manifest. A pointer into the
// result (&t.Stats) would keep the whole translation alive until the run
// ends, and through its Meta the source text it was cut from: memory would
// grow with every file.
func statsOf(s news.Stats) *news.Stats { return &s }

func failed(stage news.Stage, err error) outcome {
	return outcome{status: StatusFailed, stage: stage, reason: err.Error()}
}

// runFile takes one file through its stages: its article (read and
// cleaned, or read back from a previous stage's output), its translation,
// its summary. A stage that ends the file's way returns its outcome.
func (r *runner) runFile(ctx context.Context, it *item, stages map[news.Stage]*news.Stats, outputs *[]string) outcome {
	var a news.Article
	var t news.Translation
	var stop *outcome
	at := r.prog.track() // the stage it is at, for the progress bar
	defer at.done()
	at.move(news.StageClean)
	switch it.kind {
	case kindSource:
		a, stop = r.cleanSource(it, stages, outputs)
	case kindClean:
		a, stop = r.readCleaned(it)
	case kindTranslation:
		t, stop = r.readTranslated(it)
	}
	if stop != nil {
		return *stop
	}
	if r.opt.Through == news.StageClean {
		return outcome{}
	}
	cachedAll := true
	if it.kind != kindTranslation {
		at.move(news.StageTranslate)
		if t, cachedAll, stop = r.translateFile(ctx, a, stages, outputs); stop != nil {
			return *stop
		}
	}
	if r.opt.Through == news.StageTranslate {
		return outcome{cachedAll: cachedAll}
	}
	at.move(news.StageSummarize)
	hit, err := r.summarizeOne(ctx, t, stages, outputs)
	if err != nil {
		return r.modelFailure(news.StageSummarize, err)
	}
	return outcome{cachedAll: cachedAll && hit}
}

// stopAt ends a file's way with an outcome.
func stopAt(o outcome) *outcome { return &o }

// cleanSource reads a source file, cleans it and writes
// output/clean/<stem>.txt and its removal report.
func (r *runner) cleanSource(it *item, stages map[news.Stage]*news.Stats, outputs *[]string) (news.Article, *outcome) {
	rec := it.rec
	start := time.Now()
	d, err := ingest.Read(it.path, r.opt.MaxFileSize)
	if err != nil {
		if errors.Is(err, ingest.ErrEmpty) {
			return news.Article{}, stopAt(outcome{status: StatusSkipped, stage: news.StageRead, reason: err.Error()})
		}
		return news.Article{}, stopAt(failed(news.StageRead, err))
	}
	res := r.cleaner.Clean(d.Text, d.Format, d.Meta)
	a := news.Article{Stem: it.stem, Source: sourcePath(it.path), SHA256: d.SHA256, Title: res.Title,
		Paragraphs: res.Paragraphs, Lang: res.Lang, Meta: res.Meta}
	rep := CleanReport{Source: a.Source, SHA256: d.SHA256, Encoding: d.Encoding, Format: d.Format,
		Lang: res.Lang, Title: res.Title, Meta: res.Meta, Paragraphs: len(res.Paragraphs), Removed: res.Removed,
		Sections: res.Sections, Warnings: d.Warnings}
	files, err := writeClean(r.opt.Out, a, rep)
	if err != nil {
		return a, stopAt(failed(news.StageClean, err))
	}
	*outputs = append(*outputs, files...)
	_ = r.manifest.update(false, func() {
		rec.Source, rec.SHA256, rec.Encoding, rec.Format, rec.Lang, rec.Removed = a.Source, d.SHA256, d.Encoding, d.Format, res.Lang, len(res.Removed)
	})
	st := &news.Stats{Engine: news.EngineRules, Duration: time.Since(start)}
	for _, w := range d.Warnings {
		st.Warnings = append(st.Warnings, news.Warning{Code: news.WarnMixedEncoding, Message: w})
		r.prog.note("warning %s: %s", a.Source, w)
	}
	stages[news.StageClean] = st
	if r.opt.Explain {
		it.explain = fmt.Sprintf("== %s (%d lines removed)\n%s\n", news.Printable(a.Source), len(res.Removed), news.PrintableLines(res.Explain()))
	}
	if len(a.Paragraphs) == 0 {
		return a, stopAt(outcome{status: StatusSkipped, stage: news.StageClean, reason: "nothing left after cleaning (every line matched a boilerplate rule; see " + filepath.Join(dirClean, a.Stem+".json") + ")"})
	}
	return a, nil
}

// readCleaned reads back an article `depeche clean` wrote.
func (r *runner) readCleaned(it *item) (news.Article, *outcome) {
	a, err := readClean(it.path)
	if err != nil {
		return a, stopAt(failed(news.StageTranslate, err))
	}
	_ = r.manifest.update(false, func() { it.rec.Source, it.rec.SHA256, it.rec.Lang = a.Source, a.SHA256, a.Lang })
	return a, nil
}

// readTranslated reads back a translation `depeche translate` wrote.
func (r *runner) readTranslated(it *item) (news.Translation, *outcome) {
	t, err := readTranslation(it.path)
	if err != nil {
		return t, stopAt(failed(news.StageSummarize, err))
	}
	_ = r.manifest.update(false, func() { it.rec.Source, it.rec.SHA256 = t.Source, t.SHA256 })
	return t, nil
}

// translateFile translates the article (or takes it from the cache) and
// writes output/translations/<stem>.md; hit says it came from the cache. An
// English article ends its way here, passed through (and summarized).
func (r *runner) translateFile(ctx context.Context, a news.Article, stages map[news.Stage]*news.Stats, outputs *[]string) (t news.Translation, hit bool, stop *outcome) {
	t, hit, err := r.translate(ctx, a)
	if err != nil {
		if t.Stats.Requests > 0 {
			// a failed file's tokens were still paid for: the totals say so
			stages[news.StageTranslate] = statsOf(t.Stats)
		}
		return t, false, stopAt(r.modelFailure(news.StageTranslate, err))
	}
	stages[news.StageTranslate] = statsOf(t.Stats)
	files, err := writeTranslation(r.opt.Out, t, r.opt.Now())
	if err != nil {
		return t, false, stopAt(failed(news.StageTranslate, err))
	}
	*outputs = append(*outputs, files...)
	if t.Passthrough {
		return t, false, stopAt(outcome{status: StatusSkipped, stage: news.StageTranslate,
			reason: "source is already English: passed through untranslated" + r.summarizeAfterPassthrough(ctx, t, stages, outputs)})
	}
	return t, hit, nil
}

// summarizeAfterPassthrough still summarizes an English article so the
// briefing covers it; its outcome stays "skipped" (not translated).
func (r *runner) summarizeAfterPassthrough(ctx context.Context, t news.Translation, stages map[news.Stage]*news.Stats, outputs *[]string) string {
	if r.opt.Through.Order() < news.StageSummarize.Order() {
		return ""
	}
	if _, err := r.summarizeOne(ctx, t, stages, outputs); err != nil {
		return "; summary failed: " + err.Error()
	}
	return "; summarized"
}

func (r *runner) modelFailure(stage news.Stage, err error) outcome {
	if errors.Is(err, engine.ErrDeferred) {
		return outcome{status: StatusPending, stage: stage, reason: reasonBatch}
	}
	if errors.Is(err, engine.ErrBudget) {
		r.stopForBudget()
		return outcome{status: StatusPending, stage: stage, reason: "token budget reached"}
	}
	return failed(stage, err)
}

// translate returns the file's translation, from the file-level cache when
// nothing it depends on changed. English sources are passed through.
func (r *runner) translate(ctx context.Context, a news.Article) (news.Translation, bool, error) {
	if a.Lang == lang.English {
		return news.Translation{Stem: a.Stem, Source: a.Source, SHA256: a.SHA256, Title: a.Title,
			Paragraphs: a.Paragraphs, Meta: a.Meta, Passthrough: true,
			Stats: news.Stats{Engine: r.opt.Engine.Name(), Model: "none (source already English)",
				Warnings: []news.Warning{{Code: news.WarnEnglishSource, Message: "source detected as English; not sent for translation"}}}}, false, nil
	}
	key := store.Key("file-translate", r.opt.Engine.Identity(news.StageTranslate), a.Title, a.Paragraphs)
	var t news.Translation
	if r.cache.Get(key, &t) {
		t.Stem, t.Source, t.SHA256, t.Meta = a.Stem, a.Source, a.SHA256, a.Meta
		t.Stats = cachedStats(t.Stats)
		return t, true, nil
	}
	start := time.Now()
	t, err := r.opt.Engine.Translate(ctx, a)
	if err != nil {
		if strings.HasPrefix(err.Error(), "translate "+a.Stem+":") {
			return t, false, err // already names the file and the step
		}
		return t, false, fmt.Errorf("translate %s: %w", a.Stem, err)
	}
	t.Stem, t.Source, t.SHA256, t.Meta = a.Stem, a.Source, a.SHA256, a.Meta
	if t.Stats.Duration == 0 {
		t.Stats.Duration = time.Since(start)
	}
	if err := r.cache.Put(key, t); err != nil {
		r.opt.Log.Warn("cache", "err", err)
	}
	return t, false, nil
}

// cachedStats describes a result taken from the cache: no request, no tokens
// spent now; what it says of the output (warnings, words left in French)
// still holds.
func cachedStats(s news.Stats) news.Stats {
	n := s.Requests + s.Cached
	if n == 0 {
		n = 1
	}
	return news.Stats{Engine: s.Engine, Model: s.Model, Prompt: s.Prompt, Chunks: s.Chunks, Cached: n, Warnings: s.Warnings,
		Words: s.Words, Untranslated: s.Untranslated}
}

func (r *runner) summarizeOne(ctx context.Context, t news.Translation, stages map[news.Stage]*news.Stats, outputs *[]string) (bool, error) {
	key := store.Key("file-summarize", r.opt.Engine.Identity(news.StageSummarize), t.Title, t.Paragraphs)
	var s news.Summary
	hit := r.cache.Get(key, &s)
	if hit {
		s.Stats = cachedStats(s.Stats)
	} else {
		start := time.Now()
		var err error
		if s, err = r.opt.Engine.Summarize(ctx, t); err != nil {
			return false, fmt.Errorf("summarize %s: %w", t.Stem, err)
		}
		if s.Stats.Duration == 0 {
			s.Stats.Duration = time.Since(start)
		}
		if err := r.cache.Put(key, s); err != nil {
			r.opt.Log.Warn("cache", "err", err)
		}
	}
	s.Stem = t.Stem
	stages[news.StageSummarize] = statsOf(s.Stats)
	md := filepath.Join(r.opt.Out, dirSummaries, t.Stem+".md")
	js := filepath.Join(r.opt.Out, dirSummaries, t.Stem+".json")
	if err := writeOutput(md, []byte(summaryMarkdown(s, t))); err != nil {
		return hit, err
	}
	rec := SummaryRecord{Stem: t.Stem, Source: t.Source, Title: t.Title, Meta: t.Meta, Summary: s}
	if err := writeJSON(js, rec); err != nil {
		return hit, err
	}
	*outputs = append(*outputs, md, js)
	return hit, nil
}
