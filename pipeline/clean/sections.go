package clean

// Sections, not lines: the body's boundaries, the comment thread that
// follows an article, the menus above it and the lists of related
// headlines below it, each decided once and reported as one decision with
// its rule and line range.

import (
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
	Lines int    `json:"lines"` // the blocks it decided: the body's kept, a section's removed
	Named int    `json:"named"` // the blocks in its range that named rules removed before
	Why   string `json:"why"`   // the evidence, in words
}

// count sets a section's Lines and Named from the blocks in bs[from:to+1]
// as they end up: the body's are those it keeps, a removed section's
// those that carry its rule.
func (s *Section) count(bs []block, from, to int) {
	s.Lines, s.Named = 0, 0
	for i := from; i <= to; i++ {
		switch r := bs[i].rule; {
		case s.Rule == "body" && r == "", r == s.Rule:
			s.Lines++
		case r != "":
			s.Named++
		}
	}
}

// findBody finds the article's body and removes what lies outside it. It
// does nothing on a text in which no run of blocks reads like an article:
// when unsure, keep.
func (c *Cleaner) findBody(bs []block, res *Result, guess titleGuess) {
	fs := c.blockFeats(bs)
	scores := make([]float64, len(bs))
	for i := range bs {
		switch b := &bs[i]; {
		case b.kept:
			scores[i] = 1
		case b.rule != "":
			scores[i] = removedScore(b.rule)
		default:
			scores[i] = c.score(bs, fs, i)
		}
	}
	// the comment thread is the first that follows an article
	cut, why := len(bs), ""
	from, to, prose, sum := -1, -1, 0, 0.0
	for _, cc := range append(c.commentCuts(bs, fs), commentCut{len(bs), ""}) {
		from, to, prose, sum = c.run(bs, fs, scores[:cc.at])
		if article(prose, sum) {
			cut, why = cc.at, cc.why
			break
		}
	}
	if !article(prose, sum) {
		return // no article here: the rules alone decide
	}
	to = c.tail(bs, fs, to, cut)
	for next := c.reach(bs, fs, to, cut); next > to; next = c.reach(bs, fs, to, cut) {
		to = c.tail(bs, fs, next, cut)
	}
	to = c.authorBox(bs, from, to)
	to = c.truncated(bs, from, to, cut)
	// the body is the best run, reaching back over the headline and the
	// standfirst above it
	t := c.headline(bs, fs, from, guess)
	first := from
	switch {
	case t >= 0 && t < first:
		first = t
	case t > first && guess.hinted && t == guess.at && t <= to:
		first = t // the page's declared headline starts the article: a disclaimer above it is not the article's
	}
	c.nearestCopies(bs, first, to)
	for i := first + 1; i < to; i++ {
		// an English title inside the article is a work's, not a picture's
		if b := &bs[i]; b.rule == "alt-text-english" && englishTitle(b.text) {
			b.rule = ""
		}
	}
	body := len(res.Sections)
	res.Sections = append(res.Sections, Section{Rule: "body", From: bs[first].line, To: bs[to].line,
		Why: fmt.Sprintf("best-scoring run of blocks (score %.0f, %d prose blocks)", sum, prose)})
	// the article's head, from the headline to its first paragraph (past
	// the standfirst): its short lines with something to say (a score, a
	// verdict, a subhead) stay; bare labels, bylines, lines of names and
	// prompts go
	c.contents(bs, first, to)
	end := c.headEnd(bs, fs, first, from, to)
	c.gadgets(bs, first, end)
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
		for i := cut; i < len(bs); i++ {
			if b := &bs[i]; b.rule == "" && !b.kept && !b.title {
				b.rule = "comment-section"
			}
		}
		sec := Section{Rule: "comment-section", From: bs[cut].line, To: bs[len(bs)-1].line, Why: "opened by " + why + ", runs to the end of the page"}
		sec.count(bs, cut, len(bs)-1)
		res.Sections = append(res.Sections, sec)
	} else {
		c.removeRuns(bs, fs, to+1, len(bs), res, "below the body")
	}
	res.Sections[body].count(bs, first, to)
	slices.SortStableFunc(res.Sections, func(a, b Section) int { return a.From - b.From })
}

// truncatedRe is a paywall's notice that the article stops here.
var truncatedRe = prefilter.MustCompile(`(?i)il vous reste \d|la suite (?:de cet article )?est r[ée]serv[ée]e|cet article est r[ée]serv[ée] aux abonn[ée]s|` +
	`(?:pour )?(?:lire|d[ée]couvrir) la suite|continuez (?:[àa] lire|la lecture)|d[ée]bloquez (?:cet|l')article|the rest of this article`)

// truncated returns where the body ends when a paywall cuts the article:
// right above the paywall's notice ("Il vous reste 63 % à découvrir"),
// what follows being its prompt, and reaching the line just above it,
// which is the first words of the paragraph it cut. It returns to when no
// notice stands within the body or just after it.
func (c *Cleaner) truncated(bs []block, from, to, cut int) int {
	for k := from + 1; k < cut && k <= to+3; k++ {
		if bs[k].rule != "paywall" || !truncatedRe.MatchString(bs[k].text) {
			continue
		}
		end := k - 1
		for end > from && bs[end].rule != "" {
			end--
		}
		if end <= to {
			return end
		}
		for j := to + 1; j < end; j++ {
			if bs[j].rule != "" && removedScore(bs[j].rule) < -1 {
				return to // a page's furniture stands between
			}
		}
		return end
	}
	return to
}

