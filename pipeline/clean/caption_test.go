package clean

import (
	"strings"
	"testing"
)

// TestParenCaption holds parenCaption to captionRe, the pattern it reads
// by hand, on every fixture line and on lines built at its edges.
func TestParenCaption(t *testing.T) {
	lines := gateLines(t)
	s15, s14, s400, s401 := strings.Repeat("é", 15), strings.Repeat("a", 14), strings.Repeat("b", 400), strings.Repeat("b", 401)
	for _, body := range []string{s15, s14, s400, s401, "Le président salue la foule", "ligne\ncoupée en deux, assez longue", "x\xffy mal encodée, assez longue"} {
		for _, end := range []string{".", "!", "»", "…", "", " .", "\xff"} {
			for _, sep := range []string{"", " ", "\u00a0", "\n", " \t"} {
				for _, credit := range []string{"AFP", "a", "ab", strings.Repeat("c", 80), strings.Repeat("c", 81), "KCNA/AP via CNN", "a(b", "a)b", "x\ny", "\xff\xfe"} {
					for _, tail := range []string{")", ") ", ")\n", ").", "", ")x"} {
						lines = append(lines, body+end+sep+"("+credit+tail)
					}
				}
			}
		}
	}
	lines = append(lines, "", ")", "()", "(ab)", "Une phrase assez longue. (AFP) (Reuters)", "Une phrase assez longue. ((AFP))")
	matched := 0
	for _, l := range lines {
		s, c, ok := parenCaption(l)
		if ok {
			matched++
		}
		m := captionRe.Regexp.FindStringSubmatch(l)
		if ok != (m != nil) || ok && (s != m[1] || c != m[2]) {
			t.Errorf("parenCaption(%q) = %q, %q, %v; captionRe: %q", l, s, c, ok, m)
		}
	}
	if matched < 100 {
		t.Errorf("only %d of %d lines are captions: the edges are not exercised", matched, len(lines))
	}
	t.Logf("%d of %d lines are captions", matched, len(lines))
}
