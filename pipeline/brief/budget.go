package brief

import (
	"cmp"
	"slices"
	"strings"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/llm"
)

// Answer budgets. The next reduce level reads every partial briefing of a
// level, so a partial may take only its share of that level's prompt. Each
// call is told how many points of how many words to write, and its answer
// is cut to its share whatever the model wrote: a model that lists every
// source in every partial cannot stop the reduce from ending, since each
// level then has at most half as many items as the one before.
const (
	maxPointWords = 30  // words per point when the room allows
	minPointWords = 10  // below this a point says too little to merge
	tokensPerWord = 1.7 // an English word and its space at the estimator's 3.6 runes per token
	citeTokens    = 6   // a point's bullet and about three citations
	headerTokens  = 12  // "## Partial briefing n", "Key points:"
	minShare      = 360 // a partial worth having: about six points of 30 words
	finalReserve  = 80  // a final answer's title and overview
)

// limits is what one call's prompt asks for.
type limits struct {
	Points, Events, Differences, Words int
}

// limitsFor returns limits whose answer renders in about tokens tokens:
// two thirds of the items key points, the rest timeline events, and points
// shorter than maxPointWords when that is what leaves room for three.
func limitsFor(tokens int) limits {
	words := maxPointWords
	if per := (tokens - headerTokens) / 3; per < pointTokens(words) {
		words = max(minPointWords, int(float64(per-citeTokens)/tokensPerWord))
	}
	n := max(1, (tokens-headerTokens)/pointTokens(words))
	points := (2*n + 2) / 3
	return limits{Points: points, Events: n - points, Differences: n / 6, Words: words}
}

func pointTokens(words int) int { return int(float64(words)*tokensPerWord+0.999) + citeTokens }

// finalLimits bounds the answer that is the briefing itself: it must fit in
// the answer room as JSON, which costs about half again its rendering.
func (r *reducer) finalLimits() limits {
	return limitsFor(r.answerRoom()*2/3 - finalReserve)
}

// share returns the tokens each of m partials may take: all m fit in the
// next call when each still gets minShare, else the next level merges as
// many as get minShare, and never fewer than two, so that it shrinks.
func (r *reducer) share(m int) int {
	room := r.room(r.reduceP)
	k := m
	if m*minShare > room {
		k = max(2, room/minShare)
	}
	return max(1, min(room/k, r.answerRoom()*2/3))
}

// fit renders a partial briefing in at most tokens tokens, counting the
// newline that joins it to the next one. When the whole does not fit it
// keeps, as room allows, the key points cited by the most sources (each
// whole, with all its citations), then the differences, the timeline and
// the overview. When not even one point fits, the best-cited one is cut:
// its words first, then its citations, whose sources the check then lists
// under "also covered" unless another point cites them.
func (r *reducer) fit(d draft, part, tokens int) string {
	if s := render(d, part); r.tokens(s)+1 <= tokens {
		return s
	}
	byCites := make([]int, len(d.Points))
	for i := range byCites {
		byCites[i] = i
	}
	slices.SortStableFunc(byCites, func(a, b int) int { return cmp.Compare(len(d.Points[b].Cites), len(d.Points[a].Cites)) })

	// Units in the order they are kept; cost is a unit's own lines.
	type unit struct{ kind, i, cost int }
	var units []unit
	for _, i := range byCites {
		units = append(units, unit{'p', i, r.tokens(pointLine(d.Points[i]))})
	}
	for i, df := range d.Differences {
		units = append(units, unit{'d', i, r.tokens(differenceLines(df))})
	}
	for i, e := range d.Timeline {
		units = append(units, unit{'e', i, r.tokens(eventLine(e))})
	}
	if d.Overview != "" {
		units = append(units, unit{'o', 0, r.tokens(overviewLine(d.Overview))})
	}
	used := r.tokens(render(draft{}, part)) + 1
	heading := map[int]int{'e': r.tokens("Timeline:\n"), 'd': r.tokens("Differences:\n")}
	var kept []unit
	for _, u := range units {
		cost := u.cost + heading[u.kind]
		// Each part's estimate rounds up, so the sum may pass the share by
		// a token a part while the whole fits; the whole is measured below.
		if used+cost > tokens+len(kept)+1 {
			if u.kind == 'p' {
				break // a point is never kept over one cited by more sources
			}
			continue
		}
		kept = append(kept, u)
		used += cost
		heading[u.kind] = 0
	}
	// The costs are estimates of parts; the rendering is measured whole.
	for ; len(kept) > 0 && kept[0].kind == 'p'; kept = kept[:len(kept)-1] {
		var out draft
		keep := map[[2]int]bool{}
		for _, u := range kept {
			keep[[2]int{u.kind, u.i}] = true
		}
		for i, p := range d.Points {
			if keep[[2]int{'p', i}] {
				out.Points = append(out.Points, p)
			}
		}
		for i, e := range d.Timeline {
			if keep[[2]int{'e', i}] {
				out.Timeline = append(out.Timeline, e)
			}
		}
		for i, df := range d.Differences {
			if keep[[2]int{'d', i}] {
				out.Differences = append(out.Differences, df)
			}
		}
		if keep[[2]int{'o', 0}] {
			out.Overview = d.Overview
		}
		if s := render(out, part); r.tokens(s)+1 <= tokens {
			return s
		}
	}
	if len(d.Points) == 0 {
		return render(draft{}, part)
	}
	return r.cutPoint(d.Points[byCites[0]], part, tokens)
}

// cutPoint renders one point alone in at most tokens tokens: its text cut to
// minPointWords, then its citations halved, then its text cut to one word.
func (r *reducer) cutPoint(p briefing.Point, part, tokens int) string {
	words := strings.Fields(p.Text)
	cites := p.Cites
	for {
		text := strings.Join(words, " ")
		if len(words) < len(strings.Fields(p.Text)) {
			text += "…"
		}
		s := render(draft{Points: []briefing.Point{{Text: text, Cites: cites}}}, part)
		switch {
		case r.tokens(s)+1 <= tokens:
			return s
		case len(words) > minPointWords:
			words = words[:max(minPointWords, len(words)/2)]
		case len(cites) > 1:
			cites = cites[:len(cites)/2]
		case len(words) > 1:
			words = words[:len(words)/2]
		default:
			return render(draft{}, part)
		}
	}
}

func (r *reducer) tokens(s string) int { return llm.CountTokens(r.model, s) }
