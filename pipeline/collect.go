package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/depeche-news/depeche/pipeline/clean"
	"github.com/depeche-news/depeche/pipeline/ingest"
	"github.com/depeche-news/depeche/pipeline/news"
)

// itemKind says what a run's input file is, and so where its way through
// the stages starts.
type itemKind int

const (
	kindSource      itemKind = iota + 1 // a scraped page: read, clean, translate...
	kindClean                           // output/clean/<stem>.txt: translate, summarize
	kindTranslation                     // output/translations/<stem>.md: summarize
)

// item is one file on its way through the stages.
type item struct {
	kind itemKind
	path string
	rel  string
	stem string
	rec  *FileRecord
	// explain is the removal report for --explain, printed in source order
	// once every file is done.
	explain string
}

// collect finds the files this run works on: sources from opt.Inputs, or,
// for a stage rerun alone, the previous stage's files in opt.Out.
func (r *runner) collect(ctx context.Context) ([]*item, error) {
	if r.opt.FromOutput {
		return r.collectOutputs()
	}
	abs, _ := filepath.Abs(r.opt.Out)
	found, err := ingest.Discover(ctx, r.opt.Inputs, ingest.Options{Exclude: []string{abs}, FollowSymlinks: r.opt.FollowSymlinks})
	if err != nil {
		return nil, err
	}
	for _, n := range found.Notes {
		r.manifest.Notes = append(r.manifest.Notes, n)
		if r.opt.Stderr != nil {
			fmt.Fprintf(r.opt.Stderr, "depeche: %s\n", news.Printable(n))
		}
	}
	var items []*item
	taken := map[string]bool{}
	for _, f := range found.Files {
		if !r.opt.Shard.Has(f.Rel) {
			continue
		}
		// Compared without case: on a case-insensitive filesystem (macOS,
		// Windows shares) "Été" and "été" would write one file.
		stem := ingest.Stem(f.Rel)
		for n := 2; taken[strings.ToLower(stem)]; n++ {
			stem = fmt.Sprintf("%s-%d", ingest.Stem(f.Rel), n)
		}
		taken[strings.ToLower(stem)] = true
		items = append(items, &item{kind: kindSource, path: f.Path, rel: f.Rel, stem: stem,
			rec: &FileRecord{Source: f.Path, Stem: stem, Status: StatusPending}})
	}
	for _, p := range found.Problems {
		if !r.opt.Shard.Has(p.Path) {
			continue
		}
		items = append(items, &item{kind: kindSource, path: p.Path,
			rec: &FileRecord{Source: p.Path, Status: StatusFailed, Stage: news.StageDiscover, Reason: p.Err.Error()}})
	}
	for _, s := range found.Skipped {
		if !r.opt.Shard.Has(s.Path) {
			continue
		}
		items = append(items, &item{kind: kindSource, path: s.Path,
			rec: &FileRecord{Source: s.Path, Status: StatusSkipped, Stage: news.StageDiscover, Reason: s.Reason}})
	}
	if len(items) == 0 {
		msg := fmt.Sprintf("no .txt, .md or .html files found in %s", strings.Join(r.opt.Inputs, ", "))
		if len(found.Notes) > 0 {
			msg += " (" + strings.Join(found.Notes, "; ") + ")"
		}
		return nil, errors.New(msg)
	}
	r.manifest.Files = make([]*FileRecord, len(items))
	for i, it := range items {
		r.manifest.Files[i] = it.rec
	}
	return items, nil
}

func (r *runner) collectOutputs() ([]*item, error) {
	dir, ext, kind := filepath.Join(r.opt.Out, dirClean), ".txt", kindClean
	if r.opt.Through == news.StageSummarize || r.opt.Through == news.StageBrief {
		dir, ext, kind = filepath.Join(r.opt.Out, dirTranslations), ".md", kindTranslation
	}
	paths, err := listFiles(dir, ext)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s does not exist: run the earlier stage first, or name the source files", dir)
		}
		return nil, err
	}
	var items []*item
	for _, p := range paths {
		stem := strings.TrimSuffix(filepath.Base(p), ext)
		if !r.opt.Shard.Has(stem) {
			continue
		}
		items = append(items, &item{kind: kind, path: p, rel: stem, stem: stem,
			rec: &FileRecord{Source: p, Stem: stem, Status: StatusPending}})
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("no %s files in %s", ext, dir)
	}
	r.manifest.Files = make([]*FileRecord, len(items))
	for i, it := range items {
		r.manifest.Files[i] = it.rec
	}
	return items, nil
}

// prepareClean builds the cleaner, after one cheap pass over the batch that
// learns the lines repeated across many files (site chrome). The pass keeps
// only line hashes, so memory stays flat however many files there are.
func (r *runner) prepareClean(ctx context.Context, items []*item) error {
	if r.opt.FromOutput {
		return nil
	}
	chrome := clean.NewChrome()
	for _, it := range items {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if it.kind != kindSource || it.rec.Status != StatusPending {
			continue
		}
		// ReadLines skips HTML main-content extraction: site chrome is
		// exactly what lies outside the article, and it is ten times cheaper.
		text, err := ingest.ReadLines(it.path, r.opt.MaxFileSize)
		if err != nil {
			continue // reported when the file itself is processed
		}
		chrome.Add(text)
	}
	c, err := clean.New(r.opt.Clean, chrome)
	if err != nil {
		return err
	}
	r.cleaner = c
	return nil
}

// sourcePath is what the manifest and outputs call a source: relative to the
// working directory when it is below it.
func sourcePath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}
