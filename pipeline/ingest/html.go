package ingest

import (
	"strings"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/news"
	readability "github.com/go-shiori/go-readability"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// minArticle is readability's own bar (CharThresholds): below it, what it
// returns is the best of failed attempts (a disclaimer, a sign-up form)
// more often than a short article.
const minArticle = 500

// extractHTML returns the main text of a page, one block per line with a
// blank line between blocks, and the page's metadata.
//
// A content extractor used alone drops article sentences on French news
// pages (go-trafilatura with default options about one in eight), so
// go-readability is used to locate the article, not to cut it: the text
// returned is every block of the page from the first block readability
// kept to the last (reaching back to the headline), which restores
// paragraphs it skipped inside the article. What this lets through inside
// the article region (share bars, "Lire aussi" links, captions) is package
// clean's job. When readability finds nothing that matches, every block of
// the page is returned and clean's rules sort it out.
//
// go-readability replaced go-trafilatura here: trafilatura's date guessing
// (go-htmldate, go-dateparser) allocated 78 MB and took 125 ms at the start
// of every depeche command, HTML or not. Located this way, readability
// gives the same text as trafilatura did on the fixture pages, and on
// trafilatura's own 983-page comparison set (mostly German) ingest+clean
// keep 82.8% of the reference snippets (trafilatura-located: 83.3%) and
// 15.2% of the boilerplate snippets (16.0%).
func extractHTML(src string) (string, news.Meta) {
	if tooDeep(src) {
		page, title := flatBlocks(src)
		return join(page), news.Meta{Title: title}
	}
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		// html.Parse only fails on reader errors; keep the text as is
		return src, news.Meta{}
	}
	page, furniture := walkBlocks(root, true)
	meta, title := pageMeta(root)
	p := readability.NewParser()
	art, err := p.ParseDocument(root, nil)
	if err != nil || art.Node == nil || art.Length < minArticle {
		// no article found: clean's rules sort the page out
		meta.Title = firstOf(meta.Title, title)
		return join(page), meta
	}
	// readability's title is the <title> without the site's name
	meta.Title = firstOf(meta.Title, art.Title, title)
	meta.Author = firstOf(meta.Author, byline(art.Byline))
	if meta.Date == "" && art.PublishedTime != nil {
		meta.Date = art.PublishedTime.Format("2006-01-02")
	}
	got := blocks(art.Node.Parent)
	first, last := region(page, furniture, got)
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
	return join(unlinked(page[first:last+1], got)), meta
}

// unlinked drops from the region the blocks that are links and that the
// extractor left out: the related headlines and the "sign in" buttons set
// between an article's paragraphs. A link the extractor kept stays.
func unlinked(region, got []block) []block {
	kept := map[string]bool{}
	for _, g := range got {
		kept[key(g.text, 0)] = true
	}
	out := make([]block, 0, len(region))
	for _, b := range region {
		if b.linked && !b.heading && !kept[key(b.text, 0)] {
			continue
		}
		out = append(out, b)
	}
	return out
}

// visibleHTML returns every block of visible text of a page, one per line
// with a blank line between blocks, as extractHTML cuts them: the lines of
// extractHTML's text are a run of these.
func visibleHTML(src string) string {
	if tooDeep(src) {
		page, _ := flatBlocks(src)
		return join(page)
	}
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return src
	}
	return join(blocks(root))
}

type block struct {
	text    string
	heading bool
	linked  bool // most of its text is link text
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
	bs, _ := walkBlocks(n, false)
	return bs
}

// walkBlocks is blocks; with furniture it also returns the block ranges
// [start, end) of the elements that are page furniture (isFurniture).
func walkBlocks(n *html.Node, furniture bool) ([]block, [][2]int) {
	var out []block
	var ranges [][2]int
	var b blockText
	inLink := 0
	flush := func() { out = b.flush(out) }
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.text.WriteString(n.Data)
			if inLink > 0 {
				b.linkBytes += len(strings.TrimSpace(n.Data))
			}
			return
		case html.ElementNode:
			if skipped[n.DataAtom] || hidden(n) {
				return
			}
			switch {
			case n.DataAtom == atom.Br || n.DataAtom == atom.Hr:
				flush()
				return
			case n.DataAtom == atom.A:
				inLink++
				defer func() { inLink-- }()
			case !inline[n.DataAtom]:
				flush()
				b.heading = n.DataAtom == atom.H1 || n.DataAtom == atom.H2
				start := len(out)
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
				flush()
				if furniture && len(out) > start && isFurniture(n) {
					ranges = append(ranges, [2]int{start, len(out)})
				}
				return
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
	return out, ranges
}

// blockText gathers the text of one block as a walk reads it.
type blockText struct {
	text      strings.Builder
	heading   bool
	linkBytes int // bytes of link text
}

// flush appends the block read so far to out, when it holds text, and
// starts the next one.
func (t *blockText) flush(out []block) []block {
	if s := squash(t.text.String()); s != "" {
		out = append(out, block{s, t.heading, t.linkBytes*2 > len(s)})
	}
	t.text.Reset()
	t.heading, t.linkBytes = false, 0
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
// text the content extractor kept, or -1, -1 when none does. Link lines
// and page furniture (menus, share bars, a newsletter box: the ranges of
// walkBlocks) that the extractor took along do not stretch the region; a
// furniture element that holds half the extracted text or more is not
// furniture but a wrapper whose class says too much ("with-sidebar").
func region(page []block, furniture [][2]int, got []block) (int, int) {
	keys := make([]string, len(page))
	for i, p := range page {
		keys[i] = key(p.text, 0)
	}
	var at []int // page indexes of the extracted blocks
	for _, g := range got {
		if g.linked {
			continue
		}
		k := key(g.text, 80)
		if len(k) < 12 {
			continue // too short to place with confidence
		}
		for i := range page {
			if strings.Contains(keys[i], k) || (len(keys[i]) >= 12 && strings.Contains(k, keys[i])) {
				if !page[i].linked {
					at = append(at, i)
				}
				break
			}
		}
	}
	if len(at) == 0 {
		return -1, -1
	}
	out := make([]bool, len(page))
	for _, r := range furniture {
		n := 0
		for _, i := range at {
			if i >= r[0] && i < r[1] {
				n++
			}
		}
		if n*2 < len(at) {
			for i := r[0]; i < r[1]; i++ {
				out[i] = true
			}
		}
	}
	first, last := -1, -1
	for _, i := range at {
		if !out[i] {
			first, last = span(first, last, i)
		}
	}
	if first < 0 {
		for _, i := range at {
			first, last = span(first, last, i)
		}
	}
	return first, last
}

func span(first, last, i int) (int, int) {
	if first < 0 || i < first {
		first = i
	}
	return first, max(last, i)
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

// furniture names, in a class or id, the parts of a page around an article
// that a content extractor may take along with it: a newsletter box
// inside <article>, share bars, related links, comments.
var furniture = []string{
	"newsletter", "share", "sharing", "social", "related", "breadcrumb",
	"cookie", "consent", "comment", "sidebar", "footer", "menu", "navigation",
	"outbrain", "taboola",
}

// isFurniture reports whether n is page furniture by its tag or by a
// class or id that names it.
func isFurniture(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Aside, atom.Footer:
		return true
	case atom.Body, atom.Html, atom.Main, atom.Article:
		return false
	}
	names := strings.ToLower(attr(n, "class") + " " + attr(n, "id"))
	if strings.TrimSpace(names) == "" {
		return false
	}
	for _, f := range furniture {
		if strings.Contains(names, f) {
			return true
		}
	}
	return false
}
