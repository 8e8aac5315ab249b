package apertium

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Apertium's French dictionary lacks words a news text uses ("porosité",
// "bienfaiteur"); it passes them through, marked, and they would stay in
// French. A French→English dictionary in dictd format (Debian's
// dict-freedict-fra-eng) fills them in: read directly from its .index and
// .dict.dz files, no dict server, first sense of each headword.

// Dictionary maps French words to English, or to Spanish that the pivot's
// second leg translates (WikDict's French→Spanish dictionary is five times
// FreeDict's French→English one). It is immutable and safe for concurrent
// use.
type Dictionary struct {
	// Spanish: the renderings are Spanish, for the spa-eng leg.
	Spanish bool
	words   map[string][2]int // headword → offset, length of its definition in body
	body    []byte
	version string
}

// Version is a short hash of the dictionary's index, for cache keys.
func (d *Dictionary) Version() string { return d.version }

type dictEntry struct { // one definition, parsed
	english string
	plural  string // a synonym of the first sense already plural ("thanks")
	pos     string // n, v, adj, adv… as the dictionary tags them
}

// LoadDictionary reads the dictd files path.index and path.dict.dz (or
// path.dict) of a French→English (path ends in "-eng") or French→Spanish
// ("-spa") dictionary.
func LoadDictionary(path string) (*Dictionary, error) {
	var spanish bool
	switch {
	case strings.HasSuffix(path, "-eng"):
	case strings.HasSuffix(path, "-spa"):
		spanish = true
	default:
		return nil, fmt.Errorf("dictionary %s: want a French→English (…-eng) or French→Spanish (…-spa) dictd dictionary", path)
	}
	index, err := os.ReadFile(path + ".index")
	if err != nil {
		return nil, fmt.Errorf("dictionary: %w", err)
	}
	body, err := readDict(path)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(index)
	d := &Dictionary{Spanish: spanish, words: map[string][2]int{}, body: body, version: hex.EncodeToString(sum[:6])}
	sc := bufio.NewScanner(bytes.NewReader(index))
	for line := 1; sc.Scan(); line++ {
		head, rest, ok := strings.Cut(sc.Text(), "\t")
		if !ok || strings.HasPrefix(head, "00database") || strings.ContainsRune(head, ' ') {
			continue // multiword headwords: the phrase table's job
		}
		off, size, ok := strings.Cut(rest, "\t")
		o, err1 := b64(off)
		n, err2 := b64(size)
		if !ok || err1 != nil || err2 != nil || o+n > len(body) {
			return nil, fmt.Errorf("dictionary %s.index line %d: bad offset or length", path, line)
		}
		if _, dup := d.words[head]; !dup {
			d.words[head] = [2]int{o, n} // the first entry: a noun before the verb
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("dictionary %s.index: %w", path, err)
	}
	if len(d.words) == 0 {
		return nil, fmt.Errorf("dictionary %s: no entries", path)
	}
	return d, nil
}

func readDict(path string) ([]byte, error) {
	if f, err := os.Open(path + ".dict.dz"); err == nil {
		defer f.Close()
		// dictzip is gzip with an index of chunks in the header: read as a
		// plain gzip stream, whole (the dictionary is small).
		z, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("dictionary %s.dict.dz: %w", path, err)
		}
		b, err := io.ReadAll(z)
		if err != nil {
			return nil, fmt.Errorf("dictionary %s.dict.dz: %w", path, err)
		}
		return b, nil
	}
	b, err := os.ReadFile(path + ".dict")
	if err != nil {
		return nil, fmt.Errorf("dictionary: %s.dict.dz or .dict: %w", path, err)
	}
	return b, nil
}

// b64 decodes dictd's base-64 numbers (most significant digit first).
func b64(s string) (int, error) {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	n := 0
	for _, c := range []byte(s) {
		i := strings.IndexByte(digits, c)
		if i < 0 {
			return 0, fmt.Errorf("bad digit %q", c)
		}
		n = n*64 + i
	}
	return n, nil
}

// parseDefinition reads a FreeDict definition: a head line "mot /ipa/
// <n, fem>" and senses, numbered ("1. a, b") or not; the first word or
// phrase of the first sense is the rendering.
func parseDefinition(def string) (dictEntry, bool) {
	lines := strings.Split(strings.TrimSpace(def), "\n")
	if len(lines) < 2 {
		return dictEntry{}, false
	}
	var e dictEntry
	if i := strings.IndexByte(lines[0], '<'); i >= 0 {
		tags := strings.Trim(lines[0][i:], "<> ")
		e.pos, _, _ = strings.Cut(tags, ",")
		e.pos = strings.TrimSpace(e.pos)
	}
	sense := strings.TrimSpace(lines[1])
	if i := strings.Index(sense, ". "); i > 0 && i <= 3 && unicode.IsDigit(firstRune(sense)) {
		sense = sense[i+2:]
	}
	sense, _, _ = strings.Cut(sense, ";")
	if i := strings.IndexByte(sense, '('); i >= 0 {
		sense = sense[:i]
	}
	syn := strings.Split(sense, ",")
	e.english = strings.TrimSpace(syn[0])
	for _, w := range syn[1:] {
		if w = strings.TrimSpace(w); strings.HasSuffix(w, "s") && !strings.ContainsRune(w, ' ') {
			e.plural = w
			break
		}
	}
	return e, e.english != ""
}

