package cite

import (
	"context"
	"testing"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/news/newstest"
)

// seedSources loads the English renderings of the five seed articles
// (testdata/seeds).
func seedSources(t testing.TB) []news.Source {
	t.Helper()
	return newstest.Sources(t, "testdata/seeds", 5)
}

func wireCopy(src news.Source, n int) news.Source { return newstest.WireCopy(src, n) }

// mustCheck runs the lexical check, which cannot fail.
func mustCheck(t testing.TB, b *briefing.Briefing, srcs []news.Source) {
	t.Helper()
	if err := Check(context.Background(), b, srcs, CheckOptions{}); err != nil {
		t.Fatal(err)
	}
}
