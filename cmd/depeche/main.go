// Command depeche turns a folder of scraped French news pages into clean
// English: cleaned text, translations, per-article summaries and one merged
// briefing whose every claim cites its sources.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/depeche-news/depeche/pipeline"
	"github.com/depeche-news/depeche/pipeline/config"
	"github.com/depeche-news/depeche/pipeline/news"
)

// version is set by the Makefile with -ldflags.
var version = "dev"

// Exit codes, part of the CLI's contract.
const (
	exitOK          = 0
	exitFatal       = 1
	exitUsage       = 2
	exitFailed      = 3
	exitInterrupted = 130 // 128 + SIGINT, as shells report Ctrl-C; SIGTERM gives 143
)

func main() {
	if os.Getenv("GOGC") == "" {
		// depeche spends its time waiting on the model, not collecting
		// garbage: a heap that grows to 1.5× the live data instead of 2×
		// costs little CPU and keeps a 2,000-article run near 100 MB
		// (measured by BenchmarkPeakRSS). GOGC overrides it.
		debug.SetGCPercent(50)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit: as the heap nears it the collector runs sooner,
		// which keeps the briefing of 5,000 articles told as 200 stories
		// near 111 MB resident instead of 121 (BenchmarkBriefingScale).
		// Past it nothing fails: a bigger pile only collects more often.
		// GOMEMLIMIT overrides it.
		debug.SetMemoryLimit(100 << 20)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		cancel(signalled{sig})
		// A second signal stops at once: every output is written
		// atomically, so nothing is left half-written, and no wait on a
		// stuck call can keep a user from stopping depeche.
		sig = <-sigs
		fmt.Fprintln(os.Stderr, "depeche: stopped")
		os.Exit(signalled{sig}.code())
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// signalled is the cause of a run cancelled by a signal.
type signalled struct{ sig os.Signal }

func (s signalled) Error() string { return "interrupted by " + s.sig.String() }

// code is 128 + the signal's number, as a shell reports it.
func (s signalled) code() int {
	if n, ok := s.sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return exitInterrupted
}

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	root := app.rootCommand()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	var sig signalled
	if code == exitInterrupted && errors.As(context.Cause(ctx), &sig) {
		code = sig.code()
	}
	msg := err.Error()
	if code >= exitInterrupted {
		msg = "interrupted: finished files are written and accepted model results cached; rerun the same command to resume"
	}
	if app.redact != nil {
		msg = app.redact(msg)
	}
	msg = news.PrintableLines(msg) // an error naming a file may carry its control characters
	if code == exitFailed {
		fmt.Fprintf(stderr, "depeche: %s (see %s)\n", msg, app.manifestHint())
	} else {
		fmt.Fprintf(stderr, "depeche: %s\n", msg)
	}
	if app.jsonOut && !app.printed {
		// --json promises one JSON document on stdout, failure included
		app.printJSON(struct {
			Error    string `json:"error"`
			ExitCode int    `json:"exit_code"`
		}{msg, code})
	}
	return code
}

// usageError marks a mistake on the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitCode maps named errors to exit codes in one place.
func exitCode(err error) int {
	var cfgErr *config.Error
	var uErr usageError
	switch {
	case errors.As(err, &cfgErr), errors.As(err, &uErr), errors.Is(err, pipeline.ErrNoBatch):
		return exitUsage
	case errors.Is(err, pipeline.ErrFilesFailed), errors.Is(err, pipeline.ErrBudget), errors.Is(err, pipeline.ErrBriefFailed):
		return exitFailed
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	}
	return exitFatal
}
