package clean

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A gate is a necessary condition for a regexp to match, read off the
// pattern's syntax tree so that it can never disagree with the pattern:
// when the gate says no, the regexp cannot match and is not run. Most
// blocks are article sentences that no rule removes, and answering "no"
// from the first runes or the length of a line costs nanoseconds where
// running the regexp costs microseconds.
type gate struct {
	prefix   []*runeSet // the runes a match must start with, in order
	maxBytes int        // longest text the pattern can consume; -1: unbounded
}

// runeSet is a set of runes: a bitmap for ASCII, ranges for the rest.
// A nil *runeSet in a prefix stands for any rune.
type runeSet struct {
	ascii  [2]uint64
	ranges []rune // lo, hi pairs, above ASCII
}

func (s *runeSet) add(lo, hi rune) {
	for ; lo <= hi && lo < utf8.RuneSelf; lo++ {
		s.ascii[lo/64] |= 1 << (lo % 64)
	}
	if lo <= hi {
		s.ranges = append(s.ranges, lo, hi)
	}
}

// addFold adds r and every rune it equals under (?i).
func (s *runeSet) addFold(r rune) {
	s.add(r, r)
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		s.add(f, f)
	}
}

func (s *runeSet) has(r rune) bool {
	if r < utf8.RuneSelf {
		return s.ascii[r/64]&(1<<(r%64)) != 0
	}
	for i := 0; i < len(s.ranges); i += 2 {
		if s.ranges[i] <= r && r <= s.ranges[i+1] {
			return true
		}
	}
	return false
}

func (s *runeSet) union(t *runeSet) *runeSet {
	if s == nil || t == nil {
		return nil // any rune
	}
	u := &runeSet{ascii: [2]uint64{s.ascii[0] | t.ascii[0], s.ascii[1] | t.ascii[1]}}
	u.ranges = append(append(u.ranges, s.ranges...), t.ranges...)
	return u
}

// maxPrefix bounds the runes a gate checks: the first few runes reject
// nearly every line that a pattern does not match.
const maxPrefix = 8

// newGate reads the gate of a pattern that regexp.MustCompile accepted.
func newGate(pattern string) gate {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		panic(err) // the same pattern compiled: cannot happen
	}
	var g gate
	g.prefix, _ = prefixOf(re)
	if len(g.prefix) == 0 {
		if s, nullable := firstOf(re); !nullable {
			g.prefix = []*runeSet{s}
		}
	}
	g.maxBytes = maxBytesOf(re)
	return g
}

// fits reports whether a match can span s, as far as its length tells.
func (g gate) fits(s string) bool { return g.maxBytes < 0 || len(s) <= g.maxBytes }

// starts reports whether a match can start at the start of s, as far as
// its first runes tell.
func (g gate) starts(s string) bool {
	for _, set := range g.prefix {
		r, n := utf8.DecodeRuneInString(s)
		if n == 0 {
			return false // the match needs more runes than s has
		}
		if set != nil && !set.has(r) {
			return false
		}
		s = s[n:]
	}
	return true
}

// prefixOf returns the sets of the runes every match of re starts with,
// and whether they are all re consumes (so that what follows re in a
// concatenation continues the prefix).
func prefixOf(re *syntax.Regexp) (seq []*runeSet, exact bool) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			s := &runeSet{}
			if re.Flags&syntax.FoldCase != 0 {
				s.addFold(r)
			} else {
				s.add(r, r)
			}
			seq = append(seq, s)
		}
		return seq, true
	case syntax.OpCharClass:
		return []*runeSet{classSet(re.Rune)}, true
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return []*runeSet{nil}, true
	case syntax.OpCapture:
		return prefixOf(re.Sub[0])
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return nil, true // consume nothing
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			p, ex := prefixOf(sub)
			seq = append(seq, p...)
			if !ex || len(seq) >= maxPrefix {
				return seq, false
			}
		}
		return seq, true
	case syntax.OpAlternate:
		// position by position, the union of what each branch starts with
		exact = true
		for i, sub := range re.Sub {
			p, ex := prefixOf(sub)
			if i == 0 {
				seq = p
			} else {
				if len(p) != len(seq) {
					exact = false
				}
				n := min(len(p), len(seq))
				u := make([]*runeSet, n)
				for j := range n {
					u[j] = seq[j].union(p[j])
				}
				seq = u
			}
			exact = exact && ex
		}
		return seq, exact
	case syntax.OpPlus:
		p, _ := prefixOf(re.Sub[0])
		return p, false
	case syntax.OpRepeat:
		if re.Min == 0 {
			return nil, false
		}
		p, ex := prefixOf(re.Sub[0])
		return p, ex && re.Min == 1 && re.Max == 1
	}
	return nil, false // OpStar, OpQuest and anything unforeseen: no claim
}

