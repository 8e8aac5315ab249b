package clean

// Sections, not lines: the body's boundaries, the comment thread that
// follows an article, the menus above it and the lists of related
// headlines below it, each decided once and reported as one decision with
// its rule and line range.

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/prefilter"
)

// Section is one decision about a run of lines: the body kept, or a
// section removed whole.
type Section struct {
	Rule  string `json:"rule"`  // "body", or the rule that removed the section
	From  int    `json:"from"`  // first line, 1-based, in the decoded text
	To    int    `json:"to"`    // last line
	Lines int    `json:"lines"` // the blocks it holds
	Why   string `json:"why"`   // the evidence, in words
}

var (
	// a comment thread's heading: a count of comments or an invitation to
	// react, alone on its line
	commentHeadRe = prefilter.MustCompile(`(?i)^(?:\d+\s+)?(?:commentaires?|comments?|r[ée]actions?|r[ée]ponses?|responses?|messages)(?:\s*\(\d+\))?\s*:?$|` +
		`^(?i:\d+\s+(?:r[ée]flexions?|thoughts?|responses?|commentaires?|comments?|r[ée]actions?)\s+(?:sur|on|to|à)\b.{0,200})$|` +
		`^(?i:(?:vos|les|nos|tous les|voir les|lire les(?: \d+)?|afficher les)\s+(?:\d+\s+)?(?:r[ée]actions|commentaires|comments|avis))\b.{0,40}$|` +
		`^(?i:r[ée]agissez|r[ée]agir|laisser un commentaire|laissez un commentaire|leave a (?:reply|comment)|forum de l'article|` +
		`(?:ajouter|[ée]crire|poster|publier|d[ée]poser) un (?:commentaire|avis)|commenter cet article|donnez votre avis)\b.{0,60}$`)

	// a comment's signature: a date or a time on a short line, alone or
	// after the commenter's name
	stampRe = prefilter.MustCompile(`(?i)\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|` +
		`\b\d{1,2}(?:er)?\s+(?:janv|f[ée]vr|mars|avr|mai|juin|juil|ao[uû]t|sept|oct|nov|d[ée]c|jan|feb|mar|apr|may|jun|jul|aug|sep|dec)[a-zéû]*\.?\s+\d{4}\b|` +
		`\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2},?\s+\d{4}\b|` +
		`\bil y a\s+\d+\s*(?:s|sec|secondes?|min|minutes?|h|heures?|jours?|j|semaines?|mois|ans?)\b|\b\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago\b`)
)

// commentHead reports a block that opens a comment thread.
func commentHead(text string) bool {
	if len(text) > 300 || len(text) > 80 && endsSentence(text) {
		return false // a paragraph
	}
	if words(text) > 12 && (text[0] < '0' || text[0] > '9') {
		return false // headings are short but for "7 réflexions sur « a title »"
	}
	// every heading holds one of these stems: most lines hold none
	var buf [3 * 300]byte
	l := appendLower(buf[:0], text)
	for _, s := range headStems {
		if bytes.Contains(l, s) {
			return commentHeadRe.MatchString(matchForm(text))
		}
	}
	return false
}

// headStems are stems one of which every commentHeadRe match holds,
// lower-cased; TestCommentHeadStems holds them to the pattern.
var headStems = [][]byte{[]byte("comment"), []byte("action"), []byte("pons"), []byte("message"), []byte("flexion"),
	[]byte("thought"), []byte("agi"), []byte("reply"), []byte("forum"), []byte("avis")}

// signature reports a block that reads like a comment's signature line.
func signature(text string) bool {
	return len(text) <= 120 && strings.ContainsAny(text, "0123456789") && words(text) <= 12 && !strings.HasSuffix(text, ".") &&
		stampRe.MatchString(text)
}

// commentStart returns the index of the first block of the comment thread
// that follows the article, or len(bs) when there is none. A thread opens
// with its heading or with a run of signatures (two within a few blocks),
// and only after some prose: the count of comments under a headline, and
// the article's own byline and date, open nothing.
func (c *Cleaner) commentStart(bs []block, fs []feats) (int, string) {
	prose, lastSig := 0, -100
	for i := range bs {
		b := &bs[i]
		if b.kept {
			continue
		}
		if prose >= 2 && commentHead(b.text) {
			return i, fmt.Sprintf("heading %q", shorten(b.text, 40))
		}
		if prose >= 2 && signature(b.text) {
			if i-lastSig <= 8 {
				start := lastSig
				// the commenter's name, on the line above the first signature
				if start > 0 && bs[start-1].rule == "" && words(bs[start-1].text) <= 4 && !endsSentence(bs[start-1].text) {
					start--
				}
				return start, fmt.Sprintf("signatures %q and %q", shorten(bs[lastSig].text, 30), shorten(b.text, 30))
			}
			lastSig = i
			continue
		}
		if b.rule == "" && fs[i].prose() {
			prose++
		}
	}
	return len(bs), ""
}

