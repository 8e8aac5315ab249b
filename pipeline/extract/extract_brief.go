package extract

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
)

// Tuning of the briefing. Similarities are cosines of TF-IDF vectors.
const (
	sameFact    = 0.4 // two sentences at least this alike state the same fact
	mmrLambda   = 0.7 // weight of centrality against novelty when picking points
	focusWeight = 3.0 // how much sharing the focus's words lifts a sentence
	maxPoints   = 12  // key points chosen for centrality, before coverage
)

// pooled is one sentence of one source, as the briefing ranks it.
type pooled struct {
	src     int // index into sources
	n       int // the source's citation number
	id      news.SentenceID
	unit    int // independent witness: sources of one near-duplicate group share it
	text    string
	vec     sparseVec
	figs    []figure
	score   float64 // centrality, lifted by the focus
	cluster int
}

// cluster is a set of sentences from one or more sources stating one fact.
type cluster struct {
	rep     int   // the member that speaks for it
	members []int // pool indexes
	cites   []int // source numbers, sorted and unique
	support int   // distinct independent witnesses
	score   float64
}

// Brief merges sources into one briefing by selection: sentences that say
// the same thing across articles are clustered, clusters are ranked by
// centrality and by how many independent sources carry them, and the most
// central are quoted as key points citing every source in the cluster.
// opt overrides the Extractor's MaxWords and Focus where it sets them, since
// those change per briefing while the Extractor is built once.
func (x *Extractor) Brief(sources []news.Source, opt Options) briefing.Briefing {
	o := x.opt
	if opt.MaxWords > 0 {
		o.MaxWords = opt.MaxWords
	}
	if opt.Focus != "" {
		o.Focus = opt.Focus
	}
	b := briefing.Briefing{
		Banner:      OfflineBanner,
		Points:      []briefing.Point{},
		Timeline:    []briefing.Event{},
		Differences: []briefing.Difference{},
		Sources:     append([]news.Source(nil), sources...),
		AlsoCovered: []int{},
		Groups:      groupsOf(sources),
		Focus:       o.Focus,
		Engine:      news.EngineOffline,
		Model:       "extractive",
		Stats:       news.Stats{Engine: news.EngineOffline, Model: "extractive"},
	}
	pool, sp := poolSentences(sources)
	scoreCentrality(pool, sp, o.Focus)
	clusters := clusterPool(pool, sp)
	byScore := make([]int, len(clusters))
	for i := range byScore {
		byScore[i] = i
	}
	sort.SliceStable(byScore, func(a, c int) bool { return clusters[byScore[a]].score > clusters[byScore[c]].score })

	words := 0
	budget := func(limit int) func(c int) bool {
		return func(c int) bool {
			w := countWords(pool[clusters[c].rep].text)
			if words+w > limit {
				return false
			}
			words += w
			return true
		}
	}
	scores := make([]float64, len(clusters))
	for i, c := range clusters {
		scores[i] = c.score
	}
	sim := func(a, c int) float64 { return pool[clusters[a].rep].vec.Dot(pool[clusters[c].rep].vec) }
	// leave a quarter of the words for sources no central point cites
	picked := mmr(byScore, scores, sim, mmrLambda, maxPoints, budget(o.MaxWords*3/4))
	picked = append(picked, coverage(sources, pool, clusters, byScore, picked, budget(o.MaxWords))...)

	cited := map[int]bool{}
	for _, c := range picked {
		// a copy: the citation check edits cites in place
		b.Points = append(b.Points, briefing.Point{Text: pool[clusters[c].rep].text, Cites: slices.Clone(clusters[c].cites),
			Evidence: evidence(pool, clusters[c].members)})
		for _, n := range clusters[c].cites {
			cited[n] = true
		}
	}
	for _, s := range sources {
		if !cited[s.N] {
			b.AlsoCovered = append(b.AlsoCovered, s.N)
		}
	}
	b.Title = title(sources, pool, sp, x.known)
	b.Overview = overview(sources, pool, clusters, picked)
	b.Timeline = timeline(pool, clusters, byScore)
	b.Differences = differences(pool)
	return b
}

