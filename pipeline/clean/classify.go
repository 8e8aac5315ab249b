package clean

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/prefilter"
)

var (
	// a caption: one sentence, then a picture credit in parentheses
	captionRe = prefilter.MustCompile(`^(.{15,400}?[.!?…»])\s*\(([^()]{2,80})\)\s*$`)
	creditRe  = prefilter.MustCompile(`(?i)(?:/|\bvia\b|©|\bphotos?\b|\bcr[ée]dit|\bpool\b|\bnewsource\b|\bgetty\b|\bimages\b|\barchives?\b|\bfile\b)`)
	// a caption whose credit follows without parentheses: "… à Moscou. © AFP"
	captionCopyRe = prefilter.MustCompile(`(?i)^(.{15,400}?[.!?…»])\s*(?:©|photo\s*:|cr[ée]dits?(?: photo)?\s*:)\s*[^.!?]{2,60}$`)
	// "… le 19 juin 2024. GAVRIIL GRIGOROV / AP": an upper-case name, then the agency
	captionUpperRe = prefilter.MustCompile(`^(.{15,400}?[.!?…»])\s*[\p{Lu}][\p{Lu} .'’-]{1,60}\s*/\s*(?:` + agencies + `)(?:\s*/\s*[\p{Lu} ]{1,30})?$`)

	nameWord  = `[A-ZÉÈÀÂÎÔÇ][\p{L}'’.-]*`
	name      = nameWord + `(?:\s+(?:(?:de|du|des|van|von|le|la|di|da|ben|el|al|d'|d’)\s*)?` + nameWord + `){0,3}`
	bylineRe  = prefilter.MustCompile(`^(?i:par|by|propos recueillis par|texte|r[ée]dig[ée] par|[ée]crit par|relu par|r[ée]alis[ée] par|[ée]dit[ée] par|adapt[ée] par|traduit(?: de l'\pL+)? par|un article de|auteur\s*:|written by)\s+(` + name + `(?:\s*(?:,|et|and|&)\s*` + name + `)*)(?:\s*[,–—|-]\s*[^.!?]{0,60}|\s*\([^()]{1,60}\))?$`)
	stampByRe = prefilter.MustCompile(`\s(?i:par|by)\s+(` + name + `)$`)
	nameRe    = prefilter.MustCompile(`^(` + name + `)(?:\s*[,–—|-]\s*[\p{Ll}][^.!?]{0,60})?$`)
	agencyRe  = prefilter.MustCompile(`(?i)^\(?(?:(?:le |la |les )?[\p{L} ]{0,30}\s)?(?:avec|with|source\s*:|sources\s*:)\s*(?:` + agencies + `)(?:\s*(?:et|,|and|&)\s*(?:` + agencies + `))*\)?\.?$`)

	// words that in a French article only English alt text and captions use
	// "Korea's" would count its "s" as a French elision
	possessive = strings.NewReplacer("'s ", " ", "’s ", " ")
	englishAlt = prefilter.MustCompile(`(?i)(?:, (?:left|right|center|centre)\b|\bpictured\b|\bpresident\b|\bleader\b|\bminister\b|\battends?\b|\bshakes?\b|\bduring\b|\bmeeting\b|\bphoto\b|\bfile\b|\bseen\b|\bstands?\b|\bspeaks?\b)`)
)

// caption reports a photo caption block: one sentence and a credit.
func caption(text string) bool {
	if len(text) > 520 {
		return false
	}
	// cheap tests first: most blocks are article paragraphs. Lower-casing
	// makes no "/" and keeps every one, so the tail is searched as it is
	tail := text[max(0, len(text)-90):]
	paren := strings.HasSuffix(text, ")")
	slash := strings.IndexByte(tail, '/') >= 0
	if paren {
		if sentence, credit, ok := parenCaption(text); ok {
			return creditRe.MatchString(credit) && len(lang.Sentences(sentence)) == 1
		}
	}
	if mayCopyCaption(text) && creditMark(tail) {
		if m := captionCopyRe.FindStringSubmatch(text); m != nil {
			return len(lang.Sentences(m[1])) == 1
		}
	}
	if slash && mayUpperCaption(text) {
		if m := captionUpperRe.FindStringSubmatch(text); m != nil {
			return len(lang.Sentences(m[1])) == 1
		}
	}
	return false
}

// The caption regexps start with .{15,400}?, which compiles to a program
// large enough that Go runs it on its slowest engine. These checks read
// what a match must end with, right to left, and turn most lines away;
// TestCaptionChecks holds them to the regexps.

// reSpace is what \s matches in Go regexps.
const reSpace = "\t\n\f\r "

