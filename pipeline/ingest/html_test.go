package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
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
			name: "a related link between paragraphs",
			page: `<html><head><title>Titre</title></head><body><article><h1>Le titre de l’article</h1><p>` + para(0) + `</p><p>` + para(1) +
				`</p><div class="widget widget--related"><a href="/autre">Les requins d’Europe : des espèces non pas dangereuses, mais en danger</a></div><p>` + para(2) + `</p><p>` + para(3) + `</p></article></body></html>`,
			first: "Le titre de l’article", last: para(3),
			not:   "Les requins d’Europe : des espèces non pas dangereuses, mais en danger",
			title: "Le titre de l’article",
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

// TestDeepNesting: pages nested far past any real page's depth are read
// in linear time (10,000 nested <div> took 44 s when the tree was built
// and handed to readability); the article text is still there. The
// deadline is generous: a regression is quadratic, tens of seconds.
func TestDeepNesting(t *testing.T) {
	article := "<h1>Le titre de l’article</h1><p>" + para(0) + "</p><p>" + para(1) + "</p>"
	cases := []struct {
		name string
		page string
		deep bool
	}{
		{"10,000 nested div", strings.Repeat("<div>", 10000) + article + strings.Repeat("</div>", 10000), true},
		{"10,000 div never closed", strings.Repeat("<div class=x>", 10000) + article, true},
		{"10,000 nested span in a section", "<section>" + strings.Repeat("<span>", 10000) + article + "</section>", true},
		{"10,000 nested table cells", strings.Repeat("<table><tr><td>", 3400) + article, true},
		{"10,000 paragraphs left open", strings.Repeat("<p>Ligne", 10000) + article, false},
		{"hidden deep subtree", `<div hidden>` + strings.Repeat("<div>", 10000) + "caché" + strings.Repeat("</div>", 10000) + `</div>` + article, true},
	}
	for _, tc := range cases {
		page := "<html><head><title>Titre</title></head><body>" + tc.page + "</body></html>"
		if got := tooDeep(page); got != tc.deep {
			t.Errorf("%s: tooDeep = %v, want %v", tc.name, got, tc.deep)
		}
		start := time.Now()
		d, err := Decode([]byte(page), "deep.html")
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("%s: %v to decode %d KB", tc.name, el, len(page)/1000)
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !strings.Contains(d.Text, para(1)) || !strings.Contains(d.Text, "Le titre de l’article") || strings.Contains(d.Text, "caché") {
			t.Errorf("%s: text %q", tc.name, shortText(d.Text))
		}
	}
}

func shortText(s string) string {
	if len(s) > 300 {
		return s[:150] + " … " + s[len(s)-150:]
	}
	return s
}

// TestFlatBlocks: read token by token, the fixture pages give the blocks
// the tree walk gives.
func TestFlatBlocks(t *testing.T) {
	for _, p := range htmlPages(t) {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		root, _ := html.Parse(strings.NewReader(string(raw)))
		tree := blocks(root)
		flat, title := flatBlocks(string(raw))
		if title == "" {
			t.Errorf("%s: no title", filepath.Base(p))
		}
		if !reflect.DeepEqual(tree, flat) {
			t.Errorf("%s: %d blocks from the tree, %d from the tokens:\n%s", filepath.Base(p), len(tree), len(flat), firstDiff(tree, flat))
		}
	}
}

func firstDiff(a, b []block) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("at %d: %+v\nvs      %+v", i, a[i], b[i])
		}
	}
	return "one is a prefix of the other"
}
