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
