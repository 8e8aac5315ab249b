package pipeline

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Meter sums what the model client reports while a run goes on: the
// completion tokens streamed (tokens/s while long chunks are generated),
// the requests in flight per stage, and the retries waiting and why. The
// progress display reads it; the CLI feeds it from the client (Add fits
// llm.Config.OnProgress, Event takes an llm.Event's fields), so the runner
// needs no model client of its own.
type Meter struct {
	n atomic.Int64

	mu       sync.Mutex
	inFlight map[string]int
	done     map[string]int
	waits    []meterWait // retries waiting now
	waitSeq  int         // waits begun so far
	lastWait meterWait   // the latest to begin
}

type meterWait struct {
	stage, reason string
	until         time.Time
	wait          time.Duration
}

// Add records n streamed tokens.
func (m *Meter) Add(_ string, n int) { m.n.Add(int64(n)) }

// Tokens returns the total so far.
func (m *Meter) Tokens() int64 {
	if m == nil {
		return 0
	}
	return m.n.Load()
}

// Event records one step of a request: kind is "sent" or "done" (an HTTP
// attempt), "wait" (a retry waits until until, for reason) or "resume"
// (the wait ending at until is over); see llm.Event.
func (m *Meter) Event(stage, kind, reason string, until time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.inFlight == nil {
		m.inFlight, m.done = map[string]int{}, map[string]int{}
	}
	switch kind {
	case "sent":
		m.inFlight[stage]++
	case "done":
		m.inFlight[stage]--
		m.done[stage]++
	case "wait":
		w := meterWait{stage: stage, reason: reason, until: until, wait: time.Until(until)}
		m.waits = append(m.waits, w)
		m.waitSeq++
		m.lastWait = w
	case "resume":
		if i := slices.IndexFunc(m.waits, func(w meterWait) bool { return w.stage == stage && w.until.Equal(until) }); i >= 0 {
			m.waits = slices.Delete(m.waits, i, i+1)
		}
	}
}

// meterState is a copy of what the meter holds, taken under its lock.
type meterState struct {
	inFlight, done map[string]int
	waits          []meterWait
	waitSeq        int
	lastWait       meterWait
}

func (m *Meter) state() meterState {
	if m == nil {
		return meterState{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := meterState{inFlight: map[string]int{}, done: map[string]int{}, waits: slices.Clone(m.waits), waitSeq: m.waitSeq, lastWait: m.lastWait}
	for k, v := range m.inFlight {
		s.inFlight[k] = v
	}
	for k, v := range m.done {
		s.done[k] = v
	}
	return s
}

// stages says which stages have requests in flight, "translate 4 ·
// summarize 1", keeping only those whose name starts with one of prefixes
// (all when none).
func (s meterState) stages(prefixes ...string) string {
	var parts []string
	for _, st := range sortedStages(s.inFlight, s.done) {
		if !hasPrefix(st, prefixes) || st == "probe" {
			continue
		}
		if n := s.inFlight[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", st, n))
		}
	}
	return strings.Join(parts, " · ")
}

// doneCount is how many requests of the stages with these prefixes ended.
func (s meterState) doneCount(prefixes ...string) int {
	n := 0
	for st, d := range s.done {
		if hasPrefix(st, prefixes) {
			n += d
		}
	}
	return n
}

// retrying says how many retries wait and for what, "retrying 2: 429
// (Retry-After 30s), next in 24s", or "".
func (s meterState) retrying(now time.Time) string {
	if len(s.waits) == 0 {
		return ""
	}
	next := s.waits[0]
	for _, w := range s.waits[1:] {
		if w.until.Before(next.until) {
			next = w
		}
	}
	in := max(next.until.Sub(now), 0).Round(time.Second)
	return fmt.Sprintf("retrying %d: %s, next in %s", len(s.waits), next.reason, in)
}

// requestStages puts request stages in pipeline order for display.
var requestStages = []string{"translate", "review", "summarize", "brief"}

func sortedStages(maps ...map[string]int) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range maps {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	rank := func(s string) int {
		for i, p := range requestStages {
			if strings.HasPrefix(s, p) {
				return i
			}
		}
		return len(requestStages)
	}
	sort.Slice(out, func(i, j int) bool {
		if ri, rj := rank(out[i]), rank(out[j]); ri != rj {
			return ri < rj
		}
		return out[i] < out[j]
	})
	return out
}

func hasPrefix(s string, prefixes []string) bool {
	if len(prefixes) == 0 {
		return true
	}
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
