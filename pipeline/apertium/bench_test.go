package apertium

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// benchArticles builds n articles of cleaned French by permuting the seeds'
// paragraphs, so the benchmark needs nothing but the seeds.
func benchArticles(b *testing.B, n int) ([][]string, int) {
	files, _ := filepath.Glob("testdata/seeds/*.txt")
	var pool []string
	for _, f := range files {
		title, paras := readArticle(b, f)
		for _, p := range append([]string{title}, paras...) {
			if len([]rune(p)) >= 60 { // skip residue lines ("LIRE AUSSI")
				pool = append(pool, p)
			}
		}
	}
	if len(pool) == 0 {
		b.Fatal("no seed paragraphs")
	}
	var arts [][]string
	size := 0
	for i := range n {
		var a []string
		for j := range 9 {
			p := pool[(i*7+j*11)%len(pool)]
			a = append(a, p)
			size += len(p)
		}
		arts = append(arts, a)
	}
	return arts, size
}

func reportKBs(b *testing.B, bytes int, start time.Time) {
	b.ReportMetric(float64(bytes*b.N)/1024/time.Since(start).Seconds(), "KB/s")
}

// BenchmarkBarePipe is the baseline: all the text, once, through
// `apertium -u fr-es | apertium -u spa-eng`.
func BenchmarkBarePipe(b *testing.B) {
	if err := Available(""); err != nil {
		b.Skip("apertium not installed: ", err)
	}
	arts, size := benchArticles(b, 200)
	var all []string
	for _, a := range arts {
		all = append(all, strings.Join(a, "\n\n"))
	}
	text := strings.Join(all, "\n\n")
	b.SetBytes(int64(size))
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		barePivot(b, text)
	}
	reportKBs(b, size, start)
}

// BenchmarkTranslator translates the same 200 articles the way the runner
// does, one Translate call per article from concurrent goroutines, with
// start-up of the pipes included.
func BenchmarkTranslator(b *testing.B) {
	if err := Available(""); err != nil {
		b.Skip("apertium not installed: ", err)
	}
	arts, size := benchArticles(b, 200)
	g := loadGlossary(b)
	b.SetBytes(int64(size))
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		tr, err := NewTranslator(TranslatorConfig{Glossary: g})
		if err != nil {
			b.Fatal(err)
		}
		jobs := make(chan []string)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for a := range jobs {
					if _, _, _, err := tr.Translate(context.Background(), a[0], a[1:]); err != nil {
						b.Error(err)
					}
				}
			})
		}
		for _, a := range arts {
			jobs <- a
		}
		close(jobs)
		wg.Wait()
		tr.Close()
	}
	reportKBs(b, size, start)
}

// BenchmarkRules is the translator's own work on the same 200 articles —
// protection, expressions, possessives, unknown words, post-editing —
// through an identity filter instead of Apertium, so that it can be kept
// small beside the pivot (BenchmarkBarePipe).
func BenchmarkRules(b *testing.B) {
	arts, size := benchArticles(b, 200)
	tr, err := NewTranslator(TranslatorConfig{Workers: 1, Glossary: loadGlossary(b), Command: "cat", Dictionaries: installedDictionaries(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	b.SetBytes(int64(size))
	start := time.Now()
	for b.Loop() {
		for _, a := range arts {
			if _, _, _, err := tr.Translate(context.Background(), a[0], a[1:]); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportKBs(b, size, start)
}
