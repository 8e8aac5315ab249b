// Package cite keeps a briefing's citations honest, whichever engine wrote
// it. Before the briefing, Group finds near-duplicate sources (the same
// wire story on two sites), so that one story does not count as two
// sources agreeing; after it, Check verifies every citation against the
// cited article's sentences, lexically (package support) or through a
// Judge, and moves, removes or flags what the article does not support.
// It asks no model itself: a Judge that does is the engine's (brief.ModelJudge).
package cite

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/support"
)

// Verification modes (brief.verify) and what to do with a claim no cited
// article supports (brief.unsupported).
const (
	VerifyLexical   = "lexical"
	VerifyModel     = "model"
	UnsupportedFlag = "flag"
	UnsupportedDrop = "drop"
)

// CheckOptions say how Check verifies citations.
type CheckOptions struct {
	Verify      string            // VerifyLexical (default) or VerifyModel
	Unsupported string            // UnsupportedFlag (default) or UnsupportedDrop
	Judge       Judge             // asks a model; without one VerifyModel is VerifyLexical
	Aliases     map[string]string // name forms that are one name: the glossary's French → English
}

// Question asks whether sentences support a claim.
type Question struct {
	Claim     string
	Sentences []string
}

// Judge answers support questions, all of one check at once so that they
// can be batched; answers are in the order of the questions.
type Judge interface {
	Judge(ctx context.Context, qs []Question) ([]bool, news.Stats, error)
}

// Check verifies a briefing's citations against its sources, in place, for
// either engine: citations are checked, not trusted.
//
//   - A citation [n] with no source n is removed (Unresolved); duplicates
//     are removed and the rest sorted.
//   - Every (claim, cited article) pair is verified against the article's
//     sentences: lexically (support.Matcher: its names, numbers and most of
//     its rare terms must be there) or by a model's yes/no. A supported
//     citation gets the sentences it rests on as Evidence.
//   - A citation that fails is moved to an article of the set that does
//     support the claim and is not cited yet (Moved), or removed (Removed).
//   - A claim left with no supported citation is kept and marked
//     (UnsupportedFlag: Flagged) or dropped (UnsupportedDrop: Dropped); a
//     claim with no resolvable citation at all is always dropped.
//   - A kept claim that states as fact what every article it cites
//     only reports ("according to KCNA", "the prefect said", "reportedly",
//     a direct quote) is marked with what it lost (Claim.Attribution,
//     AttributionLost); package attrib reads the attributions.
//   - Sources nothing cites are listed in AlsoCovered and Citations.Uncited.
//
// Citations counts each claim's citations with the members of one
// near-duplicate group (Source.Group) counted once. Check recomputes
// Citations from scratch; run it once per briefing.
func Check(ctx context.Context, b *briefing.Briefing, sources []news.Source, opt CheckOptions) error {
	c := newChecker(sources, opt)
	claims := b.Claims()
	for _, cl := range claims {
		*cl.Cites = c.resolve(*cl.Cites)
	}
	verdicts, err := c.verify(ctx, claims)
	if err != nil {
		return err
	}
	keep := make([]bool, len(claims))
	for i, cl := range claims {
		keep[i] = c.apply(cl, verdicts[i])
	}
	c.prune(b, keep)
	c.attribution(b.Claims())
	c.count(b)
	b.Citations = c.st
	if b.Sources == nil {
		b.Sources = []news.Source{}
	}
	return nil
}

// checker holds one check's sources, split into sentences, and its counts.
type checker struct {
	opt     CheckOptions
	sources []news.Source
	byN     map[int]int // citation number → index into sources
	arts    []article
	m       *support.Matcher
	st      briefing.CitationStats
}

// article is what a claim can rest on in one source: its sentences and
// their ids (none for a source known only by its summary).
type article struct {
	ids       []news.SentenceID
	sentences []string
}

func newChecker(sources []news.Source, opt CheckOptions) *checker {
	if opt.Verify == "" {
		opt.Verify = VerifyLexical
	}
	if opt.Unsupported == "" {
		opt.Unsupported = UnsupportedFlag
	}
	if opt.Verify == VerifyModel && opt.Judge == nil {
		// The offline engine has no model to ask; its briefing quotes the
		// articles, which the lexical check verifies exactly.
		opt.Verify = VerifyLexical
	}
	c := &checker{opt: opt, sources: sources, byN: map[int]int{}, st: briefing.CitationStats{Verify: opt.Verify}}
	var corpus []string
	for i, s := range sources {
		c.byN[s.N] = i
		a := articleOf(s)
		c.arts = append(c.arts, a)
		corpus = append(corpus, a.sentences...)
	}
	c.m = support.New(corpus, opt.Aliases)
	return c
}

// articleOf splits a source's translation; a source merged from its summary
// alone (the shards of a distributed run) offers its key facts, with the
// sentence ids the summary gave them.
func articleOf(s news.Source) article {
	var a article
	txt := briefing.SourceText(s)
	if txt.Title != "" {
		a.ids, a.sentences = append(a.ids, briefing.TitleID), append(a.sentences, txt.Title)
	}
	txt.Each(func(id news.SentenceID, sent string) {
		a.ids = append(a.ids, id)
		a.sentences = append(a.sentences, sent)
	})
	if len(a.sentences) > 1 {
		return a
	}
	for i, f := range append([]string{s.Summary.Headline}, s.Summary.KeyFacts...) {
		var id news.SentenceID
		if i > 0 && i-1 < len(s.Summary.FactSentences) && len(s.Summary.FactSentences[i-1]) > 0 {
			id = s.Summary.FactSentences[i-1][0]
		}
		a.ids = append(a.ids, id)
		a.sentences = append(a.sentences, f)
	}
	return a
}

