package story

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/news"
)

// pseudoName makes a capitalised word of its own for k: the names of a
// generated story, shared with no other.
func pseudoName(k int) string {
	syl := []string{"ka", "lo", "mi", "ra", "tu", "ve", "zo", "ni", "pe", "su", "do", "ge"}
	var b strings.Builder
	for x := k + 12; x > 0; x /= len(syl) {
		b.WriteString(syl[x%len(syl)])
	}
	w := b.String()
	return strings.ToUpper(w[:1]) + w[1:] + "ov"
}

// TestBigStoryIsOneStory: a story told by a quarter of the pile shares its
// names with too many articles for cluster's postings, which leave out the
// words of more than maxShare of the units, and cluster alone finds it in
// pieces. consolidate must give it back whole, and leave the small stories
// around it as they were.
func TestBigStoryIsOneStory(t *testing.T) {
	filler := strings.Fields("the officials said on that day a new report would follow after several weeks of talks between the parties while observers noted growing concern about costs delays and the response of local residents")
	rng := rand.New(rand.NewPCG(1, 2))
	sentence := func(names ...string) string {
		ws := slices.Clone(names)
		for range 12 {
			ws = append(ws, filler[rng.IntN(len(filler))])
		}
		rng.Shuffle(len(ws)-1, func(i, j int) { ws[i+1], ws[j+1] = ws[j+1], ws[i+1] })
		return strings.Join(ws, " ") + "."
	}
	var srcs []news.Source
	label := map[int]int{}
	add := func(story int, names []string) {
		n := len(srcs) + 1
		var body []string
		for range 4 {
			body = append(body, sentence(names[rng.IntN(len(names))], names[rng.IntN(len(names))]))
		}
		srcs = append(srcs, article(n, fmt.Sprintf("2025-03-%02d", 1+story%20), sentence(names[0], names[1]), body...))
		label[n] = story
	}
	big := []string{pseudoName(0), pseudoName(1), pseudoName(2), pseudoName(3)}
	for range 300 {
		add(0, big)
	}
	for k := 1; k <= 90; k++ {
		names := []string{pseudoName(10 * k), pseudoName(10*k + 1), pseudoName(10*k + 2)}
		for range 10 {
			add(k, names)
		}
	}
	rng.Shuffle(len(srcs), func(i, j int) { srcs[i], srcs[j] = srcs[j], srcs[i] })

	units := unitsOf(srcs)
	f := newFeatures(srcs, units, nil)
	pieces := f.cluster(DefaultThreshold)
	got := Group(srcs, Options{})
	var truth, found []string
	storyOf := map[int]int{}
	for i, st := range got {
		for _, n := range st {
			storyOf[n] = i
		}
	}
	for _, s := range srcs {
		truth, found = append(truth, fmt.Sprint(label[s.N])), append(found, fmt.Sprint(storyOf[s.N]))
	}
	ari := AdjustedRand(truth, found)
	t.Logf("cluster alone: %d stories; with consolidate: %d stories, ARI %.3f", len(pieces), len(got), ari)
	if len(pieces) <= 91 {
		t.Fatalf("cluster alone found %d stories: the test no longer shows the fragmenting it guards", len(pieces))
	}
	if len(got[0]) != 300 {
		t.Errorf("biggest story has %d articles, want the 300 of the big story", len(got[0]))
	}
	if ari < 0.99 {
		t.Errorf("ARI %.3f, want ≥ 0.99", ari)
	}
}

// TestSumsAverage: the averages consolidate takes from sums are the mean
// pairwise similarities cluster would compute (dates aside), for the
// pairs across two groups and within one.
func TestSumsAverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var srcs []news.Source
	words := strings.Fields("Lyon Nantes strike trains SNCF budget vote mayor council river flood bridge factory union talks")
	for n := 1; n <= 9; n++ {
		var ws []string
		for range 10 {
			ws = append(ws, words[rng.IntN(len(words))])
		}
		srcs = append(srcs, article(n, "", ws[0]+" "+ws[1], strings.Join(ws, " ")+"."))
	}
	f := newFeatures(srcs, unitsOf(srcs), nil)
	pair := func(a, b int) float64 {
		return textWeight*f.text[a].Dot(f.text[b]) + entityWeight*f.names[a].Dot(f.names[b])
	}
	ga, gb := f.sumsOf([]int{0, 1, 2, 3}), f.sumsOf([]int{4, 5, 6, 7, 8})
	var across float64
	for _, a := range ga.members {
		for _, b := range gb.members {
			across += pair(a, b)
		}
	}
	across /= float64(len(ga.members) * len(gb.members))
	var within float64
	for i, a := range gb.members {
		for _, b := range gb.members[i+1:] {
			within += pair(a, b)
		}
	}
	within /= float64(len(gb.members) * (len(gb.members) - 1) / 2)
	if got := ga.avg(gb); math.Abs(got-across) > 1e-5 {
		t.Errorf("avg = %.6f, pairwise mean %.6f", got, across)
	}
	if got := gb.cohesion; math.Abs(got-within) > 1e-5 {
		t.Errorf("cohesion = %.6f, pairwise mean %.6f", got, within)
	}
}
