package story

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/sparse"
)

// What an article's closeness to another is made of, and how much each
// part weighs. Tuned on the development corpus.
const (
	textWeight   = 0.7 // cosine of the TF-IDF of title and text
	entityWeight = 0.3 // cosine of the names the summaries give
	embWeight    = 0.5 // with embeddings: their cosine's share of the whole
	titleRepeat  = 2   // a title word counts as this many words of the text
	ledeRepeat   = 1   // a word of the lede counts this many more times
	ledeWords    = 15  // the lede is the first paragraph of at least this many words
	idfPrior     = 100 // documents the IDF pretends to have seen besides the run's
	idfPower     = 1.0 // the IDF's exponent: above 1, rare words weigh more

	// Candidates: a unit is compared with the units that share one of its
	// topTerms most weighted words or a name, through postings of the
	// words no more common than maxShare of the units (at least minPost).
	topTerms = 40
	maxShare = 0.05
	minPost  = 60
)

// vector is a sparse weight vector (L2-normalised once weighed).
type vector = sparse.Vec[float32]

// features are what the grouping knows of each unit (a source, or a group
// of near-duplicates).
type features struct {
	text, names []vector
	day         []int       // days since 1970, -1 when unknown
	emb         [][]float32 // normalised, nil when unknown
	post        map[int32][]int32
}

func newFeatures(sources []news.Source, units [][]int, embeddings map[int][]float32) *features {
	n := len(units)
	f := &features{text: make([]vector, n), names: make([]vector, n), day: make([]int, n), emb: make([][]float32, n)}
	vocab := map[string]int32{}
	id := func(w string) int32 {
		if i, ok := vocab[w]; ok {
			return i
		}
		i := int32(len(vocab))
		vocab[w] = i
		return i
	}
	// Term counts per unit, then document frequencies. Each unit's counts
	// are kept as a sorted vector, not a map: at 5,000 articles the maps
	// were most of the briefing's memory.
	textTF := make([]vector, n)
	nameTF := make([]vector, n)
	df := map[int32]int{}
	textC, nameC := map[int32]float64{}, map[int32]float64{}
	for u, members := range units {
		clear(textC)
		clear(nameC)
		f.day[u] = -1
		for _, i := range members {
			s := sources[i]
			for range titleRepeat {
				addWords(textC, id, s.Title)
			}
			addWords(textC, id, s.Text)
			for range ledeRepeat {
				addWords(textC, id, lede(s.Text))
			}
			if s.Text == "" {
				addWords(textC, id, s.Summary.Headline+" "+strings.Join(s.Summary.KeyFacts, " "))
			}
			for _, list := range [][]string{s.Summary.People, s.Summary.Places, s.Summary.Organizations} {
				for _, name := range list {
					addWords(nameC, id, name)
				}
			}
			addNames(nameC, id, s.Title)
			addNames(nameC, id, s.Text)
			if d := dayOf(s); d >= 0 && (f.day[u] < 0 || d < f.day[u]) {
				f.day[u] = d
			}
			if e, ok := embeddings[s.N]; ok && f.emb[u] == nil {
				f.emb[u] = normalised(e)
			}
		}
		for t := range textC {
			df[t]++
		}
		for t := range nameC {
			if _, ok := textC[t]; !ok {
				df[t]++
			}
		}
		textTF[u], nameTF[u] = counts(textC), counts(nameC)
	}
	// The prior keeps a word shared by every article of a small run (five
	// articles on one summit) from weighing nothing: the run is read as if
	// it were part of a bigger pile of news.
	idf := func(t int32) float64 {
		return math.Pow(math.Log(float64(n+idfPrior)/float64(df[t]+1)), idfPower)
	}
	for u := range units {
		f.text[u] = weigh(textTF[u], idf)
		f.names[u] = weigh(nameTF[u], idf)
	}
	f.index(n, df)
	return f
}

// addWords counts the content words of s: lower case, no stop word of
// either language (a pivot translation leaves some French), no word of
// fewer than three letters, English plurals folded.
func addWords(tf map[int32]float64, id func(string) int32, s string) {
	for w := range lang.WordSeq(s) {
		if len(w) < 3 {
			continue
		}
		w = strings.ToLower(w)
		if fr, en := lang.Stop(w); fr || en {
			continue
		}
		if (allDigits(w) && len(w) == 4) || calendar[w] {
			continue // a year, a month or a day of the week says nothing of which story: dates do (fade)
		}
		tf[id(fold(w))]++
	}
}

// lede is an article's first paragraph of some length: its news in brief,
// past a dateline or a date line the page kept.
func lede(text string) string {
	for _, p := range strings.Split(text, "\n\n") {
		if len(strings.Fields(p)) >= ledeWords {
			return p
		}
	}
	return ""
}

// addNames counts the capitalised words of s that do not open a sentence:
// the names a text gives, whether or not its summary kept them.
func addNames(tf map[int32]float64, id func(string) int32, s string) {
	for _, para := range strings.Split(s, "\n\n") {
		for _, sent := range lang.Sentences(para) {
			first := true
			for w := range lang.WordSeq(sent) {
				if first {
					first = false
					continue
				}
				r := []rune(w)
				if len(r) < 3 || !unicode.IsUpper(r[0]) {
					continue
				}
				lw := strings.ToLower(w)
				if fr, en := lang.Stop(lw); fr || en || calendar[lw] {
					continue
				}
				tf[id(fold(lw))]++
			}
		}
	}
}

