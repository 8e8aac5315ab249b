// Package lang tells French from English by stop-word ratios and splits text
// into sentences. A stop-word count is enough for news paragraphs and adds
// nothing to the binary, where a statistical detector would add megabytes.
package lang

import (
	"iter"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Codes returned by Detect.
const (
	French  = "fr"
	English = "en"
	Unknown = ""
)

var frenchStop = set("le la les un une des du de au aux et est sont dans pour par sur avec qui que ne pas plus ses son sa leur leurs cette ces il elle ils elles nous vous été être avait ont a à où mais ou donc car selon lors entre depuis aussi très après avant sans sous chez comme tout tous toute toutes même l d qu n s c j")
var englishStop = set("the a an and is are was were in for by on with who which that not more his her its their this these he she they we you been be had has have of to at where but or so because according during between since also very after before without under as all same it from would will")

// stop says of each stop word whether it is French, English or both, so a
// word costs one lookup.
var stop, stopMaxRunes = stopTable()

const (
	isFrench  = 1
	isEnglish = 2
)

func stopTable() (map[string]uint8, int) {
	m := map[string]uint8{}
	longest := 0
	for w := range frenchStop {
		m[w] |= isFrench
		longest = max(longest, utf8.RuneCountInString(w))
	}
	for w := range englishStop {
		m[w] |= isEnglish
		longest = max(longest, utf8.RuneCountInString(w))
	}
	return m, longest
}

func set(words string) map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(words) {
		m[w] = struct{}{}
	}
	return m
}

// stopKind looks a word up in the stop table, lower-cased as
// strings.ToLower would, without allocating. Lower-casing keeps the number
// of runes, and of bytes for ASCII, so most words are turned away by their
// first letter and length before any lookup.
func stopKind(w string, ascii bool) uint8 {
	if ascii {
		// | 0x20 lower-cases an ASCII letter and makes no other byte one,
		// and stop words are letters: w is compared in place
		c := w[0] | 0x20
		if len(w) >= 16 || stopShape[c]&(1<<len(w)) == 0 {
			return 0
		}
		at := stopAt[int(c)<<4|len(w)]
	next:
		for _, e := range stopList[at.start : at.start+at.n] {
			for i := 1; i < len(w); i++ {
				if w[i]|0x20 != e.word[i] {
					continue next
				}
			}
			return e.kind
		}
		return 0
	}
	if len(w) > utf8.UTFMax*stopMaxRunes {
		return 0 // more runes than any stop word
	}
	var buf [64]byte
	b := buf[:0]
	for _, r := range w {
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	if len(b) >= 16 || stopShape[b[0]]&(1<<len(b)) == 0 {
		return 0
	}
	at := stopAt[int(b[0])<<4|len(b)]
	for _, e := range stopList[at.start : at.start+at.n] {
		if e.word == string(b) { // no allocation: compared in place
			return e.kind
		}
	}
	return 0
}

// stopEntry is a stop word and whether it is French, English or both.
type stopEntry struct {
	word string
	kind uint8
}

// stopList holds the stop words by first byte and length, and stopAt where
// those of each first byte c and length n are: stopAt[c<<4|n]. After
// stopShape's test a word is compared with the one or two of its shape,
// where hashing it for a map lookup cost more.
var stopList, stopAt = func() ([]stopEntry, *[256 << 4]struct{ start, n uint8 }) {
	var l []stopEntry
	for w, k := range stop {
		if len(w) < 16 {
			l = append(l, stopEntry{w, k})
		}
	}
	if len(l) > 255 {
		panic("lang: more stop words than stopAt can index") // a table edit, caught by any test
	}
	key := func(w string) int { return int(w[0])<<4 | len(w) }
	sort.Slice(l, func(i, j int) bool { return key(l[i].word) < key(l[j].word) })
	at := new([256 << 4]struct{ start, n uint8 })
	for i, e := range l {
		k := key(e.word)
		if at[k].n == 0 {
			at[k].start = uint8(i)
		}
		at[k].n++
	}
	return l, at
}()

// stopShape[c] has bit n set when a stop word of n bytes starts with the
// byte c.
var stopShape = func() (t [256]uint16) {
	for w := range stop {
		if len(w) < 16 {
			t[w[0]] |= 1 << len(w) // stop words are lower case: w[0] | 0x20 == w[0] for ASCII letters
		}
	}
	return t
}()

// Stop reports whether a word is a French and whether it is an English
// stop word, as Counts counts it (after strings.ToLower).
func Stop(word string) (french, english bool) {
	if word == "" {
		return false, false
	}
	ascii := true
	for i := 0; i < len(word); i++ {
		if word[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	k := stopKind(word, ascii)
	return k&isFrench != 0, k&isEnglish != 0
}

// wordByte says which ASCII bytes Words keeps.
var wordByte = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = isWordRune(rune(c))
	}
	return t
}()

// isWordRune is what Words keeps; everything else separates words.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-'
}

// nextWord returns the first word of text at or after i, where the text
// after it starts, and whether the word is all ASCII; w is "" at the end.
// It splits exactly as Words does.
func nextWord(text string, i int) (w string, next int, ascii bool) {
	for i < len(text) { // skip what separates words
		if c := text[i]; c < utf8.RuneSelf {
			if wordByte[c] {
				break
			}
			i++
			continue
		}
		if l, ok := latin1Letter(text, i); ok {
			if l {
				break
			}
			i += 2
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			break
		}
		i += n
	}
	start := i
	ascii = true
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if !wordByte[c] {
				return text[start:i], i + 1, ascii
			}
			i++
			continue
		}
		if l, ok := latin1Letter(text, i); ok {
			if !l {
				return text[start:i], i + 2, ascii
			}
			ascii = false
			i += 2
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			return text[start:i], i + n, ascii
		}
		ascii = false
		i += n
	}
	return text[start:], len(text), ascii
}

