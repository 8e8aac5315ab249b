package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/depeche-news/depeche/pipeline"
	"github.com/depeche-news/depeche/pipeline/config"
	"github.com/depeche-news/depeche/pipeline/engine"
	"github.com/depeche-news/depeche/pipeline/llm"
)

// app is one invocation's state: streams, global flags, and what was loaded.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	tty            bool // stderr is a terminal: draw progress bars

	configFile string
	jsonOut    bool
	quiet      bool
	verbose    bool
	force      bool
	dryRun     bool
	wait       bool

	printed bool // a JSON document went to stdout (--json prints one, error or not)

	cfg    *config.Config
	srcs   *config.Sources
	redact func(string) string
	meter  pipeline.Meter // streamed tokens, for the progress bar
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	if f, ok := stderr.(*os.File); ok {
		a.tty = term.IsTerminal(int(f.Fd()))
	}
	return a
}

// flagKeys binds command-line flags to configuration keys, so flags take
// precedence over the environment, the file and the defaults.
var flagKeys = map[string]string{
	"out":         "output",
	"model":       "llm.model",
	"base-url":    "llm.base_url",
	"concurrency": "llm.concurrency",
	"engine":      "engine",
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "depeche",
		Short: "Scraped French news pages → clean English translations, summaries and a cited briefing",
		Long: `depeche cleans scraped French news pages, translates them to English through any
OpenAI-compatible endpoint (or offline with Apertium), summarizes each article and
writes one merged English briefing whose every claim cites its sources.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	// An unknown subcommand is a usage error (exit 2), said in one line.
	root.SuggestionsMinimumDistance = 2
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			return usageError{fmt.Errorf("unknown command %q; did you mean %q?", args[0], s[0])}
		}
		return usageError{fmt.Errorf("unknown command %q (depeche --help lists them)", args[0])}
	}
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	pf := root.PersistentFlags()
	pf.StringVar(&a.configFile, "config", "", "configuration file (default ./config.yaml, then the user config dir)")
	pf.String("out", "", "output folder (config: output)")
	pf.String("model", "", "model name (config: llm.model)")
	pf.String("base-url", "", "OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (config: llm.base_url)")
	pf.Int("concurrency", 0, "model requests in flight (config: llm.concurrency)")
	pf.String("engine", "", "auto, llm or offline (config: engine)")
	pf.BoolVar(&a.force, "force", false, "ignore cached results and redo the work")
	pf.BoolVar(&a.dryRun, "dry-run", false, "list what would be done and the estimated tokens; send and write nothing")
	pf.BoolVar(&a.jsonOut, "json", false, "print the machine-readable result on stdout")
	pf.BoolVar(&a.wait, "wait", false, "when another run holds the output folder, wait for it to finish instead of exiting")
	pf.BoolVarP(&a.quiet, "quiet", "q", false, "no progress bar: one plain line per file")
	pf.BoolVarP(&a.verbose, "verbose", "v", false, "log every model request")

	root.AddCommand(a.stageCommands()...)
	root.AddCommand(a.modelsCommand(), a.configCommand(), a.versionCommand())
	return root
}

// load reads the configuration once per invocation.
func (a *app) load(cmd *cobra.Command) error {
	if a.cfg != nil {
		return nil
	}
	cfg, srcs, err := config.Load(config.Options{
		File: a.configFile, Flags: cmd.Flags(), FlagKeys: flagKeys, Warn: a.stderr,
	})
	if err != nil {
		return err
	}
	a.cfg, a.srcs = cfg, srcs
	key := cfg.APIKey(os.Getenv)
	a.redact = func(s string) string { return llm.Redact(s, key) }
	return nil
}

func (a *app) logger() *slog.Logger {
	if !a.verbose {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// newEngine builds the engine the configuration asks for (auto: the endpoint
// when it answers, else offline, said loudly once).
func (a *app) newEngine(ctx context.Context) (engine.Engine, string, error) {
	e, note, err := selectEngine(ctx, engineSettings{
		Config: a.cfg, APIKey: a.cfg.APIKey(os.Getenv), Log: a.logger(),
		CacheDir: a.cacheDir(), Force: a.force, NoProbe: a.dryRun, OnProgress: a.meter.Add,
		OnEvent: func(e llm.Event) { a.meter.Event(e.Stage, string(e.Kind), e.Reason, e.Until) },
	})
	if err != nil {
		return nil, "", err
	}
	if note != "" {
		fmt.Fprintf(a.stderr, "depeche: %s\n", note)
	}
	return e, note, nil
}

func (a *app) cacheDir() string {
	if a.cfg.CacheDir != "" {
		return a.cfg.CacheDir
	}
	return filepath.Join(a.cfg.Output, ".cache")
}

func (a *app) manifestHint() string {
	if a.cfg == nil {
		return "manifest.json"
	}
	return filepath.Join(a.cfg.Output, "manifest.json")
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print depeche's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(a.stdout, "depeche %s\n", version)
			return nil
		},
	}
}

// printJSON writes v as the one JSON document of --json.
func (a *app) printJSON(v any) {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
	a.printed = true
}
