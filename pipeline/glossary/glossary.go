// Package glossary holds the French → English term list that both engines
// share: the LLM engine puts the terms found in a chunk into its prompt, the
// offline engine replaces them before Apertium can mangle them. A Glossary is
// immutable once built and safe for concurrent use.
package glossary

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Entry is one term and its English rendering.
type Entry struct {
	French, English string
}

// Match is one occurrence of an entry's French term in a text; Start and End
// are byte offsets into the text as given (not normalised).
type Match struct {
	Entry
	Start, End int
}

// Glossary is a set of entries with a matcher over their French terms.
type Glossary struct {
	entries []Entry           // sorted by French term, longest first
	norms   []string          // entries' French terms, normalised
	byFirst map[rune][]int    // normalised first rune → entry indexes, longest first
	kinds   map[string]string // English term → Person, Place or Organization, from sections
	version string
}

// New builds a glossary from entries. Later entries with the same French
// term replace earlier ones; entries with an empty side are ignored.
func New(entries []Entry) *Glossary {
	seen := map[string]int{}
	var es []Entry
	for _, e := range entries {
		e.French, e.English = strings.TrimSpace(e.French), strings.TrimSpace(e.English)
		if e.French == "" || e.English == "" {
			continue
		}
		key := normalize(e.French)
		if i, ok := seen[key]; ok {
			es[i] = e
			continue
		}
		seen[key] = len(es)
		es = append(es, e)
	}
	sort.SliceStable(es, func(i, j int) bool {
		li, lj := utf8.RuneCountInString(es[i].French), utf8.RuneCountInString(es[j].French)
		if li != lj {
			return li > lj
		}
		return es[i].French < es[j].French
	})
	g := &Glossary{entries: es, byFirst: map[rune][]int{}}
	h := sha256.New()
	for i, e := range es {
		n := normalize(e.French)
		g.norms = append(g.norms, n)
		r, _ := utf8.DecodeRuneInString(n)
		g.byFirst[r] = append(g.byFirst[r], i)
		fmt.Fprintf(h, "%s\x00%s\x00", e.French, e.English)
	}
	g.version = hex.EncodeToString(h.Sum(nil))[:12]
	return g
}

// Len is the number of entries.
func (g *Glossary) Len() int { return len(g.entries) }

// Version is a short hash of the contents, for cache keys.
func (g *Glossary) Version() string { return g.version }

// Aliases maps each French term that differs from its English rendering
// to it ("Poutine" → "Putin"): the forms of one name a text may carry.
func (g *Glossary) Aliases() map[string]string {
	out := map[string]string{}
	if g == nil {
		return out
	}
	for _, e := range g.entries {
		if e.French != e.English {
			out[e.French] = e.English
		}
	}
	return out
}

// Entries returns a copy of all entries, longest French term first.
func (g *Glossary) Entries() []Entry { return append([]Entry(nil), g.entries...) }

// Find returns the entries whose French term occurs in text as whole words,
// longest term first, each once. Matching is case-sensitive (names), and
// treats ’ and ' alike, and non-breaking spaces like spaces.
func (g *Glossary) Find(text string) []Entry {
	ms := g.Matches(text)
	seen := map[string]bool{}
	var out []Entry
	for _, m := range ms {
		if !seen[m.French] {
			seen[m.French] = true
			out = append(out, m.Entry)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return utf8.RuneCountInString(out[i].French) > utf8.RuneCountInString(out[j].French)
	})
	return out
}

// Matches returns the non-overlapping occurrences of French terms in text,
// left to right, preferring the longest term at each position. The Entry of
// each match is the glossary's entry as loaded.
func (g *Glossary) Matches(text string) []Match {
	if g == nil || len(g.entries) == 0 {
		return nil
	}
	norm, offs := normalizeOffsets(text)
	var out []Match
	prev := rune(-1)
	for i := 0; i < len(norm); {
		r, size := utf8.DecodeRuneInString(norm[i:])
		if !isWord(prev) {
			if k, n, ok := g.matchAt(norm, i, r); ok {
				out = append(out, Match{Entry: g.entries[k], Start: offs[i], End: offs[i+n]})
				last, _ := utf8.DecodeLastRuneInString(norm[:i+n])
				prev = last
				i += n
				continue
			}
		}
		prev = r
		i += size
	}
	return out
}

