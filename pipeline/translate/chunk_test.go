package translate

import (
	"fmt"
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
			a:      news.Article{Paragraphs: []string{"Un deux. Trois quatre. Cinq six sept."}},
			budget: 4,
			want:   [][]string{{"Un deux. Trois quatre."}, {"Cinq six sept."}},
		},
		{
			name:   "a sentence over the budget is cut between words",
			a:      news.Article{Paragraphs: []string{"Court.", "Une phrase beaucoup trop longue pour le budget.", "Fin."}},
			budget: 3,
			want:   [][]string{{"Court."}, {"Une phrase beaucoup"}, {"trop longue pour"}, {"le budget.", "Fin."}},
		},
		{
			name:   "a sentence over the budget is cut at its commas first",
			a:      news.Article{Paragraphs: []string{"Paris, Lyon, Marseille et Lille, Nantes, Rennes et Brest, Nice."}},
			budget: 5,
			want:   [][]string{{"Paris, Lyon, Marseille et Lille,"}, {"Nantes, Rennes et Brest, Nice."}},
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

// TestPackKeepsEveryWord: at every budget, every piece is within it, no
// word is cut (every word fits), and the paragraphs rebuilt from the
// pieces are the paragraphs.
func TestPackKeepsEveryWord(t *testing.T) {
	para := "Première phrase ici. Deuxième phrase, plus longue que la première. « Une citation », a dit M. Dupont. Fin du paragraphe."
	a := news.Article{Paragraphs: []string{para, para}}
	for budget := 1; budget < 40; budget++ {
		pieces, _ := pack(articleSegments(a), budget, words)
		var rebuilt [2][]string
		for _, p := range pieces {
			if n := words(strings.Join(p.texts(), " ")); n > budget {
				t.Fatalf("budget %d: a piece of %d", budget, n)
			}
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
		{"a long paragraph between sentences first", []segment{{0, "Un deux trois. Quatre cinq six sept huit."}}, true, [][]string{{"Un deux trois."}, {"Quatre cinq six sept huit."}}},
		{"one sentence is cut", []segment{{0, "Une seule phrase sans fin"}}, true, [][]string{{"Une seule phrase"}, {"sans fin"}}},
		{"one character cannot split", []segment{{0, "x"}}, false, nil},
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

// TestCutLongSentences: sentences far over the budget are cut into parts
// within it that keep every character, at commas when there are some,
// between words when not, between characters only inside a word longer
// than the budget; and the parts are full (few requests).
func TestCutLongSentences(t *testing.T) {
	var list, line strings.Builder
	for i := 0; list.Len() < 53<<10; i++ {
		fmt.Fprintf(&list, "Jean-Pierre Martin-Durand %d, ", i)
	}
	for i := 0; line.Len() < 1<<20; i++ {
		fmt.Fprintf(&line, "mot%d ", i*7919%100003)
	}
	tests := []struct {
		name, text string
		model      string
		budget     int
		endsWith   string // every part but the last
	}{
		{"53 KB comma-separated list, OpenAI tokenizer", strings.TrimSuffix(list.String(), ", "), "gpt-4o", 1500, ","},
		{"1 MB with no sentence end, estimated tokens", line.String(), "local-model", 1700, ""},
		{"a 200 KB word", strings.Repeat("é", 100<<10), "local-model", 1700, ""},
		{"semicolons and dashes", strings.Repeat("un point ; un autre – encore un, ", 2000), "gpt-4o", 300, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			count := func(s string) int { return llm.CountTokens(tt.model, s) }
			parts := cut(tt.text, tt.budget, count)
			total := count(tt.text)
			if len(parts) < 2 || len(parts) > 2*total/tt.budget+2 {
				t.Errorf("%d parts for %d tokens at a budget of %d: too many or too few", len(parts), total, tt.budget)
			}
			for i, p := range parts {
				if n := count(p); n > tt.budget || p == "" {
					t.Fatalf("part %d: %d tokens, over the budget of %d", i, n, tt.budget)
				}
				if tt.endsWith != "" && i < len(parts)-1 && !strings.HasSuffix(p, tt.endsWith) {
					t.Errorf("part %d ends %q, not at a clause boundary", i, p[max(0, len(p)-20):])
				}
			}
			sep := " "
			if !strings.Contains(tt.text, " ") {
				sep = ""
			}
			if strings.Join(parts, sep) != strings.TrimSpace(tt.text) {
				t.Errorf("the parts do not rebuild the sentence")
			}
		})
	}
}
