package extract

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
)

// fixtureSources turns fixture files into numbered briefing sources.
func fixtureSources(t testing.TB, files ...string) []news.Source {
	t.Helper()
	x := New(Options{})
	var out []news.Source
	for i, f := range files {
		tr := loadFixture(t, f)
		out = append(out, news.Source{
			N: i + 1, Stem: tr.Stem, File: f, Title: tr.Title,
			Text: strings.Join(tr.Paragraphs, "\n\n"), Summary: x.Summarize(tr),
		})
	}
	return out
}

func allFixtures() []string {
	return append(append([]string(nil), eventFixtures...), "06-unrelated.txt")
}

func TestBriefFixtures(t *testing.T) {
	srcs := fixtureSources(t, allFixtures()...)
	b := New(Options{}).Brief(srcs, Options{})
	if b.Banner != OfflineBanner || b.Engine != "offline" || b.Model != "extractive" || b.Stats.Requests != 0 {
		t.Errorf("labels: banner %q engine %q model %q", b.Banner, b.Engine, b.Model)
	}
	if b.Title == "" || b.Overview == "" || strings.Contains(b.Overview, "[") {
		t.Errorf("title %q, overview %q", b.Title, b.Overview)
	}
	if want := fmt.Sprintf("An extractive digest of %d articles", len(srcs)); !strings.HasPrefix(b.Overview, want) {
		t.Errorf("overview %q does not say what it was made from (%q)", b.Overview, want)
	}
	repeated := 0
	for _, p := range b.Points {
		if strings.Contains(b.Overview, p.Text) {
			repeated++
		}
	}
	if repeated > 1 {
		t.Errorf("overview repeats %d key points word for word", repeated)
	}
	if len(b.Sources) != len(srcs) {
		t.Errorf("%d sources, want %d", len(b.Sources), len(srcs))
	}
	if len(b.AlsoCovered) != 0 {
		t.Errorf("uncited sources %v", b.AlsoCovered)
	}
	cited := map[int]bool{}
	for _, p := range b.Points {
		checkCites(t, p.Text, p.Cites, len(srcs))
		quoted := false
		for _, n := range p.Cites {
			cited[n] = true
			quoted = quoted || strings.Contains(srcs[n-1].Text, p.Text)
		}
		if !quoted {
			t.Errorf("point %q is not quoted from any source it cites %v", p.Text, p.Cites)
		}
		if strings.Contains(p.Text, "special personal relations") && !slices.Equal(p.Cites, []int{1, 2}) {
			t.Errorf("fact in sources 1 and 2 cites %v", p.Cites)
		}
	}
	for _, s := range srcs {
		if !cited[s.N] {
			t.Errorf("source %d is never cited", s.N)
		}
	}
	last := 0
	for _, e := range b.Timeline {
		checkCites(t, e.Text, e.Cites, len(srcs))
		w, ok := dateOf(e.Text)
		if !ok || w.label != e.Date || w.key < last {
			t.Errorf("timeline out of order or undated at %q (%s)", e.Text, e.Date)
		}
		last = w.key
	}
	if len(b.Timeline) == 0 {
		t.Error("no timeline from dated articles")
	}
	found := false
	for _, d := range b.Differences {
		for _, s := range d.Sides {
			checkCites(t, s.Claim, s.Cites, len(srcs))
		}
		if strings.Contains(d.Topic, "24 years") && strings.Contains(d.Topic, "23 years") {
			found = len(d.Sides) == 2 && slices.Equal(d.Sides[0].Cites, []int{3}) && slices.Equal(d.Sides[1].Cites, []int{5})
		}
	}
	if !found {
		t.Errorf("24 vs 23 years not among differences: %+v", b.Differences)
	}
}

func checkCites(t *testing.T, what string, cites []int, n int) {
	t.Helper()
	if len(cites) == 0 {
		t.Errorf("%q cites nothing", what)
	}
	for i, c := range cites {
		if c < 1 || c > n || i > 0 && cites[i-1] >= c {
			t.Errorf("%q: cites %v not sorted, unique and within 1..%d", what, cites, n)
		}
	}
}