// poolSentences splits every source into sentences and weighs them in one
// TF-IDF space; a source without text contributes its summary's headline
// and key facts. Headings and fragments stay out, unless a source has nothing
// else: each source should be able to speak for itself.
func poolSentences(sources []news.Source) ([]pooled, *termSpace) {
	var pool []pooled
	units := map[int]int{}
	for si, s := range sources {
		unit := -1 - si
		if s.Group != 0 {
			if u, ok := units[s.Group]; ok {
				unit = u
			} else {
				units[s.Group] = unit
			}
		}
		all := splitSentences(strings.Split(s.Text, "\n\n"))
		if strings.TrimSpace(s.Text) == "" {
			all = summarySentences(s.Summary)
		}
		var keep []sentence
		for _, t := range all {
			if sentenceLike(t.text) {
				keep = append(keep, t)
			}
		}
		if len(keep) == 0 {
			for _, t := range all {
				if countWords(t.text) >= 4 {
					keep = append(keep, t)
				}
			}
		}
		for _, t := range keep {
			pool = append(pool, pooled{src: si, n: s.N, id: t.id, unit: unit, text: t.text, figs: figures(t.text)})
		}
	}
	texts := make([]string, len(pool))
	for i, p := range pool {
		texts[i] = p.text
	}
	vecs, sp := tfidfVectors(texts)
	for i := range pool {
		pool[i].vec = vecs[i]
	}
	return pool, sp
}

// summarySentences stands in for a source merged from its summary alone
// (e.g. shards without translations): its key facts are the article's own
// sentences too, with the ids the summary gives them; the headline has none.
func summarySentences(sm news.Summary) []sentence {
	out := []sentence{{text: sm.Headline}}
	for i, f := range sm.KeyFacts {
		var id news.SentenceID
		if i < len(sm.FactSentences) && len(sm.FactSentences[i]) == 1 {
			id = sm.FactSentences[i][0]
		}
		out = append(out, sentence{id, f})
	}
	return out
}

// evidence lists, per cited source, the ids of the pooled sentences that
// say the claim: they are the claim, or state the same fact.
func evidence(pool []pooled, members []int) []briefing.Evidence {
	byN := map[int][]news.SentenceID{}
	var ns []int
	for _, m := range members {
		p := pool[m]
		if p.id == "" {
			continue
		}
		if _, ok := byN[p.n]; !ok {
			ns = append(ns, p.n)
		}
		if !slices.Contains(byN[p.n], p.id) {
			byN[p.n] = append(byN[p.n], p.id)
		}
	}
	sort.Ints(ns)
	out := make([]briefing.Evidence, 0, len(ns))
	for _, n := range ns {
		out = append(out, briefing.Evidence{N: n, Sentences: byN[n]})
	}
	return out
}

// scoreCentrality scores each sentence by its cosine with the centroid of
// all sources, each source weighing the same however long it is, and lifts
// sentences that share words with the focus.
func scoreCentrality(pool []pooled, sp *termSpace, focus string) {
	perSource := map[int]int{}
	for _, p := range pool {
		perSource[p.src]++
	}
	centroid := make([]float64, len(sp.df))
	for _, p := range pool {
		for k, id := range p.vec.IDs {
			centroid[id] += p.vec.W[k] / float64(perSource[p.src])
		}
	}
	var norm float64
	for _, c := range centroid {
		norm += c * c
	}
	norm = math.Sqrt(norm)
	fv := sp.weighText(focus)
	for i := range pool {
		var s float64
		for k, id := range pool[i].vec.IDs {
			s += pool[i].vec.W[k] * centroid[id]
		}
		if norm > 0 {
			s /= norm
		}
		pool[i].score = s * (1 + focusWeight*pool[i].vec.Dot(fv))
	}
}

