package clean

// The article's head: the headline above the body, the standfirst under
// it, and the short lines between them and the first paragraph.

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
// (right under the headline, with only named blocks or short lines between:
// a score box, a player's controls).
func (c *Cleaner) headEnd(bs []block, fs []feats, first, from, to int) int {
	p := c.nextProse(bs, fs, first, to)
	if p >= 0 && bs[first].title && c.onlyShortBetween(bs, first, p) {
		p = c.nextProse(bs, fs, p, to) // p was the standfirst
	}
	if p < 0 {
		return from
	}
	return p
}

// gadgets removes from the article's head the runs of a player's or a
// score box's controls ("Lecture", "0:00 / 3:42", "Plein écran";
// "Toulouse27", "-", "24Clermont", "Terminé"): three short lines or more
// (three words at most, no sentence), one of them without a letter. Named
// blocks do not break a run; a score line alone stays.
func (c *Cleaner) gadgets(bs []block, first, end int) {
	var run []int
	counted := false
	flush := func() {
		if len(run) >= 3 && counted {
			for _, k := range run {
				bs[k].rule = "widget"
			}
		}
		run, counted = run[:0], false
	}
	for i := first + 1; i < end; i++ {
		switch b := &bs[i]; {
		case b.rule != "":
		case !b.kept && !b.title && words(b.text) <= 3 && !endsSentence(b.text):
			run = append(run, i)
			counted = counted || counter(b.text)
		default:
			flush()
		}
	}
	flush()
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

// onlyShortBetween reports whether every block strictly between i and j
// was removed by a rule or is a short line (six words at most, no
// sentence).
func (c *Cleaner) onlyShortBetween(bs []block, i, j int) bool {
	for k := i + 1; k < j; k++ {
		if bs[k].rule == "" && (words(bs[k].text) > 6 || endsSentence(bs[k].text)) {
			return false
		}
	}
	return true
}

// headline returns the index of the block that heads the body, or -1
// when there is none: the title pickTitle guessed when the page declared
// it (its copy nearest above the body, as a menu may carry it first) or
// when it is inside the body, else the best headline-like block within
// twenty above the body's start (or the run's first block), the longer
// and the nearer the better, and
// above all one with a standfirst under it. A copy of a teaser's text
// higher up does not disqualify the headline: the copy goes instead.
func (c *Cleaner) headline(bs []block, fs []feats, from int, g titleGuess) int {
	old := g.at
	if old >= 0 && !bs[old].title {
		old = -1
	}
	if g.hinted && old >= 0 {
		if old < from-20 {
			k := key(bs[old].text)
			for i := from - 1; i >= from-20; i-- {
				if b := &bs[i]; (b.rule == "" || copyRule(b.rule)) && keyIs(b.text, k) {
					return c.moveTitle(bs, old, i, g)
				}
			}
		}
		return old
	}
	if old >= from {
		return old
	}
	// a headline alone between a menu and a stamp may have been taken for
	// a link, a headline that a teaser carried first for a copy
	best, bestScore := -1, 0.0
	ok := ""
	if old >= 0 {
		ok = key(bs[old].text)
	}
	for i := from; i >= 0 && i >= from-20; i-- { // the run may start at its headline
		b := &bs[i]
		if b.kept || b.rule != "" && !weak(b.rule) && !copyRule(b.rule) || !titleLike(b.text) || words(b.text) < 3 ||
			i != old && fs[i].prose() && b.rule == "" && !fs[i].headline || i != old && ok != "" && keyIs(b.text, ok) ||
			fs[i].names() || fs[i].widget || fs[i].repeated || i == from && fs[i].prose() {
			continue // a copy of the guess is the guess; a share bar, a prompt, a menu, the body's first paragraph are none
		}
		s := float64(min(words(b.text), 12)) - 0.4*float64(from-1-i)
		if i == from {
			s -= 6 // the run's own first line heads it only when nothing above does
		}
		if k := c.nextKept(bs, i); k >= 0 && k < from && fs[k].prose() {
			s += 6 // the standfirst
		}
		if best < 0 || s > bestScore {
			best, bestScore = i, s
		}
	}
	switch {
	case best >= 0 && bestScore <= 0 && best == old:
		// the guess, far above the body, is no headline of it
		bs[old].title = false
		return -1
	case best < 0 || best == old:
		return old
	}
	return c.moveTitle(bs, old, best, g)
}

// moveTitle makes the block at to the headline instead of the one at
// from (-1: none), giving back the blocks the guess removed between them.
func (c *Cleaner) moveTitle(bs []block, from, to int, g titleGuess) int {
	if from >= 0 {
		bs[from].title = false
		for _, k := range g.above {
			if k > to && k < from && bs[k].rule == "boilerplate-region" {
				bs[k].rule = ""
			}
		}
	}
	bs[to].title, bs[to].rule = true, ""
	return to
}

// copyRule names the rules that remove a block for being a copy of
// another: which copy goes is the body finder's to say.
func copyRule(rule string) bool { return rule == "duplicate" || rule == "duplicate-title" }

// nearestCopies keeps, of a block the body holds and a copy of it above the
// body (a teaser of the article, its standfirst in a menu), the body's:
// the duplicate rule had removed the later one.
func (c *Cleaner) nearestCopies(bs []block, first, to int) {
	for i := first; i <= to; i++ {
		if bs[i].rule != "duplicate" {
			continue
		}
		for j := first - 1; j >= 0; j-- {
			if bs[j].text == bs[i].text {
				bs[i].rule = ""
				if bs[j].rule == "" && !bs[j].kept {
					bs[j].rule = "duplicate"
				}
				break
			}
		}
	}
}

// weak rules remove a short line for where it stands, not for what it says.
func weak(rule string) bool {
	return rule == "boilerplate-region" || rule == "link-run"
}
