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
