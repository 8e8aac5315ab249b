package story

import (
	"container/heap"
	"slices"
)

// edgeFloor: pairs less similar than this share of the threshold are not
// kept at all; they weigh nothing in a story's average but cost memory.
const edgeFloor = 0.25

// maxLinks is how many of its most similar units each unit keeps links
// to (a pair is kept when either side keeps it). Within a story of
// hundreds of articles the pairs are counted in hundreds of thousands and
// their links were most of a big briefing's memory; a story that loses
// links this way comes out in pieces, which consolidate merges again from
// the exact averages of summed vectors.
const maxLinks = 64

// A lone article joins the story it is closest to when its average
// similarity reaches attachShare of the threshold and attachMargin times
// its similarity to any other story.
const (
	attachShare  = 0.5
	attachMargin = 2.0
	smallGroup   = 1
)

// cohesionShare: a group merges only with a group it resembles at least
// this share as much as its own members resemble each other.
const cohesionShare = 0.5

// cohesiveSize: groups of this many members or more are stories of their
// own whose cohesion is worth comparing.
const cohesiveSize = 3

// cluster merges units into stories by average linkage: the two groups
// whose pairs are the closest on average merge first, until no two groups
// reach threshold. A pair never compared (no shared distinctive word or
// name) counts as 0. It returns the stories as lists of units.
func (f *features) cluster(threshold float64) [][]int {
	n := len(f.text)
	cs := make([]*group, n)
	for u := range cs {
		cs[u] = &group{members: []int{u}, links: map[int]float64{}}
	}
	floor := edgeFloor * threshold
	near := make([]nearest, n)
	for a, b := range f.pairs() {
		if s := f.similarity(a, b); s >= floor {
			near[a].add(edge{to: int32(b), s: s})
			near[b].add(edge{to: int32(a), s: s})
		}
	}
	for a := range near {
		for _, e := range near[a] {
			cs[a].links[int(e.to)] = e.s
			cs[e.to].links[a] = e.s
		}
	}
	near = nil
	// The merges are built in one slice and heaped at once: at 5,000
	// articles they are a million, and growing the slice by appends
	// briefly holds it twice.
	k := 0
	for a, c := range cs {
		for b, w := range c.links {
			if a < b && w >= threshold {
				k++
			}
		}
	}
	h := make(mergeHeap, 0, k+k/4)
	for a, c := range cs {
		for b, w := range c.links {
			if a < b && w >= threshold {
				h = append(h, merge{avg: w, a: int32(a), b: int32(b)})
			}
		}
	}
	heap.Init(&h)
	current := func(m merge) bool {
		return cs[m.a] != nil && cs[m.b] != nil && cs[m.a].version == m.va && cs[m.b].version == m.vb
	}
	for h.Len() > 0 {
		m := heap.Pop(&h).(merge)
		if !current(m) {
			continue // one side merged since this pair was pushed
		}
		ma, mb := int(m.a), int(m.b)
		ca, cb := cs[ma], cs[mb]
		if len(ca.members) >= cohesiveSize && len(cb.members) >= cohesiveSize && (!ca.accepts(m.avg) || !cb.accepts(m.avg)) {
			continue // two stories of their own that merely resemble each other
		}
		// b joins a: a's links to every neighbour become the sums of both.
		ca.intra += cb.intra + ca.links[mb]
		delete(ca.links, mb)
		delete(cb.links, ma)
		for c, w := range cb.links {
			ca.links[c] += w
			other := cs[c]
			other.links[ma] += w
			delete(other.links, mb)
		}
		ca.members = append(ca.members, cb.members...)
		ca.version++
		cs[mb] = nil
		for c, w := range ca.links {
			other := cs[c]
			if avg := w / float64(len(ca.members)*len(other.members)); avg >= threshold {
				if len(h) == cap(h) {
					// Merges outdated by later ones stay in the heap until
					// popped; drop them before the heap grows.
					h.keep(current)
				}
				a, b := m.a, int32(c)
				if b < a {
					a, b = b, a
				}
				heap.Push(&h, merge{avg: avg, a: a, b: b, va: cs[a].version, vb: cs[b].version})
			}
		}
	}
	attach(cs, attachShare*threshold)
	var out [][]int
	for _, c := range cs {
		if c != nil {
			slices.Sort(c.members)
			out = append(out, c.members)
		}
	}
	slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
	return out
}

