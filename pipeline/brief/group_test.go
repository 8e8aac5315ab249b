package brief

import (
	"reflect"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/doc"
)

func TestGroup(t *testing.T) {
	seeds := seedSources(t)
	withCopy := append(append([]doc.Source(nil), seeds...), wireCopy(seeds[1], 6))
	bySummary := []doc.Source{
		{N: 1, Summary: doc.Summary{Headline: "Putin gives Kim Jong Un a Russian-made car", KeyFacts: []string{"The gift was reported by KCNA on Tuesday.", "Observers say it may breach UN sanctions on luxury goods."}}},
		{N: 2, Summary: doc.Summary{Headline: "Putin gives Kim Jong Un a Russian-made car", KeyFacts: []string{"The gift was reported by KCNA on Tuesday.", "Observers say it may breach UN sanctions on luxury goods."}}},
		{N: 3, Summary: doc.Summary{Headline: "Kim wishes Putin a happy 72nd birthday", KeyFacts: []string{"The letter calls Putin his closest comrade."}}},
	}
	tests := []struct {
		name    string
		sources []doc.Source
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
	vocab := strings.Fields(seedSources(b)[1].Text)
	x := uint64(1)
	var srcs []doc.Source
	for i := 0; i < 1000; i++ {
		var w []string
		for j := 0; j < 600; j++ {
			x = splitmix(x)
			w = append(w, vocab[x%uint64(len(vocab))])
		}
		s := doc.Source{N: i + 1, Text: strings.Join(w, " ")}
		if i%10 == 9 {
			s.Text = srcs[i-5].Text + " with an added line"
		}
		srcs = append(srcs, s)
	}
	for b.Loop() {
		if g := Group(srcs); len(g) != 100 {
			b.Fatalf("%d groups, want 100", len(g))
		}
	}
}