// matchAt returns the longest entry whose normalised term starts at byte i
// of norm and ends at a word boundary, and the term's length in bytes.
func (g *Glossary) matchAt(norm string, i int, first rune) (int, int, bool) {
	for _, k := range g.byFirst[first] {
		t := g.norms[k]
		if !strings.HasPrefix(norm[i:], t) {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(norm[i+len(t):]); i+len(t) < len(norm) && isWord(next) {
			continue
		}
		return k, len(t), true
	}
	return 0, 0, false
}

// isWord reports whether r continues a word: letters, digits and the
// hyphen, so that "Kim" does not match inside "Kim-Jong".
func isWord(r rune) bool {
	return r >= 0 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-')
}

func normalize(s string) string {
	n, _ := normalizeOffsets(s)
	return n
}

// normalizeOffsets folds ’ to ' and non-breaking spaces to spaces, and
// returns for every byte of the result the offset of the original byte
// (plus one final entry for the end of the string).
func normalizeOffsets(s string) (string, []int) {
	var b strings.Builder
	offs := make([]int, 0, len(s)+1)
	for i, r := range s {
		switch r {
		case '’', 'ʼ':
			r = '\''
		case '\u00a0', '\u202f', '\u2009':
			r = ' '
		}
		n, _ := b.WriteRune(r)
		for k := 0; k < n; k++ {
			offs = append(offs, i)
		}
	}
	offs = append(offs, len(s))
	return b.String(), offs
}

// Load reads a glossary file: YAML (a map of French: English, or a list of
// {fr: …, en: …}) or CSV (french,english, optional header), chosen by
// extension. An empty path gives an empty glossary.
func Load(path string) (*Glossary, error) {
	if path == "" {
		return New(nil), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("glossary: %w", err)
	}
	var es []Entry
	var kinds map[string]string
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		es, kinds, err = parseYAML(data)
	case ".csv":
		es, err = parseCSV(data)
	default:
		return nil, fmt.Errorf("glossary %s: unknown format (want .yaml, .yml or .csv)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("glossary %s: %w", path, err)
	}
	return New(es).withKinds(kinds), nil
}

func parseYAML(data []byte) ([]Entry, map[string]string, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, nil, err
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, nil, nil
	}
	n := root.Content[0]
	var es []Entry
	kinds := map[string]string{}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.MappingNode {
				// a section: "people:", "places:", "organizations:" …
				kind := sectionKind(k.Value)
				for j := 0; j+1 < len(v.Content); j += 2 {
					e, err := pair(v.Content[j], v.Content[j+1])
					if err != nil {
						return nil, nil, err
					}
					es = append(es, e)
					if kind != "" {
						kinds[strings.TrimSpace(e.English)] = kind
					}
				}
				continue
			}
			e, err := pair(k, v)
			if err != nil {
				return nil, nil, err
			}
			es = append(es, e)
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			var e struct{ Fr, En string }
			if err := item.Decode(&e); err != nil {
				return nil, nil, fmt.Errorf("line %d: %w", item.Line, err)
			}
			if strings.TrimSpace(e.Fr) == "" || strings.TrimSpace(e.En) == "" {
				return nil, nil, fmt.Errorf("line %d: want {fr: French term, en: English term}", item.Line)
			}
			es = append(es, Entry{e.Fr, e.En})
		}
	default:
		return nil, nil, fmt.Errorf("line %d: want a map of French: English or a list of {fr:, en:}", n.Line)
	}
	return es, kinds, nil
}

func pair(k, v *yaml.Node) (Entry, error) {
	if v.Kind != yaml.ScalarNode || strings.TrimSpace(k.Value) == "" || strings.TrimSpace(v.Value) == "" {
		return Entry{}, fmt.Errorf("line %d: want `French term: English term`", k.Line)
	}
	return Entry{k.Value, v.Value}, nil
}

func parseCSV(data []byte) ([]Entry, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.Comment = '#'
	r.TrimLeadingSpace = true
	var es []Entry
	for first := true; ; first = false {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return es, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		if first && len(rec) == 2 && strings.EqualFold(rec[0], "french") && strings.EqualFold(rec[1], "english") {
			continue
		}
		if len(rec) != 2 || strings.TrimSpace(rec[0]) == "" || strings.TrimSpace(rec[1]) == "" {
			return nil, fmt.Errorf("line %d: want french,english", line)
		}
		es = append(es, Entry{rec[0], rec[1]})
	}
}
