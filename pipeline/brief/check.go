package brief

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
)

// Check verifies a briefing's citations against its sources, in place, for
// either engine: citations are checked, not trusted.
//
//   - A citation [n] with no source n is removed (Unresolved counts them).
//     Duplicate citations are removed and the rest sorted.
//   - A key point, timeline event or side left with no citation is dropped
//     (Dropped counts them).
//   - A key point whose cited source does not contain its key terms (content
//     words of four letters or more, proper nouns, numbers) is kept but
//     marked with the reason; Unsupported counts such citations. The test is
//     deliberately tolerant: it asks for a couple of shared terms, not a
//     paraphrase check, so a mark means "read this one", not "false".
//   - Sources nothing cites are listed in AlsoCovered and Citations.Uncited.
//
// Citations counts each point's citations with the members of one
// near-duplicate group (Source.Group) counted once: [2][5] of the same wire
// story are one source agreeing with itself, not two. Both numbers stay in
// the text so a reader can find either page.
//
// Check recomputes Citations from scratch; run it once per briefing.
func Check(b *briefing.Briefing, sources []news.Source) {
	byN := map[int]*news.Source{}
	for i := range sources {
		byN[sources[i].N] = &sources[i]
	}
	st := briefing.CitationStats{}
	cited := map[int]bool{}
	resolve := func(cites []int) []int {
		seen := map[int]bool{}
		out := []int{}
		for _, n := range cites {
			if byN[n] == nil {
				st.Unresolved++
				continue
			}
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
		sort.Ints(out)
		return out
	}
	count := func(cites []int) {
		groups := map[int]bool{}
		for _, n := range cites {
			cited[n] = true
			if g := byN[n].Group; g != 0 {
				if groups[g] {
					continue
				}
				groups[g] = true
			}
			st.Citations++
		}
	}

	points := []briefing.Point{}
	for _, p := range b.Points {
		p.Cites = resolve(p.Cites)
		if len(p.Cites) == 0 {
			st.Dropped++
			continue
		}
		var doubts []string
		for _, n := range p.Cites {
			if missing := unsupported(p.Text, byN[n]); missing != nil {
				st.Flagged++
				doubts = append(doubts, fmt.Sprintf("citation [%d] does not mention %s", n, strings.Join(missing, ", ")))
			}
		}
		if len(doubts) > 0 {
			p.Marked = strings.Join(doubts, "; ")
		}
		count(p.Cites)
		points = append(points, p)
	}
	b.Points = points
	st.Points = len(points)

	events := []briefing.Event{}
	for _, e := range b.Timeline {
		e.Cites = resolve(e.Cites)
		if len(e.Cites) == 0 {
			st.Dropped++
			continue
		}
		count(e.Cites)
		events = append(events, e)
	}
	b.Timeline = events

	diffs := []briefing.Difference{}
	for _, d := range b.Differences {
		sides := []briefing.Side{}
		for _, s := range d.Sides {
			s.Cites = resolve(s.Cites)
			if len(s.Cites) == 0 {
				st.Dropped++
				continue
			}
			sides = append(sides, s)
		}
		// A difference needs two sides to be one.
		if len(sides) < 2 {
			continue
		}
		for _, s := range sides {
			count(s.Cites)
		}
		d.Sides = sides
		diffs = append(diffs, d)
	}
	b.Differences = diffs

	b.AlsoCovered = []int{}
	for _, s := range sources {
		if !cited[s.N] {
			b.AlsoCovered = append(b.AlsoCovered, s.N)
		}
	}
	sort.Ints(b.AlsoCovered)
	st.CitedSources = len(sources) - len(b.AlsoCovered)
	if len(b.AlsoCovered) > 0 {
		st.Uncited = append([]int(nil), b.AlsoCovered...)
	}
	b.Citations = st
	if b.Sources == nil {
		b.Sources = []news.Source{}
	}
}

// unsupported returns up to three of the point's key terms the source does
// not contain when too few of them are there, or nil when the source
// supports the point.
func unsupported(point string, s *news.Source) []string {
	terms := keyTerms(point)
	if len(terms) == 0 {
		return nil
	}
	have := map[string]bool{}
	for _, t := range keyTerms(sourceText(s)) {
		have[t.norm] = true
	}
	var missing []string
	hits := 0
	for _, t := range terms {
		if have[t.norm] {
			hits++
		} else {
			missing = append(missing, t.word)
		}
	}
	need := 2
	if len(terms) < need {
		need = len(terms)
	}
	if third := (len(terms) + 2) / 3; third > need {
		need = third
	}
	if hits >= need {
		return nil
	}
	if len(missing) > 3 {
		missing = missing[:3]
	}
	for i, m := range missing {
		missing[i] = "“" + m + "”"
	}
	return missing
}

// sourceText is everything known about a source that a point may rest on.
func sourceText(s *news.Source) string {
	sm := s.Summary
	parts := []string{s.Title, s.Meta.Title, s.Meta.Date, sm.Headline, sm.Angle, s.Text}
	for _, l := range [][]string{sm.KeyFacts, sm.People, sm.Organizations, sm.Places, sm.Dates, sm.Figures} {
		parts = append(parts, l...)
	}
	return strings.Join(parts, "\n")
}

type term struct{ word, norm string }

// stopWords are frequent English words of four letters or more that carry
// no content.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`about above after again against also among been before being below between both
		could does doing down during each from further have having here into itself just more most much must only other
		over said same says should some such than that their them then there these they this those through under until
		very were what when where which while will with would your year years according since another however
		the and for but its his her she him they was are has had not who how why all any can did our out may
		in on at of to as by an a he it we is be or if so no`) {
		m[w] = true
	}
	return m
}()

// keyTerms returns the distinct content words, proper nouns and numbers of
// a text, with a normal form that forgives plurals and tenses: a five-letter
// prefix for words, digits only for numbers ("16,000" = "16000").
func keyTerms(text string) []term {
	seen := map[string]bool{}
	var out []term
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ',' && r != '.'
	}) {
		w = strings.Trim(w, ",.")
		rs := []rune(w)
		if len(rs) == 0 {
			continue
		}
		var norm string
		switch {
		case unicode.IsDigit(rs[0]):
			norm = strings.NewReplacer(",", "", ".", "").Replace(w)
		case unicode.IsUpper(rs[0]) && len(rs) >= 2, len(rs) >= 4:
			lw := strings.ToLower(w)
			if stopWords[lw] {
				continue
			}
			if lr := []rune(lw); len(lr) > 5 {
				lw = string(lr[:5])
			}
			norm = lw
		default:
			continue
		}
		if !seen[norm] {
			seen[norm] = true
			out = append(out, term{word: w, norm: norm})
		}
	}
	return out
}
