package attrib

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/support"
)

// quoteRun is how many consecutive words of a direct quote a claim may
// not reuse outside quotation marks: it would pass the quote off as its
// own words. A quote of four words (the shortest quotes counts) may not be
// reused whole.
const quoteRun = 5

// Loss is what a claim dropped from the sentences it rests on.
type Loss struct {
	Marks []Mark // the attributions it dropped, in the sentences' order
	Quote string // a direct quote it reuses as its own words, if any
}

// String says what was lost, as the briefing and the manifest show it:
// "attribution lost: the source says “according to the prefecture”".
func (l *Loss) String() string {
	var parts []string
	if len(l.Marks) > 0 {
		var said []string
		for _, m := range l.Marks[:min(2, len(l.Marks))] {
			text := clip(m.Text, 8)
			if m.Kind == According || m.Kind == Hedge {
				text = lowerFirst(text) // "According to X, …" is "according to X" in a message
			}
			said = append(said, "“"+text+"”")
		}
		parts = append(parts, "attribution lost: the source says "+strings.Join(said, " and "))
	}
	if l.Quote != "" {
		parts = append(parts, "quote lost: “"+clip(l.Quote, 8)+"” is quoted in the source")
	}
	return strings.Join(parts, "; ")
}

// Lost returns what attribution claim drops from the sentences it rests
// on, nil when it drops none. A sentence's attribution binds the claim
// when the claim uses what it governs (two content words, or a figure, of
// its scope). The claim keeps a hedge or a quote's attribution by
// attributing anything itself. It keeps each source the sentences credit
// ("according to the prefecture", "the RATP said") by naming it, by a
// reporting verb or "according to" of its own for each (a verb the
// sentence also uses elsewhere — "…said it had offered a bonus and
// described the demand as unrealistic" — accounts for that use only), or
// by a hedge the sentences do not hold ("reportedly"). A claim that reuses
// five words running of a direct quote (articles aside), or all of a
// shorter one, outside quotation marks has lost the quote, whatever else
// it says: direct quotes stay quotes.
func Lost(claim string, sentences []string) *Loss {
	l := &Loss{}
	ck := keySet(claim)
	cn := lang.Numbers(claim, false)
	plain := words(unquoted(claim))
	var reports, others []Mark // bound: credits a source; hedges and quotes
	hedges := map[string]bool{}
	for _, s := range sentences {
		for _, m := range Find(s) {
			if m.Kind == Hedge {
				hedges[strings.ToLower(m.Text)] = true
			}
			if m.Kind == Quote && l.Quote == "" && reuses(plain, words(m.Text)) {
				l.Quote = m.Text
			}
			switch {
			case !uses(ck, cn, m):
			case m.Kind == According || m.Kind == Reporting:
				reports = append(reports, m)
			default:
				others = append(others, m)
			}
		}
	}
	own := Find(claim)
	if len(own) == 0 {
		l.Marks = unmatched(dedupe(reports), nil, ck)
		if len(others) > 0 && (len(l.Marks) > 0 || !namesSource(ck, reports)) {
			// a hedge or a quote is kept by the claim's own words only; a
			// source it names keeps the quote it said
			l.Marks = dedupe(append(l.Marks, others...))
		}
	} else if !newHedge(own, hedges) {
		l.Marks = unmatched(dedupe(reports), own, ck)
	}
	if len(l.Marks) == 0 && l.Quote == "" {
		return nil
	}
	return l
}

// newHedge reports whether the claim hedges with words its sentences do
// not: "reportedly" for "KCNA said".
func newHedge(own []Mark, hedges map[string]bool) bool {
	for _, m := range own {
		if m.Kind == Hedge && !hedges[strings.ToLower(m.Text)] {
			return true
		}
	}
	return false
}

// unmatched returns the sources credited (reports) that the claim's own
// marks do not account for: each needs its source named or a reporting
// mark of the claim, the same verb first, then any.
func unmatched(reports, own []Mark, ck map[string]bool) []Mark {
	var mine []string
	for _, m := range own {
		if m.Kind == According || m.Kind == Reporting {
			mine = append(mine, verbOf(m))
		}
	}
	var left []Mark
	for _, r := range reports {
		if namesSource(ck, []Mark{r}) {
			continue
		}
		if i := slices.Index(mine, verbOf(r)); i >= 0 {
			mine = slices.Delete(mine, i, i+1)
			continue
		}
		left = append(left, r)
	}
	var out []Mark
	for _, r := range left {
		if len(mine) > 0 {
			mine = mine[1:] // another verb of the claim credits it
			continue
		}
		out = append(out, r)
	}
	return out
}

