// Package extract writes summaries and briefings without a language model:
// it only ever quotes sentences the translations contain (centrality, MMR,
// clustering), so every point it makes is a sentence of a cited article.
package extract

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/sparse"
)

// OfflineBanner opens every briefing the offline engine writes, so no reader
// mistakes an extract for a model's synthesis.
const OfflineBanner = "> **Offline draft** — made without a language model (Apertium rule-based translation and extractive summaries). Configure llm.base_url for a real briefing."

// Options configure the extractive summarizer and briefing.
type Options struct {
	KeyFacts int    // key facts per article summary: default 5, clamped to 3–6
	MaxWords int    // cap on the words of the briefing's key points: default 600
	Focus    string // free text; sentences sharing its words rank higher
	// Known names what some English names are (glossary.Person, Place,
	// Organization), from the glossary's sections; it wins over the cues.
	Known map[string]string
}

// Extractor writes summaries and briefings by selecting sentences. It holds
// only configuration, so one value is safe for concurrent use.
type Extractor struct {
	opt   Options
	known map[string]int // nameKey → kindPerson, kindOrg or kindPlace
}

// New returns an Extractor with opt's zero fields set to defaults.
func New(opt Options) *Extractor {
	x := &Extractor{opt: opt.withDefaults(), known: map[string]int{}}
	for name, kind := range opt.Known {
		switch kind {
		case glossary.Person:
			x.known[nameKey(name)] = kindPerson
		case glossary.Place:
			x.known[nameKey(name)] = kindPlace
		case glossary.Organization:
			x.known[nameKey(name)] = kindOrg
		}
	}
	return x
}

func (o Options) withDefaults() Options {
	switch {
	case o.KeyFacts <= 0:
		o.KeyFacts = 5
	case o.KeyFacts < 3:
		o.KeyFacts = 3
	case o.KeyFacts > 6:
		o.KeyFacts = 6
	}
	if o.MaxWords <= 0 {
		o.MaxWords = 600
	}
	return o
}

