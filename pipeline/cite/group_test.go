package cite

import (
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/news"
)

func TestGroup(t *testing.T) {
	seeds := seedSources(t)
	withCopy := append(append([]news.Source(nil), seeds...), wireCopy(seeds[1], 6))
	bySummary := []news.Source{
		{N: 1, Summary: news.Summary{Headline: "Putin gives Kim Jong Un a Russian-made car", KeyFacts: []string{"The gift was reported by KCNA on Tuesday.", "Observers say it may breach UN sanctions on luxury goods."}}},
		{N: 2, Summary: news.Summary{Headline: "Putin gives Kim Jong Un a Russian-made car", KeyFacts: []string{"The gift was reported by KCNA on Tuesday.", "Observers say it may breach UN sanctions on luxury goods."}}},
		{N: 3, Summary: news.Summary{Headline: "Kim wishes Putin a happy 72nd birthday", KeyFacts: []string{"The letter calls Putin his closest comrade."}}},
	}
	tests := []struct {
		name    string
		sources []news.Source
		want    [][]int
	}{
		{"five distinct seed articles", seeds, nil},
		{"a wire copy with small edits joins its original", withCopy, [][]int{{2, 6}}},
		{"summaries only, when there is no text", bySummary, [][]int{{1, 2}}},
		{"nothing", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Group(tt.sources); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Group = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestShingleSimilarity(t *testing.T) {
	seeds := seedSources(t)
	a, b := shingles(seeds[1].Text), shingles(wireCopy(seeds[1], 6).Text)
	if !nearDuplicate(a, b) {
		t.Error("an edited wire copy is not a near-duplicate of its original")
	}
	if nearDuplicate(shingles(seeds[2].Text), shingles(seeds[4].Text)) {
		t.Error("two reports of the same event by different outlets count as duplicates")
	}
}

// BenchmarkGroup groups 1,000 distinct 600-word articles, one in ten a
// copy of another.
func BenchmarkGroup(b *testing.B) {
	srcs := syntheticSources(b, 1000)
	for b.Loop() {
		if g := Group(srcs); len(g) != 100 {
			b.Fatalf("%d groups, want 100", len(g))
		}
	}
}

// BenchmarkGroup2000 is issue 9's batch size: the bytes Group allocates
// (B/op) bound the memory it adds to a run on top of the texts the caller
// already holds.
func BenchmarkGroup2000(b *testing.B) {
	srcs := syntheticSources(b, 2000)
	b.ReportAllocs()
	for b.Loop() {
		if g := Group(srcs); len(g) != 200 {
			b.Fatalf("%d groups, want 200", len(g))
		}
	}
}

// TestGroupMemory keeps Group's own memory small: everything it allocates
// for 2,000 articles of 600 words (7.6 MB of text) is an upper bound on what
// it holds at once. Hash sets kept for every article cost about 35 MB.
func TestGroupMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("groups 2,000 articles")
	}
	srcs := syntheticSources(t, 2000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	g := Group(srcs)
	runtime.ReadMemStats(&after)
	if len(g) != 200 {
		t.Fatalf("%d groups, want 200", len(g))
	}
	const limit = 8 << 20
	if n := after.TotalAlloc - before.TotalAlloc; n > limit {
		t.Errorf("Group allocated %.1f MB for 2,000 articles; want at most %d MB", float64(n)/(1<<20), limit>>20)
	} else {
		t.Logf("Group allocated %.1f MB for 2,000 articles", float64(n)/(1<<20))
	}
}

// syntheticSources makes n distinct 600-word articles from the words of a
// seed, one in ten a copy of the article five before it with a line added.
func syntheticSources(tb testing.TB, n int) []news.Source {
	vocab := strings.Fields(seedSources(tb)[1].Text)
	x := uint64(1)
	var srcs []news.Source
	for i := 0; i < n; i++ {
		var w []string
		for j := 0; j < 600; j++ {
			x = splitmix(x)
			w = append(w, vocab[x%uint64(len(vocab))])
		}
		s := news.Source{N: i + 1, Text: strings.Join(w, " ")}
		if i%10 == 9 {
			s.Text = srcs[i-5].Text + " with an added line"
		}
		srcs = append(srcs, s)
	}
	return srcs
}