// calendar words, English and French (a pivot translation leaves some).
var calendar = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`january february march april may june july august september october november december
		monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
		janvier février mars avril mai juin juillet août septembre octobre novembre décembre
		lundi mardi mercredi jeudi vendredi samedi dimanche`) {
		m[w] = true
	}
	return m
}()

func allDigits(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
}

// fold maps an English plural onto its singular, roughly.
func fold(w string) string {
	switch {
	case len(w) > 5 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		return w[:len(w)-1]
	}
	return w
}

// counts is tf as a vector of raw counts, ids ascending.
func counts(tf map[int32]float64) vector {
	v := vector{IDs: make([]int32, 0, len(tf))}
	for t := range tf {
		v.IDs = append(v.IDs, t)
	}
	slices.Sort(v.IDs)
	v.W = make([]float32, len(v.IDs))
	for i, t := range v.IDs {
		v.W[i] = float32(tf[t])
	}
	return v
}

// weigh turns a vector of counts into a normalised TF-IDF vector
// (sublinear counts), in place.
func weigh(v vector, idf func(int32) float64) vector {
	var norm float64
	for i, t := range v.IDs {
		x := (1 + math.Log(float64(v.W[i]))) * idf(t)
		v.W[i] = float32(x)
		norm += x * x
	}
	if norm > 0 {
		inv := 1 / math.Sqrt(norm)
		for i := range v.W {
			v.W[i] = float32(float64(v.W[i]) * inv)
		}
	}
	return v
}

func normalised(e []float32) []float32 {
	var norm float64
	for _, x := range e {
		norm += float64(x) * float64(x)
	}
	if norm == 0 {
		return nil
	}
	inv := float32(1 / math.Sqrt(norm))
	out := make([]float32, len(e))
	for i, x := range e {
		out[i] = x * inv
	}
	return out
}

// dayOf is the article's date in days since 1970: its page's date, else
// the first full date its summary gives; -1 when none is known.
func dayOf(s news.Source) int {
	if d, ok := parseDay(s.Meta.Date); ok {
		return d
	}
	for _, d := range s.Summary.Dates {
		if day, ok := parseDay(d); ok {
			return day
		}
	}
	return -1
}

func parseDay(s string) (int, bool) {
	if len(s) < 10 {
		return 0, false
	}
	t, err := time.Parse("2006-01-02", s[:10])
	if err != nil {
		return 0, false
	}
	return int(t.Unix() / 86400), true
}

// index builds the postings the candidate pairs come from: each unit's most
// weighted words and all its names, leaving out words too common to tell
// stories apart.
func (f *features) index(n int, df map[int32]int) {
	limit := max(minPost, int(maxShare*float64(n)))
	f.post = map[int32][]int32{}
	for u := range f.text {
		terms := map[int32]bool{}
		for _, t := range topOf(f.text[u], topTerms) {
			terms[t] = true
		}
		for _, t := range f.names[u].IDs {
			terms[t] = true
		}
		for t := range terms {
			if df[t] <= limit && df[t] > 1 {
				f.post[t] = append(f.post[t], int32(u))
			}
		}
	}
}

// similarity is how close two units are: their words and names, with
// embeddings when both have one, faded by the days between them.
func (f *features) similarity(a, b int) float64 {
	s := textWeight*f.text[a].Dot(f.text[b]) + entityWeight*f.names[a].Dot(f.names[b])
	if ea, eb := f.emb[a], f.emb[b]; ea != nil && eb != nil && len(ea) == len(eb) {
		var c float64
		for i := range ea {
			c += float64(ea[i]) * float64(eb[i])
		}
		s = (1-embWeight)*s + embWeight*max(0, c)
	}
	return s * f.fade(a, b)
}

// fadeKnots say how much of their closeness two articles keep as their
// dates move apart, linearly between knots: all of it within two weeks,
// most of it over a developing story's month or so, little of it across
// seasons (the same president's visits months apart are two stories).
var fadeKnots = [...]struct {
	days int
	keep float64
}{{14, 1}, {45, 0.8}, {120, 0.1}}

// fade is the share of their closeness that two units' dates leave.
func (f *features) fade(a, b int) float64 {
	da, db := f.day[a], f.day[b]
	if da < 0 || db < 0 {
		return 1
	}
	d := da - db
	if d < 0 {
		d = -d
	}
	return fadeGap(d)
}

// fadeGap is the share of closeness d days apart leave; d < 0 (unknown)
// leaves all of it.
func fadeGap(d int) float64 {
	if d < 0 {
		return 1
	}
	prev := fadeKnots[0]
	if d <= prev.days {
		return prev.keep
	}
	for _, k := range fadeKnots[1:] {
		if d <= k.days {
			return prev.keep + (k.keep-prev.keep)*float64(d-prev.days)/float64(k.days-prev.days)
		}
		prev = k
	}
	return prev.keep
}