// creditMark reports a tail that, lower-cased, holds a credit mark.
func creditMark(tail string) bool {
	var buf [3 * 90]byte // lower-casing at most triples the bytes (U+FFFD for one)
	l := appendLower(buf[:0], tail)
	return bytes.Contains(l, []byte("©")) || bytes.Contains(l, []byte("photo")) || bytes.Contains(l, []byte("dit"))
}

// mayParenCaption is a necessary condition for captionRe: the text ends
// with "(…)" holding no other parenthesis, after a sentence end.
func mayParenCaption(text string) bool {
	t := strings.TrimRight(text, reSpace)
	if !strings.HasSuffix(t, ")") {
		return false
	}
	t = t[:len(t)-1]
	open := strings.LastIndexAny(t, "()")
	if open < 0 || t[open] != '(' {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(t[:open], reSpace))
	return strings.ContainsRune(".!?…»", r)
}

// parenCaption is captionRe.FindStringSubmatch read by hand, which its
// .{15,400}? made Go run on its NFA: the credit is what the last "(" and
// the final ")" hold, so the sentence is what comes before, and each has
// one way to match. TestParenCaption holds it to the regexp.
func parenCaption(text string) (sentence, credit string, ok bool) {
	t := strings.TrimRight(text, reSpace)
	if !strings.HasSuffix(t, ")") {
		return "", "", false
	}
	t = t[:len(t)-1]
	open := strings.LastIndexAny(t, "()")
	if open < 0 || t[open] != '(' {
		return "", "", false
	}
	credit = t[open+1:]
	if n := utf8.RuneCountInString(credit); n < 2 || n > 80 {
		return "", "", false
	}
	sentence = strings.TrimRight(t[:open], reSpace)
	r, size := utf8.DecodeLastRuneInString(sentence)
	if !strings.ContainsRune(".!?…»", r) || r == utf8.RuneError {
		return "", "", false
	}
	body := sentence[:len(sentence)-size]
	if n := utf8.RuneCountInString(body); n < 15 || n > 400 || strings.IndexByte(body, '\n') >= 0 {
		return "", "", false
	}
	return sentence, credit, true
}

// mayCopyCaption is a necessary condition for captionCopyRe: the credit
// mark (©, "photo", "crédit") comes after the text's last . ! or ?, as the
// credit that follows it holds none.
func mayCopyCaption(text string) bool {
	seg := text[strings.LastIndexAny(text, ".!?")+1:]
	var buf [256]byte
	l := appendLower(buf[:0], seg)
	return bytes.Contains(l, []byte("©")) || bytes.Contains(l, []byte("photo")) || bytes.Contains(l, []byte("dit"))
}

// mayUpperCaption is a necessary condition for captionUpperRe: an agency
// follows the last or the last but one slash.
func mayUpperCaption(text string) bool {
	last := strings.LastIndexByte(text, '/')
	if last < 0 {
		return false
	}
	if agencyFirst(text[last+1:]) {
		return true
	}
	prev := strings.LastIndexByte(text[:last], '/')
	return prev >= 0 && agencyFirst(text[prev+1:last])
}

// agencyNames are the alternatives of agencies, as written there.
var agencyNames = strings.Split(strings.ReplaceAll(agencies, `(?:\s+Images)?`, ""), "|")

func agencyFirst(s string) bool {
	s = strings.TrimLeft(s, reSpace)
	for _, a := range agencyNames {
		if strings.HasPrefix(s, a) {
			return true
		}
	}
	return false
}

// byline returns the author named by a byline block, whether the block
// is one, and, when it found out, whether bylineRe matches the whole line
// (a signed byline, "Par …", rather than a bare name). Bare names ("Jean
// Delaunay") only count near the top or the end of the page (near says
// so), where CMSs put them; elsewhere a short capitalised line may be a
// subhead.
func byline(l *prefilter.Line, near bool) (author string, ok bool, signed tri) {
	text := l.String()
	if len(text) > 120 || endsSentence(text) && !strings.HasSuffix(text, ")") && !strings.HasSuffix(text, ".") {
		return "", false, unknown
	}
	// t is part of text: what text's folded form lacks, t lacks
	t := strings.TrimSuffix(text, ".")
	if agencyRe.MatchLine(text, l) {
		return "", true, unknown
	}
	m := bylineRe.FindLine(t, l)
	if t == text {
		signed = no
		if m != nil {
			signed = yes
		}
	}
	if m != nil {
		return m[1], true, signed
	}
	if !near || strings.HasSuffix(text, ".") {
		return "", false, signed
	}
	if m := nameRe.FindLine(t, l); m != nil {
		words := strings.Fields(m[1])
		if len(words) < 2 || len(words) > 4 || strings.ContainsAny(m[1], "0123456789") || preposition[strings.ToLower(words[0])] {
			return "", false, signed // "Aux Vieilles Charrues, une première soirée…" is a headline
		}
		return m[1], true, signed
	}
	return "", false, signed
}

