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

// The protected pivot must score clearly above the raw one on the
// references, and keep every glossary name as the glossary writes it.
func TestQualityChrF(t *testing.T) {
	tr := newTranslator(t, 1)
	g := loadGlossary(t)
	refs, _ := filepath.Glob("testdata/refs/*.fr.txt")
	if len(refs) < 3 {
		t.Fatalf("want at least 3 references, have %d", len(refs))
	}
	var rawAll, protAll, refAll []string
	for _, f := range refs {
		title, paras := readArticle(t, f)
		_, ref := readArticle(t, strings.TrimSuffix(f, ".fr.txt")+".en.txt")
		refTitle, _ := readArticle(t, strings.TrimSuffix(f, ".fr.txt")+".en.txt")
		ref = append([]string{refTitle}, ref...)
		if len(ref) != len(paras)+1 {
			t.Fatalf("%s: reference has %d paragraphs, source %d", f, len(ref), len(paras)+1)
		}
		src := append([]string{title}, paras...)
		raw := barePivot(t, strings.Join(src, "\n\n"))
		et, ep, _, err := tr.Translate(context.Background(), title, paras)
		if err != nil {
			t.Fatal(err)
		}
		prot := strings.Join(append([]string{et}, ep...), "\n\n")
		r, p := chrF(raw, strings.Join(ref, "\n\n")), chrF(prot, strings.Join(ref, "\n\n"))
		t.Logf("%s: chrF raw pivot %.1f, protected pivot %.1f", filepath.Base(f), r, p)
		rawAll, protAll, refAll = append(rawAll, raw), append(protAll, prot), append(refAll, ref...)
		for _, e := range g.Find(strings.Join(src, "\n")) {
			if !strings.Contains(prot, e.English) {
				t.Errorf("%s: glossary name %q (%s) missing from the output", f, e.English, e.French)
			}
		}
	}
	r := chrF(strings.Join(rawAll, "\n"), strings.Join(refAll, "\n"))
	p := chrF(strings.Join(protAll, "\n"), strings.Join(refAll, "\n"))
	t.Logf("all references: chrF raw pivot %.1f, protected pivot %.1f (+%.1f)", r, p, p-r)
	if p < r+2.5 {
		t.Errorf("protected pivot chrF %.1f is not clearly above the raw pivot's %.1f", p, r)
	}
}
