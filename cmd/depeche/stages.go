package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/depeche-news/depeche/pipeline"
	"github.com/depeche-news/depeche/pipeline/cite"
	"github.com/depeche-news/depeche/pipeline/clean"
	"github.com/depeche-news/depeche/pipeline/config"
	"github.com/depeche-news/depeche/pipeline/engine"
	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/prompts"
)

func (a *app) stageCommands() []*cobra.Command {
	var shard string
	var explain bool
	runCmd := &cobra.Command{
		Use:   "run [folder or file]...",
		Short: "Run every stage: clean, translate, summarize, brief",
		Example: `  depeche run ./scraped --out ./out
  depeche run --base-url http://localhost:11434/v1 --model mistral-small ./scraped
  depeche run --shard 3/16 ./scraped --out ./out-3`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runStage(cmd, "run", news.StageBrief, args, shard, false)
		},
	}
	runCmd.Flags().StringVar(&shard, "shard", "", "process only shard i of n (0-based, e.g. 3/16): a stable hash-partition of the files")
	batchFlags(runCmd)

	cleanCmd := &cobra.Command{
		Use:   "clean [folder or file]...",
		Short: "Strip the scraping junk; write output/clean/<stem>.txt and the removal report .json",
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runStage(cmd, "clean", news.StageClean, args, shard, explain)
		},
	}
	cleanCmd.Flags().BoolVar(&explain, "explain", false, "print every removed line with the rule that removed it")

	translateCmd := &cobra.Command{
		Use:   "translate [folder, file or -]...",
		Short: "Translate to English (from output/clean when no input is named; - reads stdin, writes stdout)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 && args[0] == "-" {
				return a.translateStdin(cmd)
			}
			return a.runStage(cmd, "translate", news.StageTranslate, args, shard, false)
		},
	}
	summarizeCmd := &cobra.Command{
		Use:   "summarize [folder or file]...",
		Short: "Summarize each article (from output/translations when no input is named)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runStage(cmd, "summarize", news.StageSummarize, args, shard, false)
		},
	}
	briefCmd := &cobra.Command{
		Use:   "brief [output folder]...",
		Short: "Merge the summaries of one or more output folders (e.g. shards) into one briefing in --out",
		Example: `  depeche brief                       # the summaries in ./output
  depeche brief out-0 out-1 out-2 --out merged`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runBrief(cmd, args)
		},
	}
	for _, c := range []*cobra.Command{cleanCmd, translateCmd, summarizeCmd} {
		c.Flags().StringVar(&shard, "shard", "", "process only shard i of n (0-based)")
	}
	return []*cobra.Command{runCmd, cleanCmd, translateCmd, summarizeCmd, briefCmd}
}

// options builds the runner's options from the configuration.
func (a *app) options(cmd *cobra.Command, command string, through news.Stage) (pipeline.Options, error) {
	cfg := a.cfg
	opt := pipeline.Options{
		Command: command, Out: cfg.Output, Through: through,
		Clean:       clean.Options{Drop: cfg.Clean.Drop, Keep: cfg.Clean.Keep, NoBody: !cfg.Clean.Body},
		MaxFileSize: cfg.MaxFileSize, FollowSymlinks: cfg.FollowSymlinks, Workers: cfg.Concurrency,
		Brief: engine.BriefOptions{MaxWords: cfg.Brief.MaxWords, Focus: cfg.Brief.Focus,
			MaxStories: cfg.Brief.MaxStories, StoryWords: cfg.Brief.StoryWords},
		Check:    cite.CheckOptions{Verify: cfg.Brief.Verify, Unsupported: cfg.Brief.Unsupported},
		HTML:     cfg.Brief.HTML,
		CacheDir: a.cacheDir(), Force: a.force, DryRun: a.dryRun, Wait: a.wait,
		TTY: a.tty && !a.quiet && !a.verbose, Stderr: a.stderr, Stdout: a.stdout, Log: a.logger(), Meter: &a.meter,
		Tool: "depeche " + version,
	}
	if through != news.StageClean && cfg.LLM.Concurrency*2 > opt.Workers {
		// enough files in flight to keep every model slot busy
		opt.Workers = cfg.LLM.Concurrency * 2
	}
	opt.Settings = map[string]string{}
	for _, s := range a.srcs.Settings(cfg, os.Getenv) {
		opt.Settings[s.Key] = s.Value
	}
	ps, err := prompts.Load(cfg.Prompts.Dir)
	if err != nil {
		return opt, &config.Error{Msg: err.Error()}
	}
	opt.Prompts = map[string]string{}
	for _, n := range prompts.Names() {
		if p, err := ps.Get(n); err == nil {
			opt.Prompts[n] = p.Version
		}
	}
	return opt, nil
}

