package translate

import (
	"slices"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
)

// words counts whitespace-separated words: a stand-in tokenizer that makes
// the expected chunks easy to see.
func words(s string) int { return len(strings.Fields(s)) }

func TestBudget(t *testing.T) {
	tests := []struct {
		name                   string
		context, max, overhead int
		want                   int
	}{
		{"4k context", 4096, 0, 300, (4096 - 300) * 10 / 22},
		{"capped by max tokens", 32768, 1000, 300, 1000 * 10 / 11},
		{"prompt leaves max tokens free", 4096, 3000, 300, 4096 - 300 - 3000},
		{"defaults of the config", 4096, 2048, 300, (4096 - 300) * 10 / 22},
		{"default context", 0, 0, 300, (DefaultContextTokens - 300) * 10 / 22},
		{"overhead beyond context", 200, 0, 300, minBudget},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Budget(tt.context, tt.max, tt.overhead); got != tt.want {
				t.Errorf("Budget(%d, %d, %d) = %d, want %d", tt.context, tt.max, tt.overhead, got, tt.want)
			}
		})
	}
}

func TestChunks(t *testing.T) {
	tests := []struct {
		name   string
		a      news.Article
		budget int
		want   [][]string
	}{
		{
			name:   "paragraphs packed up to the budget",
			a:      news.Article{Title: "Le titre", Paragraphs: []string{"un deux trois", "quatre cinq", "six sept huit neuf"}},
			budget: 5,
			want:   [][]string{{"Le titre", "un deux trois"}, {"quatre cinq"}, {"six sept huit neuf"}},
		},
		{
			name:   "long paragraph cut at sentences",
			a:      news.Article{Paragraphs: []string{"Un deux trois. Quatre cinq six. Sept huit.", "Neuf dix."}},
			budget: 5,
			want:   [][]string{{"Un deux trois."}, {"Quatre cinq six. Sept huit."}, {"Neuf dix."}},
		},
		{
			name:   "sentences of one paragraph in one chunk stay one segment",
			a:      news.Article{Paragraphs: []string{"Un deux. Trois quatre. Cinq six sept huit neuf."}},
			budget: 4,
			want:   [][]string{{"Un deux. Trois quatre."}, {"Cinq six sept huit neuf."}},
		},
		{
			name:   "sentence over the budget goes alone",
			a:      news.Article{Paragraphs: []string{"Court.", "Une phrase beaucoup trop longue pour le budget.", "Fin."}},
			budget: 3,
			want:   [][]string{{"Court."}, {"Une phrase beaucoup trop longue pour le budget."}, {"Fin."}},
		},
		{
			name:   "empty paragraphs are not sent",
			a:      news.Article{Paragraphs: []string{"Un.", "  ", "Deux."}},
			budget: 10,
			want:   [][]string{{"Un.", "Deux."}},
		},
		{
			name:   "empty article",
			a:      news.Article{},
			budget: 10,
			want:   [][]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Chunks(tt.a, tt.budget, words)
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("Chunks = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPackNeverCutsSentences(t *testing.T) {
	para := "Première phrase ici. Deuxième phrase, plus longue que la première. « Une citation », a dit M. Dupont. Fin du paragraphe."
	a := news.Article{Paragraphs: []string{para, para}}
	for budget := 1; budget < 40; budget++ {
		pieces, _ := pack(articleSegments(a), budget, words)
		var rebuilt [2][]string
		for _, p := range pieces {
			seen := map[int]bool{}
			for _, s := range p.segs {
				if seen[s.Para] {
					t.Fatalf("budget %d: paragraph %d twice in one piece", budget, s.Para)
				}
				seen[s.Para] = true
				rebuilt[s.Para] = append(rebuilt[s.Para], s.Text)
			}
		}
		for i := range rebuilt {
			if got := strings.Join(rebuilt[i], " "); got != para {
				t.Fatalf("budget %d: paragraph %d rebuilt as %q", budget, i, got)
			}
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		segs []segment
		ok   bool
		want [][]string
	}{
		{"two paragraphs", []segment{{0, "un deux"}, {1, "trois quatre"}}, true, [][]string{{"un deux"}, {"trois quatre"}}},
		{"sentences of one paragraph", []segment{{3, "Un deux. Trois quatre."}}, true, [][]string{{"Un deux."}, {"Trois quatre."}}},
		{"title stays first", []segment{{titlePara, "Titre"}, {0, "un deux trois"}}, true, [][]string{{"Titre"}, {"un deux trois"}}},
		{"one sentence cannot split", []segment{{0, "Une seule phrase sans fin"}}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := piece{segs: tt.segs}
			for _, s := range tt.segs {
				p.tokens += words(s.Text)
			}
			halves, ok := split(p, words)
			if ok != tt.ok {
				t.Fatalf("split ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			var got [][]string
			for _, h := range halves {
				got = append(got, h.texts())
			}
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("split = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestPlan: for any limits, a chunk filling its budget, its prompt and the
// answer room sent as max_tokens fit the context together (vLLM refuses
// the request otherwise), the answer room holds the chunk's English (1.1×),
// and it never asks more than the server answers at once.
func TestPlan(t *testing.T) {
	for _, tt := range []struct {
		limits   llm.Limits
		overhead int
	}{
		{llm.Limits{Context: 4096, Answer: 2048}, 400},
		{llm.Limits{Context: 1455, Answer: 2048}, 400}, // a context learned below the configured answer
		{llm.Limits{Context: 1455, Answer: 330}, 400},
		{llm.Limits{Context: 128000, Answer: 4096}, 600},
		{llm.Limits{}, 300},
	} {
		budget, answer := Plan(tt.limits, tt.overhead)
		ctx := tt.limits.Context
		if ctx == 0 {
			ctx = DefaultContextTokens
		}
		if tt.overhead+budget+answer > ctx {
			t.Errorf("%+v: chunk %d + overhead %d + answer %d pass the context", tt.limits, budget, tt.overhead, answer)
		}
		if float64(answer) < 1.1*float64(budget)-1 {
			t.Errorf("%+v: answer room %d is short of 1.1× the chunk %d", tt.limits, answer, budget)
		}
		if tt.limits.Answer > 0 && answer > tt.limits.Answer {
			t.Errorf("%+v: asks %d, more than the server answers", tt.limits, answer)
		}
	}
}
