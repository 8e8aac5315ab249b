package offline

import (
	"math"
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
