// Package clean separates a scraped article from the page around it. It
// works on blocks (the non-empty lines of the decoded text) with named
// rules: each removed block is reported with the rule that removed it, so
// a user can see and argue with every decision (`depeche clean --explain`).
//
// Losing an article sentence is worse than leaving junk, so rules match
// whole blocks (a line that IS a share bar, not one that mentions
// Facebook), and the weak evidence (short link-like lines, lines repeated
// across the batch) only removes a block that sits in a boilerplate
// region, in the spirit of jusText's context-sensitive pass.
package clean

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/prefilter"
)

// Options are the user's own patterns from config.yaml. A block matching
// a Keep pattern is kept whatever the rules say; one matching a Drop
// pattern is removed with the rule "user-drop". NoBody turns the body
// finder off: the named rules alone decide (clean.body: false).
type Options struct {
	Drop, Keep []string
	NoBody     bool
}

// Removal is one removed block (or a residue cut from the end of one).
type Removal struct {
	Line int    `json:"line"` // 1-based line in the decoded text
	Text string `json:"text"`
	Rule string `json:"rule"`
}

// Result is a cleaned article.
type Result struct {
	Title      string
	Paragraphs []string  // article body, title excluded
	Meta       news.Meta // what the text says (bylines, stamps, URLs) under the hint
	Removed    []Removal
	Sections   []Section // the body's boundaries and the sections removed whole
	Lang       string    // lang.Detect over the kept text
}

// Cleaner applies the rules. It holds no state that changes while
// cleaning, so one Cleaner serves many goroutines.
type Cleaner struct {
	drop, keep []prefilter.Regexp
	chrome     *Chrome
	noBody     bool
	weights    *[nFeat]float64 // the learned scorer's; nil: the hand-set score
}

// New compiles the user's patterns; chrome may be nil.
func New(opt Options, chrome *Chrome) (*Cleaner, error) {
	c := &Cleaner{chrome: chrome, noBody: opt.NoBody, weights: &learnedWeights}
	for _, p := range opt.Drop {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("clean.drop pattern %q: %w", p, err)
		}
		c.drop = append(c.drop, prefilter.New(re))
	}
	for _, p := range opt.Keep {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("clean.keep pattern %q: %w", p, err)
		}
		c.keep = append(c.keep, prefilter.New(re))
	}
	return c, nil
}

// block is one non-empty line of the text on its way through the rules.
type block struct {
	line   int
	text   string // what is kept when the block is
	rule   string // why it is removed; "" while kept
	author string // the name a byline block gave
	signed tri    // whether bylineRe matched the block's match form, when known
	kept   bool   // a user keep pattern matched: no rule applies
	title  bool

	// lang.Counts of counted, which text was when they were taken:
	// language is decided twice over mostly the same blocks
	counted       string
	fr, en, words int
}

// counts returns lang.Counts(b.text), counting only when the text changed.
func (b *block) counts() (fr, en, words int) {
	if b.counted != b.text { // "" counts as nothing: the zero value
		b.fr, b.en, b.words = lang.Counts(b.text)
		b.counted = b.text
	}
	return b.fr, b.en, b.words
}

// Clean cleans one decoded text. format is "text", "markdown" or "html"
// (HTML arrives already turned into text by package ingest); hint is the
// metadata the page itself declared, which wins over what the text says.
func (c *Cleaner) Clean(text, format string, hint news.Meta) Result {
	var res Result
	var mf metaFinder
	bs, guess := c.prepare(text, format, hint, &res, &mf)
	if !c.noBody {
		c.findBody(bs, &res, guess)
	}
	for i := range bs {
		if bs[i].title {
			res.Title = bs[i].text
		}
	}
	c.finish(bs, hint, &res, &mf)
	return res
}

