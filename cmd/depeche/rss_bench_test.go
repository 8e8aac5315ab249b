package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// BenchmarkPeakRSS is issue 9's memory measure: the depeche binary runs the
// whole pipeline over 200 and then 2,000 generated articles against an
// in-process fake server (64 slots, 1 ms per request), and the kernel's
// peak resident set of the child process is reported for each. Memory that
// stays flat as the batch grows tenfold is what "files are streamed through
// the stages" means; the target is well under 150 MB at 2,000.
func BenchmarkPeakRSS(b *testing.B) {
	bin := buildDepeche(b)
	dir := b.TempDir()
	sizes := []int{200, 2000}
	rss := map[int]float64{}
	for b.Loop() {
		for _, n := range sizes {
			src := filepath.Join(dir, fmt.Sprintf("articles-%d", n))
			if _, err := os.Stat(src); err != nil {
				genArticles(b, src, n)
			}
			rss[n] = peakRSS(b, bin, src)
		}
	}
	for _, n := range sizes {
		b.ReportMetric(rss[n], fmt.Sprintf("MB_rss_%d", n))
	}
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
	out, err := os.MkdirTemp(b.TempDir(), "out-")
	if err != nil {
		b.Fatal(err)
	}
	// A 128k context (gpt-4o-mini's) keeps the fake briefer's answers, which
	// list every source and never shrink, within one reduce level.
	cfg := filepath.Join(out, "config.yaml")
	conf := llmConfig(srv.URL(), out, "  concurrency: 32\n  context_tokens: 131072\n")
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		b.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "run", src, "--config", cfg, "-q")
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("depeche run (%d requests): %v\n%s", srv.Count(), err, lastLines(stderr.String(), 20))
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		b.Skip("no rusage on this platform")
	}
	mb := float64(ru.Maxrss) / 1024
	b.Logf("%s: %.1f MB peak RSS, %d requests, %v", filepath.Base(src), mb, srv.Count(), time.Since(start).Round(time.Millisecond))
	return mb
}
