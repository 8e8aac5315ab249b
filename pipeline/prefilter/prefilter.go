// Package prefilter puts regexps behind cheap necessary conditions read
// off their syntax trees, so that a program running many patterns over
// many lines (package clean's rules) runs a regexp only on the few lines
// it could match. A condition is derived from the pattern itself (the
// runes a match starts or ends with, the runes it can hold, the bytes it
// can span, the literals it must contain), erring on the side of claiming
// less: when it says no, the regexp cannot match. Every answer is the
// regexp's own.
package prefilter

import (
	"bytes"
	"regexp"
	"regexp/syntax"
	"sort"
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
	alphabet *runeSet   // every rune a match can hold; nil: any
	need     [][][]byte // a match holds one string of each, folded (see Fold)
	leads    [][]byte   // a match starts with one of these, folded; nil: no claim
	leadByte [4]uint64  // the first bytes of leads, as a bitmap
	leadPair [4]uint64  // pairHash of the first two bytes of leads, as a bitmap
	leadOne  bool       // a lead is one byte long: leadPair says nothing
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
	if len(s.ranges) > 16 {
		// sorted and disjoint (see alphabetOf): search
		i := sort.Search(len(s.ranges)/2, func(i int) bool { return s.ranges[2*i+1] >= r })
		return i < len(s.ranges)/2 && s.ranges[2*i] <= r
	}
	for i := 0; i < len(s.ranges); i += 2 {
		if s.ranges[i] <= r && r <= s.ranges[i+1] {
			return true
		}
	}
	return false
}

// merged returns s with its ranges sorted and disjoint.
func (s *runeSet) merged() *runeSet {
	if s == nil {
		return nil
	}
	type span struct{ lo, hi rune }
	var sp []span
	for i := 0; i < len(s.ranges); i += 2 {
		sp = append(sp, span{s.ranges[i], s.ranges[i+1]})
	}
	sort.Slice(sp, func(i, j int) bool { return sp[i].lo < sp[j].lo })
	out := &runeSet{ascii: s.ascii}
	for _, x := range sp {
		if n := len(out.ranges); n > 0 && x.lo <= out.ranges[n-1]+1 {
			out.ranges[n-1] = max(out.ranges[n-1], x.hi)
			continue
		}
		out.ranges = append(out.ranges, x.lo, x.hi)
	}
	return out
}

func (s *runeSet) union(t *runeSet) *runeSet {
	if s == nil || t == nil {
		return nil // any rune
	}
	u := &runeSet{ascii: [2]uint64{s.ascii[0] | t.ascii[0], s.ascii[1] | t.ascii[1]}}
	u.ranges = append(append(u.ranges, s.ranges...), t.ranges...)
	return u
}

// newGate reads the gate of a pattern that regexp.MustCompile accepted,
// and that is anchored at the start (NewWhole makes it so): what the
// pattern starts with is what the line starts with.
func newGate(pattern string) gate {
	re := parse(pattern)
	var g gate
	g.prefix, _ = prefixOf(re)
	if len(g.prefix) == 0 {
		if s, nullable := firstOf(re); !nullable {
			g.prefix = []*runeSet{s}
		}
	}
	g.setLeads(leadsOf(re))
	g.maxBytes = maxBytesOf(re)
	g.alphabet = alphabetOf(re)
	g.need = needBytes(needsOf(re))
	return g
}

func parse(pattern string) *syntax.Regexp {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		panic(err) // the same pattern compiled: cannot happen
	}
	return re
}

func needBytes(ns []need) [][][]byte {
	var out [][][]byte
	for _, n := range ns {
		var group [][]byte
		for _, s := range n {
			group = append(group, []byte(s))
		}
		out = append(out, group)
	}
	return out
}

// Regexp is a regexp behind a gate: the literals every match holds and,
// when the pattern is anchored at the start (^), the runes it starts with.
// MatchString and FindStringSubmatch answer exactly as the regexp's do.
type Regexp struct {
	*regexp.Regexp
	gate gate
}

// MustCompile is New(regexp.MustCompile(pattern)).
func MustCompile(pattern string) Regexp {
	return New(regexp.MustCompile(pattern))
}

// New puts a compiled regexp behind the gate of its pattern.
func New(compiled *regexp.Regexp) Regexp {
	r := Regexp{Regexp: compiled, gate: gate{maxBytes: -1}}
	re := parse(compiled.String())
	if re.Op == syntax.OpConcat && len(re.Sub) > 0 && re.Sub[0].Op == syntax.OpBeginText {
		r.gate.prefix, _ = prefixOf(re)
		r.gate.setLeads(leadsOf(re))
	}
	r.gate.need = needBytes(needsOf(re))
	return r
}