// findBody finds the article's body and removes what lies outside it. It
// does nothing on a text in which no run of blocks reads like an article:
// when unsure, keep.
func (c *Cleaner) findBody(bs []block, res *Result, hinted bool) {
	fs := make([]feats, len(bs))
	scores := make([]float64, len(bs))
	for i := range bs {
		if bs[i].rule == "" {
			fs[i] = c.features(&bs[i])
		}
	}
	cut, why := c.commentStart(bs, fs)
	for i := range bs[:cut] {
		switch b := &bs[i]; {
		case b.kept:
			scores[i] = 1
		case b.rule != "":
			scores[i] = removedScore(b.rule)
		default:
			scores[i] = fs[i].score()
		}
	}
	from, to := bestRun(scores[:cut])
	if from < 0 {
		return
	}
	prose, sum := 0, 0.0
	for i := from; i <= to; i++ {
		if bs[i].rule == "" && fs[i].prose() {
			prose++
		}
		sum += scores[i]
	}
	if prose < 2 || sum < 20 {
		return // no article here: the rules alone decide
	}
	to = c.tail(bs, fs, to, cut)
	for next := c.reach(bs, fs, to, cut); next > to; next = c.reach(bs, fs, to, cut) {
		to = c.tail(bs, fs, next, cut)
	}
	// the body is the best run, reaching back over the headline and the
	// standfirst above it
	t := c.headline(bs, fs, from, hinted)
	first := from
	if t >= 0 && t < first {
		first = t
	}
	res.Sections = append(res.Sections, Section{Rule: "body", From: bs[first].line, To: bs[to].line, Lines: to - first + 1,
		Why: fmt.Sprintf("best-scoring run of blocks (score %.0f, %d prose blocks)", sum, prose)})
	// the article's head, from the headline to its first paragraph (past
	// the standfirst): its short lines with something to say (a score, a
	// verdict, a subhead) stay; bare labels, bylines, lines of names and
	// prompts go
	c.contents(bs, first, to)
	end := c.headEnd(bs, fs, first, from, to)
	for i := first; i < end; i++ {
		b := &bs[i]
		if b.rule != "" || b.kept || b.title || fs[i].prose() {
			continue
		}
		var l prefilter.Line
		l.Reset(matchForm(b.text))
		if author, ok, _ := byline(&l, true); ok {
			b.rule, b.author = "byline", author
			continue
		}
		if label(b.text) && (!c.contentFollows(bs, fs, i, to+1) || metaStrip(bs, i)) || fs[i].widget || fs[i].repeated || fs[i].names() {
			b.rule = "outside-body"
		}
	}
	c.removeRuns(bs, fs, 0, first, res, "above the body")
	if cut < len(bs) {
		c.removeRuns(bs, fs, to+1, cut, res, "between the body and the comments")
		n := 0
		for i := cut; i < len(bs); i++ {
			if b := &bs[i]; b.rule == "" && !b.kept && !b.title {
				b.rule = "comment-section"
				n++
			}
		}
		res.Sections = append(res.Sections, Section{Rule: "comment-section", From: bs[cut].line, To: bs[len(bs)-1].line,
			Lines: len(bs) - cut, Why: "opened by " + why + ", runs to the end of the page"})
	} else {
		c.removeRuns(bs, fs, to+1, len(bs), res, "below the body")
	}
	slices.SortStableFunc(res.Sections, func(a, b Section) int { return a.From - b.From })
}

// contents removes a table of contents from the body: a run of two or
// more short lines that each stand again further down the body (as its
// subheads). The later copies stay.
func (c *Cleaner) contents(bs []block, first, to int) {
	last := map[string]int{}
	for i := first; i <= to; i++ {
		if bs[i].rule == "" && words(bs[i].text) <= 15 {
			last[bs[i].text] = i
		}
	}
	var run []int
	flush := func() {
		if len(run) >= 2 {
			for _, k := range run {
				bs[k].rule = "table-of-contents"
			}
		}
		run = run[:0]
	}
	for i := first; i <= to; i++ {
		b := &bs[i]
		switch {
		case b.rule != "":
			continue
		case !b.kept && !b.title && last[b.text] > i:
			run = append(run, i)
		default:
			flush()
		}
	}
	flush()
}

