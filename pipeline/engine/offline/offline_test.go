package offline

import (
	"context"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/apertium"
	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/news"
)

// The file-level cache keys on Identity: it must change with the glossary
// and differ between stages, and the engine costs no tokens.
func TestIdentity(t *testing.T) {
	ph, err := apertium.LoadPhrases("")
	if err != nil {
		t.Fatal(err)
	}
	a := &Engine{gl: glossary.New(nil), phrases: ph, dict: "nodict"}
	b := &Engine{gl: glossary.New([]glossary.Entry{{French: "Élysée", English: "Élysée Palace"}}), phrases: ph, dict: "nodict"}
	if a.Identity(news.StageTranslate) == b.Identity(news.StageTranslate) {
		t.Error("another glossary kept the translate identity")
	}
	if a.Identity(news.StageTranslate) == a.Identity(news.StageSummarize) {
		t.Error("two stages share an identity")
	}
	if r, n := a.Estimate(news.Article{Paragraphs: []string{"Un paragraphe."}}); r != 0 || n != 0 {
		t.Errorf("Estimate = %d requests, %d tokens; want none", r, n)
	}
	if a.Name() != news.EngineOffline || a.Model(news.StageTranslate) != TranslateModel || a.Model(news.StageBrief) != ExtractModel {
		t.Errorf("name %q, models %q, %q", a.Name(), a.Model(news.StageTranslate), a.Model(news.StageBrief))
	}
}

// The whole engine on one article: translated, summarized, briefed with
// citations, every result labelled offline.
func TestEngine(t *testing.T) {
	if err := apertium.Available(""); err != nil {
		t.Skipf("apertium unavailable: %v", err)
	}
	e, err := New(Config{Glossary: glossary.New(nil), Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	a := news.Article{Stem: "a", Title: "Le marché de Lyon rouvre", Lang: "fr", Paragraphs: []string{
		"Le marché couvert a rouvert ses portes samedi matin, après trois mois de travaux.",
		"Les commerçants ont retrouvé leurs étals sous une halle entièrement repeinte.",
	}}
	tr, err := e.Translate(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Paragraphs) != 2 || tr.Stats.Engine != news.EngineOffline || strings.Contains(tr.Paragraphs[0], "marché") {
		t.Fatalf("translation %+v", tr)
	}
	s, err := e.Summarize(ctx, tr)
	if err != nil || s.Stem != "a" || len(s.KeyFacts) == 0 {
		t.Fatalf("summary %+v, %v", s, err)
	}
	b, err := e.Brief(ctx, []news.Source{{N: 1, Stem: "a", Title: tr.Title, Summary: s, Text: strings.Join(tr.Paragraphs, "\n\n")}}, news.BriefOptions{MaxWords: 200})
	if err != nil {
		t.Fatal(err)
	}
	if b.Stats.Engine != news.EngineOffline || len(b.Points) == 0 || len(b.Points[0].Cites) == 0 {
		t.Errorf("briefing %+v", b)
	}
}
