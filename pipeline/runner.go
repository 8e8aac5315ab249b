// Package pipeline is depeche's runner. Stages are pure functions of text;
// the runner owns everything else: finding files, reading and writing them,
// the file-level cache, concurrency, per-file outcomes, progress and the
// manifest. Files flow through the stages one by one (article 2 can be
// cleaning while article 1 translates); only the briefing waits for all.
// It drives an engine.Engine and knows no model client: in batch mode it
// runs passes while the engine's engine.Batch gets each round answered.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/depeche-news/depeche/pipeline/cite"
	"github.com/depeche-news/depeche/pipeline/clean"
	"github.com/depeche-news/depeche/pipeline/engine"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
)

// Errors the CLI maps to exit codes.
var (
	// ErrFilesFailed is returned when the run completed but some files
	// failed (exit 3); the manifest says which and why.
	ErrFilesFailed = errors.New("some files failed")
	// ErrBudget is returned when the engine reached the run's token
	// budget (engine.ErrBudget): the run stopped cleanly and a rerun
	// resumes where it stopped (exit 3).
	ErrBudget = engine.ErrBudget
	// ErrBriefFailed is returned when every file went through but the
	// briefing could not be made (exit 3); rerunning `depeche brief`
	// retries just that.
	ErrBriefFailed = errors.New("brief")
)

// Options configure one run.
type Options struct {
	Command     string   // "run", "clean", "translate", "summarize", "brief": recorded in the manifest
	Inputs      []string // source files and folders
	Out         string
	Through     news.Stage // last stage to run: clean, translate, summarize or brief
	FromOutput  bool       // start from the previous stage's files in Out instead of sources
	BriefDirs   []string
	Engine      engine.Engine // nil when Through is clean
	EngineNote  string
	Clean       clean.Options
	MaxFileSize int64
	// FollowSymlinks reads links that lead outside the inputs (follow_symlinks).
	FollowSymlinks bool
	Workers        int // files in flight
	Brief          engine.BriefOptions
	Check          cite.CheckOptions // how the briefing's citations are verified
	HTML           bool              // also write briefing.html
	CacheDir       string            // "" = <Out>/.cache
	Force          bool
	DryRun         bool
	// Wait makes a run whose output folder another run holds wait for it
	// instead of failing (--wait).
	Wait     bool
	Explain  bool
	Shard    Shard
	TTY      bool
	Stderr   io.Writer     // progress and notes; nil = discard
	Stdout   io.Writer     // --explain output; nil = discard
	Meter    *Meter        // streamed tokens for the progress bar; may be nil
	Batch    *BatchOptions // send the model requests as Batch API rounds (batch.go, engine.Batcher); nil = live
	Log      *slog.Logger
	Tool     string
	Settings map[string]string
	Prompts  map[string]string
	Now      func() time.Time

	notes []string // said by Run before the passes (taking over a stale lock)
}

// Result is what a run did.
type Result struct {
	Manifest *Manifest
	DryRun   *DryRunReport `json:"dry_run,omitempty"`
}

type runner struct {
	opt      Options
	cache    *store.Cache
	manifest *Manifest
	cleaner  *clean.Cleaner
	prog     *progress
	budget   sync.Once
	budgetCh chan struct{} // closed when the token budget is reached
	batch    engine.Batch  // the engine in batch mode; nil when live
}

// Run executes the stages up to opt.Through over opt.Inputs: one pass, or,
// in batch mode, passes and batch rounds until nothing is left to ask.
func Run(ctx context.Context, opt Options) (*Result, error) {
	if !opt.DryRun {
		// Fatal before any paid request: a run that cannot write would pay
		// for results it then throws away, and two runs on one folder
		// would each pay for every file.
		if err := checkWritable(opt.Out); err != nil {
			return nil, err
		}
		lk, note, err := store.Lock(ctx, opt.Out, store.LockOptions{
			Command: strings.TrimSpace("depeche " + opt.Command + " " + strings.Join(opt.Inputs, " ")),
			Wait:    opt.Wait,
			Waiting: func(h store.Holder) {
				if opt.Stderr != nil {
					fmt.Fprintf(opt.Stderr, "depeche: %s\n", news.Printable(fmt.Sprintf("%s holds %s; waiting for it to finish (--wait)", h, opt.Out)))
				}
			},
		})
		if err != nil {
			return nil, err
		}
		defer lk.Release()
		if note != "" {
			opt.notes = append(opt.notes, note)
			if opt.Stderr != nil {
				fmt.Fprintf(opt.Stderr, "depeche: %s\n", news.Printable(note))
			}
		}
	}
	if opt.Batch != nil {
		b, ok := opt.Engine.(engine.Batcher)
		if !ok {
			return nil, ErrNoBatch
		}
		if !opt.DryRun {
			return runRounds(ctx, opt, b)
		}
	}
	return runPass(ctx, opt, nil)
}

// runPass takes every file as far as it can go once. In batch mode, batch
// is the engine's open batch; a request it defers leaves its file pending.
func runPass(ctx context.Context, opt Options, batch engine.Batch) (*Result, error) {
	r, err := newRunner(withDefaults(opt), batch)
	if err != nil {
		return nil, err
	}
	if opt.Command == string(news.StageBrief) && !opt.FromOutput && len(opt.Inputs) == 0 {
		return r.briefOnly(ctx)
	}
	items, err := r.collect(ctx)
	if err != nil {
		return nil, err
	}
	if opt.DryRun {
		rep, err := r.dryRun(ctx, items)
		return &Result{Manifest: r.manifest, DryRun: rep}, err
	}
	if err := r.prepareClean(ctx, items); err != nil {
		return nil, err
	}
	r.prog = newProgress(r.opt.Stderr, r.opt.TTY, len(items), string(r.opt.Through), r.opt.Meter)
	r.processAll(ctx, items)
	r.prog.finish()
	for _, it := range items {
		if it.explain != "" {
			fmt.Fprintln(r.opt.Stdout, it.explain)
		}
	}

	var runErr error
	if ctx.Err() == nil && !r.budgetReached() && opt.Through == news.StageBrief && !r.waitingForBatch() {
		runErr = r.brief(ctx, r.briefSources(items))
	}
	return r.finish(ctx, runErr)
}

