package ingest

import (
	"encoding/json"
	"strings"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/doc"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// extractHTML returns the main text of a page, one block per line with a
// blank line between blocks, and the page's metadata.
//
// go-trafilatura alone drops about one article sentence in eight on French
// news pages, so it is used to locate the article, not to cut it: the text
// returned is every block of the page from the first block trafilatura kept
// to the last (reaching back to the headline), which restores paragraphs it
// skipped inside the article. What this lets through inside the article
// region (share bars, "Lire aussi" links, captions) is package clean's job.
// When trafilatura finds nothing that matches, every block of the page is
// returned and clean's rules sort it out.
func extractHTML(src string) (string, doc.Meta) {
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		// html.Parse only fails on reader errors; keep the text as is
		return src, doc.Meta{}
	}
	page := blocks(root)
	meta := pageMeta(root)
	res, err := trafilatura.ExtractDocument(root, trafilatura.Options{
		Focus:           trafilatura.FavorRecall,
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Fast,
	})
	if err != nil || res == nil {
		return join(page), meta
	}
	m := res.Metadata
	meta = doc.Meta{
		Title:  firstOf(m.Title, meta.Title),
		Author: firstOf(m.Author, meta.Author),
		URL:    firstOf(meta.URL, m.URL),
		Date:   meta.Date,
	}
	if meta.Date == "" && !m.Date.IsZero() {
		meta.Date = m.Date.Format("2006-01-02")
	}
	first, last := region(page, blocks(res.ContentNode))
	if first < 0 {
		return join(page), meta
	}
	// reach back to the headline: the byline and date under it are metadata
	for i := first - 1; i >= 0 && i >= first-12; i-- {
		if page[i].heading {
			first = i
			break
		}
	}
	return join(page[first : last+1]), meta
}

// visibleHTML returns every block of visible text of a page, one per line
// with a blank line between blocks, as extractHTML cuts them: the lines of
// extractHTML's text are a run of these.
func visibleHTML(src string) string {
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return src
	}
	return join(blocks(root))
}

type block struct {
	text    string
	heading bool
}

// skipped elements carry no readable text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Head: true, atom.Select: true, atom.Textarea: true,
	atom.Iframe: true, atom.Object: true, atom.Canvas: true, atom.Math: true,
}

// inline elements do not break a block.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true,
	atom.Cite: true, atom.Code: true, atom.Data: true, atom.Dfn: true, atom.Em: true,
	atom.I: true, atom.Kbd: true, atom.Mark: true, atom.Q: true, atom.S: true,
	atom.Samp: true, atom.Small: true, atom.Span: true, atom.Strong: true,
	atom.Sub: true, atom.Sup: true, atom.Time: true, atom.U: true, atom.Var: true,
	atom.Font: true, atom.Label: true, atom.Del: true, atom.Ins: true, atom.Wbr: true,
	atom.Img: true, atom.Picture: true, atom.Source: true,
}

// blocks walks n and returns its text as blocks: each block-level element
// (and each <br>) ends one.
func blocks(n *html.Node) []block {
	var out []block
	var b strings.Builder
	heading := false
	flush := func() {
		if t := squash(b.String()); t != "" {
			out = append(out, block{t, heading})
		}
		b.Reset()
		heading = false
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipped[n.DataAtom] || hidden(n) {
				return
			}
			if n.DataAtom == atom.Br || n.DataAtom == atom.Hr {
				flush()
				return
			}
			if !inline[n.DataAtom] {
				flush()
				defer flush()
				switch n.DataAtom {
				case atom.H1, atom.H2:
					heading = true
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	if n != nil {
		walk(n)
	}
	flush()
	return out
}

// hidden elements are not shown to readers of the page.
func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			return a.Val == "true"
		case "style":
			s := strings.ReplaceAll(strings.ToLower(a.Val), " ", "")
			return strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden")
		}
	}
	return false
}

// squash collapses runs of HTML white space (not U+00A0 or U+202F, which
// are French typography) into one space.
func squash(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func join(bs []block) string {
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = b.text
	}
	return strings.Join(parts, "\n\n")
}

// region returns the indexes of the first and last page blocks that hold
// text trafilatura extracted, or -1, -1 when none does.
func region(page, got []block) (int, int) {
	first, last := -1, -1
	keys := make([]string, len(page))
	for i, p := range page {
		keys[i] = key(p.text, 0)
	}
	for _, g := range got {
		k := key(g.text, 80)
		if len(k) < 12 {
			continue // too short to place with confidence
		}
		for i := range page {
			if strings.Contains(keys[i], k) || (len(keys[i]) >= 12 && strings.Contains(k, keys[i])) {
				if first < 0 || i < first {
					first = i
				}
				if i > last {
					last = i
				}
				break
			}
		}
	}
	return first, last
}

// key is a comparable form of a text: lower-case letters and digits only,
// cut to max runes when max > 0.
func key(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			n++
			if max > 0 && n == max {
				break
			}
		}
	}
	return b.String()
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// pageMeta reads what the page says about itself in <title>, <meta>,
// <link rel=canonical> and JSON-LD; it is used when trafilatura finds
// nothing better, and for the canonical URL and publication date, which it
// states more reliably than a guess from the body.
func pageMeta(root *html.Node) doc.Meta {
	var m doc.Meta
	var title string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if title == "" && n.FirstChild != nil {
					title = squash(n.FirstChild.Data)
				}
			case atom.Meta:
				name := strings.ToLower(attr(n, "property") + attr(n, "name") + attr(n, "itemprop"))
				val := strings.TrimSpace(attr(n, "content"))
				switch name {
				case "og:title":
					m.Title = firstOf(m.Title, val)
				case "author", "article:author":
					if !strings.HasPrefix(val, "http") {
						m.Author = firstOf(m.Author, val)
					}
				case "article:published_time", "datepublished", "date", "dc.date", "pubdate":
					m.Date = firstOf(m.Date, val)
				case "og:url":
					m.URL = firstOf(m.URL, val)
				}
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") {
					m.URL = firstOf(attr(n, "href"), m.URL)
				}
			case atom.Script:
				if attr(n, "type") == "application/ld+json" && n.FirstChild != nil {
					ld(n.FirstChild.Data, &m)
				}
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	m.Title = firstOf(m.Title, title)
	return m
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// ld reads a NewsArticle's headline, datePublished and author from JSON-LD.
func ld(src string, m *doc.Meta) {
	var v struct {
		Headline      string          `json:"headline"`
		DatePublished string          `json:"datePublished"`
		Author        json.RawMessage `json:"author"`
		URL           string          `json:"url"`
	}
	if json.Unmarshal([]byte(src), &v) != nil {
		return
	}
	m.Title = firstOf(m.Title, v.Headline)
	m.Date = firstOf(m.Date, v.DatePublished)
	m.URL = firstOf(m.URL, v.URL)
	var one struct{ Name string }
	var many []struct{ Name string }
	if json.Unmarshal(v.Author, &one) == nil {
		m.Author = firstOf(m.Author, one.Name)
	} else if json.Unmarshal(v.Author, &many) == nil && len(many) > 0 {
		m.Author = firstOf(m.Author, many[0].Name)
	}
}
