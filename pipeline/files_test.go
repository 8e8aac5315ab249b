package pipeline

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/clean"
	"github.com/depeche-news/depeche/pipeline/news"
)

// Each stage reads back what the previous one wrote: the round trips must be
// exact, typography included.
func TestCleanRoundTrip(t *testing.T) {
	out := t.TempDir()
	a := news.Article{Stem: "000_x", Source: "seeds/000_x.txt", SHA256: "abc", Lang: "fr",
		Title:      "Poutine offre une voiture à son « ami spécial » Kim",
		Paragraphs: []string{"Au début, plusieurs lettres.", "« La voiture a été livrée », lit-on\u00a0: c’est un cadeau."},
		Meta:       news.Meta{Date: "2024-02-20", Author: "Jean Delaunay"}}
	rep := CleanReport{Source: a.Source, SHA256: a.SHA256, Lang: a.Lang, Title: a.Title, Meta: a.Meta,
		Paragraphs: 2, Removed: []clean.Removal{{Line: 3, Text: "fr-01", Rule: "trailing-id"}}}
	if _, err := writeClean(out, a, rep); err != nil {
		t.Fatal(err)
	}
	got, err := readClean(filepath.Join(out, dirClean, "000_x.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, a) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, a)
	}
}

func TestTranslationRoundTrip(t *testing.T) {
	tests := []news.Translation{
		{Stem: "a", Source: "in/a.txt", SHA256: "f00", Title: "Putin: a car for Kim — “special friend”",
			Paragraphs: []string{"First paragraph.", "Second: with a colon, and \"quotes\"."},
			Meta:       news.Meta{Date: "2024-06-19", Author: "AFP", URL: "https://example.org/a?b=c"},
			Stats:      news.Stats{Engine: "llm", Model: "m", Prompt: "translate-v2", Warnings: []news.Warning{{Code: "numbers_missing", Message: "24"}}}},
		{Stem: "untitled", Source: "b.txt", Paragraphs: []string{"No title here."}, Stats: news.Stats{Engine: "offline", Model: "apertium"}},
	}
	for _, tr := range tests {
		t.Run(tr.Stem, func(t *testing.T) {
			out := t.TempDir()
			if _, err := writeTranslation(out, tr, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			got, err := readTranslation(filepath.Join(out, dirTranslations, tr.Stem+".md"))
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != tr.Title || !reflect.DeepEqual(got.Paragraphs, tr.Paragraphs) || got.Source != tr.Source ||
				got.SHA256 != tr.SHA256 || got.Stats.Engine != tr.Stats.Engine || got.Stats.Model != tr.Stats.Model ||
				got.Meta.Date != tr.Meta.Date || got.Meta.Author != tr.Meta.Author || got.Meta.URL != tr.Meta.URL {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, tr)
			}
		})
	}
}

func TestOfflineTranslationIsLabelled(t *testing.T) {
	b, err := translationMarkdown(news.Translation{Title: "T", Paragraphs: []string{"p"}, Stats: news.Stats{Engine: "offline"}}, time.Now())
	if err != nil || !strings.Contains(string(b), "draft: offline machine translation") {
		t.Errorf("offline front matter lacks the draft label:\n%s", b)
	}
}

func TestShard(t *testing.T) {
	for _, tt := range []struct {
		in   string
		ok   bool
		want Shard
	}{{"3/16", true, Shard{3, 16}}, {"0/1", true, Shard{0, 1}}, {"16/16", false, Shard{}}, {"-1/4", false, Shard{}}, {"a/b", false, Shard{}}, {"3", false, Shard{}}, {"", true, Shard{}}} {
		got, err := ParseShard(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseShard(%q) = %v, %v", tt.in, got, err)
		}
	}
	// Every file lands in exactly one of n shards, and the split is fair.
	const n = 4
	counts := make([]int, n)
	for i := 0; i < 2000; i++ {
		rel := fmt.Sprintf("site-%d/article-%04d.html", i%7, i)
		owners := 0
		for s := 0; s < n; s++ {
			if (Shard{s, n}).Has(rel) {
				owners++
				counts[s]++
			}
		}
		if owners != 1 {
			t.Fatalf("%s belongs to %d shards", rel, owners)
		}
	}
	for s, c := range counts {
		if c < 400 || c > 600 {
			t.Errorf("shard %d has %d of 2000 files: unbalanced", s, c)
		}
	}
}