// authorBox trims an author's box from the end of the run: the name a
// byline above the article gave (or a name alone on its line there), and the few lines about that
// person under it ("Patrick Gagnon" / "Patrick Gagnon couvre la politique
// municipale depuis 2008."). It returns where the run then ends.
func (c *Cleaner) authorBox(bs []block, from, to int) int {
	short := false // a line that may be a name: most runs end on a paragraph
	for k := to; k > from && k >= to-4; k-- {
		t := bs[k].text
		short = short || bs[k].rule == "" && len(t) <= 160 && (!endsSentence(t) || strings.HasSuffix(t, ")"))
	}
	if !short {
		return to
	}
	authors := map[string]bool{}
	for i := range bs[:from] {
		switch b := &bs[i]; {
		case b.author != "":
			authors[key(b.author)] = true
		case len(b.text) <= 60 && words(b.text) >= 2 && words(b.text) <= 4 && nameRe.MatchString(matchForm(b.text)):
			authors[key(b.text)] = true // a columnist's name over the article
		}
	}
	if len(authors) == 0 {
		return to
	}
	for k := to; k > from && k >= to-4; k-- {
		b := &bs[k]
		if b.rule != "" || b.kept || !authorLine(b.text, authors) {
			continue
		}
		b.rule = "author-box"
		if n := c.nextKept(bs, k); n > k && n <= to+1 && words(bs[n].text) <= 60 {
			bs[n].rule = "author-box"
		}
		for k--; k > from && bs[k].rule != ""; k-- {
		}
		return k
	}
	return to
}

// authorLine reports a line that is an author's name, or starts with it
// in a short line that ends no sentence ("Martin Untersinger (avec Damien
// Leloup)").
func authorLine(text string, authors map[string]bool) bool {
	k := key(text)
	if authors[k] {
		return true
	}
	if words(text) > 12 || endsSentence(text) && !strings.HasSuffix(text, ")") {
		return false
	}
	for a := range authors {
		if len(a) >= 8 && strings.HasPrefix(k, a) {
			return true
		}
	}
	return false
}

// boxes removes the short sentence that a page's box holds between two of
// its named lines ("Newsletter Faits divers" / "Chaque soir, recevez
// l'essentiel…" / "Adresse e-mail"): a newsletter, a paywall, a comment
// form, a cookie banner, a share bar.
func boxes(bs []block) {
	for i := 1; i+1 < len(bs); i++ {
		b, p, n := &bs[i], &bs[i-1], &bs[i+1]
		if b.rule == "" && !b.kept && p.rule == n.rule && boxRule(p.rule) && words(b.text) <= 30 {
			b.rule = p.rule
		}
	}
}

// boxRule names the rules of a page's boxes.
func boxRule(rule string) bool {
	switch rule {
	case "newsletter", "paywall", "comment-widget", "cookie-banner", "share-bar":
		return true
	}
	return false
}

// blockFeats returns the features of the blocks no rule removed.
func (c *Cleaner) blockFeats(bs []block) []feats {
	fs := make([]feats, len(bs))
	for i := range bs {
		if bs[i].rule == "" {
			fs[i] = c.features(&bs[i])
		}
	}
	return fs
}

// run returns the best-scoring run of blocks [from, to], how many prose
// blocks no rule removed it holds and its score; from is -1 when no run
// scores above zero.
func (c *Cleaner) run(bs []block, fs []feats, scores []float64) (from, to, prose int, sum float64) {
	from, to = bestRun(scores)
	if from < 0 {
		return -1, -1, 0, 0
	}
	for i := from; i <= to; i++ {
		if bs[i].rule == "" && fs[i].prose() {
			prose++
		}
		sum += scores[i]
	}
	return from, to, prose, sum
}

// article reports whether a run of blocks reads like an article: two prose
// blocks at least, and a score that a menu's or a list's cannot reach.
func article(prose int, sum float64) bool { return prose >= 2 && sum >= 20 }

// contents removes a table of contents from the body: a run of two or
// more short lines that each stand again further down the body (as its
// subheads). The later copies stay, even those the duplicate rule had
// removed for the table's sake.
func (c *Cleaner) contents(bs []block, first, to int) {
	last := map[string]int{}
	for i := first; i <= to; i++ {
		if (bs[i].rule == "" || bs[i].rule == "duplicate") && len(bs[i].text) <= 400 && words(bs[i].text) <= 25 {
			last[bs[i].text] = i
		}
	}
	var run []int
	flush := func() {
		if len(run) >= 2 {
			for _, k := range run {
				bs[k].rule = "table-of-contents"
				if later := &bs[last[bs[k].text]]; later.rule == "duplicate" {
					later.rule = ""
				}
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
		sec := Section{Rule: kind, From: bs[i].line, To: bs[j-1].line, Why: fmt.Sprintf("%s: %d lines, %d headline-shaped, %d short", where, n, headlines, short)}
		sec.count(bs, i, j-1)
		res.Sections = append(res.Sections, sec)
		i = j
	}
}
