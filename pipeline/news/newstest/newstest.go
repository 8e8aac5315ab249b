// Package newstest reads, for a test, briefing sources from fixture files:
// a title line, "key: value" metadata lines (date, author, url), a blank
// line, then the English body in paragraphs. The briefing's tests (brief,
// cite) read them from their own testdata folders.
package newstest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/news"
)

// Sources loads the *.txt fixtures of dir, numbered 1… in file order, and
// fails the test unless there are exactly want of them.
func Sources(t testing.TB, dir string, want int) []news.Source {
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
		out = append(out, Parse(i+1, filepath.Base(p), string(b)))
	}
	return out
}

// Parse reads one fixture as source n.
func Parse(n int, file, text string) news.Source {
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

// Paragraphs splits a source's text as a translation holds it.
func Paragraphs(s news.Source) []string { return strings.Split(s.Text, "\n\n") }

// WireCopy is src re-published by another site as source n: a new
// headline, a few words changed, the last paragraph cut.
func WireCopy(src news.Source, n int) news.Source {
	ps := Paragraphs(src)
	body := strings.Join(ps[:len(ps)-1], "\n\n")
	body = strings.NewReplacer("has given", "offered", "on Tuesday", "Tuesday", "sharply", "considerably",
		"observers said", "experts said").Replace(body)
	return news.Source{N: n, Stem: "wire-copy", File: "wire-copy.html", Title: "Kim receives a car from Putin", Text: body}
}
