package extract

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
)

const (
	maxEvents   = 10
	maxDiffs    = 5
	diffContext = 0.3 // figures whose surroundings are this alike count the same thing
	diffBucket  = 300 // most central figure sentences compared per unit
)

// overview says what the briefing was made from and gives its most central
// point, without citations.
func overview(sources []news.Source, pool []pooled, clusters []cluster, picked []int) string {
	// Say what was read, then one point: repeating the first key points
	// word for word would only make the reader read them twice.
	stories := map[int]bool{}
	for _, s := range sources {
		if s.Group == 0 {
			stories[-s.N] = true
		} else {
			stories[s.Group] = true
		}
	}
	what := fmt.Sprintf("%d articles", len(sources))
	if len(sources) == 1 {
		what = "1 article"
	}
	if len(stories) < len(sources) {
		what += fmt.Sprintf(" (%d distinct sources: near-duplicate copies are grouped)", len(stories))
	}
	line := "An extractive digest of " + what + "."
	if len(picked) == 0 {
		return line
	}
	return line + " Its most central point: " + pool[clusters[picked[0]].rep].text
}

// title names the people, organisations and places most sources mention:
// a list of names asserts nothing the sources don't. With fewer than two
// shared names it falls back to the most central source headline.
func title(sources []news.Source, pool []pooled, sp *termSpace, known map[string]int) string {
	type tally struct {
		forms map[string]int
		units map[int]bool
		count int
		first int
	}
	byKey := map[string]*tally{}
	for si, s := range sources {
		var sents []string
		for _, p := range pool {
			if p.src == si {
				sents = append(sents, p.text)
			}
		}
		unit := -1 - si
		if s.Group != 0 {
			unit = s.Group
		}
		for _, e := range entities(append([]string{s.Title}, sents...), known) {
			k := nameKey(e.name)
			t := byKey[k]
			if t == nil {
				t = &tally{forms: map[string]int{}, units: map[int]bool{}, first: len(byKey)}
				byKey[k] = t
			}
			t.forms[e.name] += e.count
			t.units[unit] = true
			t.count += e.count
		}
	}
	var keys []string
	for k, t := range byKey {
		if len(t.units) >= 2 || len(sources) == 1 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := byKey[keys[i]], byKey[keys[j]]
		if len(a.units) != len(b.units) {
			return len(a.units) > len(b.units)
		}
		if a.count != b.count {
			return a.count > b.count
		}
		return a.first < b.first
	})
	if len(keys) >= 2 {
		keys = keys[:min(3, len(keys))]
		ns := make([]string, len(keys))
		for i, k := range keys {
			ns[i] = bestForm(byKey[k].forms)
		}
		if len(ns) == 2 {
			return ns[0] + " and " + ns[1]
		}
		return ns[0] + ", " + ns[1] + " and " + ns[2]
	}
	best, bestSim := "", -1.0
	for _, s := range sources {
		if t := strings.TrimSpace(s.Title); t != "" {
			if v := headlineCentrality(t, pool, sp); v > bestSim {
				best, bestSim = t, v
			}
		}
	}
	if best == "" {
		return "Briefing"
	}
	return best
}

// headlineCentrality is how alike a headline is to the pooled sentences on
// average: the headline of the story most sources tell scores highest.
func headlineCentrality(t string, pool []pooled, sp *termSpace) float64 {
	v := sp.weighText(t)
	var s float64
	for _, p := range pool {
		s += v.Dot(p.vec)
	}
	return s
}

// timeline lists the most central facts that carry a date with a year,
// oldest first. Weekdays and bare months are left out: without a year they
// cannot be placed once articles from different weeks are merged.
func timeline(pool []pooled, clusters []cluster, byScore []int) []briefing.Event {
	type dated struct {
		ev   briefing.Event
		key  int
		rank int
	}
	var ds []dated
	for rank, c := range byScore {
		if len(ds) == maxEvents {
			break
		}
		for _, m := range append([]int{clusters[c].rep}, clusters[c].members...) {
			if w, ok := dateOf(pool[m].text); ok && w.key > 0 {
				ds = append(ds, dated{briefing.Event{Date: w.label, Text: pool[m].text, Cites: slices.Clone(clusters[c].cites),
					Evidence: evidence(pool, clusters[c].members)}, w.key, rank})
				break
			}
		}
	}
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].key != ds[j].key {
			return ds[i].key < ds[j].key
		}
		return ds[i].rank < ds[j].rank
	})
	out := []briefing.Event{}
	for _, d := range ds {
		out = append(out, d.ev)
	}
	return out
}

