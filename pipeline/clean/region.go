package clean

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/depeche-news/depeche/pipeline/news"
)

// titleGuess is the headline pickTitle took before the body was found
// (at; -1 for none), whether the page declared it, and the blocks it
// removed above it. The body finder has the last word: when it takes
// another headline, it gives back what the guess removed below that one.
type titleGuess struct {
	at     int
	hinted bool
	above  []int
}

// pickTitle marks the headline: the block that matches the page's declared
// title, else the first title-like block above the body. Short blocks above
// the headline are page chrome; later copies of it are duplicates.
func (c *Cleaner) pickTitle(bs []block, hint news.Meta, res *Result) titleGuess {
	t := -1
	if hk := key(hint.Title); hk != "" {
		for i := 0; i < len(bs) && i < 12 && t < 0; i++ {
			if bs[i].rule != "" {
				continue
			}
			k := key(bs[i].text)
			if k == hk || len(k) >= 15 && strings.Contains(hk, k) || len(hk) >= 15 && strings.HasPrefix(k, hk) && len(k) <= len(hk)*3/2 {
				t = i
			}
		}
	}
	g := titleGuess{at: t, hinted: t >= 0}
	if t < 0 {
		for i := range bs {
			if bs[i].rule != "" {
				continue
			}
			if !linkish(bs[i].text) && !titleLike(bs[i].text) {
				break // the body has started
			}
			if titleLike(bs[i].text) && !strings.HasSuffix(bs[i].text, "…") {
				t = i
				break
			}
		}
	}
	if t < 0 {
		return g
	}
	g.at = t
	bs[t].title = true
	res.Title = bs[t].text
	tk := key(bs[t].text)
	for i := range bs {
		b := &bs[i]
		if b.kept || b.rule != "" || i == t {
			continue
		}
		switch {
		case i < t && linkish(b.text):
			b.rule = "boilerplate-region"
			g.above = append(g.above, i)
		case i > t && keyIs(b.text, tk):
			b.rule = "duplicate-title"
		}
	}
	return g
}

// neighbours removes the link-like blocks no rule named that sit in a
// boilerplate region: between removed blocks, or between a removed block
// and the start or end of the page. Between two article blocks, the same
// short line is a subhead, a quote or a score, and stays.
func (c *Cleaner) neighbours(bs []block) {
	cand := make([]bool, len(bs))
	good := false
	for i := range bs {
		b := &bs[i]
		cand[i] = b.rule == "" && !b.kept && !b.title && linkish(b.text)
		if b.rule == "" && !cand[i] {
			good = true
		}
	}
	if !good {
		return // nothing reads like an article: when unsure, keep
	}
	for i := 0; i < len(bs); {
		if !cand[i] {
			i++
			continue
		}
		j := i
		for j < len(bs) && cand[j] {
			j++
		}
		prevBad := i == 0 || bs[i-1].rule != ""
		nextBad := j == len(bs) || bs[j].rule != ""
		// a line alone between two of the furniture that sits inside
		// articles (a "Lire aussi", a caption, an ad) is the article's
		// subhead, more often than not
		inline := j-i == 1 && i > 0 && j < len(bs) && removedScore(bs[i-1].rule) > -1 && removedScore(bs[j].rule) > -1 &&
			titleLike(bs[i].text) && words(bs[i].text) >= 3
		if prevBad && nextBad && !inline {
			for k := i; k < j; k++ {
				switch {
				case c.chrome.repeated(bs[k].text):
					bs[k].rule = "site-chrome"
				case j-i >= 3:
					bs[k].rule = "link-run"
				default:
					bs[k].rule = "boilerplate-region"
				}
			}
		}
		i = j
	}
}

// unwrap returns the kept body blocks as paragraphs, joining the lines of
// a hard-wrapped paragraph: a line that stops mid-sentence, followed on the
// very next line by one that starts in lower case.
func unwrap(bs []block) []string {
	var out []string
	prev := -1
	for i := range bs {
		b := &bs[i]
		if b.rule != "" || b.title {
			prev = -1
			continue
		}
		if prev >= 0 && bs[prev].line == b.line-1 && !endsSentence(bs[prev].text) && startsLower(b.text) {
			out[len(out)-1] += " " + b.text
		} else {
			out = append(out, b.text)
		}
		prev = i
	}
	return out
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

func sortRemovals(rs []Removal) {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Line < rs[j].Line })
}

// Explain lists the body's boundaries and the sections removed whole, each
// with its line range and evidence, then the removed blocks, one a line,
// with the rule that removed each: what `depeche clean --explain` prints.
func (r Result) Explain() string {
	var b strings.Builder
	for _, s := range r.Sections {
		verb := "removed"
		if s.Rule == "body" {
			verb = "kept"
		}
		named := ""
		if s.Named > 0 {
			named = fmt.Sprintf("; %d more removed by named rules", s.Named)
		}
		fmt.Fprintf(&b, "lines %d-%d  %s %s (%d blocks%s): %s\n", s.From, s.To, s.Rule, verb, s.Lines, named, s.Why)
	}
	if len(r.Removed) == 0 {
		return b.String() + "nothing removed\n"
	}
	w := 0
	for _, x := range r.Removed {
		w = max(w, len(x.Rule))
	}
	for _, x := range r.Removed {
		fmt.Fprintf(&b, "%5d  %-*s  %s\n", x.Line, w, x.Rule, shorten(x.Text, 100))
	}
	return b.String()
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n-1]) + "…"
}
