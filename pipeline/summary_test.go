package pipeline

import (
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/news"
)

func TestSummaryMarkdown(t *testing.T) {
	s := news.Summary{Headline: "Putin gave Kim a car.", KeyFacts: []string{"KCNA reported it.", "It may breach UN sanctions."},
		People: []string{"Kim Yo Jong"}, Places: []string{"Pyongyang"}, Dates: []string{"2024-02-20: KCNA reports the gift"},
		Figures: []string{"16,000 containers"}, Angle: "Sanctions."}
	tr := news.Translation{Stem: "001_car", Source: "in/001_car.txt", Title: "Putin gives Kim Jong Un a Russian-made car"}
	tr.Meta = news.Meta{Date: "2024-02-20", URL: "https://example.org/a"}
	md := summaryMarkdown(s, tr)
	for _, want := range []string{
		"# Putin gives Kim Jong Un a Russian-made car\n\n*Source: 001_car.txt · 2024-02-20 · https://example.org/a*\n\n**Putin gave Kim a car.**",
		"## Key facts\n\n- KCNA reported it.\n- It may breach UN sanctions.\n",
		"- **People:** Kim Yo Jong\n- **Places:** Pyongyang\n",
		"## Dates\n\n- 2024-02-20: KCNA reports the gift\n",
		"## Figures\n\n- 16,000 containers\n",
		"## Angle\n\nSanctions.\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q in\n%s", want, md)
		}
	}
	if strings.Contains(md, "Organizations") {
		t.Error("empty list rendered")
	}
}