// enStop are English function words and reporting verbs that say nothing
// about what a sentence is about.
var enStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all also am an and any are as at be
	because been before being below between both but by can could did do does doing down during each
	few for from further had has have having he her here hers herself him himself his how i if in into
	is it its itself just me more most my no nor not now of off on once only or other our ours out over
	own same she should so some such than that the their theirs them themselves then there these they
	this those through to too under until up very was we were what when where which while who whom why
	will with would you your yours s t d ll re ve m said says say told according also however while
	would could may might must shall one two three four five six seven eight nine ten first second
	last new other another many much whose until upon via per since among amid within without toward
	towards including against cent percent`) {
		m[w] = true
	}
	return m
}()

// stem strips the commonest English inflections so that "visits", "visited"
// and "visiting" meet. It is deliberately crude: it only has to make the
// same word agree with itself across sentences.
func stemWord(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 5 && strings.HasSuffix(w, "ing"):
		return w[:n-3]
	case n > 4 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed"):
		return w[:n-2]
	case n > 4 && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "xes")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// terms returns the stemmed content words of a text: lower-cased, without
// stop words, single letters or bare numbers (figures are compared apart).
func contentTerms(text string) []string {
	var out []string
	for _, w := range lang.Words(text) {
		w = strings.Trim(strings.ToLower(w), "-")
		if len([]rune(w)) < 2 || enStop[w] || numeric(w) {
			continue
		}
		out = append(out, stemWord(w))
	}
	return out
}

func numeric(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) && r != ',' && r != '.' {
			return false
		}
	}
	return w != ""
}

// sparseVec is a sparse, L2-normalised TF-IDF vector.
type sparseVec = sparse.Vec[float64]

// space is the term dictionary and document frequencies of one set of
// sentences; its IDF weighs a term by how few sentences carry it.
type termSpace struct {
	ids map[string]int32
	df  []int
	n   int
}

// tfidfVectors turns texts into TF-IDF vectors over a dictionary built from them.
func tfidfVectors(texts []string) ([]sparseVec, *termSpace) {
	sp := &termSpace{ids: map[string]int32{}, n: len(texts)}
	counts := make([]map[int32]int, len(texts))
	for i, t := range texts {
		c := map[int32]int{}
		for _, term := range contentTerms(t) {
			id, ok := sp.ids[term]
			if !ok {
				id = int32(len(sp.df))
				sp.ids[term] = id
				sp.df = append(sp.df, 0)
			}
			if c[id] == 0 {
				sp.df[id]++
			}
			c[id]++
		}
		counts[i] = c
	}
	out := make([]sparseVec, len(texts))
	for i, c := range counts {
		out[i] = sp.weigh(c)
	}
	return out, sp
}

// weighText weighs any text (a focus, a headline) in this space; unknown terms
// are dropped since they cannot match any sentence.
func (sp *termSpace) weighText(text string) sparseVec {
	c := map[int32]int{}
	for _, term := range contentTerms(text) {
		if id, ok := sp.ids[term]; ok {
			c[id]++
		}
	}
	return sp.weigh(c)
}

func (sp *termSpace) idf(id int32) float64 {
	return math.Log(1 + float64(sp.n)/float64(sp.df[id]))
}

func (sp *termSpace) weigh(c map[int32]int) sparseVec {
	v := sparseVec{IDs: make([]int32, 0, len(c))}
	for id := range c {
		v.IDs = append(v.IDs, id)
	}
	sort.Slice(v.IDs, func(i, j int) bool { return v.IDs[i] < v.IDs[j] })
	v.W = make([]float64, len(v.IDs))
	var norm float64
	for k, id := range v.IDs {
		x := (1 + math.Log(float64(c[id]))) * sp.idf(id)
		v.W[k] = x
		norm += x * x
	}
	if norm > 0 {
		norm = math.Sqrt(norm)
		for k := range v.W {
			v.W[k] /= norm
		}
	}
	return v
}

// nearDuplicate is the similarity past which MMR drops a candidate outright:
// with lambda 0.7 a repeat scoring just under the original would otherwise
// still beat a less central sentence.
const nearDuplicate = 0.8

// mmr picks up to k of the candidates (indexes into score) by maximal
// marginal relevance: each pick trades its score against its similarity to
// what was already picked, so the second sentence saying the same thing
// loses to a less central one saying something else. fits, when not nil,
// vetoes candidates (e.g. over a word budget) without stopping the search.
func mmr(cands []int, score []float64, sim func(a, b int) float64, lambda float64, k int, fits func(i int) bool) []int {
	maxScore := 0.0
	for _, c := range cands {
		maxScore = math.Max(maxScore, score[c])
	}
	if maxScore == 0 {
		maxScore = 1
	}
	closest := make([]float64, len(cands))
	used := make([]bool, len(cands))
	var picked []int
	for len(picked) < k {
		best, bestVal := -1, math.Inf(-1)
		for i, c := range cands {
			if used[i] {
				continue
			}
			v := lambda*score[c]/maxScore - (1-lambda)*closest[i]
			if v > bestVal {
				best, bestVal = i, v
			}
		}
		if best < 0 {
			break
		}
		used[best] = true
		if closest[best] >= nearDuplicate {
			continue
		}
		c := cands[best]
		if fits != nil && !fits(c) {
			continue
		}
		picked = append(picked, c)
		for i, o := range cands {
			if !used[i] {
				closest[i] = math.Max(closest[i], sim(c, o))
			}
		}
	}
	return picked
}

// countWords counts words the way a reader would: runs of non-space.
func countWords(s string) int { return len(strings.Fields(s)) }

// sentenceLike reports whether s reads as a full sentence rather than a
// heading, caption credit or leftover link: enough words and a final stop.
func sentenceLike(s string) bool {
	if countWords(s) < 5 {
		return false
	}
	s = strings.TrimRight(s, " \u00a0\u202f\"'”’»)")
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "…")
}