// prepare cuts the text into blocks and applies what comes before the body
// finder: the user's patterns, the named rules, the title's guess, the
// duplicates and the link-like runs between removed blocks.
func (c *Cleaner) prepare(text, format string, hint news.Meta, res *Result, mf *metaFinder) ([]block, titleGuess) {
	bs := c.split(text, format, res, mf)
	french := detectKept(bs, 4000) != lang.English
	// strong rules: each decides alone
	for i := range bs {
		if b := &bs[i]; !b.kept && b.rule == "" {
			c.strip(b, res)
		}
	}
	forms := matchForms(bs)
	for i := range bs {
		if b := &bs[i]; !b.kept && b.rule == "" {
			b.rule, b.author, b.signed = c.rule(b.text, forms[i], i < 6 || i >= len(bs)-4, french)
		}
	}
	boxes(bs)
	guess := c.pickTitle(bs, hint, res)
	seen := map[string]bool{}
	for i := range bs {
		b := &bs[i]
		if len(b.text) < 40 {
			continue // never a duplicate, nor the first of one
		}
		if !b.kept && b.rule == "" && seen[b.text] {
			b.rule = "duplicate"
		}
		seen[b.text] = true
	}
	c.neighbours(bs)
	readAlsoLinks(bs)
	arrowLinks(bs)
	return bs, guess
}

// finish writes the decisions on the blocks into the result: the
// removals, the kept paragraphs, the metadata, the language.
func (c *Cleaner) finish(bs []block, hint news.Meta, res *Result, mf *metaFinder) {
	n := 0
	for i := range bs {
		if bs[i].rule != "" {
			n++
		}
	}
	res.Removed = slices.Grow(res.Removed, n) // grown once, not by doubling
	for i := range bs {
		if b := &bs[i]; b.rule != "" {
			res.Removed = append(res.Removed, Removal{Line: b.line, Text: b.text, Rule: b.rule})
			mf.removed(b.rule, b.text, b.author, b.signed)
		}
	}
	res.Paragraphs = unwrap(bs)
	sortRemovals(res.Removed)
	res.Meta = merge(hint, mf.found)
	if res.Title == "" {
		res.Title = res.Meta.Title
	}
	if res.Meta.Title == "" {
		res.Meta.Title = res.Title
	}
	// the title and the paragraphs, joined by line breaks: counts add up
	// over blocks, and a paragraph is its blocks joined by spaces
	fr, en, n := lang.Counts(res.Title)
	for i := range bs {
		if bs[i].rule == "" && !bs[i].title {
			f, e, w := bs[i].counts()
			fr, en, n = fr+f, en+e, n+w
		}
	}
	res.Lang = lang.DetectCounts(fr, en, n)
}

// split cuts the text into blocks, applying Markdown syntax removal and
// the user's patterns, which come before every rule.
func (c *Cleaner) split(text, format string, res *Result, mf *metaFinder) []block {
	lines := strings.Split(text, "\n")
	start := 0
	if format == "markdown" {
		n, title, date, author, url := frontMatter(lines)
		for i := 0; i < n; i++ {
			if t := strings.TrimSpace(lines[i]); t != "" {
				res.Removed = append(res.Removed, Removal{Line: i + 1, Text: t, Rule: "front-matter"})
			}
		}
		mf.found = news.Meta{Title: title, Date: date, Author: author, URL: url}
		start = n
	}
	// one allocation of the right size: a block is a hundred bytes, and
	// growing the slice by doubling allocated twice the final size
	n := 0
	for _, l := range lines[start:] {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	bs := make([]block, 0, n)
	for i := start; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" {
			continue
		}
		b := block{line: i + 1, text: t}
		if c.match(c.keep, t) {
			b.kept = true
		} else if c.match(c.drop, t) {
			b.rule = "user-drop"
		}
		if format == "markdown" {
			md, images, markup := markdown(t)
			for _, img := range images {
				res.Removed = append(res.Removed, Removal{Line: i + 1, Text: img, Rule: "image"})
			}
			if markup || md == "" {
				if markup {
					res.Removed = append(res.Removed, Removal{Line: i + 1, Text: t, Rule: "markup"})
				}
				continue
			}
			b.text = md
			if !b.kept && b.rule == "" && c.match(c.keep, md) {
				b.kept = true
			}
		}
		bs = append(bs, b)
	}
	return bs
}