// src builds a source from sentences, each its own paragraph.
func src(n, group int, sentences ...string) news.Source {
	return news.Source{N: n, Group: group, Title: fmt.Sprintf("Article %d", n), Text: strings.Join(sentences, "\n\n")}
}

const (
	factX = "The ministry confirmed that the harbour bridge will close for repairs next spring."
	factY = "The council approved a new budget for the regional hospital network after a long debate."
)

func TestBriefGroupsAreOneWitness(t *testing.T) {
	filler := []string{
		"Residents gathered in the square to discuss local traffic problems.",
		"Several shops reported strong sales during the holiday weekend.",
		"A school choir performed at the town hall on Saturday evening.",
		"Farmers said the dry summer had damaged much of the harvest.",
	}
	build := func(group int) []news.Source {
		return []news.Source{
			src(1, group, factX, filler[0]),
			src(2, group, factX, filler[1]),
			src(3, 0, factY, filler[2]),
			src(4, 0, factY, filler[3]),
		}
	}
	tests := []struct {
		name     string
		group    int
		xSupport int
		xFirst   bool
	}{
		{"independent", 0, 2, true}, // a tie: the earlier source wins
		{"same wire story", 7, 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srcs := build(tc.group)
			pool, sp := poolSentences(srcs)
			scoreCentrality(pool, sp, "")
			for _, c := range clusterPool(pool, sp) {
				switch pool[c.rep].text {
				case factX:
					if c.support != tc.xSupport || !slices.Equal(c.cites, []int{1, 2}) {
						t.Errorf("fact X: support %d cites %v, want %d [1 2]", c.support, c.cites, tc.xSupport)
					}
				case factY:
					if c.support != 2 || !slices.Equal(c.cites, []int{3, 4}) {
						t.Errorf("fact Y: support %d cites %v", c.support, c.cites)
					}
				}
			}
			b := New(Options{}).Brief(srcs, Options{})
			if len(b.Points) < 2 {
				t.Fatalf("points %+v", b.Points)
			}
			if got := b.Points[0].Text == factX; got != tc.xFirst {
				t.Errorf("first point %q, want fact X first: %v", b.Points[0].Text, tc.xFirst)
			}
			if tc.group != 0 && !reflect.DeepEqual(b.Groups, [][]int{{1, 2}}) {
				t.Errorf("groups %v", b.Groups)
			}
		})
	}
}

func TestBriefDifferingFigures(t *testing.T) {
	srcs := []news.Source{
		src(1, 0, "The United States says more than 16,000 containers of munitions have been shipped to Russia from North Korea.", "Officials in Seoul declined to comment on the report."),
		src(2, 0, "South Korea says about 10,000 containers of munitions have been shipped to Russia from North Korea.", "The shipments began in the autumn, according to the report."),
	}
	b := New(Options{}).Brief(srcs, Options{})
	if len(b.Differences) != 1 {
		t.Fatalf("differences %+v", b.Differences)
	}
	d := b.Differences[0]
	if len(d.Sides) != 2 || !strings.Contains(d.Topic, "16,000 containers") || !strings.Contains(d.Topic, "10,000 containers") {
		t.Fatalf("difference %+v", d)
	}
	for _, s := range d.Sides {
		want := []int{1}
		if strings.Contains(s.Claim, "10,000") {
			want = []int{2}
		}
		if !slices.Equal(s.Cites, want) {
			t.Errorf("side %q cites %v, want %v", s.Claim, s.Cites, want)
		}
	}
	for _, p := range b.Points {
		if len(p.Cites) > 1 {
			t.Errorf("conflicting figures merged into one point: %+v", p)
		}
	}
}