// latin1Letter reads the rune at text[i] when it is one of U+00C0–U+00FF,
// the accented letters of French (ok), and reports whether it is a letter:
// all are but × and ÷. It spares most French words a rune decoding and a
// Unicode table lookup.
func latin1Letter(text string, i int) (letter, ok bool) {
	if text[i] != 0xC3 || i+1 >= len(text) || text[i+1]&0xC0 != 0x80 {
		return false, false
	}
	return text[i+1] != 0x97 && text[i+1] != 0xB7, true
}

// Counts returns how many words of text are French and English stop words,
// and how many words there are. Elided forms (l’, d’, qu’) count as French.
func Counts(text string) (fr, en, words int) {
	for i := 0; i < len(text); {
		w, next, ascii := nextWord(text, i)
		if w == "" {
			break
		}
		words++
		k := stopKind(w, ascii)
		fr += int(k & isFrench)
		en += int(k&isEnglish) >> 1
		i = next
	}
	return fr, en, words
}

// Words splits text into words, breaking at apostrophes (’ and ') so that
// French elisions become words of their own.
func Words(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !isWordRune(r) })
}

// WordSeq yields the words Words returns, one at a time, without
// allocating them a slice.
func WordSeq(text string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for i := 0; i < len(text); {
			w, next, _ := nextWord(text, i)
			if w == "" || !yield(w) {
				return
			}
			i = next
		}
	}
}

// Detect returns French, English or Unknown for a text. Texts under four
// words, or with too few stop words either way, are Unknown.
func Detect(text string) string {
	return DetectCounts(Counts(text))
}

// DetectCounts is Detect from what Counts returned. Counts add up over
// texts joined by a space or a line break, so a caller that has counted
// the parts decides on the whole without counting it again.
func DetectCounts(fr, en, n int) string {
	if n < 4 || fr+en < 2 {
		return Unknown
	}
	switch {
	case float64(fr) >= 1.5*float64(en):
		return French
	case float64(en) >= 1.5*float64(fr):
		return English
	}
	return Unknown
}

// FrenchRatio is the share of a text's words that are French stop words and
// not English ones; untranslated French news text scores about 0.3–0.45,
// English under 0.05.
func FrenchRatio(text string) float64 {
	n, words := 0, 0
	for i := 0; i < len(text); {
		w, next, ascii := nextWord(text, i)
		if w == "" {
			break
		}
		words++
		if stopKind(w, ascii) == isFrench {
			n++
		}
		i = next
	}
	if words == 0 {
		return 0
	}
	return float64(n) / float64(words)
}

// abbreviations end in a period without ending a sentence.
var abbreviations = set("M Mme Mlle Dr Pr St Mr Mrs Ms Prof Gen Sen Rep Jr Sr vs etc av apr J.-C No n° p ex cf Inc Ltd Co Corp")

// Sentences splits a paragraph into sentences at . ! ? … followed by a space
// and an upper-case letter, a digit, or an opening quote, keeping the
// punctuation and closing quotes with the sentence. Abbreviations (M., Dr.)
// and initials (J. Smith) do not end a sentence.
func Sentences(text string) []string {
	// The sentences are slices of text, not copies: a briefing of
	// thousands of articles holds every sentence of every translation.
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD") // so that rs and text agree on every offset
	}
	rs := []rune(text)
	// at(x) is the byte offset of rs[x]; the offsets asked for only grow,
	// so a cursor walks the text once.
	cur, curByte := 0, 0
	at := func(x int) int {
		for ; cur < x; cur++ {
			curByte += utf8.RuneLen(rs[cur])
		}
		return curByte
	}
	var out []string
	start := 0
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r != '.' && r != '!' && r != '?' && r != '…' {
			continue
		}
		j := i + 1
		for j < len(rs) {
			if strings.ContainsRune(".!?…»\"”’)", rs[j]) {
				j++
				continue
			}
			// a closing guillemet after a (non-breaking) space belongs here
			k := j
			for k < len(rs) && unicode.IsSpace(rs[k]) {
				k++
			}
			if k > j && k < len(rs) && rs[k] == '»' {
				j = k + 1
				continue
			}
			break
		}
		// need whitespace then a sentence opener
		k := j
		for k < len(rs) && unicode.IsSpace(rs[k]) {
			k++
		}
		if k == j || k >= len(rs) {
			continue
		}
		next := rs[k]
		if !(unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune("«\"“‘(—–-", next)) {
			continue
		}
		if r == '.' && endsWithAbbrev(rs[start:i]) {
			continue
		}
		from := at(start)
		out = append(out, strings.TrimSpace(text[from:at(j)]))
		start = k
		i = k - 1
	}
	if rest := strings.TrimSpace(text[at(start):]); rest != "" {
		out = append(out, rest)
	}
	return out
}

func endsWithAbbrev(rs []rune) bool {
	i := len(rs)
	for i > 0 && !unicode.IsSpace(rs[i-1]) && rs[i-1] != '(' {
		i--
	}
	w := string(rs[i:])
	if w == "" {
		return false
	}
	if _, ok := abbreviations[w]; ok {
		return true
	}
	// a single capital letter: an initial
	wr := []rune(w)
	return len(wr) == 1 && unicode.IsUpper(wr[0])
}
