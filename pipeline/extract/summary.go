package extract

import (
	"math"
	"sort"
	"strings"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
)

// Summarize condenses one translated article by selection: the key facts
// are its most central sentences (TextRank over TF-IDF cosine similarity),
// thinned by MMR and put back in the article's order. Names, dates and
// figures are picked out by pattern; nothing is paraphrased.
func (x *Extractor) Summarize(t news.Translation) news.Summary {
	sum := news.Summary{
		Stem:          t.Stem,
		KeyFacts:      []string{},
		People:        []string{},
		Organizations: []string{},
		Places:        []string{},
		Dates:         []string{},
		Figures:       []string{},
		Stats:         news.Stats{Engine: news.EngineOffline, Model: "extractive"},
	}
	all := splitSentences(t.Paragraphs)
	var picks []sentence
	for _, s := range all {
		if sentenceLike(s.text) {
			picks = append(picks, s)
		}
	}
	if len(picks) == 0 { // no full sentence: rank what there is
		picks = all
	}
	sents := texts(picks)
	vecs, sp := tfidfVectors(sents)
	rank := textRank(vecs)
	title := sp.weighText(t.Title)
	for i, v := range vecs {
		// the headline says what the article is about; agreeing with it is
		// a second vote for centrality
		rank[i] *= 1 + v.Dot(title)
	}
	idx := make([]int, len(sents))
	for i := range idx {
		idx[i] = i
	}
	sim := func(a, b int) float64 { return vecs[a].Dot(vecs[b]) }
	picked := mmr(idx, rank, sim, 0.7, x.opt.KeyFacts, nil)
	sort.Ints(picked)
	isFact := map[int]bool{}
	for _, i := range picked {
		sum.KeyFacts = append(sum.KeyFacts, sents[i])
		sum.FactSentences = append(sum.FactSentences, []news.SentenceID{picks[i].id})
		isFact[i] = true
	}

	byRank := append([]int(nil), idx...)
	sort.SliceStable(byRank, func(a, b int) bool { return rank[byRank[a]] > rank[byRank[b]] })
	sum.Headline = strings.TrimSpace(t.Title)
	if !titleLike(sum.Headline) && len(byRank) > 0 {
		sum.Headline = sents[byRank[0]]
	}
	for _, i := range byRank {
		if !isFact[i] && sents[i] != sum.Headline {
			sum.Angle = "Emphasis: " + sents[i]
			break
		}
	}

	withTitle := append([]string{t.Title}, texts(all)...)
	es := entities(withTitle, x.known)
	sum.People = namesOf(es, kindPerson, 10)
	sum.Organizations = namesOf(es, kindOrg, 10)
	sum.Places = namesOf(es, kindPlace, 10)
	seenDate, seenFig := map[string]bool{}, map[string]bool{}
	for _, s := range texts(all) {
		if w, ok := dateOf(s); ok {
			line := w.label + ": " + clipWords(s, 20)
			if !seenDate[line] {
				seenDate[line] = true
				sum.Dates = append(sum.Dates, line)
			}
		}
		for _, f := range figures(s) {
			if !seenFig[f.text] {
				seenFig[f.text] = true
				sum.Figures = append(sum.Figures, f.text)
			}
		}
	}
	return sum
}

// sentence is one sentence of a translation and its id.
type sentence struct {
	id   news.SentenceID
	text string
}

// splitSentences splits paragraphs into sentences, in order, with the ids
// the briefing's citations use.
func splitSentences(paragraphs []string) []sentence {
	var out []sentence
	briefing.Split("", paragraphs).Each(func(id news.SentenceID, s string) {
		out = append(out, sentence{id, s})
	})
	return out
}

func texts(ss []sentence) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.text
	}
	return out
}

// titleLike reports whether a title can stand as a one-sentence headline:
// long enough to say something and written as prose (it has lower-case
// words), not a caption stub like "Russian President Vladimir Putin, left".
func titleLike(t string) bool {
	ws := strings.Fields(t)
	if len(ws) < 5 || len(ws) > 30 || strings.HasSuffix(t, ":") {
		return false
	}
	lowers := 0
	for _, w := range ws {
		if !capitalised(w) {
			lowers++
		}
	}
	return lowers >= 2 && !strings.Contains(t, ", left") && !strings.Contains(t, ", right")
}

// textRank scores sentences by PageRank over their cosine-similarity graph:
// a sentence is central when sentences like many others resemble it.
func textRank(vecs []sparseVec) []float64 {
	n := len(vecs)
	w := make([][]float64, n)
	out := make([]float64, n)
	for i := range w {
		w[i] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			s := vecs[i].Dot(vecs[j])
			w[i][j], w[j][i] = s, s
			out[i] += s
			out[j] += s
		}
	}
	rank := make([]float64, n)
	for i := range rank {
		rank[i] = 1 / float64(n)
	}
	const d = 0.85
	next := make([]float64, n)
	for it := 0; it < 50; it++ {
		delta := 0.0
		for i := 0; i < n; i++ {
			s := 0.0
			for j := 0; j < n; j++ {
				if out[j] > 0 {
					s += w[j][i] / out[j] * rank[j]
				}
			}
			next[i] = (1-d)/float64(n) + d*s
			delta += math.Abs(next[i] - rank[i])
		}
		rank, next = next, rank
		if delta < 1e-9 {
			break
		}
	}
	return rank
}
