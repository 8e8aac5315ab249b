package prefilter

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// Line is a line on its way through many gates: its folded form and
// folded head are computed once, on first use, for all of them. A Line
// keeps no pointer to its own buffer, so it can live on its caller's stack.
type Line struct {
	m       string // the line
	trimmed string // m without the closing punctuation a Whole allows
	done    bool   // m is folded, into buf[:n] or into big
	n       int
	big     []byte
	buf     [1024]byte
	nh      int // the folded head is hbuf[:nh]; -1 until folded
	hbuf    [maxLead * utf8.UTFMax]byte
}

// Reset makes l the line s, forgetting what it knew of the last one.
func (l *Line) Reset(s string) {
	l.m, l.trimmed, l.done, l.big, l.nh = s, strings.TrimRight(s, wholeEnd), false, nil, -1
}

// String returns the line.
func (l *Line) String() string { return l.m }

// Fold returns the line folded (see Fold).
func (l *Line) Fold() []byte {
	if !l.done {
		l.done = true
		// a rune never folds longer, but a bad byte becomes U+FFFD: 3 bytes
		if 3*len(l.m) > len(l.buf) {
			l.big = Fold(nil, l.m)
		} else {
			l.n = len(Fold(l.buf[:0], l.m))
		}
	}
	if l.big != nil {
		return l.big
	}
	return l.buf[:l.n]
}

// wholeEnd is what may follow a Whole's phrase: closing punctuation.
const wholeEnd = "\t\n\f\r .:!?…*"

// Whole is a phrase that matches a whole line, in any case, followed by
// nothing but closing punctuation: `(?i)^(?:phrase)[\s.:!?…*]*$`.
type Whole struct {
	Src  string // the phrase as given
	re   *regexp.Regexp
	gate gate
}

// NewWhole compiles a phrase. The gate is read from the phrase alone. Its
// length bound applies to the line with its trailing punctuation trimmed: a
// match of the phrase must span at least that much of the line, so a line
// longer than the phrase can span cannot match, and every rune of the
// trimmed line is one the phrase holds. Its prefix applies to the line.
func NewWhole(phrase string) Whole {
	re := regexp.MustCompile(`(?i)^(?:` + phrase + `)[\s.:!?…*]*$`)
	return Whole{Src: phrase, re: re, gate: newGate(`(?i)^(?:` + phrase + `)`)}
}

// Match reports whether the phrase is the whole line l.
func (w *Whole) Match(l *Line) bool {
	return w.gate.fits(l.trimmed) && w.gate.leadsOK(l.Head()) && w.gate.starts(l.m) && w.gate.within(l.trimmed) &&
		w.gate.needs(l.Fold()) && w.re.MatchString(l.m)
}

// MayLead reports whether a line whose first byte is b may match: a
// caller can index its phrases by first byte once.
func (w *Whole) MayLead(b byte) bool { return w.gate.mayLead(b) }

// Tail is a regexp anchored at the end of the text ($), with the runes its
// matches can end with and the literals they hold.
type Tail struct {
	*regexp.Regexp
	last *runeSet // nil: any
	gate gate
}

// NewTail compiles pattern, which should end with $ for MayEnd to say
// anything.
func NewTail(pattern string) Tail {
	t := Tail{Regexp: regexp.MustCompile(pattern), gate: gate{maxBytes: -1}}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		panic(err) // the same pattern compiled: cannot happen
	}
	if last, nullable := lastOf(re); !nullable {
		t.last = last
	}
	t.gate.need = needBytes(needsOf(re))
	return t
}

// MayEnd reports whether a match can end with the rune r.
func (t *Tail) MayEnd(r rune) bool { return t.last == nil || t.last.has(r) }

// Needs reports whether a text whose folded form (see Fold) is folded
// holds the literals every match holds.
func (t *Tail) Needs(folded []byte) bool { return t.gate.needs(folded) }