// runStage runs the stages up to through. With no input named, a stage after
// clean reads what the previous stage wrote in --out (so it reruns alone);
// otherwise the configured input folder is used.
func (a *app) runStage(cmd *cobra.Command, command string, through news.Stage, args []string, shardSpec string, explain bool) error {
	if err := a.load(cmd); err != nil {
		return err
	}
	sh, err := pipeline.ParseShard(shardSpec)
	if err != nil {
		return usageError{err}
	}
	fromOutput := false
	if len(args) == 0 && (through == news.StageTranslate || through == news.StageSummarize) {
		prev := filepath.Join(a.cfg.Output, "clean")
		if through == news.StageSummarize {
			prev = filepath.Join(a.cfg.Output, "translations")
		}
		if st, err := os.Stat(prev); err == nil && st.IsDir() {
			fromOutput = true
		}
	}
	if len(args) == 0 && !fromOutput {
		args = []string{a.cfg.Input}
	}
	if err := a.cfg.Validate(false); err != nil {
		return err
	}
	for _, in := range args {
		if _, err := os.Stat(in); err != nil {
			return &config.Error{Msg: fmt.Sprintf("input %s: %v", in, unwrapPathErr(err))}
		}
	}
	opt, err := a.options(cmd, command, through)
	if err != nil {
		return err
	}
	opt.Inputs, opt.FromOutput, opt.Shard, opt.Explain = args, fromOutput, sh, explain
	return a.execute(cmd, opt)
}

func (a *app) runBrief(cmd *cobra.Command, dirs []string) error {
	if err := a.load(cmd); err != nil {
		return err
	}
	if err := a.cfg.Validate(false); err != nil {
		return err
	}
	opt, err := a.options(cmd, "brief", news.StageBrief)
	if err != nil {
		return err
	}
	opt.BriefDirs = dirs
	return a.execute(cmd, opt)
}

// execute builds the engine the stages need (none for clean), sets up batch
// mode when asked, runs the stages and reports the outcome.
func (a *app) execute(cmd *cobra.Command, opt pipeline.Options) error {
	if opt.Through != news.StageClean {
		e, note, err := a.newEngine(cmd.Context())
		if err != nil {
			return err
		}
		defer e.Close()
		opt.Engine, opt.EngineNote = e, note
		if j, ok := e.(interface{ Judge() cite.Judge }); ok {
			opt.Check.Judge = j.Judge()
		}
		if gl, err := glossary.Load(a.cfg.Glossary); err == nil {
			opt.Check.Aliases = gl.Aliases()
		}
	}
	if err := batchOptions(cmd, &opt); err != nil {
		return err
	}
	res, runErr := pipeline.Run(cmd.Context(), opt)
	a.report(res, runErr)
	return runErr
}

// report prints the run's outcome: JSON on stdout with --json, else a short
// human summary on stderr.
func (a *app) report(res *pipeline.Result, runErr error) {
	if res == nil {
		return
	}
	if a.jsonOut {
		var v any = res.Manifest
		if res.DryRun != nil {
			v = res.DryRun
		}
		a.printJSON(v)
		return
	}
	if d := res.DryRun; d != nil {
		w := a.stdout
		fmt.Fprintf(w, "dry run: nothing sent, nothing written\n")
		for _, f := range d.PerFile {
			fmt.Fprintf(w, "  %-50s %-28s %3d requests  ~%d tokens\n", news.Printable(f.Source), f.Action, f.Requests, f.Tokens)
		}
		fmt.Fprintf(w, "total: %d files, %d cached, %d skipped, ~%d requests, ~%d tokens\n", d.Files, d.Cached, d.Skipped, d.Requests, d.Tokens)
		return
	}
	m := res.Manifest
	t := m.Totals
	fmt.Fprintf(a.stderr, "%s: %d files: %d ok, %d cached, %d skipped, %d failed", m.Status, t.Files, t.OK, t.Cached, t.Skipped, t.Failed)
	if t.Pending > 0 {
		fmt.Fprintf(a.stderr, ", %d not done", t.Pending)
	}
	fmt.Fprintf(a.stderr, " · %d requests, %d cache hits, %d retries, %d+%d tokens\n", t.Requests, t.CacheHits, t.Retries, t.Usage.PromptTokens, t.Usage.CompletionTokens)
	if m.Briefing != nil && m.Briefing.Status == pipeline.StatusOK {
		fmt.Fprintf(a.stderr, "briefing: %s (%d sources, %d cited)\n", news.Printable(filepath.Join(a.cfg.Output, "briefing.md")), m.Briefing.Sources, m.Briefing.Citations.CitedSources)
		if a.cfg.Brief.HTML {
			fmt.Fprintf(a.stderr, "to audit it: open %s\n", news.Printable(filepath.Join(a.cfg.Output, "briefing.html")))
		}
	}
	_ = runErr
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// readAll reads stdin for `translate -`, bounded by max_file_size.
func readAll(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("stdin exceeds max_file_size (%d bytes)", max)
	}
	return b, nil
}