// Lookup renders one French word (as it appears in a text, inflected and
// possibly capitalised) in the dictionary's language, keeping its case and
// a noun's plural.
func (d *Dictionary) Lookup(word string) (string, bool) {
	if d == nil {
		return "", false
	}
	low := strings.ToLower(word)
	for _, c := range lemmaCandidates(low) {
		at, ok := d.words[c.lemma]
		if !ok {
			continue
		}
		e, ok := parseDefinition(string(d.body[at[0] : at[0]+at[1]]))
		if !ok || (c.plural && e.pos != "n" && e.pos != "adj") {
			continue
		}
		eng := e.english
		switch {
		case c.plural && d.Spanish:
			eng = pluralizeSpanish(eng)
		case c.plural && e.pos == "n" && e.plural != "":
			eng = e.plural
		case c.plural && e.pos == "n":
			eng = pluralize(eng)
		}
		if r, _ := utf8.DecodeRuneInString(word); unicode.IsUpper(r) {
			eng = capitalize(eng)
		}
		return eng, true
	}
	return "", false
}

type lemmaCandidate struct {
	lemma  string
	plural bool
}

// lemmaCandidates undoes French plural and feminine endings, most likely
// first: dictionaries list the masculine singular.
func lemmaCandidates(w string) []lemmaCandidate {
	out := []lemmaCandidate{{w, false}}
	add := func(suffix, repl string, plural bool) {
		if strings.HasSuffix(w, suffix) && len(w) > len(suffix)+2 {
			out = append(out, lemmaCandidate{strings.TrimSuffix(w, suffix) + repl, plural})
		}
	}
	add("aux", "al", true)
	add("s", "", true)
	add("x", "", true)
	add("es", "", true)   // feminine plural adjective
	add("ées", "é", true) // participle
	add("ée", "é", false)
	add("e", "", false)
	add("ives", "if", true)
	add("ive", "if", false)
	add("euses", "eux", true)
	add("euse", "eux", false)
	add("elles", "el", true)
	add("elle", "el", false)
	add("ennes", "en", true)
	add("enne", "en", false)
	return out
}

// pluralize makes an English noun plural by the regular rules; a phrase
// gets it on its first word ("bill of exchange"), a word already plural
// stays.
func pluralize(s string) string {
	head, tail, _ := strings.Cut(s, " ")
	if tail != "" && !strings.HasPrefix(tail, "of ") {
		// "motor car": the last word is the noun
		i := strings.LastIndexByte(s, ' ')
		return s[:i+1] + pluralize(s[i+1:])
	}
	if tail != "" {
		return pluralize(head) + " " + tail
	}
	switch {
	case strings.HasSuffix(s, "ss"), strings.HasSuffix(s, "sh"), strings.HasSuffix(s, "ch"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "z"):
		return s + "es"
	case strings.HasSuffix(s, "s"):
		return s
	case strings.HasSuffix(s, "y") && len(s) > 1 && !strings.ContainsRune("aeiou", rune(s[len(s)-2])):
		return s[:len(s)-1] + "ies"
	}
	return s + "s"
}

// pluralizeSpanish makes a Spanish noun or adjective plural, for the
// pivot's second leg to translate as a plural.
func pluralizeSpanish(s string) string {
	if strings.ContainsRune(s, ' ') || s == "" {
		return s
	}
	switch last := s[len(s)-1]; {
	case strings.ContainsRune("aeiouáéó", rune(last)) || strings.HasSuffix(s, "s"):
		if strings.HasSuffix(s, "s") {
			return s
		}
		return s + "s"
	case last == 'z':
		return s[:len(s)-1] + "ces"
	}
	// "sanción" → "sanciones": the stress mark goes
	r, size := utf8.DecodeLastRuneInString(s[:len(s)-1])
	if plain, ok := map[rune]string{'á': "a", 'é': "e", 'í': "i", 'ó': "o", 'ú': "u"}[r]; ok {
		return s[:len(s)-1-size] + plain + s[len(s)-1:] + "es"
	}
	return s + "es"
}

// cognateSuffixes are French learned endings with a regular English
// counterpart ("porosité" → "porosity"), for words no dictionary has;
// plural forms first.
var cognateSuffixes = []struct{ fr, en string }{
	{"ités", "ities"}, {"ité", "ity"},
	{"ismes", "isms"}, {"isme", "ism"},
	{"istes", "ists"}, {"iste", "ist"},
	{"logies", "logies"}, {"logie", "logy"},
	{"graphies", "graphies"}, {"graphie", "graphy"},
	{"tions", "tions"}, {"tion", "tion"},
	{"iques", "ic"}, {"ique", "ic"},
}

var unaccent = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "î", "i", "ï", "i", "ô", "o", "û", "u", "ù", "u", "ç", "c")

// cognate renders a French word by its learned ending, keeping its case;
// ok is false for a word without one, or too short to trust.
func cognate(word string) (string, bool) {
	low := strings.ToLower(word)
	for _, c := range cognateSuffixes {
		stem, found := strings.CutSuffix(low, c.fr)
		if !found || utf8.RuneCountInString(stem) < 3 {
			continue
		}
		eng := unaccent.Replace(stem) + c.en
		if unicode.IsUpper(firstRune(word)) {
			eng = capitalize(eng)
		}
		return eng, true
	}
	return "", false
}