// resolve drops citations of numbers no source has, and repeats.
func (c *checker) resolve(cites []int) []int {
	out := []int{}
	for _, n := range cites {
		if _, ok := c.byN[n]; !ok {
			c.st.Unresolved++
			continue
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// verdict is what verification found for one claim.
type verdict struct {
	ok       map[int][]news.SentenceID // supported citations and their evidence
	failed   map[int]support.Result    // failed citations and what they lacked
	moved    map[int][]news.SentenceID // articles the failed citations move to
	closest  map[int][]news.SentenceID // a failed citation's nearest sentences
	resolved bool                      // the claim had a resolvable citation
}

// prune removes the claims apply did not keep, and differences left with
// fewer than two sides, in the briefing and in each of its stories (in
// the order of Claims).
func (c *checker) prune(b *briefing.Briefing, keep []bool) {
	i := 0
	next := func() bool { k := keep[i]; i++; return k }
	prune := func(points *[]briefing.Point, events *[]briefing.Event, differences *[]briefing.Difference) {
		*points = slices.DeleteFunc(*points, func(briefing.Point) bool { return !next() })
		*events = slices.DeleteFunc(*events, func(briefing.Event) bool { return !next() })
		diffs := []briefing.Difference{}
		for _, d := range *differences {
			d.Sides = slices.DeleteFunc(d.Sides, func(briefing.Side) bool { return !next() })
			if len(d.Sides) >= 2 { // a difference needs two sides to be one
				diffs = append(diffs, d)
			}
		}
		*differences = diffs
	}
	prune(&b.Points, &b.Timeline, &b.Differences)
	for k := range b.Stories {
		st := &b.Stories[k]
		prune(&st.Points, &st.Timeline, &st.Differences)
	}
}

// apply turns a claim's verdict into its citations, evidence and mark, and
// says whether the claim stays.
func (c *checker) apply(cl briefing.Claim, v verdict) bool {
	if !v.resolved {
		c.st.Dropped++
		return false
	}
	cites := []int{}
	var ev []briefing.Evidence
	for _, n := range *cl.Cites {
		if ids, ok := v.ok[n]; ok {
			cites = append(cites, n)
			ev = append(ev, briefing.Evidence{N: n, Sentences: ids})
		}
	}
	for n, ids := range v.moved {
		cites = append(cites, n)
		ev = append(ev, briefing.Evidence{N: n, Sentences: ids})
	}
	c.st.Moved += len(v.moved)
	c.st.Removed += len(v.failed) - len(v.moved)
	*cl.Marked = ""
	if len(cites) == 0 {
		if c.opt.Unsupported == UnsupportedDrop {
			c.st.Dropped++
			return false
		}
		c.st.Flagged++
		*cl.Marked = doubt(v.failed)
		for _, n := range *cl.Cites {
			ev = append(ev, briefing.Evidence{N: n, Sentences: v.closest[n]})
		}
		cites = *cl.Cites
	}
	slices.Sort(cites)
	slices.SortFunc(ev, func(a, b briefing.Evidence) int { return a.N - b.N })
	*cl.Cites, *cl.Evidence = cites, ev
	return true
}

// doubt says why a flagged claim is doubted: what each citation lacks.
func doubt(failed map[int]support.Result) string {
	ns := make([]int, 0, len(failed))
	for n := range failed {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	var parts []string
	for _, n := range ns {
		missing := failed[n].Missing
		if len(missing) == 0 {
			parts = append(parts, fmt.Sprintf("citation [%d] does not support it", n))
			continue
		}
		missing = missing[:min(3, len(missing))]
		for i, m := range missing {
			missing[i] = "“" + m + "”"
		}
		parts = append(parts, fmt.Sprintf("citation [%d] does not mention %s", n, strings.Join(missing, ", ")))
	}
	return "unsupported: " + strings.Join(parts, "; ")
}

// count fills the citation counts and AlsoCovered from the kept claims.
func (c *checker) count(b *briefing.Briefing) {
	cited := map[int]bool{}
	for _, cl := range b.Claims() {
		groups := map[int]bool{}
		for _, n := range *cl.Cites {
			cited[n] = true
			if g := c.sources[c.byN[n]].Group; g != 0 {
				if groups[g] {
					continue
				}
				groups[g] = true
			}
			c.st.Citations++
		}
	}
	c.st.Points = len(b.Points)
	for _, st := range b.Stories {
		c.st.Points += len(st.Points)
	}
	b.AlsoCovered = []int{}
	for _, s := range c.sources {
		if !cited[s.N] {
			b.AlsoCovered = append(b.AlsoCovered, s.N)
		}
	}
	slices.Sort(b.AlsoCovered)
	c.st.CitedSources = len(c.sources) - len(b.AlsoCovered)
	if len(b.AlsoCovered) > 0 {
		c.st.Uncited = slices.Clone(b.AlsoCovered)
	}
}
