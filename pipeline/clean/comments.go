package clean

// The comment thread after an article: opened by its heading or by a run
// of commenters' signatures, it runs to the end of the page.

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/prefilter"
)

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

// signed reports a signature at i that names its commenter: the name
// glued before the date ("Jean-Luc D. 19/11/2024 22:10") or alone on the
// line above ("Sancho", then "le 15/06/2021 à 11:34"). A list of dated
// teasers has a headline above each date, and opens no thread.
func signed(bs []block, i int) bool {
	t := bs[i].text
	if m := stampRe.FindStringIndex(t); m != nil {
		lead := strings.ToLower(strings.Trim(t[:m[0]], " ,-–|•·:"))
		if hasLetter(lead) && !stampWords[lead] {
			return true
		}
	}
	if i == 0 {
		return false
	}
	p := bs[i-1].text
	return words(p) <= 4 && !endsSentence(p) && !strings.Contains(p, ":") && !signature(p)
}

// stampWords are what stands before a date in a stamp, not a name.
var stampWords = map[string]bool{"le": true, "la": true, "du": true, "au": true, "on": true, "posted on": true, "publié le": true,
	"publié": true, "mis à jour le": true, "updated": true, "par": true, "by": true, "il y a": true}

// hasLetter reports a text holding a letter.
func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// commentCut is a block that may open the comment thread, with what opens
// it, in words.
type commentCut struct {
	at  int
	why string
}

// commentCuts returns, in page order, the blocks that may open the comment
// thread that follows the article. A thread opens with its heading or with
// a run of signed signatures (two within a few blocks), and only after some
// prose: the count of comments under a headline, and the article's own
// byline and date, open nothing. The body finder takes the first before
// which an article stands: a list of dated teasers above the article is no
// thread.
func (c *Cleaner) commentCuts(bs []block, fs []feats) []commentCut {
	var cuts []commentCut
	prose, lastSig := 0, -100
	for i := range bs {
		b := &bs[i]
		if b.kept {
			continue
		}
		if prose >= 2 && commentHead(b.text) {
			cuts = append(cuts, commentCut{i, fmt.Sprintf("heading %q", shorten(b.text, 40))})
			continue
		}
		if prose >= 2 && signature(b.text) && signed(bs, i) {
			if i-lastSig <= 8 {
				start := lastSig
				// the commenter's name, on the line above the first signature
				if start > 0 && bs[start-1].rule == "" && words(bs[start-1].text) <= 4 && !endsSentence(bs[start-1].text) {
					start--
				}
				cuts = append(cuts, commentCut{start, fmt.Sprintf("signatures %q and %q", shorten(bs[lastSig].text, 30), shorten(b.text, 30))})
			}
			lastSig = i
			continue
		}
		if b.rule == "" && fs[i].prose() {
			prose++
		}
	}
	return cuts
}
