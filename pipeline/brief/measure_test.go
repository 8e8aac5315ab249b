package brief

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/cite"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest/llmclient"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/news/newstest"
	"github.com/depeche-news/depeche/pipeline/support"
)

// TestCitationCatchRate measures the check against a model that cites the
// wrong article for one point in five (llmtest's swapping briefer): the
// issue's target is at least 95% of the wrong citations caught (removed,
// moved or flagged) and 98% of the correct ones kept, for both verify
// modes, whether the model copies its sources' sentences or paraphrases
// them (llmtest.Paraphrase: clauses reordered, synonyms, no articles,
// figures written another way). The development set (testdata/seeds)
// tuned the support package; two held-out sets report: testdata/heldout
// (other renderings of the development stories and one unrelated
// article) and testdata/stories (ten articles on four other events, none
// of them the development's). Every point is swapped once per shift, to
// each other article in turn, so each set gives hundreds of pairs; the
// swaps to an article of the same event, the hard ones, are also counted
// apart.
func TestCitationCatchRate(t *testing.T) {
	for _, set := range []struct {
		name, dir string
		n         int
	}{
		{"development", "testdata/seeds", 5},
		{"held-out", "testdata/heldout", 6},
		{"other-stories", "testdata/stories", 10},
	} {
		for _, mode := range []string{cite.VerifyLexical, cite.VerifyModel} {
			for _, para := range []bool{false, true} {
				writing := "verbatim"
				if para {
					writing = "paraphrase"
				}
				t.Run(set.name+"/"+mode+"/"+writing, func(t *testing.T) {
					tl := catchRate(t, set.dir, set.n, mode, para)
					t.Logf("%d of %d wrong citations caught (%.1f%%; to the same event %d of %d), %d of %d correct kept (%.1f%%); lowest coverage of a correct citation %.2f",
						tl.caught, tl.wrong, pct(tl.caught, tl.wrong), tl.caughtSame, tl.wrongSame, tl.kept, tl.right, pct(tl.kept, tl.right), tl.margin)
					for _, l := range tl.lost {
						t.Logf("correct citation lost: %s", l)
					}
					if tl.wrong < 50 || pct(tl.caught, tl.wrong) < 95 || pct(tl.kept, tl.right) < 98 {
						t.Errorf("catch %.1f%% (want ≥ 95%% of %d), keep %.1f%% (want ≥ 98%% of %d)",
							pct(tl.caught, tl.wrong), tl.wrong, pct(tl.kept, tl.right), tl.right)
					}
				})
			}
		}
	}
}

func pct(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }

// tally counts a measure's citations.
type tally struct {
	wrong, caught, right, kept int
	wrongSame, caughtSame      int      // wrong citations to an article of the same event
	lost                       []string // the correct citations the first swap lost
	margin                     float64  // the lowest coverage of a correct citation (support.Coverage is required)
}

// lowestCoverage is the lexical check's margin: the least share of a
// claim's weight that its own article holds, over the unswapped points.
func lowestCoverage(points []briefing.Point, srcs []news.Source) float64 {
	var corpus []string
	arts := map[int][]string{}
	for _, s := range srcs {
		txt := briefing.SourceText(s)
		arts[s.N] = append(arts[s.N], txt.Title)
		txt.Each(func(_ news.SentenceID, sent string) { arts[s.N] = append(arts[s.N], sent) })
		corpus = append(corpus, arts[s.N]...)
	}
	m := support.New(corpus, nil)
	low := 1.0
	for _, p := range points {
		for _, n := range p.Cites {
			low = min(low, m.Support(p.Text, arts[n]).Coverage)
		}
	}
	return low
}

// catchRate swaps every point once per shift, to each other article in
// turn, and scores the check's verdicts against the unswapped briefing.
func catchRate(t *testing.T, dir string, n int, mode string, para bool) tally {
	c, srv := llmclient.Serve(t, fakeModel())
	srcs := summarized(t, c, newstest.Sources(t, dir, n))
	srv.SetHandler(briefer(llmtest.BrieferOptions{PerFact: true, Paraphrase: para}))
	// Room for every key fact of every article as a point, so that each
	// article's claims are measured, not only the first articles'.
	wide := Options{MaxTokens: 16384}
	truth, err := Brief(context.Background(), c, srcs, wide)
	if err != nil {
		t.Fatal(err)
	}
	tl := tally{margin: lowestCoverage(truth.Points, srcs)}
	for offset := range 5 {
		for shift := 1; shift < n; shift++ {
			swap := llmtest.BrieferOptions{PerFact: true, SwapEvery: 5, SwapOffset: offset, SwapShift: shift, Paraphrase: para}
			srv.SetHandler(briefer(swap))
			b, err := Brief(context.Background(), c, srcs, wide)
			if err != nil {
				t.Fatal(err)
			}
			given := briefing.Briefing{Points: slices.Clone(b.Points)}
			for i := range given.Points {
				given.Points[i].Cites = slices.Clone(b.Points[i].Cites)
			}
			opt := cite.CheckOptions{Verify: mode, Judge: NewJudge(c, Options{})}
			if err := cite.Check(context.Background(), &b, srcs, opt); err != nil {
				t.Fatal(err)
			}
			first := len(tl.lost)
			tl.score(truth.Points, given.Points, b.Points, srcs)
			if offset != 0 || shift != 1 {
				tl.lost = tl.lost[:first]
			}
		}
	}
	return tl
}

// score compares, point by point (the same texts in the same order), the
// swapped briefing's citations before and after the check with the
// unswapped truth. A wrong citation is caught when the check removed or
// moved it, or flagged its point; a correct one is kept when it is still
// there on an unflagged point.
func (tl *tally) score(truth, given, checked []briefing.Point, srcs []news.Source) {
	after := map[string]briefing.Point{}
	for _, p := range checked {
		after[p.Text] = p
	}
	for i, g := range given {
		p, ok := after[g.Text]
		for _, n := range g.Cites {
			if slices.Contains(truth[i].Cites, n) {
				tl.right++
				if ok && p.Marked == "" && slices.Contains(p.Cites, n) {
					tl.kept++
				} else {
					tl.lost = append(tl.lost, fmt.Sprintf("[%d] %s", n, g.Text))
				}
				continue
			}
			caught := !ok || p.Marked != "" || !slices.Contains(p.Cites, n)
			tl.wrong++
			if caught {
				tl.caught++
			}
			if event(srcs[n-1]) == event(srcs[truth[i].Cites[0]-1]) {
				tl.wrongSame++
				if caught {
					tl.caughtSame++
				}
			}
		}
	}
}

// event names the event a fixture reports: testdata/stories says it in
// the file name ("04-strike-airports"); the development and held-out sets
// tell one story, but for their unrelated article.
func event(s news.Source) string {
	parts := strings.Split(s.Stem, "-")
	switch {
	case len(parts) == 3:
		return parts[1]
	case strings.Contains(s.Stem, "unrelated"):
		return "unrelated"
	}
	return "one"
}

// briefer answers every briefing stage, the check's questions included.
func briefer(opt llmtest.BrieferOptions) llmtest.Handler {
	b := llmtest.BrieferWith(opt)
	return llmtest.Router{"brief-map": b, "brief-reduce": b, "brief-verify": llmtest.Judge()}.Handle
}
