package pipeline

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress reports per-file outcomes: a progress bar on a terminal, one
// plain line per file otherwise (CI, pipes, logs, -q), because progressbar
// draws escape codes even when stderr is not a terminal.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	bar     *progressbar.ProgressBar
	started time.Time
	tokens  int
}

func newProgress(w io.Writer, tty bool, total int, label string) *progress {
	p := &progress{w: w, started: time.Now()}
	if w == nil {
		p.w = io.Discard
		return p
	}
	if tty && total > 0 {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(label),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetWidth(24),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// fileDone records one finished file.
func (p *progress) fileDone(rec *FileRecord, tokens int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokens += tokens
	if p.bar != nil {
		el := time.Since(p.started).Seconds()
		rate := 0.0
		if el > 0 {
			rate = float64(p.tokens) / el
		}
		p.bar.Describe(fmt.Sprintf("%s · %d tok · %.0f tok/s", rec.Source, p.tokens, rate))
		_ = p.bar.Add(1)
		if rec.Status == StatusFailed {
			// failures stay visible above the bar
			fmt.Fprintf(p.w, "\r\033[K%-7s %s: %s\n", rec.Status, rec.Source, rec.Reason)
		}
		return
	}
	line := fmt.Sprintf("%-7s %s", rec.Status, rec.Source)
	if rec.Reason != "" {
		line += ": " + rec.Reason
	} else if tokens > 0 {
		line += fmt.Sprintf(" (%d tokens)", tokens)
	}
	fmt.Fprintln(p.w, line)
}

// note prints a line without breaking the bar.
func (p *progress) note(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, format+"\n", args...)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
