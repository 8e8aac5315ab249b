package prefilter

// The literals a match holds: the strongest gate for rules whose first
// runes are common ("Le …", "La …") but whose words are not.

import (
	"regexp/syntax"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A need is a set of folded strings one of which a match holds.
type need []string

// maxNeed bounds the strings of one need and the needs of one gate: past
// that, looking costs more than running the regexp.
const (
	maxNeed  = 48
	maxNeeds = 3
)

// needsOf returns the needs of re, the most selective first.
func needsOf(re *syntax.Regexp) []need {
	var all []need
	var walk func(re *syntax.Regexp)
	walk = func(re *syntax.Regexp) {
		switch re.Op {
		case syntax.OpCapture, syntax.OpPlus:
			walk(re.Sub[0])
			return
		case syntax.OpRepeat:
			if re.Min > 0 {
				walk(re.Sub[0])
			}
			return
		case syntax.OpConcat:
			// runs of children whose strings are few make one need (their
			// product); the others are looked into
			var run need
			inRun := false
			flush := func() {
				if inRun && !run.hasEmpty() {
					all = append(all, run)
				}
				run, inRun = nil, false
			}
			for _, sub := range re.Sub {
				if set, ok := stringsOf(sub); ok {
					if !inRun {
						run, inRun = need{""}, true
					}
					if run, ok = run.times(set); ok {
						continue
					}
					inRun = false // too many: drop the run, start afresh below
				}
				flush()
				walk(sub)
			}
			flush()
			return
		case syntax.OpAlternate:
			// every branch must offer a need: then one of theirs is one
			var u need
			for _, sub := range re.Sub {
				ns := needsOf(sub)
				if len(ns) == 0 {
					return
				}
				u = append(u, ns[0]...)
			}
			if len(u) <= maxNeed {
				all = append(all, u)
			}
			return
		}
		if set, ok := stringsOf(re); ok && !set.hasEmpty() {
			all = append(all, set)
		}
	}
	walk(re)
	sort.SliceStable(all, func(i, j int) bool { return all[i].score() > all[j].score() })
	var out []need
	for _, n := range all {
		if n.score() > 0 && len(out) < maxNeeds {
			out = append(out, n.dedup())
		}
	}
	return out
}

// stringsOf returns, folded, every string re matches when they are few.
func stringsOf(re *syntax.Regexp) (need, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return need{string(Fold(nil, string(re.Rune)))}, true
	case syntax.OpCharClass:
		var out need
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > 10 {
				return nil, false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				out = append(out, string(foldMin(r)))
			}
		}
		out = out.dedup()
		return out, len(out) <= 10
	case syntax.OpCapture:
		return stringsOf(re.Sub[0])
	case syntax.OpEmptyMatch:
		return need{""}, true
	case syntax.OpQuest:
		set, ok := stringsOf(re.Sub[0])
		return append(set, ""), ok && len(set) < maxNeed
	case syntax.OpConcat:
		out := need{""}
		for _, sub := range re.Sub {
			set, ok := stringsOf(sub)
			if !ok {
				return nil, false
			}
			if out, ok = out.times(set); !ok {
				return nil, false
			}
		}
		return out, true
	case syntax.OpAlternate:
		var out need
		for _, sub := range re.Sub {
			set, ok := stringsOf(sub)
			if !ok || len(out)+len(set) > maxNeed {
				return nil, false
			}
			out = append(out, set...)
		}
		return out, true
	}
	return nil, false
}

// times is the product of two sets of strings, when it is small enough.
func (n need) times(m need) (need, bool) {
	if len(n)*len(m) > maxNeed {
		return nil, false
	}
	out := make(need, 0, len(n)*len(m))
	for _, a := range n {
		for _, b := range m {
			out = append(out, a+b)
		}
	}
	return out, true
}

func (n need) hasEmpty() bool {
	for _, s := range n {
		if s == "" {
			return true
		}
	}
	return false
}

// dedup drops repeated strings and those that hold another string of the
// set: a line that holds "(AFP" holds "AFP", so looking for "AFP" is enough.
func (n need) dedup() need {
	sorted := append(need(nil), n...)
	sort.Slice(sorted, func(i, j int) bool { return len(sorted[i]) < len(sorted[j]) })
	var out need
	for _, s := range sorted {
		covered := false
		for _, o := range out {
			if strings.Contains(s, o) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, s)
		}
	}
	return out
}

// score rates a need: 0 when it offers one letter, a space or common
// punctuation, which nearly every line holds; else higher for longer shortest strings and fewer
// strings.
func (n need) score() int {
	if len(n) == 0 {
		return 0
	}
	short := len(n[0])
	for _, s := range n {
		short = min(short, len(s))
		if r, _ := utf8.DecodeRuneInString(s); len(s) == utf8.RuneLen(r) && (unicode.IsLetter(r) || unicode.IsSpace(r) || strings.ContainsRune(".,'-", r)) {
			return 0
		}
	}
	return min(short, 6)*64 - len(n)
}
