package translate

import (
	"testing"

	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
	"github.com/depeche-news/depeche/pipeline/news"
)

// maxPromptPerSource is issue 9's target: prompt tokens sent per source
// token, system prompt and glossary included.
const maxPromptPerSource = 1.5

// TestPromptEconomy translates the seeds with the starter glossary and the
// default context, and counts every token of every prompt sent (system
// prompt, title, glossary, markers) against the tokens of the source.
func TestPromptEconomy(t *testing.T) {
	g, err := glossary.Load("testdata/glossary.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, model := range []string{testModel, "gpt-4o-mini"} {
		t.Run(model, func(t *testing.T) {
			opt := options(t)
			opt.Glossary, opt.Model = g, model
			var sent, source, glossaryLines int
			for _, a := range seeds(t) {
				_, s, err := run(t, llmtest.Translator(), a, opt)
				if err != nil {
					t.Fatal(err)
				}
				source += sourceTokens(model, a)
				for _, c := range s.Calls() {
					for _, m := range c.Messages {
						sent += llm.CountTokens(model, m.Content)
					}
					glossaryLines += len(glossaryLine.FindAllString(c.User(), -1))
				}
			}
			ratio := float64(sent) / float64(source)
			t.Logf("%s: %d prompt tokens for %d source tokens: %.3f per source token (%d glossary lines sent)",
				model, sent, source, ratio, glossaryLines)
			if glossaryLines == 0 {
				t.Error("no glossary entry sent: the measure would not include the glossary")
			}
			if ratio > maxPromptPerSource {
				t.Errorf("prompt tokens per source token %.3f > %.1f", ratio, maxPromptPerSource)
			}
		})
	}
}

func sourceTokens(model string, a news.Article) int {
	n := llm.CountTokens(model, a.Title)
	for _, p := range a.Paragraphs {
		n += llm.CountTokens(model, p)
	}
	return n
}

func BenchmarkTranslateSeed(b *testing.B) {
	a := seeds(b)[0]
	opt := options(b)
	s := llmtest.New(b, llmtest.Translator())
	c := client(b, s)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Translate(b.Context(), c, a, opt); err != nil {
			b.Fatal(err)
		}
	}
}
