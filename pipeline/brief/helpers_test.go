package brief

import (
	"context"
	"testing"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/cite"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/news/newstest"
)

// seedSources loads the English renderings of the five seed articles
// (testdata/seeds).
func seedSources(t testing.TB) []news.Source {
	t.Helper()
	return newstest.Sources(t, "testdata/seeds", 5)
}

// mustCheck runs the lexical check, which cannot fail.
func mustCheck(t testing.TB, b *briefing.Briefing, srcs []news.Source) {
	t.Helper()
	if err := cite.Check(context.Background(), b, srcs, cite.CheckOptions{}); err != nil {
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
