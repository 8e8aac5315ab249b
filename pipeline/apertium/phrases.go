package apertium

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// French multiword expressions are where a word-by-word pivot goes most
// wrong ("en guise de" → "in cook of", "tour à tour" → "gone back to
// tower"). They are matched before the pivot, longest first, and protected
// through both legs like glossary terms.

//go:embed phrases.txt
var builtinPhrases []byte

// phrase is one expression of the table, its French normalised and folded
// to lower case.
type phrase struct {
	french  string // folded
	written string // as in the file
	english string
	// capital: the entry is a name ("Conseil de sécurité") and matches only
	// with its first letter capitalised; other entries match in any case.
	capital bool
	// adjective: the English goes before the noun the French follows ("une
	// voiture de luxe" → "a luxury car"), like a demonym.
	adjective bool
}

// Phrases is a table of French expressions and their English, immutable
// once built and safe for concurrent use.
type Phrases struct {
	byFirst map[string][]phrase // first word, folded → entries, longest first
	n       int
	version string
}

// DefaultPhrases returns the built-in table.
func DefaultPhrases() *Phrases {
	p, err := parsePhrases(builtinPhrases, "phrases.txt", nil)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return p
}

// LoadPhrases returns the built-in table extended by the file at path (""
// for none); the file's entries replace built-in ones with the same French.
func LoadPhrases(path string) (*Phrases, error) {
	if path == "" {
		return DefaultPhrases(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("phrases: %w", err)
	}
	base, err := parseEntries(builtinPhrases, "phrases.txt")
	if err != nil {
		return nil, err
	}
	return parsePhrases(data, path, base)
}

// Len is the number of expressions, contracted variants included.
func (p *Phrases) Len() int { return p.n }

// Version is a short hash of the table, for cache keys.
func (p *Phrases) Version() string { return p.version }

// parseEntries reads "French = English" lines; # starts a comment.
func parseEntries(data []byte, name string) ([]phrase, error) {
	var out []phrase
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if i := strings.Index(text, "#"); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		fr, en, ok := strings.Cut(text, "=")
		fr, en = strings.Join(strings.Fields(normalizeFrench(fr)), " "), strings.TrimSpace(en)
		if !ok || fr == "" || en == "" || en == "^" {
			return nil, fmt.Errorf("%s line %d: want `French = English`, got %q", name, line, sc.Text())
		}
		ph := phrase{french: foldLower(fr), written: fr, english: en, capital: unicode.IsUpper(firstRune(fr))}
		if strings.HasPrefix(en, "^") {
			ph.adjective, ph.english = true, strings.TrimSpace(en[1:])
		}
		out = append(out, ph)
	}
	return out, sc.Err()
}

// parsePhrases builds a table from base and the entries in data, which
// replace base's entries with the same French.
func parsePhrases(data []byte, name string, base []phrase) (*Phrases, error) {
	own, err := parseEntries(data, name)
	if err != nil {
		return nil, err
	}
	explicit := map[string]int{}
	var all []phrase
	for _, ph := range append(base, own...) {
		if i, ok := explicit[ph.french]; ok {
			all[i] = ph
			continue
		}
		explicit[ph.french] = len(all)
		all = append(all, ph)
	}
	// French contracts de + le into du, à + le into au and so on: an
	// expression ending in "de" also matches "du", taking the article into
	// its English ("au cours du week-end" → "during the weekend").
	for _, ph := range all[:len(all):len(all)] {
		for _, v := range contractions(ph) {
			if _, ok := explicit[v.french]; !ok {
				explicit[v.french] = len(all)
				all = append(all, v)
			}
		}
	}
	p := &Phrases{byFirst: map[string][]phrase{}, n: len(all)}
	h := sha256.New()
	for _, ph := range all {
		first, _, _ := cutWord(ph.french)
		p.byFirst[first] = append(p.byFirst[first], ph)
		fmt.Fprintf(h, "%s\x00%s\x00%v\x00", ph.french, ph.english, ph.adjective)
	}
	for _, list := range p.byFirst {
		sort.SliceStable(list, func(i, j int) bool { return len(list[i].french) > len(list[j].french) })
	}
	p.version = hex.EncodeToString(h.Sum(nil))[:12]
	return p, nil
}

