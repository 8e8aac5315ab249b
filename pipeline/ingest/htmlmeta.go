package ingest

import (
	"encoding/json"
	"strings"

	"github.com/depeche-news/depeche/pipeline/news"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta reads what the page says about itself in <meta>, <link
// rel=canonical> and JSON-LD, which state the title, canonical URL and
// publication date more reliably than a guess from the body. The title is
// the declared one, else the page's only <h1> (its visible headline);
// title is the page's <title>, which often carries the site's name.
func pageMeta(root *html.Node) (m news.Meta, title string) {
	var h1 []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if title == "" && n.FirstChild != nil {
					title = squash(n.FirstChild.Data)
				}
			case atom.H1:
				h1 = append(h1, join(blocks(n)))
				return
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
	if len(h1) == 1 && !strings.Contains(h1[0], "\n") {
		m.Title = firstOf(m.Title, h1[0])
	}
	return m, title
}

// byline is an author line without its "Par" or "By".
func byline(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"par ", "by "} {
		if len(s) > len(p) && strings.EqualFold(s[:len(p)], p) {
			return strings.TrimSpace(s[len(p):])
		}
	}
	return s
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
func ld(src string, m *news.Meta) {
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