func (r Regexp) may(s string) bool {
	if !r.gate.starts(s) {
		return false
	}
	if r.gate.leads != nil {
		var buf [maxLead * utf8.UTFMax]byte
		if !r.gate.leadsOK(foldHead(buf[:0], s)) {
			return false
		}
	}
	if r.gate.need == nil {
		return true
	}
	var buf [512]byte
	return r.gate.needs(Fold(buf[:0], s))
}

// MatchLine is MatchString(s) for s the line l or a prefix of it: the
// line's folded form, computed once for several regexps, holds all
// that s does, and starts as s does.
func (r Regexp) MatchLine(s string, l *Line) bool {
	return r.gate.starts(s) && r.gate.leadsOK(l.Head()) && r.gate.needs(l.Fold()) && r.Regexp.MatchString(s)
}

// FindLine is FindStringSubmatch(s), with s and l as for MatchLine.
func (r Regexp) FindLine(s string, l *Line) []string {
	if !r.gate.starts(s) || !r.gate.leadsOK(l.Head()) || !r.gate.needs(l.Fold()) {
		return nil
	}
	return r.Regexp.FindStringSubmatch(s)
}

// MatchString is the regexp's MatchString, asked only when the gate is open.
func (r Regexp) MatchString(s string) bool {
	return r.may(s) && r.Regexp.MatchString(s)
}

// FindStringSubmatch is the regexp's, asked only when the gate is open.
func (r Regexp) FindStringSubmatch(s string) []string {
	if !r.may(s) {
		return nil
	}
	return r.Regexp.FindStringSubmatch(s)
}

// foldMin is the smallest rune that (?i) takes for r: the same for every
// rune of one case-folding orbit ("s", "S" and "ſ" are all "S").
func foldMin(r rune) rune {
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		m = min(m, f)
	}
	return m
}

// asciiFold is foldMin for ASCII.
var asciiFold = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = byte(foldMin(rune(c)))
	}
	return t
}()

// latinFold is foldMin for the Latin runes French is written with, up to
// U+2030 (quotes, dashes, spaces): walking a fold orbit costs more than
// the rest of fold for such a rune.
var latinFold = func() *[0x2030]rune {
	t := new([0x2030]rune)
	for r := range t {
		t[r] = foldMin(rune(r))
	}
	return t
}()

// fold appends s to dst with every rune replaced by its foldMin. A text
// that a (?i) literal matches holds the literal's folded form in its own.
func Fold(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf {
			dst = append(dst, asciiFold[c])
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r < rune(len(latinFold)) {
			r = latinFold[r]
		} else {
			r = foldMin(r)
		}
		dst = utf8.AppendRune(dst, r)
		i += n - 1
	}
	return dst
}

// needs reports whether the folded line holds, for each of the gate's
// needs, one of its strings.
func (g gate) needs(folded []byte) bool {
	for _, group := range g.need {
		ok := false
		for _, n := range group {
			if bytes.Contains(folded, n) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// fits reports whether a match can span s, as far as its length tells.
func (g gate) fits(s string) bool { return g.maxBytes < 0 || len(s) <= g.maxBytes }

// mayLead reports whether a line whose first byte is b may start a match.
func (g gate) mayLead(b byte) bool {
	if len(g.prefix) == 0 || g.prefix[0] == nil {
		return true
	}
	s := g.prefix[0]
	switch {
	case b < utf8.RuneSelf:
		return s.has(rune(b))
	case b < 0xC2 || b > 0xF4:
		return true // not a lead byte: no claim
	}
	// lead bytes grow with the rune they start
	for i := 0; i < len(s.ranges); i += 2 {
		if leadByte(s.ranges[i]) <= b && b <= leadByte(min(s.ranges[i+1], unicode.MaxRune)) {
			return true
		}
	}
	return s.has(utf8.RuneError) // an invalid sequence reads as U+FFFD
}

func leadByte(r rune) byte {
	var buf [utf8.UTFMax]byte
	utf8.EncodeRune(buf[:], r)
	return buf[0]
}

// within reports whether every rune of s can be part of a match: prose
// holds some rune (a digit, an apostrophe, a letter) that a rule made of a
// few words cannot.
func (g gate) within(s string) bool {
	if g.alphabet == nil {
		return true
	}
	ascii := &g.alphabet.ascii
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf {
			if ascii[c/64]&(1<<(c%64)) == 0 {
				return false
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !g.alphabet.has(r) {
			return false
		}
		i += n - 1
	}
	return true
}

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