// metaStrip reports a block right under the headline or under the
// article's date or byline: where a page puts its rubric ("Routes et
// mobilités"), not where an article puts a subhead.
func metaStrip(bs []block, i int) bool {
	if i == 0 {
		return false
	}
	switch p := &bs[i-1]; {
	case p.title:
		return true
	case p.rule == "timestamp" || p.rule == "byline" || p.rule == "reading-time":
		return true
	}
	return false
}

// headEnd returns the index of the article's first paragraph: the first
// prose block of the body, or the second when the first is a standfirst
// (right under the headline, with only named blocks between).
func (c *Cleaner) headEnd(bs []block, fs []feats, first, from, to int) int {
	p := c.nextProse(bs, fs, first, to)
	if p >= 0 && bs[first].title && c.onlyNamedBetween(bs, first, p) {
		p = c.nextProse(bs, fs, p, to) // p was the standfirst
	}
	if p < 0 {
		return from
	}
	return p
}

// nextProse returns the index of the first prose block after i, up to
// to, that no rule removed; -1 when there is none.
func (c *Cleaner) nextProse(bs []block, fs []feats, i, to int) int {
	for k := i + 1; k <= to; k++ {
		if bs[k].rule == "" && !bs[k].kept && fs[k].prose() {
			return k
		}
	}
	return -1
}

// nextKept returns the index of the first block after i that no rule
// removed, or -1.
func (c *Cleaner) nextKept(bs []block, i int) int {
	for k := i + 1; k < len(bs); k++ {
		if bs[k].rule == "" {
			return k
		}
	}
	return -1
}

// onlyNamedBetween reports whether every block strictly between i and j
// was removed by a rule.
func (c *Cleaner) onlyNamedBetween(bs []block, i, j int) bool {
	for k := i + 1; k < j; k++ {
		if bs[k].rule == "" {
			return false
		}
	}
	return true
}

// headline returns the index of the block that heads the body, the block
// already marked as the title when there is one near, else the nearest
// headline-like block above the body's start, within a dozen blocks; a
// prose block met on the way up is the standfirst and joins the body.
// It returns -1 when there is none.
func (c *Cleaner) headline(bs []block, fs []feats, from int, hinted bool) int {
	old := -1
	for i := range bs {
		if bs[i].title {
			old = i
			break
		}
	}
	if hinted && old >= 0 || old >= from {
		return old // the page declared it, or it is inside the body
	}
	// candidates: headline-like blocks within twenty above the body, the
	// longer and the nearer the better, and above all one with a
	// standfirst under it; a headline alone between a menu and a stamp may
	// have been taken for a link
	best, bestScore := -1, 0.0
	for i := from - 1; i >= 0 && i >= from-20; i-- {
		b := &bs[i]
		if b.kept || b.rule != "" && !weak(b.rule) || !titleLike(b.text) || words(b.text) < 3 || i != old && fs[i].prose() && b.rule == "" && !fs[i].headline {
			continue
		}
		s := float64(min(words(b.text), 12)) - 0.4*float64(from-1-i)
		if k := c.nextKept(bs, i); k >= 0 && k < from && fs[k].prose() {
			s += 6 // the standfirst
		}
		if best < 0 || s > bestScore {
			best, bestScore = i, s
		}
	}
	if best < 0 || best == old {
		return old
	}
	if old >= 0 {
		bs[old].title = false
	}
	bs[best].title, bs[best].rule = true, ""
	return best
}

// weak rules remove a short line for where it stands, not for what it says.
func weak(rule string) bool {
	return rule == "boilerplate-region" || rule == "link-run"
}

// tail extends the body past its last prose block over the short lines
// that end articles ("Et vous, qu'en pensez-vous ?", a score, a rating,
// the items of a spec sheet): they take the class of the body above them,
// up to the first block that a rule removed or that reads like furniture (a
// bare label of one to three words, a prompt to the reader, a line on every
// page of the batch).
func (c *Cleaner) tail(bs []block, fs []feats, to, cut int) int {
	for j := to + 1; j < cut && j <= to+8; j++ {
		b := &bs[j]
		if b.kept {
			continue
		}
		if c.furniture(bs, fs, j) || counter(b.text) || label(b.text) && !c.contentFollows(bs, fs, j, cut) {
			return j - 1
		}
	}
	return min(to+8, cut-1)
}

