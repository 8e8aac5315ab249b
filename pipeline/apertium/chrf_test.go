package apertium

import (
	"context"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// chrF is the character n-gram F-score (Popović 2015) as sacrebleu computes
// it: whitespace removed, n-grams of order 1..6, an F-beta score (beta 2,
// recall weighted) per order, averaged over the orders, on 0–100.
func chrF(hyp, ref string) float64 {
	const order, beta = 6, 2.0
	h, r := chrfChars(hyp), chrfChars(ref)
	sum, n := 0.0, 0
	for k := 1; k <= order; k++ {
		hg, rg := ngrams(h, k), ngrams(r, k)
		var nh, nr, match int
		for g, c := range hg {
			nh += c
			match += min(c, rg[g])
		}
		for _, c := range rg {
			nr += c
		}
		if nh == 0 || nr == 0 {
			continue
		}
		p, rec := float64(match)/float64(nh), float64(match)/float64(nr)
		if p+rec > 0 {
			sum += (1 + beta*beta) * p * rec / (beta*beta*p + rec)
		}
		n++
	}
	if n == 0 {
		return 0
	}
	return 100 * sum / float64(n)
}

func chrfChars(s string) []rune {
	return []rune(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s))
}

func ngrams(rs []rune, n int) map[string]int {
	m := map[string]int{}
	for i := 0; i+n <= len(rs); i++ {
		m[string(rs[i:i+n])]++
	}
	return m
}

func TestChrF(t *testing.T) {
	tests := []struct {
		hyp, ref string
		want     float64
	}{
		{"the cat sat", "the cat sat", 100},
		{"the cat sat", "thecatsat", 100}, // whitespace does not count
		{"xyz", "abc", 0},
		{"", "abc", 0},
		// "ab" vs "abc": order 1 P=1 R=2/3, order 2 P=1 R=1/2, order 3 P=0 R=0
		// (hyp has no trigram, so that order is skipped).
		{"ab", "abc", 100 * (f2(1, 2.0/3) + f2(1, 0.5)) / 2},
	}
	for _, tt := range tests {
		if got := chrF(tt.hyp, tt.ref); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("chrF(%q, %q) = %v, want %v", tt.hyp, tt.ref, got, tt.want)
		}
	}
	if a, b := chrF("the cat sat on the mat", "the cat sat on a mat"), chrF("a dog ran", "the cat sat on a mat"); a <= b {
		t.Errorf("closer hypothesis scored %v, not above %v", a, b)
	}
}

func f2(p, r float64) float64 { return 5 * p * r / (4*p + r) }

// barePivot is the baseline the issue measures against: the text through
// `apertium -u fr-es | apertium -u spa-eng`, nothing protected.
func barePivot(t testing.TB, text string) string {
	t.Helper()
	cmd := exec.Command("/bin/sh", "-c", "apertium -u fr-es | apertium -u spa-eng")
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bare pivot: %v", err)
	}
	return string(out)
}

// scores are one reference set's chrF for the three stages of the offline
// translator, over all its articles joined.
type scores struct {
	raw, previous, current float64
	// words of English and how many of them were left in French (or
	// Spanish), by the previous protected pivot and now
	words, left [2]int
}

// measure translates every article of a reference folder (NAME.fr.txt with
// NAME.en.txt) with the raw pivot, the previous protected pivot (glossary,
// names, numbers and dates only) and the translator as it is, and checks
// that every glossary name survives.
func measure(t *testing.T, dir string) scores {
	tr := newTranslator(t, 1)
	prev := newTranslator(t, 1)
	prev.rules = rules{glossary: prev.rules.glossary}
	g := loadGlossary(t)
	refs, _ := filepath.Glob(filepath.Join(dir, "*.fr.txt"))
	if len(refs) < 3 {
		t.Fatalf("%s: want at least 3 references, have %d", dir, len(refs))
	}
	var rawAll, prevAll, curAll, refAll []string
	var sc scores
	for _, f := range refs {
		title, paras := readArticle(t, f)
		refTitle, ref := readArticle(t, strings.TrimSuffix(f, ".fr.txt")+".en.txt")
		ref = append([]string{refTitle}, ref...)
		if len(ref) != len(paras)+1 {
			t.Fatalf("%s: reference has %d paragraphs, source %d", f, len(ref), len(paras)+1)
		}
		src := append([]string{title}, paras...)
		raw := barePivot(t, strings.Join(src, "\n\n"))
		var outs [2]string
		for k, x := range []*Translator{prev, tr} {
			et, ep, rep, err := x.Translate(context.Background(), title, paras)
			if err != nil {
				t.Fatal(err)
			}
			outs[k] = strings.Join(append([]string{et}, ep...), "\n\n")
			sc.words[k] += rep.Words
			sc.left[k] += rep.Untranslated
		}
		joined := strings.Join(ref, "\n\n")
		t.Logf("%s: chrF raw pivot %.1f, previous %.1f, now %.1f", filepath.Base(f), chrF(raw, joined), chrF(outs[0], joined), chrF(outs[1], joined))
		rawAll, prevAll, curAll, refAll = append(rawAll, raw), append(prevAll, outs[0]), append(curAll, outs[1]), append(refAll, joined)
		for _, e := range g.Find(strings.Join(src, "\n")) {
			if !strings.Contains(outs[1], e.English) {
				t.Errorf("%s: glossary name %q (%s) missing from the output", f, e.English, e.French)
			}
		}
	}
	all := strings.Join(refAll, "\n")
	sc.raw, sc.previous, sc.current = chrF(strings.Join(rawAll, "\n"), all), chrF(strings.Join(prevAll, "\n"), all), chrF(strings.Join(curAll, "\n"), all)
	return sc
}

// The translator must score clearly above the raw pivot and above the
// previous protected pivot, on the development references (testdata/refs,
// which the rules were written against) and on the held-out ones
// (testdata/heldout, only ever measured), keeping every glossary name.
func TestQualityChrF(t *testing.T) {
	for _, set := range []struct {
		dir       string
		protected float64 // of the previous protected pivot over the raw one
		margin    float64 // over the previous protected pivot
	}{{"testdata/refs", 2.5, 1}, {"testdata/heldout", 1.5, 0.5}} {
		s := measure(t, set.dir)
		t.Logf("%s: chrF raw pivot %.1f, previous protected pivot %.1f, now %.1f", set.dir, s.raw, s.previous, s.current)
		before, now := float64(s.left[0])/float64(s.words[0]), float64(s.left[1])/float64(s.words[1])
		t.Logf("%s: words left in French (or Spanish): previous %d of %d (%.2f%%), now %d of %d (%.2f%%)", set.dir,
			s.left[0], s.words[0], 100*before, s.left[1], s.words[1], 100*now)
		if now >= before {
			t.Errorf("%s: %.2f%% of the words left in French, not fewer than the previous pivot's %.2f%%", set.dir, 100*now, 100*before)
		}
		if s.previous < s.raw+set.protected {
			t.Errorf("%s: protected pivot chrF %.1f is not clearly above the raw pivot's %.1f", set.dir, s.previous, s.raw)
		}
		if s.current < s.previous+set.margin {
			t.Errorf("%s: chrF %.1f is not %.1f above the previous protected pivot's %.1f", set.dir, s.current, set.margin, s.previous)
		}
	}
}
