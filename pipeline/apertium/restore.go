package apertium

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// restore turns one Apertium output, unmarked, back into English text.
func restore(s string, p protected) string {
	s = rewriteOurs(s, p.ours)
	if p.edit {
		s = postEdit(s, p.source, firstPass, samePlaceholders)
	}
	s = placeholderRe.ReplaceAllStringFunc(s, func(tok string) string {
		sp, ok := p.tokens[tok]
		if !ok {
			return tok
		}
		eng := "\x04" + sp.english + "\x05" // one unit for moveAdjectives
		if sp.adjective {
			eng = "\x02" + sp.english + "\x03"
		}
		if sp.lowerNext {
			eng += "\x01" // marks where the next word's case is to be fixed
		}
		return eng
	})
	if strings.Contains(s, "\x01") {
		s = lowerAfterMark(s)
	}
	s = moveAdjectives(s)
	s = strings.NewReplacer("«", "“", "»", "”").Replace(s)
	s = spaceBefore.ReplaceAllString(s, "$1")
	s = spaceAfter.ReplaceAllString(s, "$1")
	s = multiSpace.ReplaceAllString(s, " ")
	s = strings.TrimSpace(s)
	if p.addedStop {
		s = strings.TrimSuffix(s, ".")
	}
	if p.edit {
		s = postEdit(s, p.source, secondPass, spansKept(p))
	}
	return s
}

// moveAdjectives puts each marked adjective (\x02…\x03) before the word
// or protected unit (\x04…\x05) it follows, unless that is a function
// word; the noun and its adjective then form one unit, so that a second
// adjective goes before both ("car luxury Russian-made" → "Russian-made
// luxury car"). The marks are removed.
func moveAdjectives(s string) string {
	for strings.Contains(s, "\x02") {
		done := adjSwapRe.ReplaceAllStringFunc(s, func(m string) string {
			g := adjSwapRe.FindStringSubmatch(m)
			if functionWords[g[2]] {
				return g[1] + g[2] + " " + g[3]
			}
			return g[1] + "\x04" + g[3] + " " + strings.Trim(g[2], "\x04\x05") + "\x05"
		})
		if done == s {
			break
		}
		s = done
	}
	return strings.NewReplacer("\x02", "", "\x03", "", "\x04", "", "\x05", "").Replace(s)
}

// lowerAfterMark lowercases the word after each \x01 (unless it is "I" or
// another name) and removes the marks.
func lowerAfterMark(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, 1)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i+1:]
		if strings.HasPrefix(s, " ") {
			w := strings.Fields(s)[0]
			r, size := utf8.DecodeRuneInString(w)
			if unicode.IsUpper(r) && w != "I" && !strings.ContainsRune(w[size:], 1) && strings.ToLower(w[size:]) == w[size:] {
				b.WriteString(" ")
				b.WriteRune(unicode.ToLower(r))
				s = s[1+size:]
			}
		}
	}
}