func (c *Cleaner) match(res []prefilter.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// strip cuts the residues glued to the end of a block ("…fin. fr-01").
func (c *Cleaner) strip(b *block, res *Result) {
	for changed := true; changed; {
		changed = false
		// a block ending like a sentence has nothing glued to it
		if r, _ := utf8.DecodeLastRuneInString(b.text); strings.ContainsRune(".!»…\")", r) {
			return
		}
		// residues are short: match the tail only, on a rune boundary
		off := max(0, len(b.text)-120)
		for off > 0 && !utf8.RuneStart(b.text[off]) {
			off--
		}
		tail := b.text[off:]
		// every residue follows a sentence end and ends the block
		if !strings.ContainsAny(tail, glueEnd) {
			return
		}
		last, _ := utf8.DecodeLastRuneInString(b.text)
		var buf [512]byte
		var folded []byte
		for _, t := range trailing {
			if !t.re.MayEnd(last) {
				continue
			}
			if folded == nil {
				folded = prefilter.Fold(buf[:0], tail)
			}
			if !t.re.Needs(folded) {
				continue
			}
			m := t.re.FindStringSubmatchIndex(tail)
			if m == nil {
				continue
			}
			cut := tail[m[4]:m[5]]
			rest := strings.TrimSpace(b.text[:off+m[3]])
			if rest == "" || rest == tail[m[2]:m[3]] {
				continue // the whole block: the line rules name it
			}
			res.Removed = append(res.Removed, Removal{Line: b.line, Text: cut, Rule: t.name})
			b.text, changed = rest, true
		}
	}
}

// rule returns the name of the first strong rule that removes a block, and
// the author when it is a byline; m is matchForm(text).
func (c *Cleaner) rule(text, m string, near, french bool) (name, author string, signed tri) {
	var l prefilter.Line
	l.Reset(m)
	for i := range rules {
		if rules[i].match(&l) {
			return rules[i].name, "", unknown
		}
	}
	if len(m) <= 300 {
		var buf [512]byte
		lm := appendLower(buf[:0], m)
		for _, p := range phrases {
			if len(m) > p.max || !bytes.Contains(lm, p.common) {
				continue
			}
			for _, h := range p.has {
				if bytes.Contains(lm, h) {
					return p.name, "", unknown
				}
			}
		}
	}
	if readAlsoAfter(m) {
		return "read-also", "", unknown
	}
	if menuLine(m) {
		return "navigation", "", unknown
	}
	if french && englishAltText(m) {
		return "alt-text-english", "", unknown
	}
	if a, ok, signed := byline(&l, near); ok {
		if c.chrome.repeated(text) && !signedBy(signed, m) {
			return "site-chrome", "", unknown // a bare name on every page is the site's
		}
		return "byline", a, signed
	}
	if a, ok := metaLine(m); ok {
		return "timestamp", a, unknown
	}
	if caption(m) || creditTail(m) {
		return "caption", "", unknown
	}
	if creditLine(m) {
		return "credit-line", "", unknown
	}
	if socialEmbed(m) {
		return "social-embed", "", unknown
	}
	return "", "", unknown
}

// detectKept is lang.Detect over the first n bytes or so of the blocks no
// rule removed, joined by line breaks.
func detectKept(bs []block, n int) string {
	fr, en, words, size := 0, 0, 0, 0
	for i := range bs {
		if size > n {
			break
		}
		if bs[i].rule == "" {
			f, e, w := bs[i].counts()
			fr, en, words = fr+f, en+e, words+w
			size += len(bs[i].text) + 1
		}
	}
	return lang.DetectCounts(fr, en, words)
}
