package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkPeakRSS is issue 9's memory measure: the depeche binary runs the
// whole pipeline over 200 generated articles against an in-process fake
// server (64 slots, 1 ms per request), and the kernel's peak resident set
// of the child process is reported. BenchmarkBriefingScale carries the
// measure to 2,000 and 5,000 articles told as stories.
func BenchmarkPeakRSS(b *testing.B) {
	bin := buildDepeche(b)
	src := filepath.Join(b.TempDir(), "articles-200")
	genArticles(b, src, 200)
	var rss float64
	for b.Loop() {
		rss = peakRSS(b, bin, src)
	}
	b.ReportMetric(rss, "MB_rss_200")
}

// buildDepeche builds the CLI into a temporary folder.
func buildDepeche(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "depeche")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// peakRSS runs `depeche run src` in a fresh output folder and returns the
// child's peak resident set in MB (getrusage's ru_maxrss, in KB on Linux).
func peakRSS(b *testing.B, bin, src string) float64 {
	b.Helper()
	srv := newSlotServer(b, 64, time.Millisecond)
	_, cfg := benchOutput(b, srv)
	m := runDepeche(b, bin, "run", src, "--config", cfg, "-q")
	b.Logf("%s: %.1f MB peak RSS, %d requests, %v", filepath.Base(src), m.rssMB, srv.Count(), m.took.Round(time.Millisecond))
	return m.rssMB
}

// benchOutput makes a fresh output folder and a configuration that sends
// the llm engine to srv with 32 requests in flight.
func benchOutput(b *testing.B, srv *slotServer) (out, cfg string) {
	b.Helper()
	out, err := os.MkdirTemp(b.TempDir(), "out-")
	if err != nil {
		b.Fatal(err)
	}
	// A 128k context (gpt-4o-mini's) keeps the fake briefer's answers, which
	// list every source and never shrink, within one reduce level.
	cfg = filepath.Join(out, "config.yaml")
	conf := llmConfig(srv.URL(), out, "  concurrency: 32\n  context_tokens: 131072\n")
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		b.Fatal(err)
	}
	return out, cfg
}

// measured is one run of the binary: its wall time and the kernel's peak
// resident set of the process.
type measured struct {
	took  time.Duration
	rssMB float64
}

// runDepeche runs the binary to completion and measures it; a failed run
// fails the benchmark with the end of its stderr.
//
// The peak resident set is the child's VmHWM, read from /proc while it
// runs. Its rusage cannot be used: Go starts a child with vfork, sharing
// the parent's memory until exec, and Linux counts that shared memory into
// the child's ru_maxrss, so after a big run in the same benchmark process
// every later child "peaked" at the benchmark's own size. rusage is the
// fallback where /proc is missing.
func runDepeche(b *testing.B, bin string, args ...string) measured {
	b.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	hwm := make(chan float64)
	stop := make(chan struct{})
	go func() {
		var peak float64
		status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
		for {
			if kb, ok := vmHWM(status); ok {
				peak = max(peak, kb/1024)
			}
			select {
			case <-stop:
				hwm <- peak
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	err := cmd.Wait()
	took := time.Since(start)
	close(stop)
	peak := <-hwm
	if err != nil {
		b.Fatalf("depeche %s: %v\n%s", strings.Join(args, " "), err, lastLines(stderr.String(), 20))
	}
	if peak == 0 {
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			b.Skip("neither /proc nor rusage on this platform")
		}
		peak = float64(ru.Maxrss) / 1024 // ru_maxrss is in KB on Linux
	}
	return measured{took: took, rssMB: peak}
}

// vmHWM reads a process's peak resident set, in kB, from its
// /proc/PID/status. Being a high-water mark, the last reading before the
// process exits is its peak up to then.
func vmHWM(status string) (float64, bool) {
	raw, err := os.ReadFile(status)
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb, err == nil
		}
	}
	return 0, false
}
