package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

// slotServer is a model server with a fixed number of slots, the way vLLM
// (--max-num-seqs) or llama.cpp (--parallel) serve: at most slots requests
// are worked on at once, the others wait in line, and each holds its slot
// for a fixed latency (or for as long as the fake model takes to answer,
// if that is longer). The answers are llmtest.Model()'s.
type slotServer struct {
	*llmtest.Server
	slots   chan struct{}
	latency time.Duration

	mu    sync.Mutex
	busy  int
	peak  int
	spans []span
}

// span is one request's time in a slot.
type span struct {
	stage      string
	start, end time.Time
}

func newSlotServer(tb testing.TB, slots int, latency time.Duration) *slotServer {
	s := &slotServer{slots: make(chan struct{}, slots), latency: latency}
	model := llmtest.Model()
	s.Server = llmtest.New(tb, func(c llmtest.Call) llmtest.Reply {
		s.slots <- struct{}{}
		start := time.Now()
		s.mu.Lock()
		s.busy++
		s.peak = max(s.peak, s.busy)
		s.mu.Unlock()
		rep := model.Handle(c)
		time.Sleep(s.latency - time.Since(start))
		s.mu.Lock()
		s.busy--
		s.spans = append(s.spans, span{c.Stage, start, time.Now()})
		s.mu.Unlock()
		<-s.slots
		return rep
	})
	return s
}

// stats sums the served requests: how many, of which briefing calls, when
// the first began and the last per-file request ended, and the busy
// slot-time.
func (s *slotServer) stats() (requests, briefing int, first, lastPerFile time.Time, busy time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sp := range s.spans {
		if first.IsZero() || sp.start.Before(first) {
			first = sp.start
		}
		requests++
		busy += sp.end.Sub(sp.start)
		if strings.HasPrefix(sp.stage, "brief") {
			briefing++
		} else if sp.end.After(lastPerFile) {
			lastPerFile = sp.end
		}
	}
	return
}

// briefWaves is the briefing's critical path in latencies: its calls are
// map-reduce levels, each waiting for the one before, and a level of k
// calls needs at least ceil(k/slots) latencies. Levels are told apart by
// arrival: a call that starts before the previous level's last call ended
// belongs to that level.
func (s *slotServer) briefWaves(slots int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var calls []span
	for _, sp := range s.spans {
		if strings.HasPrefix(sp.stage, "brief") {
			calls = append(calls, sp)
		}
	}
	waves, inLevel := 0, 0
	var levelEnd time.Time
	flush := func() { waves += (inLevel + slots - 1) / slots }
	for _, c := range sortSpans(calls) {
		if inLevel > 0 && !c.start.Before(levelEnd) {
			flush()
			inLevel = 0
		}
		inLevel++
		if c.end.After(levelEnd) {
			levelEnd = c.end
		}
	}
	flush()
	return waves
}

func sortSpans(ss []span) []span {
	out := append([]span(nil), ss...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].start.Before(out[j-1].start); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// BenchmarkEndToEnd is issue 9's end-to-end measure: `depeche run` on 200
// generated articles against a server with 8 slots and 50 ms per request
// (and 200 ms), with llm.concurrency 8, then the same run again with a warm
// cache. llm.context_tokens is 16384: llmtest's briefer lists every source
// in its answer whatever the word limit, so in the default 4k context the
// briefing's map-reduce would never shrink to one call.
//
// The ideal is requests × latency / slots. The briefing cannot reach it: it
// starts when the last summary is written, and its map-reduce levels wait
// for each other. So the benchmark reports
//   - x_ideal: wall time / (all requests × latency / slots), the formula;
//   - x_ideal_perfile: time until the last per-file request ended /
//     (per-file requests × latency / slots): whether the runner keeps the
//     slots busy (the target is ≤ 1.15);
//   - x_ideal_dep: wall time / (per-file ideal + the briefing's critical path),
//     the best any scheduler could do with these dependencies.
func BenchmarkEndToEnd(b *testing.B) {
	const (
		articles = 200
		slots    = 8
	)
	dir := b.TempDir()
	src := filepath.Join(dir, "articles")
	genArticles(b, src, articles)
	// 50 ms is the setting; at 200 ms depeche's own CPU work per
	// article (cleaning, ten atomic file writes) matters four times less.
	for _, latency := range []time.Duration{50 * time.Millisecond, 200 * time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%dms", latency.Milliseconds()), func(b *testing.B) {
			var m e2eMetrics
			for b.Loop() {
				m = runEndToEnd(b, dir, src, slots, latency)
			}
			m.report(b)
			if m.peak != slots {
				b.Logf("peak in-flight %d; want %d (every slot busy)", m.peak, slots)
			}
		})
	}
}

