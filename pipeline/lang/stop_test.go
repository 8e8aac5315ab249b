package lang

import (
	"strings"
	"testing"
)

// TestStopLookup holds the in-place lookup of Stop to the plain one, a
// map of the words lower-cased by strings.ToLower.
func TestStopLookup(t *testing.T) {
	var words []string
	for w := range stop {
		up := strings.ToUpper(w)
		words = append(words, w, up, strings.ToUpper(w[:1])+w[1:], w+"s", w[:len(w)-1], "x"+w, w+"-", "@"+w[1:], w[:1]+"@"+w[1:])
		if len(w) > 1 {
			words = append(words, w[:1]+"["+w[2:], up[:1]+"_"+w[1:])
		}
	}
	words = append(words, "İl", "Kelvin", "ÉTÉ", "Été", "ÊTRE", "OÙ", "À", "Très", "APRÈS", "même", "1", "-", "@", "`", "ﬀ")
	for _, w := range words {
		want := stop[strings.ToLower(w)]
		f, e := Stop(w)
		if f != (want&isFrench != 0) || e != (want&isEnglish != 0) {
			t.Errorf("Stop(%q) = %v, %v; want kind %d", w, f, e, want)
		}
	}
}

// TestLatin1Letter holds the shortcut of nextWord to isWordRune over the
// runes it reads.
func TestLatin1Letter(t *testing.T) {
	for r := rune(0xC0); r <= 0xFF; r++ {
		s := string(r)
		l, ok := latin1Letter(s, 0)
		if !ok || l != isWordRune(r) {
			t.Errorf("latin1Letter(%q) = %v, %v; isWordRune %v", s, l, ok, isWordRune(r))
		}
	}
	for _, s := range []string{"\xc3", "\xc3(", "é"[:1] + "\xff", "è"[1:], "ā", "a"} {
		if _, ok := latin1Letter(s, 0); ok {
			t.Errorf("latin1Letter(%q) read a rune", s)
		}
	}
	// Words splits as before on text mixing the runes
	text := "L’été à Paris × 2 ÷ 3, \xc3 çà-et-là Œuvre ÿ"
	var got []string
	for w := range WordSeq(text) {
		got = append(got, w)
	}
	if want := Words(text); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("WordSeq = %q, Words %q", got, want)
	}
}
