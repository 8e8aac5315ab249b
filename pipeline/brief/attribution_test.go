package brief

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/attrib"
	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/cite"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest/llmclient"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/news/newstest"
	"github.com/depeche-news/depeche/pipeline/support"
)

// TestBriefKeepsAttribution: a model whose points state as fact what the
// articles report (the floods, the strike, the trial: "according to the
// prefecture", "…, the union said", "allegedly") is asked once to restate
// them; the check then flags none. A model that ignores the request leaves
// them flagged, counted and shown in briefing.md.
func TestBriefKeepsAttribution(t *testing.T) {
	careless := llmtest.BrieferWith(llmtest.BrieferOptions{PerFact: true, DropAttribution: true})
	ignore := func(c llmtest.Call) llmtest.Reply {
		r := llmtest.Restater()(c)
		r.Content = regexp.MustCompile(`, according to [^."]+|Reportedly, |“|”`).ReplaceAllString(r.Content, "")
		return r
	}
	for _, tt := range []struct {
		name     string
		restater llmtest.Handler
		lost     bool
	}{{"restated", llmtest.Restater(), false}, {"ignored", ignore, true}} {
		t.Run(tt.name, func(t *testing.T) {
			c, srv := llmclient.Serve(t, fakeModel())
			srcs := summarized(t, c, newstest.Sources(t, "testdata/stories", 10))
			srv.SetHandler(llmtest.Router{"brief-map": careless, "brief-reduce": careless, "brief-restate": tt.restater}.Handle)
			before := srv.Count()
			b, err := Brief(context.Background(), c, srcs, Options{MaxTokens: 16384})
			if err != nil {
				t.Fatal(err)
			}
			var stages []string
			for _, call := range srv.Calls()[before:] {
				stages = append(stages, call.Stage)
			}
			if strings.Join(stages, " ") != "brief-reduce brief-restate" {
				t.Errorf("requests %v, want the briefing's and one restate", stages)
			}
			if b.Stats.Requests != 2 {
				t.Errorf("stats = %+v", b.Stats)
			}
			if err := cite.Check(context.Background(), &b, srcs, cite.CheckOptions{}); err != nil {
				t.Fatal(err)
			}
			lost := b.Citations.AttributionLost
			md := briefing.Markdown(b)
			switch {
			case !tt.lost && lost != 0:
				t.Errorf("%d claims still lose their attribution:\n%s", lost, md)
			case tt.lost && (lost < 5 || !strings.Contains(md, "⚠ (attribution lost: the source says “according to the prefecture”)")):
				t.Errorf("%d claims flagged:\n%s", lost, md)
			}
			if !tt.lost && !strings.Contains(md, "according to the prefecture") {
				t.Errorf("the restated claims do not credit the prefecture:\n%s", md)
			}
		})
	}
}

// TestAttributionRate measures the attribution check (package attrib)
// sentence by sentence, each sentence of a set being the evidence of a
// claim made from it: paraphrased (llmtest.Paraphrase), nothing is lost,
// so a flag is false; stated as fact (llmtest.StripAttribution, whose
// patterns are written apart from attrib's), and stated as fact then
// paraphrased, a claim the stripping changed has lost its attribution,
// (claims the stripping left without half their content words, or only
// without the marks of a quote of under four words, are left out).
// Development: testdata/seeds and testdata/heldout (one story); held-out:
// testdata/stories (four other events).
func TestAttributionRate(t *testing.T) {
	unquote := strings.NewReplacer(`"`, "", "“", "", "”", "", "«", "", "»", "")
	for _, set := range []struct {
		name string
		dirs map[string]int
	}{
		{"development", map[string]int{"testdata/seeds": 5, "testdata/heldout": 6}},
		{"held-out", map[string]int{"testdata/stories": 10}},
	} {
		t.Run(set.name, func(t *testing.T) {
			var sents []string
			for dir, n := range set.dirs {
				for _, src := range newstest.Sources(t, dir, n) {
					briefing.SourceText(src).Each(func(_ news.SentenceID, s string) { sents = append(sents, s) })
				}
			}
			var kept, falseFlags, stated, flagged int
			for k, s := range sents {
				if l := attrib.Lost(s, []string{s}); l != nil {
					t.Errorf("a sentence loses its own attribution: %q: %s", s, l)
				}
				kept++
				if p := llmtest.Paraphrase(s, k); attrib.Lost(p, []string{s}) != nil {
					falseFlags++
					t.Logf("false flag: %q: %s", p, attrib.Lost(p, []string{s}))
				}
				x := llmtest.StripAttribution(s)
				if x == s || x == unquote.Replace(s) || len(support.Keys(x)) < len(support.Keys(s))/2 {
					// nothing stripped; or only the marks of a quote too
					// short to count (a title, a phrase); or the claim
					// lost its substance, not just its attribution
					continue
				}
				for _, claim := range []string{x, llmtest.Paraphrase(x, k)} {
					stated++
					if attrib.Lost(claim, []string{s}) != nil {
						flagged++
					} else {
						t.Logf("not flagged: %q (from %q)", claim, s)
					}
				}
			}
			t.Logf("%d sentences: %d of %d claims stated as fact flagged (%.1f%%); %d false flags on %d paraphrases that keep it (%.1f%%)",
				len(sents), flagged, stated, pct(flagged, stated), falseFlags, kept, pct(falseFlags, kept))
			if pct(flagged, stated) < 85 || pct(falseFlags, kept) > 2 {
				t.Errorf("%.1f%% of the claims stated as fact flagged (want ≥ 85%%), %.1f%% false flags (want ≤ 2%%)",
					pct(flagged, stated), pct(falseFlags, kept))
			}
		})
	}
}
