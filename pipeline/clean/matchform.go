package clean

// The match form of a block, which line rules read: made once per block,
// the blocks of a text that need mapping sharing one allocation.

import (
	"strings"
	"unicode/utf8"
)

// matchForm is what line rules match against: typographic apostrophes and
// spaces made plain, list bullets dropped. The block itself is not changed.
func matchForm(s string) string {
	i := mapFrom(s)
	if i == len(s) {
		return trimMatchForm(s) // mapSpaces would change nothing
	}
	return trimMatchForm(mapSpacesFrom(s, i))
}

// plainSpaces reports whether s holds none of the runes matchForm maps,
// and is valid UTF-8 (strings.Map would replace a bad byte).
func plainSpaces(s string) bool { return mapFrom(s) == len(s) }

// mapSpaces is strings.Map with typographic spaces and tabs made spaces
// and typographic apostrophes made ', written out to skip a function call
// per rune. Like strings.Map, it writes U+FFFD for a byte that is not UTF-8.
func mapSpaces(s string) string { return mapSpacesFrom(s, mapFrom(s)) }

// mapFrom returns the offset of the first rune of s that mapSpaces changes,
// or len(s).
func mapFrom(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == '\t' {
				return i
			}
			i++
			continue
		}
		if c == 0xC3 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2 // U+00C0–U+00FF, the accented letters: never mapped
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if mapped(r, n) {
			return i
		}
		i += n
	}
	return len(s)
}

// mapped reports a rune mapSpaces changes: typographic spaces and
// apostrophes, and a byte that is not UTF-8 (strings.Map would replace it).
func mapped(r rune, n int) bool {
	return r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '’' || r == '‘' || r == utf8.RuneError && n == 1
}

// mapSpacesFrom is mapSpaces for s[:from] needing no change. Runs that
// need none are copied whole.
func mapSpacesFrom(s string, from int) string {
	if from == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	appendMapped(&b, s, from)
	return b.String()
}

// appendMapped writes mapSpaces(s) to b, s[:from] needing no change.
func appendMapped(b *strings.Builder, s string, from int) {
	b.WriteString(s[:from])
	for i := from; i < len(s); {
		// copy the run up to the next rune that changes
		j := i + mapFrom(s[i:])
		b.WriteString(s[i:j])
		if j == len(s) {
			break
		}
		c := s[j]
		if c == '\t' {
			b.WriteByte(' ')
			i = j + 1
			continue
		}
		r, n := utf8.DecodeRuneInString(s[j:])
		switch {
		case r == '’' || r == '‘':
			b.WriteByte('\'')
		case r == utf8.RuneError:
			b.WriteString("\uFFFD")
		default:
			b.WriteByte(' ')
		}
		i = j + n
	}
}

// bulletLead says which bytes may start a bullet trimMatchForm drops: its
// ASCII runes and the lead bytes of the others (0xC2 ·, 0xE2 the rest).
var bulletLead = func() (t [256]bool) {
	for _, c := range []byte("•·▶►→*–—-|> ") {
		if c < 0x80 || c >= 0xC0 {
			t[c] = true
		}
	}
	return t
}()

func trimMatchForm(s string) string {
	if s != "" && bulletLead[s[0]] {
		s = strings.TrimLeft(s, "•·▶►→*–—-|> ")
	}
	if strings.Contains(s, "  ") {
		s = strings.Join(strings.Fields(s), " ")
	}
	return strings.TrimSpace(s)
}

// matchForms returns matchForm of the text of each block the rules will
// read ("" for the others). The forms that differ from their block are cut
// from one string: one allocation per text, not one per line.
func matchForms(bs []block) []string {
	forms := make([]string, len(bs))
	from := make([]int32, len(bs)) // where mapping starts; 0: not mapped
	size := 0
	for i := range bs {
		b := &bs[i]
		if b.kept || b.rule != "" {
			continue
		}
		if j := mapFrom(b.text); j < len(b.text) {
			from[i] = int32(j) + 1
			size += len(b.text) + 8
		} else {
			forms[i] = trimMatchForm(b.text)
		}
	}
	if size == 0 {
		return forms
	}
	var arena strings.Builder
	arena.Grow(size)
	ends := make([]int, len(bs))
	for i := range bs {
		if from[i] > 0 {
			appendMapped(&arena, bs[i].text, int(from[i])-1)
			ends[i] = arena.Len()
		}
	}
	all, start := arena.String(), 0
	for i := range bs {
		if from[i] > 0 {
			forms[i] = trimMatchForm(all[start:ends[i]])
			start = ends[i]
		}
	}
	return forms
}