// firstOf returns the set of runes a match of re can start with, and
// whether re can match the empty string (then the set says nothing alone).
func firstOf(re *syntax.Regexp) (set *runeSet, nullable bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return &runeSet{}, true
		}
		s := &runeSet{}
		if re.Flags&syntax.FoldCase != 0 {
			s.addFold(re.Rune[0])
		} else {
			s.add(re.Rune[0], re.Rune[0])
		}
		return s, false
	case syntax.OpCharClass:
		return classSet(re.Rune), false
	case syntax.OpCapture, syntax.OpPlus:
		return firstOf(re.Sub[0])
	case syntax.OpStar, syntax.OpQuest:
		s, _ := firstOf(re.Sub[0])
		return s, true
	case syntax.OpRepeat:
		s, n := firstOf(re.Sub[0])
		return s, n || re.Min == 0
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return &runeSet{}, true
	case syntax.OpConcat:
		acc := &runeSet{}
		for _, sub := range re.Sub {
			s, n := firstOf(sub)
			acc = acc.union(s)
			if !n {
				return acc, false
			}
		}
		return acc, true
	case syntax.OpAlternate:
		acc, nullable := &runeSet{}, false
		for _, sub := range re.Sub {
			s, n := firstOf(sub)
			acc, nullable = acc.union(s), nullable || n
		}
		return acc, nullable
	}
	return nil, true // any rune, or none: no claim
}

// lastOf is firstOf read from the end: the runes a match can end with.
func lastOf(re *syntax.Regexp) (set *runeSet, nullable bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return &runeSet{}, true
		}
		s, r := &runeSet{}, re.Rune[len(re.Rune)-1]
		if re.Flags&syntax.FoldCase != 0 {
			s.addFold(r)
		} else {
			s.add(r, r)
		}
		return s, false
	case syntax.OpConcat:
		acc := &runeSet{}
		for i := len(re.Sub) - 1; i >= 0; i-- {
			s, n := lastOf(re.Sub[i])
			acc = acc.union(s)
			if !n {
				return acc, false
			}
		}
		return acc, true
	case syntax.OpCapture, syntax.OpPlus:
		return lastOf(re.Sub[0])
	case syntax.OpStar, syntax.OpQuest:
		s, _ := lastOf(re.Sub[0])
		return s, true
	case syntax.OpRepeat:
		s, n := lastOf(re.Sub[0])
		return s, n || re.Min == 0
	case syntax.OpAlternate:
		acc, nullable := &runeSet{}, false
		for _, sub := range re.Sub {
			s, n := lastOf(sub)
			acc, nullable = acc.union(s), nullable || n
		}
		return acc, nullable
	}
	return firstOf(re) // single runes and empty-width ops read the same both ways
}

func classSet(pairs []rune) *runeSet {
	s := &runeSet{}
	for i := 0; i+1 < len(pairs); i += 2 {
		s.add(pairs[i], pairs[i+1])
	}
	return s
}

// maxBytesOf returns the most bytes of UTF-8 a match of re can span, or -1
// when it is unbounded. Invalid bytes match as one-byte U+FFFD, which only
// makes the bound looser.
func maxBytesOf(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			w := utf8.RuneLen(r)
			if re.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					w = max(w, utf8.RuneLen(f))
				}
			}
			n += w
		}
		return n
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		return utf8.RuneLen(re.Rune[len(re.Rune)-1]) // the widest rune is the last
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxBytesOf(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return -1
	case syntax.OpRepeat:
		n := maxBytesOf(re.Sub[0])
		if re.Max < 0 || n < 0 {
			return -1
		}
		return n * re.Max
	case syntax.OpConcat:
		total := 0
		for _, sub := range re.Sub {
			n := maxBytesOf(sub)
			if n < 0 {
				return -1
			}
			total += n
		}
		return total
	case syntax.OpAlternate:
		most := 0
		for _, sub := range re.Sub {
			n := maxBytesOf(sub)
			if n < 0 {
				return -1
			}
			most = max(most, n)
		}
		return most
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return 0
	}
	return -1
}

// alt is one alternative of a line rule, compiled on its own with its gate.
type alt struct {
	src  string // the alternative as written in rules.go
	re   *regexp.Regexp
	gate gate
}

// ruleEnd is what may follow a rule's phrase: closing punctuation.
const ruleEnd = "\t\n\f\r .:!?…*"

// newAlt compiles `(?i)^(?:a)[\s.:!?…*]*$`. The gate is read from a alone.
// Its length bound applies to the line with its trailing punctuation
// trimmed: a match of a must span at least that much of the line, so a line
// longer than a can span cannot match; its prefix applies to the line.
func newAlt(a string) alt {
	re := regexp.MustCompile(`(?i)^(?:` + a + `)[\s.:!?…*]*$`)
	return alt{src: a, re: re, gate: newGate(`(?i)^(?:` + a + `)`)}
}

// match reports whether the alternative matches the line m, whose
// trailing punctuation trimRuleEnd trimmed into trimmed.
func (a alt) match(m, trimmed string) bool {
	return a.gate.fits(trimmed) && a.gate.starts(m) && a.re.MatchString(m)
}

// trimRuleEnd trims what ruleEnd allows at the end of a line.
func trimRuleEnd(m string) string { return strings.TrimRight(m, ruleEnd) }