func TestBriefMaxWords(t *testing.T) {
	srcs := fixtureSources(t, allFixtures()...)
	for _, max := range []int{30, 120, 600} {
		t.Run(fmt.Sprint(max), func(t *testing.T) {
			b := New(Options{MaxWords: 5000}).Brief(srcs, Options{MaxWords: max})
			words := 0
			cited := map[int]bool{}
			for _, p := range b.Points {
				words += countWords(p.Text)
				for _, n := range p.Cites {
					cited[n] = true
				}
			}
			if words > max || len(b.Points) == 0 {
				t.Errorf("%d points of %d words, cap %d", len(b.Points), words, max)
			}
			for _, n := range b.AlsoCovered {
				cited[n] = true
			}
			if len(cited) != len(srcs) {
				t.Errorf("sources neither cited nor also covered: cited+also %v", cited)
			}
		})
	}
}

func TestBriefFocus(t *testing.T) {
	srcs := fixtureSources(t, allFixtures()...)
	has := func(b briefing.Briefing, word string) bool { return strings.Contains(b.Points[0].Text, word) }
	plain := New(Options{}).Brief(srcs, Options{})
	focused := New(Options{}).Brief(srcs, Options{Focus: "munitions containers shipped"})
	if has(plain, "containers") || !has(focused, "containers") {
		t.Errorf("first point without focus %q, with focus %q", plain.Points[0].Text, focused.Points[0].Text)
	}
	if focused.Focus != "munitions containers shipped" {
		t.Errorf("focus not recorded: %q", focused.Focus)
	}
}

func TestBriefDeterministic(t *testing.T) {
	srcs := fixtureSources(t, allFixtures()...)
	x := New(Options{})
	a, b := x.Brief(srcs, Options{}), x.Brief(srcs, Options{})
	if !reflect.DeepEqual(a, b) {
		t.Error("two runs over the same sources differ")
	}
}

func TestBriefFromSummariesOnly(t *testing.T) {
	srcs := fixtureSources(t, eventFixtures...)
	srcs[3].Text = "" // a shard that kept only the summary
	b := New(Options{}).Brief(srcs, Options{})
	for _, p := range b.Points {
		if slices.Contains(p.Cites, 4) {
			return
		}
	}
	t.Errorf("source without text never cited: %+v", b.Points)
}

func TestBriefEmpty(t *testing.T) {
	b := New(Options{}).Brief(nil, Options{})
	if b.Banner != OfflineBanner || b.Title == "" || len(b.Points) != 0 || b.Points == nil {
		t.Errorf("empty briefing %+v", b)
	}
}

// TestBriefEvidence: the extractive briefing knows its provenance exactly.
// Every citation of every claim names sentences that exist in the cited
// article, and a key point is word for word one of its evidence sentences.
func TestBriefEvidence(t *testing.T) {
	srcs := fixtureSources(t, allFixtures()...)
	b := New(Options{}).Brief(srcs, Options{})
	texts := map[int]briefing.Text{}
	for _, s := range srcs {
		texts[s.N] = briefing.SourceText(s)
	}
	for _, c := range b.Claims() {
		for _, n := range *c.Cites {
			ids := briefing.EvidenceFor(*c.Evidence, n)
			if len(ids) == 0 {
				t.Errorf("%s %q: citation [%d] has no evidence", c.Kind, *c.Text, n)
			}
			for _, id := range ids {
				if _, ok := texts[n].Sentence(id); !ok {
					t.Errorf("%s %q: [%d] %s is no sentence of the article", c.Kind, *c.Text, n, id)
				}
			}
		}
	}
	for _, p := range b.Points {
		quoted := false
		for _, e := range p.Evidence {
			for _, id := range e.Sentences {
				s, _ := texts[e.N].Sentence(id)
				quoted = quoted || s == p.Text
			}
		}
		if !quoted {
			t.Errorf("point %q is none of its evidence sentences", p.Text)
		}
	}
	sum := srcs[0].Summary
	if len(sum.FactSentences) != len(sum.KeyFacts) {
		t.Fatalf("%d key facts, %d sentence lists", len(sum.KeyFacts), len(sum.FactSentences))
	}
	for i, f := range sum.KeyFacts {
		if s, _ := texts[1].Sentence(sum.FactSentences[i][0]); s != f {
			t.Errorf("key fact %q: its sentence %s is %q", f, sum.FactSentences[i][0], s)
		}
	}
}