// contentFollows reports whether a line that says something (not a
// label, a counter or furniture) comes within four blocks after the label
// at j, before any furniture: the label then heads a list of the article
// ("Les plus", "Setlist", "Le programme").
func (c *Cleaner) contentFollows(bs []block, fs []feats, j, cut int) bool {
	for k := j + 1; k < cut && k <= j+4; k++ {
		switch t := bs[k].text; {
		case c.furniture(bs, fs, k) || counter(t):
			return false
		case !label(t) && (words(t) >= 3 || strings.ContainsAny(t, "0123456789") && words(t) >= 2):
			return true
		}
	}
	return false
}

// furniture reports a block that reads like a page's furniture at the
// body's end: a rule named it, or it is a prompt to the reader, a line on
// every page of the batch, a line of names, a long headline-shaped line
// (a related article), a heading that addresses the reader.
func (c *Cleaner) furniture(bs []block, fs []feats, j int) bool {
	b, f := &bs[j], fs[j]
	return b.rule != "" || f.widget || f.repeated || f.names() || f.headline && f.words >= 7 && f.stops >= 0.2 ||
		!endsSentence(b.text) && addressesReader(b.text) || teaser(b.text)
}

// reach returns the index of a paragraph of the article that follows the
// body after a short gap (a last paragraph after an inline ad, a sentence
// after a list), or to when there is none: French prose in the article's
// voice, at most six blocks on, with no furniture of a page's edges (a
// form, a footer, a banner, a menu a rule named) and no prompt between.
func (c *Cleaner) reach(bs []block, fs []feats, to, cut int) int {
	for j := to + 1; j < cut && j <= to+7; j++ {
		b := &bs[j]
		if b.kept {
			continue
		}
		if b.rule != "" {
			if removedScore(b.rule) < -1 {
				return to
			}
			continue
		}
		f := fs[j]
		if f.widget || f.repeated || addressesReader(b.text) {
			return to
		}
		if f.prose() && f.words >= 8 && f.stops >= 0.3 {
			return j
		}
	}
	return to
}

// addressesReader reports a text that speaks to the reader ("Ces articles
// peuvent vous intéresser", "Your email address…"): furniture, when it
// is not a sentence.
func addressesReader(text string) bool {
	l := " " + strings.ToLower(text) + " "
	for _, p := range []string{" vous ", "-vous ", " votre ", " vos ", " you ", " your "} {
		if strings.Contains(l, p) {
			return true
		}
	}
	return false
}

// label reports a bare label: at most three words, no digit, no sentence
// end ("Lecture en cours", "Documents joints", "Like this:").
func label(text string) bool {
	return words(text) <= 3 && !strings.ContainsAny(text, "0123456789") && !endsSentence(text) && !strings.HasSuffix(text, "?")
}

// counter reports a short line without a letter: a player's "02:34", a
// page number.
func counter(text string) bool {
	if words(text) > 3 {
		return false
	}
	for _, r := range text {
		if unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// removeRuns removes the blocks of bs[from:to] no rule removed, outside
// the body, naming each run by its shape: a menu is a run of short lines
// without sentence punctuation, a related-articles list a run of
// headline-shaped lines; the rest is "outside-body". Each run is one
// section in the report.
func (c *Cleaner) removeRuns(bs []block, fs []feats, from, to int, res *Result, where string) {
	for i := from; i < to; {
		if b := &bs[i]; b.rule != "" || b.kept || b.title {
			i++
			continue
		}
		// a run: blocks no rule named, with at most one named block between
		j, kind := i, ""
		n, headlines, short := 0, 0, 0
		for j < to && (bs[j].rule == "" || j+1 < to && bs[j+1].rule == "" && j > i) && !bs[j].kept && !bs[j].title {
			if bs[j].rule == "" {
				n++
				switch {
				case fs[j].headline:
					headlines++
				case !fs[j].prose() && fs[j].words <= 6:
					short++
				}
			}
			j++
		}
		switch {
		case n >= 2 && headlines*2 >= n && from > 0:
			kind = "related-list" // below the body; above it, the site's name and motto
		case n >= 3 && short*2 >= n:
			kind = "navigation"
		default:
			kind = "outside-body"
		}
		for k := i; k < j; k++ {
			if bs[k].rule == "" {
				bs[k].rule = kind
			}
		}
		res.Sections = append(res.Sections, Section{Rule: kind, From: bs[i].line, To: bs[j-1].line, Lines: n,
			Why: fmt.Sprintf("%s: %d lines, %d headline-shaped, %d short", where, n, headlines, short)})
		i = j
	}
}