// clusterPool groups sentences stating the same fact. Candidate pairs come
// from an inverted index, so only sentences sharing a term are compared.
// Clusters are stars around the most central sentence not yet taken: unlike
// single-link clustering, a chain of loosely similar sentences cannot glue
// unrelated facts together. Sentences whose figures disagree never join:
// that is a difference between sources, not a shared fact.
func clusterPool(pool []pooled, sp *termSpace) []cluster {
	type posting struct {
		i int
		w float64
	}
	index := make([][]posting, len(sp.df))
	for i, p := range pool {
		for k, id := range p.vec.IDs {
			index[id] = append(index[id], posting{i, p.vec.W[k]})
		}
	}
	near := make([][]int, len(pool))
	acc := make([]float64, len(pool))
	var touched []int
	for i, p := range pool {
		for k, id := range p.vec.IDs {
			for _, q := range index[id] {
				if q.i <= i {
					continue
				}
				if acc[q.i] == 0 {
					touched = append(touched, q.i)
				}
				acc[q.i] += p.vec.W[k] * q.w
			}
		}
		for _, j := range touched {
			if acc[j] >= sameFact && !conflicts(p.figs, pool[j].figs) {
				near[i] = append(near[i], j)
				near[j] = append(near[j], i)
			}
			acc[j] = 0
		}
		touched = touched[:0]
	}
	order := make([]int, len(pool))
	for i := range order {
		order[i] = i
		pool[i].cluster = -1
	}
	sort.SliceStable(order, func(a, b int) bool { return pool[order[a]].score > pool[order[b]].score })
	var out []cluster
	for _, i := range order {
		if pool[i].cluster >= 0 {
			continue
		}
		c := cluster{rep: i, members: []int{i}}
		pool[i].cluster = len(out)
		for _, j := range near[i] {
			if pool[j].cluster < 0 {
				pool[j].cluster = len(out)
				c.members = append(c.members, j)
			}
		}
		ns, units := map[int]bool{}, map[int]bool{}
		for _, m := range c.members {
			ns[pool[m].n] = true
			units[pool[m].unit] = true
		}
		for n := range ns {
			c.cites = append(c.cites, n)
		}
		sort.Ints(c.cites)
		c.support = len(units)
		c.score = pool[i].score * (1 + math.Log(float64(c.support)))
		out = append(out, c)
	}
	return out
}

// coverage adds, for each source no picked point cites, the best cluster it
// belongs to, as long as the word budget allows.
func coverage(sources []news.Source, pool []pooled, clusters []cluster, byScore, picked []int, fits func(int) bool) []int {
	cited := map[int]bool{}
	taken := map[int]bool{}
	for _, c := range picked {
		taken[c] = true
		for _, n := range clusters[c].cites {
			cited[n] = true
		}
	}
	var out []int
	for si, s := range sources {
		if cited[s.N] {
			continue
		}
		for _, c := range byScore {
			if taken[c] || !hasSource(pool, clusters[c], si) {
				continue
			}
			if fits(c) {
				taken[c] = true
				out = append(out, c)
				for _, n := range clusters[c].cites {
					cited[n] = true
				}
			}
			break
		}
	}
	return out
}

func hasSource(pool []pooled, c cluster, src int) bool {
	for _, m := range c.members {
		if pool[m].src == src {
			return true
		}
	}
	return false
}

// groupsOf lists the near-duplicate groups the runner marked, by number.
func groupsOf(sources []news.Source) [][]int {
	byGroup := map[int][]int{}
	var ids []int
	for _, s := range sources {
		if s.Group == 0 {
			continue
		}
		if _, ok := byGroup[s.Group]; !ok {
			ids = append(ids, s.Group)
		}
		byGroup[s.Group] = append(byGroup[s.Group], s.N)
	}
	var out [][]int
	for _, g := range ids {
		if len(byGroup[g]) > 1 {
			out = append(out, byGroup[g])
		}
	}
	return out
}
