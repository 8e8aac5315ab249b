package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/cite"
	"github.com/depeche-news/depeche/pipeline/engine"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
	"github.com/depeche-news/depeche/pipeline/story"
)

// briefSources gathers, in source order, every file of this run that has a
// summary. They are read back from the output folder rather than kept from
// processing, so memory stays flat while files are processed; the reading
// is spread over opt.Workers, since every model slot idles until it ends.
func (r *runner) briefSources(items []*item) []news.Source {
	loaded := make([]news.Source, len(items))
	ok := make([]bool, len(items))
	next := make(chan int)
	var wg sync.WaitGroup
	for range r.opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				s, err := loadSource(r.opt.Out, items[i].stem)
				// skipped files without a summary (empty, nothing left) have none
				loaded[i], ok[i] = s, err == nil
			}
		}()
	}
	for i, it := range items {
		if it.stem != "" && (it.rec.Status == StatusOK || it.rec.Status == StatusCached || it.rec.Status == StatusSkipped) {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	var srcs []news.Source
	for i := range items {
		if ok[i] {
			srcs = append(srcs, loaded[i])
		}
	}
	return srcs
}

// loadSource reads one article's summary record and translation from an
// output folder.
func loadSource(out, stem string) (news.Source, error) {
	var rec SummaryRecord
	if err := readJSON(filepath.Join(out, dirSummaries, stem+".json"), &rec); err != nil {
		return news.Source{}, err
	}
	t, err := readTranslation(filepath.Join(out, dirTranslations, stem+".md"))
	if err != nil {
		return news.Source{}, err
	}
	meta := rec.Meta
	if meta.Title == "" {
		meta.Title = rec.Title
	}
	// Title is the translation's own, "" when the page had none: it is
	// the sentence p0.s1 that citations may rest on, and
	// briefing.SourceTitle names an untitled article by its headline.
	return news.Source{Stem: stem, File: filepath.Base(rec.Source), Title: rec.Title, Meta: meta,
		Summary: rec.Summary, Text: strings.Join(t.Paragraphs, "\n\n")}, nil
}

// briefOnly is `depeche brief [out…]`: merge the summaries already written in
// one or more output folders (the shards of a distributed run) into one
// briefing in opt.Out.
func (r *runner) briefOnly(ctx context.Context) (*Result, error) {
	dirs := r.opt.BriefDirs
	if len(dirs) == 0 {
		dirs = []string{r.opt.Out}
	}
	var srcs []news.Source
	seen := map[string]string{}
	for _, d := range dirs {
		paths, err := listFiles(filepath.Join(d, dirSummaries), ".json")
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("brief: %s has no summaries/ folder: run `depeche summarize` there first", d)
			}
			return nil, fmt.Errorf("brief: %w", err)
		}
		for _, p := range paths {
			stem := strings.TrimSuffix(filepath.Base(p), ".json")
			s, err := loadSource(d, stem)
			if err != nil {
				r.manifest.Files = append(r.manifest.Files, &FileRecord{Source: p, Stem: stem, Status: StatusFailed, Stage: news.StageBrief, Reason: err.Error()})
				continue
			}
			if prev, dup := seen[stem]; dup {
				r.manifest.Files = append(r.manifest.Files, &FileRecord{Source: p, Stem: stem, Status: StatusSkipped, Stage: news.StageBrief, Reason: "same article already merged from " + prev})
				continue
			}
			seen[stem] = d
			srcs = append(srcs, s)
			r.manifest.Files = append(r.manifest.Files, &FileRecord{Source: s.File, Stem: stem, Status: StatusOK})
		}
	}
	if r.opt.DryRun {
		return &Result{Manifest: r.manifest, DryRun: &DryRunReport{Files: len(srcs), Requests: 1, Tokens: 250*len(srcs) + 1500}}, nil
	}
	err := r.brief(ctx, srcs)
	return r.finish(ctx, err)
}

// brief merges the sources into output/briefing.md and briefing.json. Both
// engines' briefings go through the same grouping before and the same
// citation check after, so neither is trusted to cite correctly.
func (r *runner) brief(ctx context.Context, srcs []news.Source) error {
	rec := &BriefRecord{Status: StatusOK, Sources: len(srcs)}
	defer func() { _ = r.manifest.update(true, func() { r.manifest.Briefing = rec }) }()
	if len(srcs) == 0 {
		rec.Status, rec.Reason = StatusSkipped, "no article reached the summary stage"
		return nil
	}
	groups := numberAndGroup(srcs)
	b, err := r.merge(ctx, srcs, rec)
	if err != nil {
		return err
	}
	b.Sources = srcs
	b.Groups = nil
	for _, g := range groups {
		if len(g) > 1 {
			b.Groups = append(b.Groups, g)
		}
	}
	if err := cite.Check(ctx, &b, srcs, r.opt.Check); err != nil {
		return r.briefFailed(ctx, rec, err)
	}
	history := r.markNew(&b)
	rec.Groups, rec.Citations, rec.Stats = b.Groups, b.Citations, statsOf(b.Stats)
	rec.Provenance = briefing.Traces(&b)
	if err := store.WriteFile(filepath.Join(r.opt.Out, fileBriefingMD), []byte(briefing.Markdown(b)), 0o644); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(r.opt.Out, fileBriefingJS), b); err != nil {
		return err
	}
	if r.opt.HTML {
		if err := r.writeBriefingHTML(b, srcs); err != nil {
			return err
		}
	}
	return r.manifest.update(true, func() { r.manifest.Briefed = history })
}

