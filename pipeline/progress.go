package pipeline

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/depeche-news/depeche/pipeline/news"
)

// Meter counts the completion tokens the model streams, across all
// requests, so the progress bar can show tokens/s while long chunks are
// still being generated. Its Add method fits llm.Config.OnProgress.
type Meter struct{ n atomic.Int64 }

// Add records n streamed tokens.
func (m *Meter) Add(_ string, n int) { m.n.Add(int64(n)) }

// Tokens returns the total so far.
func (m *Meter) Tokens() int64 {
	if m == nil {
		return 0
	}
	return m.n.Load()
}

// progress reports per-file outcomes: a progress bar on a terminal, one
// plain line per file otherwise (CI, pipes, logs, -q), because progressbar
// draws escape codes even when stderr is not a terminal.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	bar     *progressbar.ProgressBar
	started time.Time
	tokens  int
	last    string
	meter   *Meter
	stop    chan struct{}
}

func newProgress(w io.Writer, tty bool, total int, label string, meter *Meter) *progress {
	p := &progress{w: w, started: time.Now(), meter: meter, stop: make(chan struct{})}
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
		if meter != nil {
			go p.tick()
		}
	}
	return p
}

// tick refreshes the tokens/s figure while requests stream, between files.
func (p *progress) tick() {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			if p.bar != nil {
				p.bar.Describe(p.describe())
			}
			p.mu.Unlock()
		}
	}
}

// describe renders the bar's label; call with p.mu held.
func (p *progress) describe() string {
	tok := max(int64(p.tokens), p.meter.Tokens())
	rate := 0.0
	if el := time.Since(p.started).Seconds(); el > 0 {
		rate = float64(tok) / el
	}
	return fmt.Sprintf("%s · %d tok · %.0f tok/s", p.last, tok, rate)
}

// fileDone records one finished file.
func (p *progress) fileDone(rec *FileRecord, tokens int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokens += tokens
	if p.bar != nil {
		p.last = news.Printable(rec.Source)
		p.bar.Describe(p.describe())
		_ = p.bar.Add(1)
		if rec.Status == StatusFailed {
			// failures stay visible above the bar
			fmt.Fprintf(p.w, "\r\033[K%-7s %s: %s\n", rec.Status, news.Printable(rec.Source), news.Printable(rec.Reason))
		}
		return
	}
	// Names are printed escaped: a file named "a\nok      b.txt" must not
	// forge a line, nor one holding ESC rewrite the screen.
	line := fmt.Sprintf("%-7s %s", rec.Status, news.Printable(rec.Source))
	if rec.Reason != "" {
		line += ": " + news.Printable(rec.Reason)
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
	fmt.Fprintln(p.w, news.Printable(fmt.Sprintf(format, args...)))
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
