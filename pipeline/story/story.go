// Package story groups the articles of a run into stories: the same event,
// or the same developing topic, told by several outlets over several days.
// It goes beyond near-duplicate detection (the same wire copy on two sites,
// brief.Group), whose groups stay whole inside one story and count there as
// one source.
//
// It works from what the earlier stages know, offline and deterministically:
// the TF-IDF of each article's English text and title, the people, places
// and organisations its summary names, and its date. Two articles are close
// when they share distinctive words and names; their closeness fades as
// their dates move apart, so that two visits of the same president months
// apart are two stories. Articles are merged into stories by average
// linkage (a story's members are close on average, not through a chain of
// pairs), over candidate pairs found through an inverted index, so that
// thousands of articles are not compared pair by pair. The index leaves out
// words held by many articles, and with them the names of a story told by
// a large share of the pile; the groups found are therefore consolidated,
// with the same average linkage computed from their summed vectors, which
// needs no pair. Embeddings, when the caller has them, join the text's
// similarity.
package story

import (
	"cmp"
	"slices"

	"github.com/depeche-news/depeche/pipeline/news"
)

// Options tune the grouping. The zero value is the tuned default.
type Options struct {
	// Threshold is the average similarity at which two groups of articles
	// are one story; 0 = DefaultThreshold.
	Threshold float64
	// Embeddings are optional vectors per source (by Source.N), e.g. from
	// an endpoint's /v1/embeddings; when given for both articles of a pair
	// their cosine joins the text's.
	Embeddings map[int][]float32
}

// DefaultThreshold was tuned on the development half of the labelled corpus
// (cmd/depeche/testdata/stories/dev) and is measured on the held-out half.
const DefaultThreshold = 0.06

// Group returns the stories of sources as lists of citation numbers
// (Source.N), each sorted. Near-duplicates (the same Source.Group) are
// always in the same story. Stories come biggest first (by distinct
// sources, then articles), ties by their first member. Every source is in
// exactly one story; an article like no other is a story of its own.
func Group(sources []news.Source, opt Options) [][]int {
	if opt.Threshold <= 0 {
		opt.Threshold = DefaultThreshold
	}
	units := unitsOf(sources)
	if len(units) == 0 {
		return nil
	}
	f := newFeatures(sources, units, opt.Embeddings)
	clusters := f.consolidate(f.cluster(opt.Threshold), opt.Threshold)
	var out [][]int
	for _, c := range clusters {
		var ns []int
		for _, u := range c {
			for _, i := range units[u] {
				ns = append(ns, sources[i].N)
			}
		}
		slices.Sort(ns)
		out = append(out, ns)
	}
	// A story's distinct sources are its units.
	distinct := make(map[int]int, len(out))
	for i, c := range clusters {
		distinct[out[i][0]] = len(c)
	}
	slices.SortStableFunc(out, func(a, b []int) int {
		if c := cmp.Compare(distinct[b[0]], distinct[a[0]]); c != 0 {
			return c
		}
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return cmp.Compare(a[0], b[0])
	})
	return out
}

// unitsOf gathers sources into the units the grouping moves: one per
// near-duplicate group, one per other source (indexes into sources).
func unitsOf(sources []news.Source) [][]int {
	var units [][]int
	byGroup := map[int]int{}
	for i, s := range sources {
		if s.Group != 0 {
			if u, ok := byGroup[s.Group]; ok {
				units[u] = append(units[u], i)
				continue
			}
			byGroup[s.Group] = len(units)
		}
		units = append(units, []int{i})
	}
	return units
}

// Distinct counts the distinct sources among citation numbers: a group of
// near-duplicates counts once.
func Distinct(sources []news.Source, ns []int) int {
	byN := make(map[int]news.Source, len(ns))
	for _, s := range sources {
		byN[s.N] = s
	}
	seen := map[int]bool{}
	n := 0
	for _, x := range ns {
		g := byN[x].Group
		if g == 0 {
			n++
			continue
		}
		if !seen[g] {
			seen[g] = true
			n++
		}
	}
	return n
}
