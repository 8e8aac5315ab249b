package pipeline

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/depeche-news/depeche/pipeline/news"
)

// progress reports a phase of the run. On a terminal it is a bar (per
// file) or a spinner (the briefing) whose label says what is happening
// now: the requests in flight per stage, the retries waiting and why, the
// tokens streamed, and an ETA only while nothing waits (a run retrying a
// 429 must not sit at "96%, ETA 0s"). Elsewhere (CI, pipes, logs, -q) it
// is one plain line per file, and a line when a retry waits a second or
// more, because progressbar draws escape codes even when stderr is not a
// terminal.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	bar     *progressbar.ProgressBar
	label   string   // the phase: "translate", "brief: merging 12 articles"
	only    []string // request stages the phase shows (all when none)
	started time.Time
	total   int // files; 0 for a phase without a count
	files   int // done
	tokens  int
	last    string
	meter   *Meter
	at      map[news.Stage]int // files in each stage now
	seen    int                // the meter's waits already told (plain lines)
	told    time.Time          // when a wait was last told
	stop    chan struct{}
}

func newProgress(w io.Writer, tty bool, total int, label string, meter *Meter, only ...string) *progress {
	p := &progress{w: w, label: label, only: only, started: time.Now(), total: total, meter: meter, stop: make(chan struct{})}
	if w == nil {
		p.w = io.Discard
		return p
	}
	p.seen = meter.state().waitSeq
	if tty && total != 0 {
		opts := []progressbar.Option{
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(label),
			progressbar.OptionSetPredictTime(false), // ours, in the label: it knows about waits
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetWidth(24),
			progressbar.OptionThrottle(100 * time.Millisecond),
			progressbar.OptionClearOnFinish(),
		}
		if total > 0 {
			opts = append(opts, progressbar.OptionShowCount())
		}
		p.bar = progressbar.NewOptions(total, opts...) // -1: a spinner
	}
	if meter != nil && (p.bar != nil || total != 0) {
		go p.tick()
	}
	return p
}

// tick refreshes the label while requests run and retries wait, between
// files; without a bar it tells new waits.
func (p *progress) tick() {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.refresh()
		}
	}
}

// refresh redraws the label, or tells a retry's wait in a plain line: at
// most one every 5 s, and only waits of a second or more.
func (p *progress) refresh() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Describe(p.describe())
		if p.total < 0 {
			_ = p.bar.Add(0) // a spinner turns when drawn
		}
		return
	}
	p.tellWait()
}

// tellWait writes the latest retry wait not yet told; call with p.mu held.
func (p *progress) tellWait() {
	s := p.meter.state()
	if s.waitSeq == p.seen {
		return
	}
	p.seen = s.waitSeq
	if w := s.lastWait; w.wait.Round(time.Second) >= time.Second && hasPrefix(w.stage, p.only) && time.Since(p.told) >= 5*time.Second {
		p.told = time.Now()
		fmt.Fprintln(p.w, news.Printable(fmt.Sprintf("waiting %s before retrying a %s request: %s", w.wait.Round(time.Second), w.stage, w.reason)))
	}
}

// stageTracker follows one file through the stages for the label.
type stageTracker struct {
	p   *progress
	cur news.Stage
}

// track starts following a file; call done when it is.
func (p *progress) track() *stageTracker { return &stageTracker{p: p} }

// move says the file is now in stage s.
func (t *stageTracker) move(s news.Stage) {
	t.p.mu.Lock()
	defer t.p.mu.Unlock()
	if t.p.at == nil {
		t.p.at = map[news.Stage]int{}
	}
	if t.cur != "" {
		t.p.at[t.cur]--
	}
	t.p.at[s]++
	t.cur = s
}

func (t *stageTracker) done() {
	t.p.mu.Lock()
	defer t.p.mu.Unlock()
	if t.cur != "" {
		t.p.at[t.cur]--
		t.cur = ""
	}
}

// describe renders the label; call with p.mu held.
func (p *progress) describe() string {
	s := p.meter.state()
	var parts []string
	if p.total < 0 {
		// a phase of requests (the briefing): what they are doing
		parts = append(parts, p.label)
		if st := s.stages(p.only...); st != "" {
			parts = append(parts, st)
		}
	} else {
		// files: how many are at each stage
		var at []string
		for _, st := range []news.Stage{news.StageClean, news.StageTranslate, news.StageSummarize} {
			if n := p.at[st]; n > 0 {
				at = append(at, fmt.Sprintf("%s %d", st, n))
			}
		}
		if len(at) > 0 {
			parts = append(parts, strings.Join(at, " · "))
		}
	}
	if p.total < 0 {
		parts = append(parts, fmt.Sprintf("%d requests done", s.doneCount(p.only...)))
	}
	waiting := s.retrying(time.Now())
	if waiting != "" {
		parts = append(parts, waiting)
	}
	tok := max(int64(p.tokens), p.meter.Tokens())
	if el := time.Since(p.started).Seconds(); tok > 0 && el > 0 {
		parts = append(parts, fmt.Sprintf("%d tok, %.0f tok/s", tok, float64(tok)/el))
	}
	switch {
	case p.total <= 0:
	case waiting != "":
		parts = append(parts, "ETA: waiting on the server")
	case p.files > 0 && p.files < p.total:
		per := time.Since(p.started) / time.Duration(p.files)
		parts = append(parts, "ETA "+(per*time.Duration(p.total-p.files)).Round(time.Second).String())
	}
	if p.last != "" {
		parts = append(parts, p.last)
	}
	return strings.Join(parts, " · ")
}

// fileDone records one finished file.
func (p *progress) fileDone(rec *FileRecord, tokens int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokens += tokens
	p.files++
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

// roundDuration keeps two or three significant figures: 4.2s, 37ms.
func roundDuration(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.stop:
	default:
		close(p.stop)
		if p.bar == nil && p.meter != nil && p.total != 0 {
			p.tellWait() // a wait the ticker had no time to see
		}
	}
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
