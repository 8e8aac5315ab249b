package ingest

import (
	"strings"
	"testing"
)

// para is an article paragraph long enough for readability to score, its
// beginning distinct from the others' (blocks are placed by it).
func para(n int) string {
	return "Paragraphe " + string(rune('A'+n)) + ". " +
		strings.TrimSpace(strings.Repeat("Le ministre a confirmé jeudi que les négociations reprendraient la semaine prochaine à Genève. ", 2))
}

// TestExtractHTML: the region readability locates is cut back from page
// furniture at its edges (a newsletter box, a post navigation), is not cut
// when the furniture-like class belongs to a wrapper of the whole article,
// and the metadata comes from the page's declarations.
func TestExtractHTML(t *testing.T) {
	body := "<p>" + para(0) + "</p><p>" + para(1) + "</p><p>" + para(2) + "</p><p>" + para(3) + "</p>"
	cases := []struct {
		name, page  string
		first, last string // the first and last lines of the text
		not         string // a line that must not be in the text
		title       string
		author      string
	}{
		{
			name: "newsletter box inside the article",
			page: `<html><head><title>Titre | Le Site</title></head><body><nav><a href="/">Accueil</a> <a href="/monde">Monde du jour</a></nav>
<article><h1>Le titre de l’article</h1><div class="byline">Par Jeanne Martin</div>` + body + `
<div class="newsletter-box"><p>Recevez chaque matin l’essentiel de l’actualité internationale dans votre boîte mail</p></div></article>
<nav class="post-navigation"><h2>Navigation de l’article suivant</h2></nav></body></html>`,
			first: "Le titre de l’article", last: para(3),
			not:   "Recevez chaque matin l’essentiel de l’actualité internationale dans votre boîte mail",
			title: "Le titre de l’article", author: "Jeanne Martin",
		},
		{
			name: "wrapper named like furniture",
			page: `<html><head><meta property="og:title" content="Titre déclaré"><meta name="author" content="Paul Durand"></head><body>
<div class="layout-with-sidebar"><h1>Le titre visible</h1>` + body + `
<div class="newsletter"><p>Recevez chaque matin l’essentiel de l’actualité internationale dans votre boîte mail</p></div></div><footer><p>© 2024 Le Site. Tous droits réservés, reproduction interdite sans autorisation.</p></footer></body></html>`,
			first: "Le titre visible", last: para(3),
			not:   "Recevez chaque matin l’essentiel de l’actualité internationale dans votre boîte mail",
			title: "Titre déclaré", author: "Paul Durand",
		},
		{
			name:  "no article: every block",
			page:  `<html><head><title>Court</title></head><body><p>Une seule ligne.</p><p>Et une autre.</p></body></html>`,
			first: "Une seule ligne.", last: "Et une autre.",
			title: "Court",
		},
	}
	for _, tc := range cases {
		text, meta := extractHTML(tc.page)
		lines := strings.Split(text, "\n\n")
		if lines[0] != tc.first || lines[len(lines)-1] != tc.last {
			t.Errorf("%s: text runs from %q to %q, want %q to %q", tc.name, lines[0], lines[len(lines)-1], tc.first, tc.last)
		}
		if tc.not != "" && strings.Contains(text, tc.not) {
			t.Errorf("%s: text holds %q", tc.name, tc.not)
		}
		if meta.Title != tc.title || meta.Author != tc.author {
			t.Errorf("%s: title %q author %q, want %q %q", tc.name, meta.Title, meta.Author, tc.title, tc.author)
		}
	}
}
