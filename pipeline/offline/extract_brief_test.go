package offline

import (
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/doc"
)

// fixtureSources turns fixture files into numbered briefing sources.
func fixtureSources(t testing.TB, files ...string) []doc.Source {
	t.Helper()
	x := NewExtractor(ExtractOptions{})
	var out []doc.Source
	for i, f := range files {
		tr := loadFixture(t, f)
		out = append(out, doc.Source{
			N: i + 1, Stem: tr.Stem, File: f, Title: tr.Title,
			Text: strings.Join(tr.Paragraphs, "\n\n"), Summary: x.Summarize(tr),
		})
	}
	return out
}
