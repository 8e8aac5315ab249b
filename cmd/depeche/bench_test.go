package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

	var pipe, whole time.Duration
	for b.Loop() {
		start := time.Now()
		cmd := exec.Command("/bin/sh", "-c", "apertium -u fr-es | apertium -u spa-eng")
		cmd.Stdin = strings.NewReader(text.String())
		if out, err := cmd.Output(); err != nil || len(out) == 0 {
			b.Fatalf("bare pipe: %v", err)
		}
		pipe = time.Since(start)

		out, err := os.MkdirTemp(dir, "out-")
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		depecheRun(b, "run", src, "--config", offlineConfig(b, out, out), "-q")
		whole = time.Since(start)
	}
	b.ReportMetric(pipe.Seconds(), "pipe_s")
	b.ReportMetric(whole.Seconds(), "offline_run_s")
	b.ReportMetric(whole.Seconds()/pipe.Seconds(), "x_pipe")
	b.ReportMetric(float64(text.Len())/1024/pipe.Seconds(), "pipe_KB/s")
	b.ReportMetric(float64(text.Len())/1024, "cleaned_KB")
	b.ReportMetric(loadAverage(), "loadavg")
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
