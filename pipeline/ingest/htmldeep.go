package ingest

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxDepth is the deepest nesting of elements the tree-based extraction
// is given. Both html.Parse (which scans its stack of open elements at each
// tag) and go-readability (which walks every node's subtree) take time
// that grows with the square of the depth: 10,000 nested <div> took 44 s.
// Real pages nest a few dozen levels; a page past maxDepth is read token by
// token instead (flatBlocks), in one linear pass, and package clean finds
// the article in its text.
const maxDepth = 512

// selfClosing are the elements whose end tag HTML lets a page leave out:
// an open one is closed by the next of its kind, so they do not deepen the
// tree and are not counted.
var selfClosing = map[atom.Atom]bool{
	atom.P: true, atom.Li: true, atom.Dt: true, atom.Dd: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Option: true, atom.Optgroup: true, atom.Thead: true, atom.Tbody: true, atom.Tfoot: true,
	atom.Colgroup: true, atom.Caption: true, atom.Rb: true, atom.Rt: true, atom.Rp: true,
	atom.Html: true, atom.Head: true, atom.Body: true,
}

// void elements have no end tag.
var void = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true, atom.Hr: true,
	atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true, atom.Source: true,
	atom.Track: true, atom.Wbr: true,
}

// tooDeep reports whether src nests elements deeper than maxDepth, as far
// as its tags tell: start tags minus end tags, without those HTML closes
// by itself. It reads the tags once and stops at the first sign.
func tooDeep(src string) bool {
	z := html.NewTokenizer(strings.NewReader(src))
	depth := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if !void[a] && !selfClosing[a] {
				if depth++; depth > maxDepth {
					return true
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if a := atom.Lookup(name); !void[a] && !selfClosing[a] && depth > 0 {
				depth--
			}
		}
	}
}

// flatBlocks returns the visible blocks of src and its <title>, read
// token by token: what walkBlocks gives from a tree, in time linear in the
// page whatever its nesting. Skipped and hidden elements are skipped to
// their end tag.
func flatBlocks(src string) (out []block, title string) {
	z := html.NewTokenizer(strings.NewReader(src))
	var b blockText
	inLink := 0
	var skip atom.Atom // the element being skipped to its end; 0: none
	skipDepth := 0     // open elements of that name inside it
	inTitle := false
	flush := func() { out = b.flush(out) }
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return out, title
		case html.TextToken:
			if inTitle {
				title = firstOf(title, squash(string(z.Text())))
				continue
			}
			if skip != 0 {
				continue
			}
			t := string(z.Text())
			b.text.WriteString(t)
			if inLink > 0 {
				b.linkBytes += len(strings.TrimSpace(t))
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Title {
				inTitle = tt == html.StartTagToken // <title> is in <head>, which is skipped
				continue
			}
			if skip != 0 {
				switch {
				case a == skip && tt == html.StartTagToken:
					skipDepth++
				case a == skip && tt == html.EndTagToken:
					if skipDepth--; skipDepth == 0 {
						skip = 0
					}
				}
				continue
			}
			if tt == html.EndTagToken {
				switch {
				case a == atom.A:
					inLink = max(0, inLink-1)
				case !inline[a]:
					flush()
				}
				continue
			}
			if (skipped[a] || hasAttr && hiddenAttrs(z)) && tt == html.StartTagToken && !void[a] {
				skip, skipDepth = a, 1
				continue
			}
			switch {
			case a == atom.Br || a == atom.Hr:
				flush()
			case a == atom.A:
				if tt == html.StartTagToken {
					inLink++
				}
			case !inline[a]:
				flush()
				b.heading = a == atom.H1 || a == atom.H2
			}
		}
	}
}

// hiddenAttrs is hidden for the tag the tokenizer is on; it reads the
// tag's attributes, so call it once per tag.
func hiddenAttrs(z *html.Tokenizer) bool {
	n := &html.Node{Type: html.ElementNode}
	for {
		k, v, more := z.TagAttr()
		n.Attr = append(n.Attr, html.Attribute{Key: string(k), Val: string(v)})
		if !more {
			return hidden(n)
		}
	}
}