// preposition are the French prepositions a headline may open with and
// a name never does.
var preposition = map[string]bool{"à": true, "au": true, "aux": true, "dans": true, "pour": true, "sur": true, "en": true, "chez": true,
	"avec": true, "sans": true, "sous": true, "vers": true, "entre": true, "depuis": true, "pendant": true, "après": true, "avant": true, "contre": true}

// tri is a yes or a no that may not be known yet: what a regexp said,
// kept so that it is not run twice on one line.
type tri uint8

const (
	unknown tri = iota
	yes
	no
)

// signedBy reports whether bylineRe matches s, asking it only when
// signed does not say.
func signedBy(signed tri, s string) bool {
	if signed == unknown {
		return bylineRe.MatchString(s)
	}
	return signed == yes
}

// quoted is strings.ContainsAny(text, "«»“”\""), byte by byte: each of
// these runes starts with a lead byte, so a byte match is a rune match.
func quoted(text string) bool {
	return strings.IndexByte(text, '"') >= 0 || strings.Contains(text, "«") || strings.Contains(text, "»") ||
		strings.Contains(text, "“") || strings.Contains(text, "”")
}

// englishAltText reports a block of English in a French page that reads
// like the alt text or caption of a picture.
func englishAltText(text string) bool {
	if len(text) > 320 || quoted(text) {
		return false // a quotation, kept in the original language
	}
	if strings.Contains(text, "'s ") || strings.Contains(text, "’s ") {
		text = possessive.Replace(text)
	}
	// count only the words of one language: "a" and "Un" (Kim Jong Un) are both
	fr, en, n := 0, 0, 0
	for w := range lang.WordSeq(text) {
		if n++; n > 45 {
			return false
		}
		f, e := lang.Stop(w)
		if f && !e && n > 1 && w != strings.ToLower(w) {
			f = false // "Un" of Kim Jong Un: a capitalised word inside a line is a name
		}
		switch {
		case f && !e:
			fr++
		case e && !f:
			en++
		}
		// each word to come adds at most one English word, and past 45
		// words the block is not alt text: French has already won
		if fr*3 > en+45-n {
			return false
		}
	}
	if n < 4 || fr*3 > en {
		return false
	}
	return en >= 3 || en >= 1 && englishAlt.MatchString(text)
}

// englishTitle reports an English line in title case (every word but the
// English stop words capitalised, what parentheses hold aside): the title
// of a film, a book, a song cited in the article ("The Death and Life of
// Marsha P. Johnson (docu, 1h45)"), where a picture's alt text is a
// sentence ("Kim Jong Un and Vladimir Putin at the cosmodrome").
func englishTitle(text string) bool {
	if i := strings.IndexByte(text, '('); i > 0 {
		text = text[:i]
	}
	n := 0
	for w := range strings.FieldsSeq(text) {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsLetter(r) {
			continue
		}
		if _, e := lang.Stop(strings.ToLower(w)); e {
			continue
		}
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2
}

// appendLower appends strings.ToLower(s) to dst, without the string:
// rune by rune, with U+FFFD for a byte that is not UTF-8, as ToLower does.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += n - 1
	}
	return dst
}

// endsSentence reports text that ends like a sentence, a quotation or a
// parenthesis: such a block is prose, not a menu item or a link.
func endsSentence(text string) bool {
	text = strings.TrimSpace(text)
	r, size := utf8.DecodeLastRuneInString(text)
	if strings.ContainsRune("»\"”)", r) {
		// a closing quote ends a sentence only after a sentence end:
		// « année de grands changements » is a headline, not prose
		inner := strings.TrimRight(text[:len(text)-size], " \u00a0\u202f")
		r, _ = utf8.DecodeLastRuneInString(inner)
	}
	return strings.ContainsRune(".!?…", r)
}

// words counts the words of a block: len(strings.Fields(text)), without
// the slice.
func words(text string) int {
	n := 0
	for range strings.FieldsSeq(text) {
		n++
	}
	return n
}

// linkish reports a block that reads like a link or a menu item: no
// sentence end, and at most 30 words (related-article titles are long).
func linkish(text string) bool {
	return !endsSentence(text) && words(text) <= 30
}

// titleLike reports a block that can be the headline.
func titleLike(text string) bool {
	n := words(text)
	if n < 2 || n > 35 || strings.HasSuffix(text, ".") || strings.HasSuffix(text, ":") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || r == '«' || r == '"'
}

// key is a comparable form of a block: lower-case letters and digits.
func key(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// keyIs reports whether key(s) == k, without building key(s).
func keyIs(s, k string) bool {
	var buf [utf8.UTFMax]byte
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n := utf8.EncodeRune(buf[:], unicode.ToLower(r))
			if len(k) < n || string(buf[:n]) != k[:n] {
				return false
			}
			k = k[n:]
		}
	}
	return k == ""
}
