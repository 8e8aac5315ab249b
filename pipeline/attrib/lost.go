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
// reuse outside quotation marks before it passes the quote off as its own
// words.
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
// its scope); the claim keeps it by attributing anything itself (a
// reporting verb, "according to", a hedge such as "reportedly", a quote)
// or by naming the source the sentence credits. A claim that reuses five
// words running of a direct quote outside quotation marks has lost the
// quote, whatever else it says: direct quotes stay quotes.
func Lost(claim string, sentences []string) *Loss {
	l := &Loss{}
	own := Attributed(claim)
	ck := keySet(claim)
	cn := lang.Numbers(claim, false)
	plain := words(unquoted(claim))
	var bound []Mark
	for _, s := range sentences {
		for _, m := range Find(s) {
			if m.Kind == Quote && l.Quote == "" && reuses(plain, words(m.Text)) {
				l.Quote = m.Text
			}
			if uses(ck, cn, m) {
				bound = append(bound, m)
			}
		}
	}
	if !own && !namesSource(ck, bound) {
		l.Marks = dedupe(bound)
	}
	if len(l.Marks) == 0 && l.Quote == "" {
		return nil
	}
	return l
}

// uses reports whether a claim (its keys and figures) draws on what mark
// governs, the mark's own words and source aside.
func uses(ck map[string]bool, cn []lang.Number, m Mark) bool {
	aside := keySet(m.Text + " " + m.Source)
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
// marks (a word of it: "the prefecture", "Vasseur", "KCNA").
func namesSource(ck map[string]bool, marks []Mark) bool {
	for _, m := range marks {
		for _, k := range support.Keys(m.Source) {
			if ck[k] {
				return true
			}
		}
		// a source of three letters or fewer: an acronym (KCNA has four)
		for _, w := range strings.Fields(m.Source) {
			if len(w) >= 2 && len(w) <= 3 && strings.ToUpper(w) == w && ck["="+w] {
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

// words folds a text into its words, for quote runs.
func words(text string) []string {
	var out []string
	for _, w := range lang.Words(text) {
		out = append(out, support.Fold(w))
	}
	return out
}

// reuses reports whether text holds quoteRun words of quote running.
func reuses(text, quote []string) bool {
	if len(quote) < quoteRun {
		return false
	}
	for i := 0; i+quoteRun <= len(text); i++ {
		for j := 0; j+quoteRun <= len(quote); j++ {
			if slices.Equal(text[i:i+quoteRun], quote[j:j+quoteRun]) {
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
