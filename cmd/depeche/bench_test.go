package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/apertium"
)

// BenchmarkOfflineVsApertium is issue 4's speed target: a whole offline run
// (clean, translate, summarize, brief) of 200 articles against the bare
// `apertium -u fr-es | apertium -u spa-eng` pipe over the same cleaned text,
// run once. x_pipe is their ratio; the target is at most 1.5.
func BenchmarkOfflineVsApertium(b *testing.B) {
	if err := apertium.Available(""); err != nil {
		b.Skip("apertium unavailable, offline speed not measured: ", err)
	}
	const articles = 200
	dir := b.TempDir()
	src := filepath.Join(dir, "articles")
	genArticles(b, src, articles)

	// The cleaned text, as `depeche clean` writes it.
	cleanOut := filepath.Join(dir, "cleaned")
	depecheRun(b, "clean", src, "--config", offlineConfig(b, dir, cleanOut), "-q")
	paths, err := filepath.Glob(filepath.Join(cleanOut, "clean", "*.txt"))
	if err != nil || len(paths) != articles {
		b.Fatalf("cleaned %d files, want %d (%v)", len(paths), articles, err)
	}
	var text strings.Builder
	for _, p := range paths {
		t, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		text.Write(t)
		text.WriteString("\n")
	}

	// Wall time on a shared machine varies with its load; CPU time (this
	// process's and its reaped children's, Apertium's legs included) much
	// less, so both ratios are reported.
	var pipe, whole, pipeCPU, wholeCPU time.Duration
	for b.Loop() {
		start, cpu := time.Now(), cpuWithChildren()
		cmd := exec.Command("/bin/sh", "-c", "apertium -u fr-es | apertium -u spa-eng")
		cmd.Stdin = strings.NewReader(text.String())
		if out, err := cmd.Output(); err != nil || len(out) == 0 {
			b.Fatalf("bare pipe: %v", err)
		}
		pipe, pipeCPU = time.Since(start), cpuWithChildren()-cpu

		out, err := os.MkdirTemp(dir, "out-")
		if err != nil {
			b.Fatal(err)
		}
		start, cpu = time.Now(), cpuWithChildren()
		depecheRun(b, "run", src, "--config", offlineConfig(b, out, out), "-q")
		whole, wholeCPU = time.Since(start), cpuWithChildren()-cpu
	}
	b.ReportMetric(wholeCPU.Seconds()/pipeCPU.Seconds(), "x_pipe_cpu")
	b.ReportMetric(pipe.Seconds(), "pipe_s")
	b.ReportMetric(whole.Seconds(), "offline_run_s")
	b.ReportMetric(whole.Seconds()/pipe.Seconds(), "x_pipe")
	b.ReportMetric(float64(text.Len())/1024/pipe.Seconds(), "pipe_KB/s")
	b.ReportMetric(float64(text.Len())/1024, "cleaned_KB")
	b.ReportMetric(loadAverage(), "loadavg")
}

// cpuWithChildren is the user and system time of this process and of its
// children that have been waited for.
func cpuWithChildren() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}

// offlineConfig writes a config for the offline engine into dir.
func offlineConfig(tb testing.TB, dir, out string) string {
	tb.Helper()
	p := filepath.Join(dir, "offline.yaml")
	body := "engine: offline\noutput: " + out + "\nglossary: testdata/glossary.yaml\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}
