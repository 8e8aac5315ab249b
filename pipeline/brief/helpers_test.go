package brief

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
)

// seedSources loads the English renderings of the five seed articles
// (testdata/seeds: title, "key: value" metadata lines, blank line, body).
func seedSources(t testing.TB) []news.Source {
	t.Helper()
	return fixtureSources(t, "testdata/seeds", 5)
}

// fixtureSources loads the want fixtures of a folder, numbered in order.
func fixtureSources(t testing.TB, dir string, want int) []news.Source {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(paths) != want {
		t.Fatalf("fixtures in %s: %v (%d files, want %d)", dir, err, len(paths), want)
	}
	var out []news.Source
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, parseFixture(i+1, filepath.Base(p), string(b)))
	}
	return out
}

func parseFixture(n int, file, text string) news.Source {
	head, body, _ := strings.Cut(text, "\n\n")
	lines := strings.Split(head, "\n")
	s := news.Source{N: n, Stem: strings.TrimSuffix(file, ".txt"), File: file, Title: lines[0]}
	for _, l := range lines[1:] {
		k, v, _ := strings.Cut(l, ": ")
		switch k {
		case "date":
			s.Meta.Date = v
		case "author":
			s.Meta.Author = v
		case "url":
			s.Meta.URL = v
		}
	}
	s.Meta.Title = s.Title
	s.Text = strings.TrimSpace(body)
	return s
}

// paragraphs splits a source's text as a translation holds it.
func paragraphs(s news.Source) []string {
	return strings.Split(s.Text, "\n\n")
}

// wireCopy is src re-published by another site: a new headline, a few
// words changed, the last paragraph cut.
func wireCopy(src news.Source, n int) news.Source {
	ps := paragraphs(src)
	body := strings.Join(ps[:len(ps)-1], "\n\n")
	body = strings.NewReplacer("has given", "offered", "on Tuesday", "Tuesday", "sharply", "considerably",
		"observers said", "experts said").Replace(body)
	return news.Source{N: n, Stem: "wire-copy", File: "wire-copy.html", Title: "Kim receives a car from Putin", Text: body}
}

// mustCheck runs the lexical check, which cannot fail.
func mustCheck(t testing.TB, b *briefing.Briefing, srcs []news.Source) {
	t.Helper()
	if err := Check(context.Background(), b, srcs, CheckOptions{}); err != nil {
		t.Fatal(err)
	}
}

// citedSources counts the sources some claim of b cites, before any check.
func citedSources(b briefing.Briefing) int {
	cited := map[int]bool{}
	for _, c := range b.Claims() {
		for _, n := range *c.Cites {
			cited[n] = true
		}
	}
	return len(cited)
}
