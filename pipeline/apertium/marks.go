package apertium

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Both legs run with unknown-word marks: a word fr-es does not know comes
// out of the pivot as "**mot" (marked by each leg), a Spanish word spa-eng
// does not know as "*palabra", a word a generator could not inflect as
// "#word". The source's own * and # travel in superblanks, so every bare
// mark is the pivot's.

// unmarked is one Apertium output read back as text.
type unmarked struct {
	text         string
	untranslated int // words left in French or Spanish
}

// filler renders the French words the pivot did not know: from a
// French→English dictionary at once, or from a French→Spanish one into
// Spanish words that a second, small request through the pivot translates
// (pending, written in the text as \x06n\x07), or else by a learned
// ending that English shares ("porosité" → "porosity").
type filler struct {
	dicts   []*Dictionary
	pending []pendingWord
}

type pendingWord struct{ french, spanish string }

// unmark resolves escapes, replaces superblanks by their content, removes
// the marks, renders the French words the pivot did not know with f (nil:
// none) and counts what is left untranslated, pending words included. A
// capitalised unknown word inside a sentence is a name: it is neither
// looked up nor counted.
func unmark(out string, f *filler) unmarked {
	var b strings.Builder
	b.Grow(len(out))
	var u unmarked
	esc, blank := false, false
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRuneInString(out[i:])
		switch {
		case esc:
			b.WriteRune(r)
			esc = false
		case r == '\\':
			esc = true
		case r == '[' || r == ']':
			blank = r == '['
		case !blank && (r == '*' || r == '#'):
			stars, j := 0, i
			for j < len(out) && (out[j] == '*' || out[j] == '#') {
				if out[j] == '*' {
					stars++
				}
				j++
			}
			w := markedWord(out[j:])
			if w == "" {
				b.WriteString(out[i:j]) // not a mark: a lone * or #
				i = j
				continue
			}
			u.word(&b, w, stars, f)
			i = j + len(w)
			continue
		default:
			b.WriteRune(r)
		}
		i += size
	}
	u.text = b.String()
	return u
}

// word writes one marked word.
func (u *unmarked) word(b *strings.Builder, w string, stars int, f *filler) {
	if stars == 0 || strings.HasPrefix(w, tokenPrefix) {
		b.WriteString(w) // # (not inflected) or a placeholder
		return
	}
	lower := unicode.IsLower(firstRune(w))
	if !lower && !opensSentence(b.String()) {
		b.WriteString(w) // a name
		return
	}
	if lower {
		u.untranslated++
	}
	if stars >= 2 && f != nil {
		for _, d := range f.dicts {
			r, ok := d.Lookup(w)
			switch {
			case !ok:
				continue
			case d.Spanish:
				fmt.Fprintf(b, "\x06%d\x07", len(f.pending))
				f.pending = append(f.pending, pendingWord{w, r})
			default:
				b.WriteString(r)
				if lower {
					u.untranslated--
				}
			}
			return
		}
		if eng, ok := cognate(w); ok {
			b.WriteString(eng)
			if lower {
				u.untranslated--
			}
			return
		}
	}
	b.WriteString(w)
}

var pendingRe = regexp.MustCompile("\x06([0-9]+)\x07")

// fillPending puts the pending words' English (from the second request;
// "" where it failed, and then a cognate if there is one) into text, or
// their French back, and returns how many of them were translated and
// lowercase (no longer untranslated).
func (f *filler) fillPending(text string, english []string) (string, int) {
	done := 0
	text = pendingRe.ReplaceAllStringFunc(text, func(m string) string {
		k, _ := strconv.Atoi(m[1 : len(m)-1])
		p := f.pending[k]
		eng := ""
		if k < len(english) {
			eng = english[k]
		}
		if eng == "" {
			eng, _ = cognate(p.french)
		}
		if eng == "" {
			return p.french
		}
		if unicode.IsLower(firstRune(p.french)) {
			done++
		}
		return eng
	})
	return text, done
}

// markedWord is the word at the start of s: letters, digits, hyphens and
// inner apostrophes.
func markedWord(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) && !(r == '\'' && i > 0 && i+size < len(s) && unicode.IsLetter(firstRune(s[i+size:]))) {
			break
		}
		i += size
	}
	if i == 0 || !unicode.IsLetter(firstRune(s)) {
		return ""
	}
	return s[:i]
}
