package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/lang"
)

// The benchmarks need many articles that read like the seeds (French news
// prose with names, figures, quotes and typography) yet are distinct, since
// lines repeated across a fifth of a batch are cleaned away as site chrome
// and identical chunks would be answered from the cache. genArticles
// recombines the seeds' sentences, deterministically: article i is the same
// text on every machine and every run.

var (
	genDays   = []string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
	genMonths = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	// a few lines of the kind scrapers leave behind, so cleaning has work
	genChrome = [][]string{
		{"Partager sur Facebook", "Partager sur X", "Envoyer par e-mail"},
		{"Laisser un commentaire", "Votre adresse e-mail ne sera pas publiée."},
		{"À lire aussi", "Les plus lus", "Abonnez-vous à notre newsletter"},
	}
)

// seedSentences returns the sentences of the seeds' body paragraphs (blocks
// of 150 characters or more: titles, bylines and share buttons are shorter).
func seedSentences(tb testing.TB) []string {
	tb.Helper()
	paths, err := filepath.Glob("testdata/seeds/*.txt")
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no seeds in testdata/seeds: %v", err)
	}
	var out []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		for _, block := range strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n\n") {
			block = strings.TrimSpace(block)
			if len([]rune(block)) < 150 {
				continue
			}
			for _, s := range lang.Sentences(strings.Join(strings.Fields(block), " ")) {
				if len([]rune(s)) >= 40 {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// genArticles writes n French articles of about the seeds' size (5 to 8
// paragraphs of 2 to 4 sentences, a title, a date line, some scraper
// chrome) into dir and returns the bytes written.
func genArticles(tb testing.TB, dir string, n int) int64 {
	tb.Helper()
	pool := seedSentences(tb)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	var total int64
	for i := range n {
		rng := rand.New(rand.NewPCG(uint64(i), 0xdeb0c4e))
		var b strings.Builder
		title := strings.Fields(pool[rng.IntN(len(pool))])
		title = title[:min(len(title), 8+rng.IntN(6))]
		for len(title) > 4 && len([]rune(title[len(title)-1])) <= 3 {
			title = title[:len(title)-1] // no title ends on "de" or "le"
		}
		fmt.Fprintf(&b, "%s\n\n", strings.TrimRight(strings.Join(title, " "), ",;:"))
		fmt.Fprintf(&b, "Mis à jour %s %d %s 2024 – %dh%02d\n\n",
			genDays[i%7], 1+i%28, genMonths[(i/28)%12], 6+rng.IntN(16), rng.IntN(60))
		for range 5 + rng.IntN(4) {
			k := 2 + rng.IntN(3)
			start := rng.IntN(len(pool))
			ss := make([]string, k)
			for j := range ss {
				// mostly consecutive sentences, as in a real paragraph
				if rng.IntN(3) == 0 {
					ss[j] = pool[rng.IntN(len(pool))]
				} else {
					ss[j] = pool[(start+j)%len(pool)]
				}
			}
			fmt.Fprintf(&b, "%s\n\n", strings.Join(ss, " "))
		}
		b.WriteString(strings.Join(genChrome[i%len(genChrome)], "\n") + "\n")
		name := filepath.Join(dir, fmt.Sprintf("%04d_article.txt", i))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
		total += int64(b.Len())
	}
	return total
}

// TestGenArticles keeps the generator honest: distinct French articles of
// the seeds' size.
func TestGenArticles(t *testing.T) {
	dir := t.TempDir()
	n := 20
	size := genArticles(t, dir, n)
	if avg := size / int64(n); avg < 2000 || avg > 6000 {
		t.Errorf("average article %d bytes; want about the seeds' 3,700", avg)
	}
	seen := map[string]bool{}
	for i := range n {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("%04d_article.txt", i)))
		if err != nil {
			t.Fatal(err)
		}
		if seen[string(b)] {
			t.Errorf("article %d repeats an earlier one", i)
		}
		seen[string(b)] = true
		if got := lang.Detect(string(b)); got != lang.French {
			t.Errorf("article %d detected as %q; want French", i, got)
		}
	}
	again := t.TempDir()
	genArticles(t, again, 1)
	a, _ := os.ReadFile(filepath.Join(dir, "0000_article.txt"))
	b, _ := os.ReadFile(filepath.Join(again, "0000_article.txt"))
	if string(a) != string(b) {
		t.Error("the generator is not deterministic")
	}
}
