package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/engine"
	"github.com/depeche-news/depeche/pipeline/news"
)

// The fixture folder testdata/articles: two French articles, one English,
// one empty file and a French one in a subfolder.
const (
	stemMarche  = "001_marche"
	stemGreve   = "002_greve"
	stemEnglish = "003_english"
	stemEmpty   = "004_vide"
	stemMusee   = "sub_005_musee"
)

var frenchStems = []string{stemMarche, stemGreve, stemMusee}

// options is a whole run over the fixtures into a fresh folder.
func options(t *testing.T, e engine.Engine) Options {
	t.Helper()
	return Options{Command: "run", Inputs: []string{filepath.Join("testdata", "articles")}, Out: t.TempDir(),
		Through: news.StageBrief, Engine: e, Workers: 3, MaxFileSize: 1 << 20, Tool: "depeche test"}
}

func records(m *Manifest) map[string]*FileRecord {
	out := map[string]*FileRecord{}
	for _, f := range m.Files {
		out[f.Stem] = f
	}
	return out
}

// onDisk reads the manifest the run left in out.
func onDisk(t *testing.T, out string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRunOutcomes(t *testing.T) {
	e := &fakeEngine{
		failTranslate: map[string]error{stemGreve: errors.New("the model refused")},
	}
	opt := options(t, e)
	res, err := Run(context.Background(), opt)
	if !errors.Is(err, ErrFilesFailed) {
		t.Fatalf("err = %v, want ErrFilesFailed (one file failed, the batch went on)", err)
	}
	m := res.Manifest
	type want struct {
		status Status
		stage  news.Stage
		reason string // a part of it
	}
	for stem, w := range map[string]want{
		stemMarche:  {StatusOK, "", ""},
		stemMusee:   {StatusOK, "", ""},
		stemGreve:   {StatusFailed, news.StageTranslate, "translate 002_greve: the model refused"},
		stemEnglish: {StatusSkipped, news.StageTranslate, "already English: passed through untranslated; summarized"},
		stemEmpty:   {StatusSkipped, news.StageRead, "empty"},
	} {
		f := records(m)[stem]
		if f == nil {
			t.Errorf("%s: not in the manifest", stem)
			continue
		}
		if f.Status != w.status || f.Stage != w.stage || !strings.Contains(f.Reason, w.reason) {
			t.Errorf("%s: %s at %q (%s), want %s at %q (%q)", stem, f.Status, f.Stage, f.Reason, w.status, w.stage, w.reason)
		}
	}
	if tot := m.Totals; tot.Files != 5 || tot.OK != 2 || tot.Failed != 1 || tot.Skipped != 2 || tot.Pending != 0 {
		t.Errorf("totals = %+v", tot)
	}
	// A failed file's paid request still counts: 2 translations and 1
	// failed, 3 summaries (the English article's too), 1 briefing.
	if got := m.Totals.Requests; got != 7 {
		t.Errorf("requests = %d, want 7", got)
	}
	if m.Status != RunComplete || m.Engine != "fake" || m.Models[news.StageSummarize] != "fake-summarize" {
		t.Errorf("status %s, engine %q, models %v", m.Status, m.Engine, m.Models)
	}

	// Outputs: the contract's files, for what got that far.
	for _, rel := range []string{
		"clean/001_marche.txt", "clean/001_marche.json", "translations/001_marche.md",
		"summaries/001_marche.md", "summaries/001_marche.json", "translations/003_english.md",
		"summaries/003_english.json", "clean/002_greve.txt", "briefing.md", "briefing.json", "manifest.json",
	} {
		if _, err := os.Stat(filepath.Join(opt.Out, rel)); err != nil {
			t.Errorf("missing output %s", rel)
		}
	}
	for _, rel := range []string{"translations/002_greve.md", "summaries/002_greve.md", "clean/004_vide.txt"} {
		if _, err := os.Stat(filepath.Join(opt.Out, rel)); err == nil {
			t.Errorf("%s written for a file that did not get there", rel)
		}
	}
	tr, err := readTranslation(filepath.Join(opt.Out, "translations", stemMarche+".md"))
	if err != nil || !strings.HasPrefix(tr.Paragraphs[0], "EN Le marché couvert") {
		t.Errorf("translation as written: %+v, %v", tr.Paragraphs, err)
	}

	// The manifest on disk is the one returned.
	disk := onDisk(t, opt.Out)
	if disk["status"] != "complete" || len(disk["files"].([]any)) != 5 {
		t.Errorf("manifest on disk: status %v, %d files", disk["status"], len(disk["files"].([]any)))
	}
}

// Files are recorded, and briefed, in source order whatever order the
// workers finished them in; each source is numbered from 1.
func TestRunOrdering(t *testing.T) {
	e := &fakeEngine{}
	res, err := Run(context.Background(), options(t, e))
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	for _, f := range res.Manifest.Files {
		sources = append(sources, f.Source)
	}
	if !slices.IsSorted(sources) {
		t.Errorf("manifest files not in source order: %v", sources)
	}
	var stems []string
	for i, s := range e.briefed {
		stems = append(stems, s.Stem)
		if s.N != i+1 {
			t.Errorf("source %s numbered %d, want %d", s.Stem, s.N, i+1)
		}
	}
	if want := []string{stemMarche, stemGreve, stemEnglish, stemMusee}; !reflect.DeepEqual(stems, want) {
		t.Errorf("briefed %v, want %v (the empty file has no summary)", stems, want)
	}
	b := res.Manifest.Briefing
	if b == nil || b.Status != StatusOK || b.Sources != 4 {
		t.Fatalf("briefing record = %+v", b)
	}
	md, err := os.ReadFile(filepath.Join(filepath.Dir(res.Manifest.path), "briefing.md"))
	if err != nil || !strings.Contains(string(md), "# Fake briefing") {
		t.Errorf("briefing.md: %v\n%s", err, md)
	}
}

func TestRunCacheHits(t *testing.T) {
	e := &fakeEngine{identity: "v1"}
	opt := options(t, e)
	if _, err := Run(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	first := len(e.calls)

	// The same run again: every stage comes from the file-level cache.
	res, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.calls) != first {
		t.Errorf("warm rerun called the engine: %v", e.calls[first:])
	}
	for _, stem := range frenchStems {
		f := records(res.Manifest)[stem]
		if f.Status != StatusCached {
			t.Errorf("%s: %s on a warm rerun, want cached", stem, f.Status)
		}
		if s := f.Stages[news.StageTranslate]; s == nil || s.Requests != 0 || s.Cached == 0 {
			t.Errorf("%s: translate stats %+v, want a cache hit and no request", stem, s)
		}
	}
	if tot := res.Manifest.Totals; tot.Requests != 0 || tot.CacheHits == 0 {
		t.Errorf("warm totals: %d requests, %d cache hits", tot.Requests, tot.CacheHits)
	}

	// What the results depend on changed: the stages run again.
	e.identity = "v2"
	if _, err := Run(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	if n := e.count("translate "); n != 2*len(frenchStems) {
		t.Errorf("%d translations after the identity changed, want %d", n, 2*len(frenchStems))
	}

	// --force ignores the cache.
	opt.Force = true
	if _, err := Run(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	if n := e.count("translate "); n != 3*len(frenchStems) {
		t.Errorf("%d translations after --force, want %d", n, 3*len(frenchStems))
	}
	if n := e.count("brief"); n != 3 {
		t.Errorf("%d briefings over 4 runs, want 3 (the warm rerun took it from the cache)", n)
	}
}

// Shards partition the files: every file in exactly one, and `depeche
// brief` over the shards' folders briefs them all.
func TestRunShards(t *testing.T) {
	const n = 3
	seen := map[string]int{}
	var outs []string
	for i := range n {
		e := &fakeEngine{}
		opt := options(t, e)
		opt.Shard = Shard{Index: i, Count: n}
		res, err := Run(context.Background(), opt)
		if err != nil && !strings.Contains(err.Error(), "no .txt, .md or .html files") {
			t.Fatalf("shard %d: %v", i, err)
		}
		if res == nil {
			continue // a shard can be empty
		}
		if res.Manifest.Shard != opt.Shard.String() {
			t.Errorf("shard %d recorded as %q", i, res.Manifest.Shard)
		}
		for _, f := range res.Manifest.Files {
			seen[f.Stem]++
		}
		outs = append(outs, opt.Out)
	}
	for _, stem := range []string{stemMarche, stemGreve, stemEnglish, stemEmpty, stemMusee} {
		if seen[stem] != 1 {
			t.Errorf("%s in %d shards, want 1", stem, seen[stem])
		}
	}

	e := &fakeEngine{}
	opt := Options{Command: "brief", Out: t.TempDir(), Through: news.StageBrief, Engine: e, BriefDirs: append(outs, outs[0]),
		Workers: 2, Tool: "depeche test"}
	res, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.briefed) != 4 {
		t.Errorf("merged briefing over %d sources, want 4", len(e.briefed))
	}
	dups := 0
	for _, f := range res.Manifest.Files {
		if f.Status == StatusSkipped && strings.Contains(f.Reason, "already merged") {
			dups++
		}
	}
	twice, _ := filepath.Glob(filepath.Join(outs[0], "summaries", "*.json"))
	if dups != len(twice) {
		t.Errorf("%d duplicates skipped from the folder named twice, want %d", dups, len(twice))
	}
}

func TestRunBudget(t *testing.T) {
	e := &fakeEngine{failTranslate: map[string]error{stemMarche: engine.Mark(errors.New("would exceed"), engine.ErrBudget)}}
	opt := options(t, e)
	opt.Workers = 1
	res, err := Run(context.Background(), opt)
	if !errors.Is(err, ErrBudget) {
		t.Fatalf("err = %v, want ErrBudget", err)
	}
	m := res.Manifest
	if m.Status != RunBudgetExhausted {
		t.Errorf("status %s", m.Status)
	}
	for _, stem := range frenchStems {
		if f := records(m)[stem]; f.Status != StatusPending || !strings.Contains(f.Reason, "token budget reached") {
			t.Errorf("%s: %s (%s), want pending: token budget reached", stem, f.Status, f.Reason)
		}
	}
	if n := e.count("translate "); n != 1 {
		t.Errorf("%d translations asked after the budget was reached, want none", n-1)
	}
	if e.count("brief") != 0 || m.Briefing != nil {
		t.Error("briefed after the budget was reached")
	}
}

func TestRunBriefFails(t *testing.T) {
	e := &fakeEngine{failBrief: errors.New("brief: the model gave up")}
	res, err := Run(context.Background(), options(t, e))
	if !errors.Is(err, ErrBriefFailed) {
		t.Fatalf("err = %v, want ErrBriefFailed", err)
	}
	if b := res.Manifest.Briefing; b == nil || b.Status != StatusFailed || !strings.Contains(b.Reason, "gave up") {
		t.Errorf("briefing record = %+v", b)
	}
	if res.Manifest.Status != RunFailed || res.Manifest.Totals.OK != 3 {
		t.Errorf("status %s with %d ok files", res.Manifest.Status, res.Manifest.Totals.OK)
	}
}

func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	e := &fakeEngine{onTranslate: cancel} // Ctrl-C while the first file translates
	opt := options(t, e)
	opt.Workers = 1
	res, err := Run(ctx, opt)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res == nil || res.Manifest.Status != RunInterrupted {
		t.Fatalf("result %+v", res)
	}
	for _, stem := range frenchStems {
		if f := records(res.Manifest)[stem]; f.Status != StatusPending || !strings.Contains(f.Reason, "interrupted") {
			t.Errorf("%s: %s (%s), want pending: interrupted", stem, f.Status, f.Reason)
		}
	}
	if _, err := os.Stat(filepath.Join(opt.Out, "translations", stemMarche+".md")); err == nil {
		t.Error("the interrupted translation was written")
	}
	if n := e.count("translate "); n != 1 || res.Manifest.Briefing != nil {
		t.Errorf("%d translations and briefing %+v after Ctrl-C", n, res.Manifest.Briefing)
	}
}

func TestRunStagesAlone(t *testing.T) {
	e := &fakeEngine{}
	opt := options(t, e)
	opt.Through, opt.Command, opt.Engine = news.StageClean, "clean", nil
	res, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(e.calls); n != 0 {
		t.Errorf("clean alone called the engine %d times", n)
	}
	if f := records(res.Manifest)[stemMarche]; f.Status != StatusOK || len(f.Outputs) != 2 {
		t.Errorf("clean: %+v", f)
	}

	// translate from what clean wrote, then summarize from the translations
	opt.Engine, opt.FromOutput, opt.Inputs = e, true, nil
	for _, through := range []news.Stage{news.StageTranslate, news.StageSummarize} {
		opt.Through, opt.Command = through, string(through)
		res, err := Run(context.Background(), opt)
		if err != nil {
			t.Fatalf("%s: %v", through, err)
		}
		if f := records(res.Manifest)[stemMarche]; f.Status != StatusOK || f.Stages[through] == nil {
			t.Errorf("%s alone: %+v", through, f)
		}
	}
	if e.count("translate ") != 3 || e.count("summarize ") != 4 || e.count("brief") != 0 {
		t.Errorf("calls: %v", e.calls)
	}
}

func TestRunRefusesBadOptions(t *testing.T) {
	e := &fakeEngine{}
	opt := options(t, e)
	opt.Through = news.StageRead
	if _, err := Run(context.Background(), opt); err == nil || !strings.Contains(err.Error(), "unknown stage") {
		t.Errorf("through read: %v", err)
	}
	opt = options(t, e)
	opt.Batch = &BatchOptions{Submit: true}
	if _, err := Run(context.Background(), opt); !errors.Is(err, ErrNoBatch) {
		t.Errorf("batch mode on an engine without Batcher: %v, want ErrNoBatch", err)
	}
	opt = options(t, e)
	opt.Out = filepath.Join(opt.Out, "file")
	if err := os.WriteFile(opt.Out, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), opt); err == nil || !strings.Contains(err.Error(), "not writable") {
		t.Errorf("output folder is a file: %v", err)
	}
	if len(e.calls) != 0 {
		t.Errorf("the engine was called for a run that cannot happen: %v", e.calls)
	}
}

// --dry-run says what would be done and sends and writes nothing; after a
// real run the same files are cached.
func TestRunDryRun(t *testing.T) {
	e := &fakeEngine{}
	opt := options(t, e)
	opt.DryRun = true
	res, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	d := res.DryRun
	// 3 French articles at the fake's estimate of 2 requests each.
	if d.Files != 5 || d.Skipped != 2 || d.Cached != 0 || d.Requests != 6 {
		t.Errorf("report = %+v", d)
	}
	if len(e.calls) != 0 {
		t.Errorf("a dry run called the engine: %v", e.calls)
	}
	if entries, _ := os.ReadDir(opt.Out); len(entries) != 0 {
		t.Errorf("a dry run wrote %d entries in the output folder", len(entries))
	}

	opt.DryRun = false
	if _, err := Run(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	opt.DryRun = true
	res, err = Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if d := res.DryRun; d.Cached != 3 || d.Requests != 0 {
		t.Errorf("after a run: %+v, want the 3 French articles cached and nothing to send", d)
	}
}