// withDefaults fills in the options left zero.
func withDefaults(opt Options) Options {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Stdout == nil {
		opt.Stdout = io.Discard
	}
	if opt.Workers < 1 {
		opt.Workers = 4
	}
	return opt
}

// newRunner checks the stage and starts the manifest.
func newRunner(opt Options, batch engine.Batch) (*runner, error) {
	if opt.Through.Order() < news.StageClean.Order() {
		return nil, fmt.Errorf("unknown stage %q", opt.Through)
	}
	r := &runner{
		opt:      opt,
		cache:    store.NewCache(cacheDir(opt), opt.Force),
		budgetCh: make(chan struct{}),
		batch:    batch,
	}
	mpath := manifestPath(opt.Out)
	if opt.DryRun {
		mpath = ""
	}
	m := newManifest(mpath, opt.Tool, opt.Command)
	m.Settings, m.Prompts, m.Shard = opt.Settings, opt.Prompts, opt.Shard.String()
	if opt.EngineNote != "" {
		m.Notes = append(m.Notes, opt.EngineNote)
	}
	m.Notes = append(m.Notes, opt.notes...)
	if opt.Engine != nil {
		m.Engine = opt.Engine.Name()
		m.Models = map[news.Stage]string{}
		for _, s := range []news.Stage{news.StageTranslate, news.StageSummarize, news.StageBrief} {
			if s.Order() <= opt.Through.Order() {
				m.Models[s] = opt.Engine.Model(s)
			}
		}
	}
	m.Briefed = readHistory(manifestPath(opt.Out))
	r.manifest = m
	r.prog = newProgress(opt.Stderr, false, 0, string(opt.Through), nil)
	return r, nil
}

// finish closes the manifest and turns the outcome into an error for exit codes.
func (r *runner) finish(ctx context.Context, runErr error) (*Result, error) {
	m := r.manifest
	m.sortFiles()
	now := r.opt.Now().UTC()
	status := RunComplete
	switch {
	case ctx.Err() != nil:
		status = RunInterrupted
	case r.budgetReached():
		status = RunBudgetExhausted
	case runErr != nil:
		status = RunFailed
	}
	if err := m.update(true, func() { m.Status, m.Finished = status, &now }); err != nil {
		return &Result{Manifest: m}, fmt.Errorf("manifest: %w", err)
	}
	res := &Result{Manifest: m}
	switch {
	case ctx.Err() != nil:
		return res, ctx.Err()
	case r.budgetReached():
		return res, fmt.Errorf("%w: stopped cleanly; raise llm.max_total_tokens and rerun to continue (finished work is cached)", ErrBudget)
	case runErr != nil:
		return res, runErr
	}
	if t := m.snapshot(); t.Failed > 0 {
		return res, fmt.Errorf("%w: %d of %d", ErrFilesFailed, t.Failed, t.Files)
	}
	return res, nil
}

// cacheDir is where the run's cache lives: opt.CacheDir, or <Out>/.cache.
func cacheDir(opt Options) string {
	if opt.CacheDir != "" {
		return opt.CacheDir
	}
	return filepath.Join(opt.Out, ".cache")
}

// waitingForBatch reports whether this pass deferred requests: the briefing
// then waits for a later pass rather than brief a partial set.
func (r *runner) waitingForBatch() bool { return r.batch != nil && r.batch.Pending() > 0 }

func (r *runner) budgetReached() bool {
	select {
	case <-r.budgetCh:
		return true
	default:
		return false
	}
}

func (r *runner) stopForBudget() { r.budget.Do(func() { close(r.budgetCh) }) }

// processAll runs the per-file stages with opt.Workers files in flight.
// The engine's own scheduler bounds the model calls; enough files are in
// flight to keep its slots busy.
func (r *runner) processAll(ctx context.Context, items []*item) {
	work := make(chan *item)
	var wg sync.WaitGroup
	for i := 0; i < r.opt.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				r.processOne(ctx, it)
			}
		}()
	}
	for _, it := range items {
		if it.rec.Status != StatusPending {
			r.prog.fileDone(it.rec, 0)
			continue
		}
		select {
		case work <- it:
		case <-ctx.Done():
		case <-r.budgetCh:
		}
		if ctx.Err() != nil || r.budgetReached() {
			break
		}
	}
	close(work)
	wg.Wait()
	for _, it := range items {
		if it.rec.Status == StatusPending && it.rec.Reason != reasonBatch {
			_ = r.manifest.update(false, func() {
				if r.budgetReached() {
					it.rec.Reason = "not started: token budget reached"
				} else {
					it.rec.Reason = "not started: run interrupted"
				}
			})
		}
	}
}

func checkWritable(out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("output folder %s is not writable: %w", out, err)
	}
	f, err := os.CreateTemp(out, ".depeche-write-check-*")
	if err != nil {
		return fmt.Errorf("output folder %s is not writable: %w", out, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
