package briefing

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/depeche-news/depeche/pipeline/news"
)

// pageNodes parses a page and indexes its elements by id.
func pageNodes(t testing.TB, page []byte) (*html.Node, map[string]*html.Node) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]*html.Node{}
	walk(doc, func(n *html.Node) {
		if id := attr(n, "id"); id != "" {
			if ids[id] != nil {
				t.Errorf("id %q twice", id)
			}
			ids[id] = n
		}
	})
	return doc, ids
}

func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, k string) string {
	for _, a := range n.Attr {
		if a.Key == k {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, c string) bool {
	return n != nil && strings.Contains(" "+attr(n, "class")+" ", " "+c+" ")
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return strings.TrimSpace(b.String())
}

func find(n *html.Node, class string) []*html.Node {
	var out []*html.Node
	walk(n, func(m *html.Node) {
		if hasClass(m, class) {
			out = append(out, m)
		}
	})
	return out
}

func originals() map[int]Original {
	return map[int]Original{
		1: {Title: "Poutine offre à son « ami spécial » Kim une voiture de luxe",
			Paragraphs: []string{"La voiture a été remise aux proches collaborateurs de Kim. C'était un cadeau pour son usage personnel."},
			Removed:    []Removed{{Line: 3, Text: "Facebook", Rule: "share-bar"}, {Line: 9, Text: "Laisser un commentaire", Rule: "comment-widget"}}},
		2: {Paragraphs: []string{"Kim Yo Jong et un responsable ont reçu la voiture.", "C'est une Aurus."}},
		3: {Paragraphs: []string{"Poutine a atterri à Pyongyang le 19 juin 2024."}},
	}
}

// TestHTMLStructure: every citation link opens a panel holding the English
// sentences it rests on and the French paragraph, and links to a sentence
// of the article that is highlighted; the page loads nothing from outside.
func TestHTMLStructure(t *testing.T) {
	b := checkedBriefing(t)
	page, err := HTML(b, originals())
	if err != nil {
		t.Fatal(err)
	}
	doc, ids := pageNodes(t, page)
	cites := find(doc, "cite")
	if len(cites) != 7 { // [1][2][6], [3], [3], [1], [2]
		t.Errorf("%d citation links, want 7", len(cites))
	}
	for _, a := range cites {
		panel := ids[attr(a, "data-panel")]
		if panel == nil || !hasClass(panel, "panel") || attr(panel, "hidden") == "" && !hasAttr(panel, "hidden") {
			t.Errorf("citation %s: no hidden panel %q", textOf(a), attr(a, "data-panel"))
			continue
		}
		target := ids[strings.TrimPrefix(attr(a, "href"), "#")]
		if target == nil {
			t.Errorf("citation %s: its link %s goes nowhere", textOf(a), attr(a, "href"))
		}
		if hasClass(panel, "doubt") {
			continue // the flagged point: nearest sentences, not support
		}
		if en := find(panel, "en"); len(en) == 0 || textOf(en[0]) == "" {
			t.Errorf("citation %s: no English sentence in its panel", textOf(a))
		}
		if !hasClass(target, "hl") {
			t.Errorf("citation %s: its sentence %s is not highlighted", textOf(a), attr(a, "href"))
		}
	}
	// [1] rests on p1.s2, whose French paragraph the panel shows.
	p := ids["ev1-1"]
	if fr := find(p, "fr"); len(fr) != 1 || !strings.Contains(textOf(fr[0]), "usage personnel") {
		t.Errorf("panel of [1]: French paragraph missing:\n%s", textOf(p))
	}
	if !hasClass(ids["a1-p1-s2"], "hl") || !hasClass(ids["a1-p1-s1"], "hl") || hasClass(ids["a1-p0-s1"], "hl") {
		t.Error("only the relied-on sentences of [1] are highlighted")
	}
	if hasClass(ids["a3-p1-s1"], "hl") == false {
		t.Error("the timeline's sentence of [3] is not highlighted")
	}
	var flags []string
	for _, f := range find(doc, "flag") {
		flags = append(flags, textOf(f))
	}
	if !strings.Contains(strings.Join(flags, "\n"), "⚠ attribution lost: the source says “KCNA said”") {
		t.Errorf("the side that lost its attribution is not flagged: %q", flags)
	}
	removed := find(ids["a1"], "removed")
	if len(removed) != 1 || removed[0].Data != "details" || !strings.Contains(textOf(removed[0]), "share-bar") {
		t.Error("article [1]: the cleaner's removals are not folded with their rules")
	}
	if !strings.Contains(string(page), `class="banner"`) {
		t.Error("no banner")
	}
	var external []string
	walk(doc, func(n *html.Node) {
		switch {
		case n.Data == "link", n.Data == "img", n.Data == "iframe", n.Data == "script" && attr(n, "src") != "":
			external = append(external, n.Data)
		}
	})
	if len(external) > 0 || bytes.Contains(page, []byte("url(")) || bytes.Contains(page, []byte("@import")) {
		t.Errorf("the page loads something from outside: %v", external)
	}
}

func hasAttr(n *html.Node, k string) bool {
	for _, a := range n.Attr {
		if a.Key == k {
			return true
		}
	}
	return false
}

// TestHTMLEscapes: scraped text is data; a title or URL cannot add markup
// or a script link.
func TestHTMLEscapes(t *testing.T) {
	b := checkedBriefing(t)
	b.Title = `<script>alert("x")</script>`
	b.Sources[0].Meta.URL = "javascript:alert(1)"
	b.Sources[1].Meta.URL = "https://example.org/a?b=1&c=2"
	page, err := HTML(b, originals())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(page, []byte(`<script>alert`)) || bytes.Contains(page, []byte("javascript:alert")) {
		t.Error("hostile text reached the page as markup")
	}
	if !bytes.Contains(page, []byte(`href="https://example.org/a?b=1&amp;c=2"`)) {
		t.Error("the web link of [2] is missing")
	}
}

// bigBriefing is 200 articles of 12 paragraphs and 40 key points.
func bigBriefing() (Briefing, map[int]Original) {
	var b Briefing
	orig := map[int]Original{}
	for n := 1; n <= 200; n++ {
		var en, fr []string
		for p := 1; p <= 12; p++ {
			// news sentences run about 25 words
			en = append(en, fmt.Sprintf("In town %d the council voted on Tuesday evening on plan %d, a renovation of the old tram depot that the opposition has fought for two years. "+
				"It costs %d million euros, a third of which the region pays under an agreement signed last spring with the state. "+
				"Work starts next year and should last until the end of the decade, the mayor told reporters after the vote.", n, p, n+p))
			fr = append(fr, fmt.Sprintf("Dans la ville %d, le conseil a voté mardi soir le plan %d, une rénovation de l’ancien dépôt de tramway que l’opposition combat depuis deux ans. "+
				"Il coûte %d millions d’euros, dont la région paie un tiers en vertu d’un accord signé au printemps dernier avec l’État. "+
				"Les travaux commencent l’an prochain et devraient durer jusqu’à la fin de la décennie, a déclaré le maire après le vote.", n, p, n+p))
		}
		b.Sources = append(b.Sources, news.Source{N: n, Stem: fmt.Sprintf("a%03d", n), Title: fmt.Sprintf("Town %d votes", n), Text: strings.Join(en, "\n\n")})
		orig[n] = Original{Title: fmt.Sprintf("La ville %d vote", n), Paragraphs: fr, Removed: []Removed{{Line: 2, Text: "Partager sur Facebook", Rule: "share-bar"}}}
	}
	for i := 0; i < 40; i++ {
		n := 1 + i*5
		b.Points = append(b.Points, Point{Text: fmt.Sprintf("Town %d votes on plan 1.", n), Cites: []int{n, n + 1},
			Evidence: []Evidence{{N: n, Sentences: []news.SentenceID{"p1.s1"}}, {N: n + 1, Sentences: []news.SentenceID{"p1.s1", "p1.s2"}}}})
	}
	return b, orig
}

// TestHTMLSize: the page of 200 articles stays a few megabytes (it holds
// every article twice, in French and in English, and markup of about a
// third of that: an id per sentence, a row per paragraph).
func TestHTMLSize(t *testing.T) {
	b, orig := bigBriefing()
	page, err := HTML(b, orig)
	if err != nil {
		t.Fatal(err)
	}
	size := 0
	for n, s := range b.Sources {
		size += len(s.Text) + len(strings.Join(orig[n+1].Paragraphs, ""))
	}
	if ratio := float64(len(page)) / float64(size); ratio > 1.4 {
		t.Errorf("the page is %d bytes for %d of text (%.2f×): markup outweighs the articles", len(page), size, ratio)
	}
	t.Logf("200 articles: %d KB page for %d KB of French and English text", len(page)/1024, size/1024)
}

func BenchmarkHTML200(b *testing.B) {
	br, orig := bigBriefing()
	for b.Loop() {
		page, err := HTML(br, orig)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(page)))
	}
}

