package prefilter

// Reading a gate off a pattern's syntax tree: every function here returns
// a necessary condition for a match (the runes it starts or ends with, the
// runes it holds, the bytes it spans, the literals it holds), erring on
// the side of claiming less, so that a gate built from them can only turn
// away a line the regexp would not match.

import (
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// maxPrefix bounds the runes a gate checks: the first few runes reject
// nearly every line that a pattern does not match.
const maxPrefix = 8

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
func firstOf(re *syntax.Regexp) (*runeSet, bool) { return edgeOf(re, false) }

// lastOf is firstOf read from the end: the runes a match can end with.
func lastOf(re *syntax.Regexp) (*runeSet, bool) { return edgeOf(re, true) }

// edgeOf is firstOf (last false) or lastOf (last true): the two differ only
// in which end of a literal and of a concatenation they read.
func edgeOf(re *syntax.Regexp, last bool) (set *runeSet, nullable bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return &runeSet{}, true
		}
		r := re.Rune[0]
		if last {
			r = re.Rune[len(re.Rune)-1]
		}
		s := &runeSet{}
		if re.Flags&syntax.FoldCase != 0 {
			s.addFold(r)
		} else {
			s.add(r, r)
		}
		return s, false
	case syntax.OpCharClass:
		return classSet(re.Rune), false
	case syntax.OpCapture, syntax.OpPlus:
		return edgeOf(re.Sub[0], last)
	case syntax.OpStar, syntax.OpQuest:
		s, _ := edgeOf(re.Sub[0], last)
		return s, true
	case syntax.OpRepeat:
		s, n := edgeOf(re.Sub[0], last)
		return s, n || re.Min == 0
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return &runeSet{}, true
	case syntax.OpConcat:
		acc := &runeSet{}
		for i := range re.Sub {
			sub := re.Sub[i]
			if last {
				sub = re.Sub[len(re.Sub)-1-i]
			}
			s, n := edgeOf(sub, last)
			acc = acc.union(s)
			if !n {
				return acc, false
			}
		}
		return acc, true
	case syntax.OpAlternate:
		acc, nullable := &runeSet{}, false
		for _, sub := range re.Sub {
			s, n := edgeOf(sub, last)
			acc, nullable = acc.union(s), nullable || n
		}
		return acc, nullable
	}
	return nil, true // any rune, or none: no claim
}

func classSet(pairs []rune) *runeSet {
	s := &runeSet{}
	for i := 0; i+1 < len(pairs); i += 2 {
		s.add(pairs[i], pairs[i+1])
	}
	return s
}

// alphabetOf returns the set of every rune a match of re can hold, or nil
// when it can hold any rune.
func alphabetOf(re *syntax.Regexp) *runeSet {
	acc := &runeSet{}
	var walk func(*syntax.Regexp) bool
	walk = func(re *syntax.Regexp) bool {
		switch re.Op {
		case syntax.OpLiteral:
			for _, r := range re.Rune {
				if re.Flags&syntax.FoldCase != 0 {
					acc.addFold(r)
				} else {
					acc.add(r, r)
				}
			}
		case syntax.OpCharClass:
			for i := 0; i+1 < len(re.Rune); i += 2 {
				acc.add(re.Rune[i], re.Rune[i+1])
			}
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			return false
		case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
			syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch, syntax.OpNoMatch:
		case syntax.OpCapture, syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat,
			syntax.OpConcat, syntax.OpAlternate:
			for _, sub := range re.Sub {
				if !walk(sub) {
					return false
				}
			}
		default:
			return false // unforeseen: no claim
		}
		return true
	}
	if !walk(re) {
		return nil
	}
	return acc.merged()
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
		return maxBytesOfAll(re.Sub, func(acc, n int) int { return acc + n })
	case syntax.OpAlternate:
		return maxBytesOfAll(re.Sub, func(acc, n int) int { return max(acc, n) })
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return 0
	}
	return -1
}

// maxBytesOfAll combines the bounds of subs with f (the sum for a
// concatenation, the largest for an alternation), or returns -1 when one
// is unbounded.
func maxBytesOfAll(subs []*syntax.Regexp, f func(acc, n int) int) int {
	acc := 0
	for _, sub := range subs {
		n := maxBytesOf(sub)
		if n < 0 {
			return -1
		}
		acc = f(acc, n)
	}
	return acc
}
