package cite

import (
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/news/newstest"
)

func attributionSources() []news.Source {
	return []news.Source{
		newstest.Parse(1, "floods.txt", "Floods in Pas-de-Calais\n\n"+
			"According to the prefecture, 7,800 homes have been affected since 6 November.\n\n"+
			"The river rose to 3.45 metres on Tuesday evening.\n\n"+
			"The driver would have tried to cross a flooded road despite the barriers, investigators said."),
		newstest.Parse(2, "floods-wire.txt", "Northern France braces for more rain\n\n"+
			"The Aa reached 3.45 metres at Wizernes, a record.\n\n"+
			"Insurers have received more than 12,000 claims, according to France Assureurs."),
		newstest.Parse(3, "strike.txt", "Controllers strike\n\n"+
			"\"Controllers will not work two more years in front of radar screens at night,\" the union's secretary general, Nicolas Brunet, told Radio Alpha.\n\n"+
			"The civil aviation authority asked airlines to cancel 33% of their flights at Orly."),
	}
}

// TestCheckMarksLostAttribution: a kept claim that states as fact what
// every cited article attributes is marked, counted, rendered and traced;
// one article stating it plainly is enough; a flagged claim is not marked
// twice.
func TestCheckMarksLostAttribution(t *testing.T) {
	b := briefing.Briefing{Points: []briefing.Point{
		{Text: "7,800 homes have been affected since 6 November.", Cites: []int{1}},
		{Text: "7,800 homes have been affected since 6 November, according to the prefecture.", Cites: []int{1}},
		{Text: "The Aa rose to 3.45 metres.", Cites: []int{1, 2}},
		{Text: "Controllers will not work two more years in front of radar screens at night.", Cites: []int{3}},
		{Text: "Insurers have received 12,000 claims.", Cites: []int{2}},
		{Text: "Tokyo's Nikkei index fell 3% on Friday.", Cites: []int{3}},
	}, Timeline: []briefing.Event{{Date: "2023-11-12", Text: "The driver tried to cross a flooded road despite the barriers.", Cites: []int{1}}}}
	mustCheck(t, &b, attributionSources())
	want := []string{"according to the prefecture", "", "", "Nicolas Brunet", "according to France Assureurs", ""}
	for i, p := range b.Points {
		if (want[i] == "") != (p.Attribution == "") || !strings.Contains(p.Attribution, want[i]) {
			t.Errorf("%q: attribution %q, want %q", p.Text, p.Attribution, want[i])
		}
	}
	if !strings.Contains(b.Points[3].Attribution, "quote lost") {
		t.Errorf("a quote taken as the briefing's own words: %q", b.Points[3].Attribution)
	}
	if b.Points[5].Marked == "" {
		t.Error("the unsupported point is not flagged")
	}
	if !strings.Contains(b.Timeline[0].Attribution, "would have tried") {
		t.Errorf("timeline: %q", b.Timeline[0].Attribution)
	}
	if b.Citations.AttributionLost != 4 {
		t.Errorf("attribution_lost = %d, want 4", b.Citations.AttributionLost)
	}
	md := briefing.Markdown(b)
	if !strings.Contains(md, "[1] ⚠ (attribution lost: the source says “according to the prefecture”)") {
		t.Errorf("briefing.md does not show the lost attribution:\n%s", md)
	}
	lost := 0
	for _, tr := range briefing.Traces(&b) {
		if tr.AttributionLost {
			lost++
		}
	}
	if lost != 4 {
		t.Errorf("%d traces say attribution_lost, want 4", lost)
	}
	// Before the check, Attribution finds the same lapses for a re-ask.
	b2 := briefing.Briefing{Points: []briefing.Point{
		{Text: "7,800 homes have been affected since 6 November.", Cites: []int{1}},
		{Text: "The Aa rose to 3.45 metres.", Cites: []int{1, 2}},
	}}
	ls := Attribution(&b2, attributionSources(), nil)
	if len(ls) != 1 || ls[0].Claim != 0 || len(ls[0].Sentences) != 1 || !strings.HasPrefix(ls[0].Sentences[0], "According to the prefecture") {
		t.Errorf("lapses = %+v", ls)
	}
}