// differences finds sources that give different numbers for the same thing:
// figures with the same unit in sentences alike enough to be about the same
// matter ("24 years" against "23 years" about Putin's visit), from
// independent sources.
func differences(pool []pooled) []briefing.Difference {
	byUnit := map[string][]occ{}
	var units []string
	for i, p := range pool {
		for _, f := range p.figs {
			if _, ok := byUnit[f.unit]; !ok {
				units = append(units, f.unit)
			}
			byUnit[f.unit] = append(byUnit[f.unit], occ{i, f, window(p.text, f)})
		}
	}
	var out []briefing.Difference
	var weight []int
	for _, u := range units {
		os := byUnit[u]
		sort.SliceStable(os, func(a, b int) bool { return pool[os[a].p].score > pool[os[b].p].score })
		os = os[:min(len(os), diffBucket)]
		parent := make([]int, len(os))
		for i := range parent {
			parent[i] = i
		}
		var find func(int) int
		find = func(i int) int {
			for parent[i] != i {
				parent[i] = parent[parent[i]]
				i = parent[i]
			}
			return i
		}
		for a := range os {
			for b := a + 1; b < len(os); b++ {
				if pool[os[a].p].unit != pool[os[b].p].unit && sameContext(os[a].ctx, os[b].ctx) {
					parent[find(a)] = find(b)
				}
			}
		}
		comps := map[int][]occ{}
		var roots []int
		for i, o := range os {
			r := find(i)
			if _, ok := comps[r]; !ok {
				roots = append(roots, r)
			}
			comps[r] = append(comps[r], o)
		}
		for _, r := range roots {
			if d, ok := difference(pool, comps[r]); ok {
				out = append(out, d)
				weight = append(weight, len(comps[r]))
			}
		}
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return weight[idx[a]] > weight[idx[b]] })
	res := []briefing.Difference{}
	for _, i := range idx[:min(len(idx), maxDiffs)] {
		res = append(res, out[i])
	}
	return res
}

// sameContext reports whether two figures' surroundings share at least two
// words and two fifths of the shorter: "first visit to Pyongyang in 24
// years" and "arrival in Pyongyang, his first visit to the city in 23
// years". Plain overlap, not TF-IDF: in a window of ten words the few rare
// ones would decide alone.
func sameContext(a, b []string) bool {
	in := map[string]bool{}
	for _, t := range a {
		in[t] = true
	}
	shared := 0
	for _, t := range b {
		if in[t] {
			shared++
			delete(in, t)
		}
	}
	return shared >= 2 && float64(shared) >= 0.4*float64(min(len(a), len(b)))
}

// occ is one figure in one pooled sentence.
type occ struct {
	p   int
	f   figure
	ctx []string // the words around the figure
}

// difference turns one group of comparable figures into sides, one per
// value, when at least two values are each backed by a source the other
// side lacks.
func difference(pool []pooled, os []occ) (briefing.Difference, bool) {
	var values []float64
	byValue := map[float64][]int{}
	for _, o := range os {
		if _, ok := byValue[o.f.value]; !ok {
			values = append(values, o.f.value)
		}
		byValue[o.f.value] = append(byValue[o.f.value], o.p)
	}
	if len(values) < 2 {
		return briefing.Difference{}, false
	}
	d := briefing.Difference{}
	var figs []string
	allNs := map[int]bool{}
	for _, v := range values {
		ps := byValue[v] // most central first
		ns := map[int]bool{}
		for _, p := range ps {
			ns[pool[p].n] = true
			allNs[pool[p].n] = true
		}
		side := briefing.Side{Claim: pool[ps[0]].text, Evidence: evidence(pool, ps)}
		for n := range ns {
			side.Cites = append(side.Cites, n)
		}
		sort.Ints(side.Cites)
		d.Sides = append(d.Sides, side)
		for _, o := range os {
			if o.f.value == v {
				figs = append(figs, o.f.text)
				break
			}
		}
	}
	if len(allNs) < 2 {
		return briefing.Difference{}, false
	}
	d.Topic = "Figures differ: " + strings.Join(figs, " vs ")
	return d, true
}