// verbOf is what credits a source: its reporting verb, or "according".
func verbOf(m Mark) string {
	if m.Kind == According {
		return "according"
	}
	ws := strings.Fields(strings.ToLower(m.Text))
	return ws[len(ws)-1]
}

// uses reports whether a claim (its keys and figures) draws on what mark
// governs, the mark's own words and source aside.
func uses(ck map[string]bool, cn []lang.Number, m Mark) bool {
	aside := keySet(m.Source) // the source's words say who, not what
	if m.Kind != Hedge {
		aside = keySet(m.Text + " " + m.Source) // "would have been smuggled" says what
	}
	shared := 0
	for k := range keySet(m.scope) {
		if ck[k] && !aside[k] && !strings.HasPrefix(k, "=") {
			shared++
		}
	}
	if shared >= 2 {
		return true
	}
	for _, n := range lang.Numbers(m.scope, false) {
		if n.Text[0] < '0' || n.Text[0] > '9' {
			continue
		}
		for _, c := range cn {
			if lang.SameValue(c.Value, n.Value) && !(n.Value >= 1900 && n.Value <= 2100 && n.Value == float64(int(n.Value))) {
				return true // a figure, not a year every sentence of the story may give
			}
		}
	}
	return false
}

// namesSource reports whether the claim names the source of one of the
// marks: a word of it that the sentence uses only to name the source
// ("the prefecture", "Vasseur", "KCNA"). A word the sentence also says
// something about ("North Korean state media reported … North Korean
// leader") names nothing: the claim may hold it for what it says.
func namesSource(ck map[string]bool, marks []Mark) bool {
	for _, m := range marks {
		inScope := map[string]int{}
		for _, k := range support.Keys(m.scope) {
			inScope[k]++
		}
		inSource := map[string]int{}
		for _, k := range support.Keys(m.Source) {
			inSource[k]++
		}
		for k, n := range inSource {
			if ck[k] && inScope[k] <= n {
				return true
			}
		}
		// a source of three letters or fewer: an acronym (KCNA has four)
		for _, w := range strings.Fields(m.Source) {
			if w = strings.Trim(w, ".,;:!?\"“”«»()’'"); len(w) >= 2 && len(w) <= 3 && strings.ToUpper(w) == w && ck["="+w] {
				return true
			}
		}
	}
	return false
}

func keySet(text string) map[string]bool {
	m := map[string]bool{}
	for _, k := range support.Keys(text) {
		m[k] = true
	}
	for _, w := range strings.Fields(text) {
		// short acronyms ("UN", "EU", "AFP") are names too
		if w = strings.Trim(w, ".,;:!?\"“”«»()’'"); len(w) >= 2 && len(w) <= 3 && strings.ToUpper(w) == w && strings.ToLower(w) != w {
			m["="+w] = true
		}
	}
	return m
}

// words folds a text into its words, for quote runs, without the
// articles a paraphrase drops.
func words(text string) []string {
	var out []string
	for _, w := range lang.Words(text) {
		if f := support.Fold(w); f != "the" && f != "a" && f != "an" {
			out = append(out, f)
		}
	}
	return out
}

// reuses reports whether text holds quoteRun words of quote running, or
// all of a shorter quote.
func reuses(text, quote []string) bool {
	run := min(quoteRun, len(quote))
	if run == 0 {
		return false
	}
	for i := 0; i+run <= len(text); i++ {
		for j := 0; j+run <= len(quote); j++ {
			if slices.Equal(text[i:i+run], quote[j:j+run]) {
				return true
			}
		}
	}
	return false
}

func dedupe(ms []Mark) []Mark {
	var out []Mark
	seen := map[string]bool{}
	for _, m := range ms {
		k := fmt.Sprint(m.Kind, strings.ToLower(m.Text))
		if !seen[k] {
			seen[k] = true
			out = append(out, m)
		}
	}
	return out
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
