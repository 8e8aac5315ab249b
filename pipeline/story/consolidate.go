package story

import (
	"slices"
	"sort"
)

// pairBudget bounds the pairs of groups one round of consolidate compares:
// the postings of the rarest terms are taken first, and a term's pairs
// are taken only while they fit, so that the words every article uses are
// the ones left out, however big the story that shares the others.
const pairBudget = 2_000_000

// consolidate merges the stories cluster found whose average similarity
// over all their pairs reaches threshold. cluster compares only the pairs
// that share a posting, and its postings leave out the words of more than
// maxShare of the units: a story told by more of the pile than that (the
// election among a week's 5,000 articles) shares its distinctive names
// with too many units to be indexed by them, and comes out of cluster in
// pieces; so does a story whose articles cluster kept too few links
// between (maxLinks). The pieces are few enough to be compared as groups, and a
// group's average needs no pair: for unit vectors, the mean of a·b over
// the pairs of A×B is ΣA·ΣB / (|A||B|). Fading by date uses the gap
// between the groups' date ranges; embeddings are left to cluster.
//
// The merging runs in rounds: each round merges, best first, the pairs of
// groups that reach threshold and that neither group has merged in yet,
// adding their sums; the next round looks for candidates again. Groups of cohesiveSize members or more merge
// only as cluster lets them (accepts), so two stories of their own that
// merely resemble each other stay two.
func (f *features) consolidate(clusters [][]int, threshold float64) [][]int {
	gs := make([]*sums, len(clusters))
	for i, c := range clusters {
		gs[i] = f.sumsOf(c)
	}
	type pair struct {
		a, b int
		avg  float64
	}
	for {
		var ps []pair
		for a, b := range candidates(gs) {
			ga, gb := gs[a], gs[b]
			avg := ga.avg(gb)
			if avg < threshold {
				continue
			}
			if len(ga.members) >= cohesiveSize && len(gb.members) >= cohesiveSize && (avg < cohesionShare*ga.cohesion || avg < cohesionShare*gb.cohesion) {
				continue
			}
			ps = append(ps, pair{a, b, avg})
		}
		if len(ps) == 0 {
			break
		}
		sort.Slice(ps, func(i, j int) bool {
			if ps[i].avg != ps[j].avg {
				return ps[i].avg > ps[j].avg
			}
			if ps[i].a != ps[j].a {
				return ps[i].a < ps[j].a
			}
			return ps[i].b < ps[j].b
		})
		merged := make([]bool, len(gs))
		for _, p := range ps {
			if merged[p.a] || merged[p.b] {
				continue
			}
			merged[p.a], merged[p.b] = true, true
			gs[p.a] = gs[p.a].add(gs[p.b])
			gs[p.b] = nil
		}
		gs = slices.DeleteFunc(gs, func(g *sums) bool { return g == nil })
	}
	out := make([][]int, len(gs))
	for i, g := range gs {
		slices.Sort(g.members)
		out[i] = g.members
	}
	slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
	return out
}

// sums is a group of units as consolidate sees it: the sums of its
// members' vectors and its date range.
type sums struct {
	members     []int
	text, names vector // sums, not normalised
	textN       int    // members with a text vector (each of norm 1)
	namesN      int
	first, last int // days; -1 when no member has a date
	// cohesion is the mean similarity of the group's own pairs, kept
	// because every candidate pair of a round asks for it.
	cohesion float64
}

func (f *features) sumsOf(members []int) *sums {
	g := &sums{members: slices.Clone(members), first: -1, last: -1}
	text, names := map[int32]float64{}, map[int32]float64{}
	for _, u := range members {
		for i, t := range f.text[u].IDs {
			text[t] += float64(f.text[u].W[i])
		}
		for i, t := range f.names[u].IDs {
			names[t] += float64(f.names[u].W[i])
		}
		if len(f.text[u].IDs) > 0 {
			g.textN++
		}
		if len(f.names[u].IDs) > 0 {
			g.namesN++
		}
		if d := f.day[u]; d >= 0 {
			if g.first < 0 || d < g.first {
				g.first = d
			}
			g.last = max(g.last, d)
		}
	}
	g.text, g.names = counts(text), counts(names)
	g.cohesion = g.ownMean()
	return g
}

func (g *sums) add(o *sums) *sums {
	g.members = append(g.members, o.members...)
	g.text, g.names = g.text.Plus(o.text), g.names.Plus(o.names)
	g.textN += o.textN
	g.namesN += o.namesN
	switch {
	case o.first < 0:
	case g.first < 0:
		g.first, g.last = o.first, o.last
	default:
		g.first, g.last = min(g.first, o.first), max(g.last, o.last)
	}
	g.cohesion = g.ownMean()
	return g
}

// avg is the mean similarity of the pairs of g × o, as similarity
// weighs it, faded by the days between their date ranges.
func (g *sums) avg(o *sums) float64 {
	pairs := float64(len(g.members) * len(o.members))
	s := (textWeight*g.text.Dot(o.text) + entityWeight*g.names.Dot(o.names)) / pairs
	gap := -1
	if g.first >= 0 && o.first >= 0 {
		gap = max(0, o.first-g.last, g.first-o.last)
	}
	return s * fadeGap(gap)
}

// ownMean is the mean similarity of the group's own pairs: for unit
// vectors, (|Σa|² − n) / (n(n−1)).
func (g *sums) ownMean() float64 {
	n := len(g.members)
	if n < 2 {
		return 0
	}
	pairs := float64(n * (n - 1))
	return (textWeight*(g.text.Dot(g.text)-float64(g.textN)) + entityWeight*(g.names.Dot(g.names)-float64(g.namesN))) / pairs
}

// candidates yields the pairs of groups (a < b) sharing one of their
// topTerms most weighted words or a name, through the postings that fit
// pairBudget rarest first, each pair once and none kept.
func candidates(gs []*sums) func(yield func(int, int) bool) {
	post := map[int32][]int32{}
	own := make([][]int32, len(gs))
	for i, g := range gs {
		ts := topOf(g.text, topTerms)
		for _, t := range g.names.IDs {
			if !slices.Contains(ts, t) {
				ts = append(ts, t)
			}
		}
		own[i] = ts
		for _, t := range ts {
			post[t] = append(post[t], int32(i))
		}
	}
	terms := make([]int32, 0, len(post))
	for t, us := range post {
		if len(us) > 1 {
			terms = append(terms, t)
		}
	}
	slices.SortFunc(terms, func(a, b int32) int {
		if d := len(post[a]) - len(post[b]); d != 0 {
			return d
		}
		return int(a - b)
	})
	used := 0
	for i, t := range terms {
		n := len(post[t])
		if used += n * (n - 1) / 2; used > pairBudget {
			for _, t := range terms[i:] {
				delete(post, t)
			}
			break
		}
	}
	return sharing(len(gs), func(a int) []int32 { return own[a] }, post)
}

// topOf returns the ids of v's k largest weights.
func topOf(v vector, k int) []int32 {
	order := make([]int, len(v.IDs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if v.W[a] != v.W[b] {
			if v.W[a] > v.W[b] {
				return -1
			}
			return 1
		}
		return int(v.IDs[a] - v.IDs[b])
	})
	out := make([]int32, 0, min(k, len(order)))
	for _, i := range order[:min(k, len(order))] {
		out = append(out, v.IDs[i])
	}
	return out
}