// attach gives a small group (a lone article, a pair, …) to the story it
// is closest to on average, when that story is at least twice its size,
// the average reaches floor and it is clearly closer (attachMargin times)
// than to any other story: an analysis, an explainer or a side event of a
// developing story shares fewer of its words than its reports do, yet
// belongs with them. Small groups are not joined to each other this way.
func attach(cs []*group, floor float64) {
	type move struct {
		from, to int
		avg      float64
	}
	var moves []move
	for u, c := range cs {
		if c == nil || len(c.members) > smallGroup {
			continue
		}
		best, second, to := 0.0, 0.0, -1
		for v, w := range c.links {
			if len(cs[v].members) < 2*len(c.members) {
				continue
			}
			avg := w / float64(len(cs[v].members)*len(c.members))
			switch {
			case avg > best || (avg == best && v < to):
				best, second, to = avg, best, v
			case avg > second:
				second = avg
			}
		}
		if to >= 0 && best >= floor && best >= attachMargin*second {
			moves = append(moves, move{u, to, best})
		}
	}
	for _, m := range moves {
		if cs[m.to] == nil || cs[m.from] == nil {
			continue // the target itself moved: leave this one alone
		}
		cs[m.to].members = append(cs[m.to].members, cs[m.from].members...)
		cs[m.from] = nil
	}
}

// pairs yields each candidate pair of units once, a < b: the units that
// share a posting.
func (f *features) pairs() func(yield func(int, int) bool) {
	return sharing(len(f.text), f.termsOf, f.post)
}

// sharing yields each pair a < b of n items that share a term, once:
// terms(a) lists a's terms, post[t] the items holding t.
func sharing(n int, terms func(int) []int32, post map[int32][]int32) func(yield func(int, int) bool) {
	return func(yield func(int, int) bool) {
		seen := make([]int32, n) // last a that saw b, +1
		for a := range n {
			for _, t := range terms(a) {
				for _, b32 := range post[t] {
					b := int(b32)
					if b <= a || seen[b] == int32(a+1) {
						continue
					}
					seen[b] = int32(a + 1)
					if !yield(a, b) {
						return
					}
				}
			}
		}
	}
}

// termsOf lists the posted terms of unit a.
func (f *features) termsOf(a int) []int32 {
	var out []int32
	for _, v := range []vector{f.text[a], f.names[a]} {
		for _, t := range v.IDs {
			if _, ok := f.post[t]; ok {
				out = append(out, t)
			}
		}
	}
	return out
}

// group is a story being formed: its units, the sum of the similarities
// of its own pairs, and per neighbouring group the sum of the similarities
// of their pairs.
type group struct {
	members []int
	intra   float64
	links   map[int]float64
	version int32
}

// accepts reports whether the group takes a merge at average similarity
// avg: a group of several members does not merge with one it resembles
// much less than its members resemble each other (two visits of the same
// president to two countries on consecutive days are two stories).
func (g *group) accepts(avg float64) bool {
	n := len(g.members)
	if n < 2 {
		return true
	}
	cohesion := g.intra / float64(n*(n-1)/2)
	return avg >= cohesionShare*cohesion
}

// merge is a candidate merge of groups a < b at their versions va, vb.
type merge struct {
	avg    float64
	a, b   int32
	va, vb int32
}

type mergeHeap []merge

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	if h[i].avg != h[j].avg {
		return h[i].avg > h[j].avg
	}
	if h[i].a != h[j].a {
		return h[i].a < h[j].a
	}
	return h[i].b < h[j].b
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(merge)) }

// keep drops the merges ok refuses and restores the heap order; the order
// merges pop in does not change, since Less is a total order.
func (h *mergeHeap) keep(ok func(merge) bool) {
	*h = slices.DeleteFunc(*h, func(m merge) bool { return !ok(m) })
	heap.Init(h)
}

func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// edge is a link to unit to of similarity s.
type edge struct {
	to int32
	s  float64
}

// weaker orders edges: the less similar first, then the farther unit, so
// that which edges are kept does not depend on the order they come in.
func (e edge) weaker(o edge) bool {
	if e.s != o.s {
		return e.s < o.s
	}
	return e.to > o.to
}

// nearest keeps a unit's maxLinks strongest edges, as a min-heap by weaker.
type nearest []edge

func (h *nearest) add(e edge) {
	x := *h
	if len(x) < maxLinks {
		x = append(x, e)
		for i := len(x) - 1; i > 0; {
			p := (i - 1) / 2
			if !x[i].weaker(x[p]) {
				break
			}
			x[i], x[p] = x[p], x[i]
			i = p
		}
		*h = x
		return
	}
	if !x[0].weaker(e) {
		return
	}
	x[0] = e
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(x) && x[l].weaker(x[m]) {
			m = l
		}
		if r < len(x) && x[r].weaker(x[m]) {
			m = r
		}
		if m == i {
			break
		}
		x[i], x[m] = x[m], x[i]
		i = m
	}
}