// TestHTMLStoriesAndNew: a briefing told in stories has a section per
// story with a section, links to them, the other stories under Also
// covered, and the marks of what is new since the last briefing on the
// stories, their claims and the articles.
func TestHTMLStoriesAndNew(t *testing.T) {
	b := Briefing{
		Title:   "Two stories",
		Sources: []news.Source{{N: 1, Stem: "a", Text: "Putin went to Pyongyang."}, {N: 2, Stem: "b", New: true, Text: "Seoul protested."}, {N: 3, Stem: "c", New: true, Text: "Notre-Dame reopened."}},
		Points:  []Point{{Text: "Putin went to Pyongyang.", Cites: []int{1}}},
		Stories: []Story{
			{Title: "Putin in Pyongyang", Sources: []int{1, 2}, Distinct: 2, Section: true,
				Points: []Point{{Text: "Putin went to Pyongyang.", Cites: []int{1}}, {Text: "Seoul protested.", Cites: []int{2}}}},
			{Title: "Notre-Dame reopens", Sources: []int{3}, Distinct: 1},
		},
		AlsoCovered: []int{3},
	}
	MarkNew(&b, time.Date(2026, 11, 30, 18, 2, 0, 0, time.UTC))
	page, err := HTML(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, ids := pageNodes(t, page)
	story := ids["story1"]
	if story == nil || !strings.Contains(textOf(story), "Putin in Pyongyang") || !strings.Contains(textOf(story), "new Seoul protested.") {
		t.Fatalf("no section for the first story, or its new point unmarked:\n%s", page)
	}
	if ids["story2"] != nil {
		t.Error("a story without a section got one")
	}
	also := ids["h-also"]
	if also == nil || !strings.Contains(textOf(also.Parent), "new Notre-Dame reopens") {
		t.Errorf("the story without a section is not under Also covered, marked new")
	}
	if a := ids["a2"]; a == nil || !strings.Contains(textOf(a), "[2] new") {
		t.Errorf("article [2] is not marked new")
	}
	for _, want := range []string{"2 of 3 articles are new since 2026-11-30 18:02 UTC", `href="#story1"`, "1 new"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if ids["h-differ"] != nil {
		t.Error("a briefing in stories has no briefing-wide Where sources differ")
	}
}