// contractions returns the variants of an expression ending in a
// preposition that French contracts or elides.
func contractions(ph phrase) []phrase {
	if strings.HasSuffix(ph.english, " just") {
		return nil // "vient de" + infinitive ("has just"); "vient du Japon" is another verb
	}
	with := func(suffix, cut, english string) phrase {
		v := ph
		v.french = strings.TrimSuffix(ph.french, cut) + suffix
		v.written = strings.TrimSuffix(ph.written, cut) + suffix
		v.english = english
		return v
	}
	var out []phrase
	switch {
	case strings.HasSuffix(ph.french, " de"):
		out = append(out, with(" du", " de", ph.english+" the"), with(" des", " de", ph.english+" the"), with(" d'", " de", ph.english))
	case strings.HasSuffix(ph.french, " à"):
		out = append(out, with(" au", " à", ph.english+" the"), with(" aux", " à", ph.english+" the"))
	case strings.HasSuffix(ph.french, " que"):
		out = append(out, with(" qu'", " que", ph.english))
	}
	return out
}

// cutWord splits off the first word of folded French: letters, digits and
// hyphens, with an elided article's apostrophe kept ("l'", "qu'").
func cutWord(s string) (word, rest string, ok bool) {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\'' {
			i += size
			break
		}
		if !isWordRune(r) {
			break
		}
		i += size
	}
	return s[:i], s[i:], i > 0
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' }

// foldLower lower-cases s rune by rune where that keeps the byte length, so
// that offsets in the folded string are offsets in s.
func foldLower(s string) string {
	return strings.Map(func(r rune) rune {
		if l := unicode.ToLower(r); utf8.RuneLen(l) == utf8.RuneLen(r) {
			return l
		}
		return r
	}, s)
}

// match returns the expressions in s (normalised French) as spans, left
// to right, the longest at each word start.
func (p *Phrases) match(s string) []span {
	if p == nil || len(p.byFirst) == 0 {
		return nil
	}
	low := foldLower(s)
	var out []span
	prev := rune(-1)
	for i := 0; i < len(low); {
		r, size := utf8.DecodeRuneInString(low[i:])
		if prev >= 0 && isWordRune(prev) || !unicode.IsLetter(r) {
			prev = r
			i += size
			continue
		}
		if ph, ok := p.at(low, i); ok && (!ph.capital || unicode.IsUpper(firstRune(s[i:]))) {
			eng := ph.english
			if !ph.capital && unicode.IsUpper(firstRune(s[i:])) {
				eng = capitalize(eng)
			}
			end := i + len(ph.french)
			out = append(out, span{start: i, end: end, english: eng, adjective: ph.adjective})
			prev, _ = utf8.DecodeLastRuneInString(low[:end])
			if prev == '\'' {
				prev = ' ' // "qu'" ends before the next word starts
			}
			i = end
			continue
		}
		prev = r
		i += size
	}
	return out
}

// at returns the longest expression starting at byte i of low that ends
// at a word boundary.
func (p *Phrases) at(low string, i int) (phrase, bool) {
	first, _, _ := cutWord(low[i:])
	for _, ph := range p.byFirst[first] {
		if !strings.HasPrefix(low[i:], ph.french) {
			continue
		}
		end := i + len(ph.french)
		if strings.HasSuffix(ph.french, "'") {
			return ph, true
		}
		if next, _ := utf8.DecodeRuneInString(low[end:]); end < len(low) && (isWordRune(next) || next == '\'') {
			continue
		}
		return ph, true
	}
	return phrase{}, false
}

func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}
