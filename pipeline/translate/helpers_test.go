package translate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest/llmclient"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/prompts"
)

const testModel = "fake-model"

// seeds reads the seed articles: the first block is the title, the others
// the paragraphs.
func seeds(t testing.TB) []news.Article {
	t.Helper()
	files, err := filepath.Glob("testdata/seeds/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seeds: %v", err)
	}
	var out []news.Article
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		blocks := splitNonEmpty(strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n\n"))
		stem := strings.TrimSuffix(filepath.Base(f), ".txt")
		out = append(out, news.Article{Stem: stem, Source: f, Title: blocks[0], Paragraphs: blocks[1:], Lang: "fr"})
	}
	return out
}

// short is a four-paragraph French article, one chunk at any usual budget.
func short(t testing.TB) news.Article {
	a := seeds(t)[0]
	a.Paragraphs = a.Paragraphs[1:5]
	return a
}

// client is a client of s with one retry, as the translate tests expect of
// a faulty server.
func client(t testing.TB, s *llmtest.Server) *llm.Client {
	t.Helper()
	return llmclient.New(t, s, llmclient.Model(testModel), llmclient.MaxTokens(2048), llmclient.Attempts(2))
}

func options(t testing.TB) Options {
	t.Helper()
	set, err := prompts.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return Options{ContextTokens: 4096, MaxTokens: 2048, Prompts: set, Glossary: glossary.New(nil)}
}

// run translates a through a fresh fake server answering with h.
func run(t testing.TB, h llmtest.Handler, a news.Article, opt Options) (news.Translation, *llmtest.Server, error) {
	t.Helper()
	s := llmtest.New(t, h)
	tr, err := Translate(context.Background(), client(t, s), a, opt)
	return tr, s, err
}

// expected is what the fake translator makes of an article, paragraph by
// paragraph: the reference the faulty runs must still reach.
func expected(a news.Article) (title string, paras []string) {
	for _, p := range a.Paragraphs {
		paras = append(paras, llmtest.TranslateText(strings.TrimSpace(p)))
	}
	return llmtest.TranslateText(a.Title), paras
}

// sameText compares ignoring how whitespace runs are written: a paragraph
// cut at sentences comes back joined by single spaces.
func sameText(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

func assertComplete(t *testing.T, a news.Article, tr news.Translation) {
	t.Helper()
	title, paras := expected(a)
	if len(tr.Paragraphs) != len(a.Paragraphs) {
		t.Fatalf("%d paragraphs, want %d", len(tr.Paragraphs), len(a.Paragraphs))
	}
	if !sameText(tr.Title, title) {
		t.Errorf("title = %q, want %q", tr.Title, title)
	}
	for i := range paras {
		if !sameText(tr.Paragraphs[i], paras[i]) {
			t.Errorf("paragraph %d = %q\nwant %q", i+1, tr.Paragraphs[i], paras[i])
		}
	}
}

func warningCodes(s news.Stats) map[string]int {
	m := map[string]int{}
	for _, w := range s.Warnings {
		m[string(w.Code)]++
	}
	return m
}

// nth answers the first n translate calls with bad(call, good reply) and
// the rest like the fake translator.
func nth(n int, bad func(c llmtest.Call, good llmtest.Reply) llmtest.Reply) llmtest.Handler {
	good := llmtest.Translator()
	var mu sync.Mutex
	seen := 0
	return func(c llmtest.Call) llmtest.Reply {
		mu.Lock()
		seen++
		k := seen
		mu.Unlock()
		if k <= n {
			return bad(c, good(c))
		}
		return good(c)
	}
}

// always answers every call with bad(call, good reply).
func always(bad func(c llmtest.Call, good llmtest.Reply) llmtest.Reply) llmtest.Handler {
	return nth(1<<30, bad)
}

// document returns the text between the <document> markers of a call.
func documentOf(c llmtest.Call) string {
	_, rest, _ := strings.Cut(c.User(), "<document>\n")
	text, _, _ := strings.Cut(rest, "\n</document>")
	return text
}