func (m e2eMetrics) report(b *testing.B) {
	b.ReportMetric(m.wall.Seconds(), "wall_s")
	b.ReportMetric(float64(m.requests), "requests")
	b.ReportMetric(float64(m.briefing), "brief_requests")
	b.ReportMetric(m.wall.Seconds()/m.ideal.Seconds(), "x_ideal")
	b.ReportMetric(m.perFile.Seconds()/m.idealPerFile.Seconds(), "x_ideal_perfile")
	b.ReportMetric(m.wall.Seconds()/m.idealDep.Seconds(), "x_ideal_dep")
	b.ReportMetric(float64(m.startup.Milliseconds()), "first_request_ms")
	b.ReportMetric(float64(m.tail.Milliseconds()), "brief_tail_ms")
	b.ReportMetric(m.cpu.Seconds(), "cpu_s")
	b.ReportMetric(loadAverage(), "loadavg")
	b.ReportMetric(float64(m.peak), "peak_inflight")
	b.ReportMetric(float64(m.clientPeak), "client_peak_inflight")
	b.ReportMetric(m.utilisation, "slot_utilisation")
	b.ReportMetric(m.promptPerSource, "prompt_tok/src_tok")
	b.ReportMetric(float64(m.rerun.Milliseconds()), "rerun_ms")
	b.ReportMetric(float64(m.rerunRequests), "rerun_requests")
}

type e2eMetrics struct {
	wall, perFile, rerun              time.Duration
	startup, tail                     time.Duration // before the first request; after the last per-file one
	cpu                               time.Duration // CPU of the whole test process: depeche and the fake server
	ideal, idealPerFile, idealDep     time.Duration
	requests, briefing, rerunRequests int
	peak, clientPeak                  int
	utilisation, promptPerSource      float64
}

func runEndToEnd(b *testing.B, dir, src string, slots int, latency time.Duration) e2eMetrics {
	b.Helper()
	srv := newSlotServer(b, slots, latency)
	out, err := os.MkdirTemp(dir, "out-")
	if err != nil {
		b.Fatal(err)
	}
	cfg := filepath.Join(out, "config.yaml")
	if err := os.WriteFile(cfg, []byte(llmConfig(srv.URL(), out, "  concurrency: 8\n  context_tokens: 16384\n")), 0o644); err != nil {
		b.Fatal(err)
	}
	var m e2eMetrics
	start, cpu0 := time.Now(), cpuTime()
	depecheRun(b, "run", src, "--config", cfg, "-q")
	m.wall = time.Since(start)
	m.cpu = cpuTime() - cpu0
	var first, last time.Time
	var busy time.Duration
	m.requests, m.briefing, first, last, busy = srv.stats()
	m.startup, m.perFile, m.tail = first.Sub(start), last.Sub(start), m.wall-last.Sub(start)
	m.peak, m.clientPeak = srv.peak, srv.PeakInFlight()
	m.utilisation = busy.Seconds() / (float64(slots) * m.wall.Seconds())
	perSlot := func(n int) time.Duration { return time.Duration(n) * latency / time.Duration(slots) }
	m.ideal = perSlot(m.requests)
	m.idealPerFile = perSlot(m.requests - m.briefing)
	m.idealDep = m.idealPerFile + time.Duration(srv.briefWaves(slots))*latency
	m.promptPerSource = promptPerSource(b, srv, out)

	before := srv.Count()
	start = time.Now()
	depecheRun(b, "run", src, "--config", cfg, "-q")
	m.rerun = time.Since(start)
	m.rerunRequests = srv.Count() - before
	return m
}

// depecheRun runs the CLI in-process and fails on a non-zero exit.
func depecheRun(tb testing.TB, args ...string) string {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != 0 {
		tb.Fatalf("depeche %s: exit %d\n%s", strings.Join(args, " "), code, lastLines(stderr.String(), 20))
	}
	return stderr.String()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// promptPerSource is issue 9's prompt economy over a whole run: every token
// of every translation prompt (system prompt, title, glossary, markers,
// corrective re-asks) per token of cleaned source text.
func promptPerSource(tb testing.TB, srv *slotServer, out string) float64 {
	tb.Helper()
	const model = "fake-model"
	sent := 0
	for _, c := range srv.Calls() {
		if c.Stage != "translate" && c.Stage != "review" {
			continue
		}
		for _, msg := range c.Messages {
			sent += llm.CountTokens(model, msg.Content)
		}
	}
	paths, err := filepath.Glob(filepath.Join(out, "clean", "*.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	source := 0
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		for _, block := range strings.Split(string(b), "\n\n") {
			if block = strings.TrimSpace(block); block != "" {
				source += llm.CountTokens(model, block)
			}
		}
	}
	if source == 0 {
		tb.Fatal("no cleaned source text")
	}
	return float64(sent) / float64(source)
}

// cpuTime is the user and system CPU this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the machine's 1-minute load average, reported next to the
// timings: on a shared machine they depend on it.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return f
}
