package prefilter

// Leads: the folded strings a match starts with, read off the syntax tree,
// and the folded head of a line they are looked for in.

import (
	"bytes"
	"regexp/syntax"
	"unicode/utf8"
)

// maxLead bounds the bytes of a lead: a line's first runes tell most
// alternatives apart, and a line's head is folded once for all of them.
const maxLead = 16

// leadStr is a folded string a match may start with; done says the match
// may go on with anything, so a concatenation adds nothing to it.
type leadStr struct {
	s    string
	done bool
}

// leadsOf returns the folded strings one of which every match of re starts
// with (at most maxLead bytes each), or nil when it cannot tell: the
// strongest gate for alternatives whose start is a choice of words, such
// as "(?:[àa] )?lire aussi", which no single first rune tells.
func leadsOf(re *syntax.Regexp) [][]byte {
	ls := leadSet(re)
	if ls == nil {
		return nil
	}
	var out [][]byte
	seen := map[string]bool{}
	for _, l := range ls {
		if l.s == "" {
			return nil // a match may start with anything
		}
		if !seen[l.s] {
			seen[l.s] = true
			out = append(out, []byte(l.s))
		}
	}
	return out
}

// anyLead is the claim of nothing: a match may start with any string.
var anyLead = []leadStr{{"", true}}

func leadSet(re *syntax.Regexp) []leadStr {
	switch re.Op {
	case syntax.OpLiteral:
		return []leadStr{capLead(string(Fold(nil, string(re.Rune))), false)}
	case syntax.OpCharClass:
		set, ok := stringsOf(re)
		if !ok {
			return anyLead
		}
		out := make([]leadStr, len(set))
		for i, s := range set {
			out[i] = leadStr{s, false}
		}
		return out
	case syntax.OpCapture:
		return leadSet(re.Sub[0])
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return []leadStr{{"", false}}
	case syntax.OpQuest:
		return append(leadSet(re.Sub[0]), leadStr{"", false})
	case syntax.OpPlus:
		return closed(leadSet(re.Sub[0]))
	case syntax.OpRepeat:
		if re.Min == 0 {
			return anyLead
		}
		if re.Min == 1 && re.Max == 1 {
			return leadSet(re.Sub[0])
		}
		return closed(leadSet(re.Sub[0]))
	case syntax.OpAlternate:
		var out []leadStr
		for _, sub := range re.Sub {
			out = append(out, leadSet(sub)...)
			if len(out) > maxNeed {
				return anyLead
			}
		}
		return out
	case syntax.OpConcat:
		acc := []leadStr{{"", false}}
		for _, sub := range re.Sub {
			next := leadSet(sub)
			var out []leadStr
			for _, a := range acc {
				if a.done {
					out = append(out, a)
					continue
				}
				for _, b := range next {
					out = append(out, capLead(a.s+b.s, b.done))
				}
			}
			if len(out) > maxNeed {
				return closed(acc) // what is known so far still holds
			}
			acc = out
		}
		return acc
	}
	return anyLead // OpStar, any rune, and anything unforeseen
}

// capLead cuts a lead to maxLead bytes, after which it tells nothing more.
func capLead(s string, done bool) leadStr {
	if len(s) >= maxLead {
		return leadStr{s[:maxLead], true}
	}
	return leadStr{s, done}
}

func closed(ls []leadStr) []leadStr {
	out := make([]leadStr, len(ls))
	for i, l := range ls {
		out[i] = leadStr{l.s, true}
	}
	return out
}

func (g *gate) setLeads(leads [][]byte) {
	g.leads = leads
	for _, l := range leads {
		g.leadByte[l[0]/64] |= 1 << (l[0] % 64)
		if len(l) == 1 {
			g.leadOne = true
			continue
		}
		h := pairHash(l[0], l[1])
		g.leadPair[h/64] |= 1 << (h % 64)
	}
}

// pairHash folds two bytes into 8 bits: two bitmap tests turn away nearly
// every line before any lead is compared.
func pairHash(a, b byte) byte { return a*7 ^ b }

// leadsOK reports whether a line whose folded head (its first maxLead runes
// or more, folded) is head may start a match.
func (g *gate) leadsOK(head []byte) bool {
	if g.leads == nil {
		return true
	}
	if len(head) == 0 || g.leadByte[head[0]/64]&(1<<(head[0]%64)) == 0 {
		return false
	}
	if !g.leadOne {
		if len(head) < 2 {
			return false
		}
		if h := pairHash(head[0], head[1]); g.leadPair[h/64]&(1<<(h%64)) == 0 {
			return false
		}
	}
	for _, l := range g.leads {
		if bytes.HasPrefix(head, l) {
			return true
		}
	}
	return false
}

// head returns the first maxLead runes of m folded: at least maxLead bytes
// unless m is shorter, so a lead is found in it when it is in all of m
// folded.
func (l *Line) Head() []byte {
	if l.nh < 0 {
		l.nh = len(foldHead(l.hbuf[:0], l.m))
	}
	return l.hbuf[:l.nh]
}

// foldHead appends the first maxLead runes of s, folded, to dst.
func foldHead(dst []byte, s string) []byte {
	for i, n := 0, 0; i < len(s); i++ {
		if n++; n > maxLead {
			s = s[:i]
			break
		}
		if s[i] >= utf8.RuneSelf {
			_, w := utf8.DecodeRuneInString(s[i:])
			i += w - 1
		}
	}
	return Fold(dst, s)
}