// markNew marks what the earlier briefings of the output folder did not
// hold: the articles, and the claims only they support. It returns the
// history once this briefing is written. The marks come after the merge,
// so that they are not part of what the briefing's cache key hashes.
func (r *runner) markNew(b *briefing.Briefing) *BriefHistory {
	prev := r.manifest.Briefed
	stems := make([]string, len(b.Sources))
	for i := range b.Sources {
		stems[i] = b.Sources[i].Stem
		b.Sources[i].New = prev != nil && !prev.covers(b.Sources[i].Stem)
	}
	if prev != nil {
		briefing.MarkNew(b, prev.Last)
	}
	return prev.after(r.opt.Now().UTC(), stems)
}

// numberAndGroup numbers the sources from 1, in order, marks the members
// of each group of near-duplicates with the group's number, and each
// source with its story's (pipeline/story; the copies of a group are in
// one story).
func numberAndGroup(srcs []news.Source) [][]int {
	for i := range srcs {
		srcs[i].N = i + 1
	}
	groups := cite.Group(srcs)
	for gi, g := range groups {
		if len(g) < 2 {
			continue
		}
		for _, n := range g {
			srcs[n-1].Group = gi + 1
		}
	}
	for si, st := range story.Group(srcs, story.Options{}) {
		for _, n := range st {
			srcs[n-1].Story = si + 1
		}
	}
	return groups
}

// merge returns the engine's briefing of the sources, from the file-level
// cache when nothing it depends on changed. A failure is recorded in rec.
func (r *runner) merge(ctx context.Context, srcs []news.Source, rec *BriefRecord) (briefing.Briefing, error) {
	key := briefKey(r.opt.Engine.Identity(news.StageBrief), r.opt.Brief, srcs)
	var b briefing.Briefing
	if r.cache.Get(key, &b) {
		b.Stats = cachedStats(b.Stats)
		return b, nil
	}
	start := time.Now()
	// The briefing's own progress: a spinner that counts its requests and
	// says when they wait on the server; a line before and after otherwise.
	label := fmt.Sprintf("brief: merging %d articles (%s engine)", len(srcs), r.opt.Engine.Name())
	bp := newProgress(r.opt.Stderr, r.opt.TTY, -1, label, r.opt.Meter, "brief")
	spinner := bp.bar != nil
	if !spinner {
		bp.note("%s…", label)
	}
	b, err := r.opt.Engine.Brief(ctx, srcs, r.opt.Brief)
	bp.finish()
	if !spinner && err == nil {
		bp.note("brief: merged in %s", roundDuration(time.Since(start)))
	}
	if err != nil {
		return b, r.briefFailed(ctx, rec, err)
	}
	if b.Stats.Duration == 0 {
		b.Stats.Duration = time.Since(start)
	}
	if err := r.cache.Put(key, b); err != nil {
		r.opt.Log.Warn("cache", "err", err)
	}
	return b, nil
}

// briefFailed records why the briefing was not made: a deferral to a later
// batch pass or a spent budget stops here without failing; anything else
// fails the merge, while the per-file outputs stay written.
func (r *runner) briefFailed(ctx context.Context, rec *BriefRecord, err error) error {
	rec.Status, rec.Reason = StatusFailed, err.Error()
	switch {
	case errors.Is(err, engine.ErrDeferred):
		// Waiting for a later pass, not failed.
		rec.Status, rec.Reason = StatusPending, reasonBatch
		return err
	case errors.Is(err, engine.ErrBudget):
		r.stopForBudget()
		return err
	case ctx.Err() != nil:
		return err
	}
	return fmt.Errorf("%w: %s", ErrBriefFailed, strings.TrimPrefix(err.Error(), "brief: "))
}

// briefKey names everything the briefing depends on: the engine, the
// options, and each source with its summary and text. Each source is hashed
// on its own so that the key never holds the whole batch's JSON in memory
// at once (tens of MB at a few thousand articles).
func briefKey(identity string, opt engine.BriefOptions, srcs []news.Source) string {
	parts := make([]string, len(srcs))
	for i, s := range srcs {
		sum := s.Summary
		sum.Stats = news.Stats{} // how a summary was obtained is not what it says
		parts[i] = store.Key(s, sum, s.Text)
	}
	return store.Key("file-brief", identity, opt, parts)
}
