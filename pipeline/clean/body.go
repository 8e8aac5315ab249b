package clean

// Finding the article body by structure and language rather than by the
// phrases of known sites: every block gets a score from features that need
// no phrase list (its length, its share of stop words, whether it ends like
// a sentence, its capitalised words and digits, imperative widget
// vocabulary, repetition across the batch), and the body is the contiguous
// run of blocks with the largest total score (Finn et al.'s body text
// extraction, on blocks instead of tokens). Short blocks inside the run
// keep the class of their neighbours, as in jusText's context pass; blocks
// outside it go, named by the shape of the section they belong to.

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/depeche-news/depeche/pipeline/lang"
)

// feats are what the body finder knows of a block.
type feats struct {
	words    int
	stops    float64 // share of French and English stop words
	sentence bool    // ends like a sentence
	caps     float64 // share of words that start with a capital
	digits   float64 // share of words holding a digit
	headline bool    // shaped like a headline or a link to an article
	widget   bool    // addresses the reader as a page's furniture does
	you      bool    // addresses the reader once, outside quotes
	repeated bool    // on many pages of the batch
}

func (c *Cleaner) features(b *block) feats {
	fr, en, n := b.counts()
	f := feats{words: n, sentence: endsSentence(b.text), repeated: c.chrome.repeated(b.text)}
	if n == 0 {
		return f
	}
	f.stops = float64(fr+en) / float64(n)
	if n > 40 {
		return f // a paragraph: its shape tells nothing more
	}
	words, caps, digits := shape(b.text)
	f.caps = float64(caps) / float64(max(words, 1))
	f.digits = float64(digits) / float64(max(words, 1))
	f.headline = headlineShaped(b.text, words)
	first, _, _ := strings.Cut(b.text, " ")
	you := secondPerson(b.text)
	f.widget = widgetLine(b.text, first) || !strings.HasSuffix(b.text, "?") && you >= 2
	f.you = you == 1
	return f
}

// secondPerson counts the words of a text that address the reader (vous,
// votre, vos; you, your) outside quotations, where a speaker may address
// anyone.
func secondPerson(text string) int {
	if !mayAddress(text) {
		return 0 // most lines
	}
	n, quote := 0, 0
	for i := 0; i < len(text); {
		switch {
		case strings.HasPrefix(text[i:], "«") || strings.HasPrefix(text[i:], "“"):
			quote++
		case strings.HasPrefix(text[i:], "»") || strings.HasPrefix(text[i:], "”"):
			quote = max(0, quote-1)
		}
		j := i
		for j < len(text) && isLetter(text[j]) {
			j++
		}
		if j > i {
			if quote == 0 {
				switch strings.ToLower(text[i:j]) {
				case "vous", "votre", "vos", "you", "your":
					n++
				}
			}
			i = j
			continue
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return n
}

// mayAddress reports whether a text holds, in some case, one of the words
// secondPerson counts: a few fast searches spare most lines the scan.
func mayAddress(text string) bool {
	for _, w := range []string{"vous", "Vous", "VOUS", "votre", "Votre", "vos", "Vos", "you", "You", "YOU", "VOTRE", "VOS"} {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// isLetter reports an ASCII letter: the reader-addressing words are ASCII.
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// shape counts, in one pass, the space-separated words of a text, those
// that start with a capital and those that hold a digit.
func shape(text string) (words, caps, digits int) {
	in, digit := false, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == ' ' || c == '\t' {
			if in && digit {
				digits++
			}
			in, digit = false, false
			continue
		}
		if !in {
			in = true
			words++
			switch {
			case 'A' <= c && c <= 'Z':
				caps++
			case c >= utf8.RuneSelf:
				if r, _ := utf8.DecodeRuneInString(text[i:]); unicode.IsUpper(r) {
					caps++
				}
			}
		}
		if '0' <= c && c <= '9' {
			digit = true
		}
	}
	if in && digit {
		digits++
	}
	return words, caps, digits
}

// names reports a line of capitalised words and nothing else, no stop
// word, no digit, no sentence: a menu or a share bar laid out on one line
// ("Facebook Twitter Flipboard Send Linkedin").
func (f feats) names() bool {
	return f.words >= 3 && f.caps >= 0.8 && f.stops == 0 && f.digits == 0 && !f.sentence
}

// prose reports a block that reads like a paragraph of running text.
func (f feats) prose() bool {
	return f.sentence && f.words >= 6 && f.stops >= 0.15 || f.words >= 20 && f.stops >= 0.2
}

// score is a block's evidence for being article text: positive for prose,
// in proportion to its length, negative for the short lines of page
// furniture. Furniture lines cost little each, so that an inline box of a
// few links does not cut an article in two, while a paragraph after it
// outweighs them.
func (f feats) score() float64 {
	if f.repeated {
		return -3
	}
	if f.prose() {
		v := float64(min(f.words, 80)) * (0.4 + f.stops)
		switch {
		case f.widget:
			v *= -0.2 // a prompt to subscribe, download, follow
		case f.you:
			v *= 0.3 // news rarely speaks to its reader: weak evidence at the edges
		}
		if f.caps > 0.6 {
			v *= 0.3 // a run of names
		}
		return v
	}
	if f.words >= 4 && f.stops >= 0.25 && !f.headline {
		return -0.5 // a subhead, a question, a short line of the article
	}
	return -(1.5 + 0.15*float64(f.words))
}

// removedScore is what a block a rule removed weighs in the body's sum:
// the furniture that sits inside articles (captions, credits, inline links,
// ads, stamps) weighs nearly nothing, so the body spans it; the furniture of
// a page's edges (menus, footers, forms, banners) counts against it.
func removedScore(rule string) float64 {
	switch rule {
	case "caption", "photo-credit", "read-also", "ad", "timestamp", "byline", "alt-text-english", "share-bar",
		"reading-time", "duplicate", "duplicate-title", "trailing-id", "url", "user-drop":
		return -0.3
	}
	return -2
}

// headlineShaped reports a line shaped like a headline: a few words, a
// capital or a quote first, no sentence end (a question may end one).
func headlineShaped(text string, n int) bool {
	if n < 4 || n > 25 || strings.HasSuffix(text, ":") {
		return false
	}
	if endsSentence(text) && !strings.HasSuffix(text, "?") && !strings.HasSuffix(text, "…") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("«\"“", r)
}

// widgetLine reports a line that opens with an imperative addressed to the
// reader and speaks of the reader or the site ("Recevez chaque matin…",
// "Inscrivez-vous…", "Téléchargez notre application"): the voice of a page's
// furniture. A recipe's steps are imperatives too, but speak of neither.
func widgetLine(text, first string) bool {
	w := strings.ToLower(strings.TrimRight(first, ",.:!"))
	w, _, _ = strings.Cut(w, "-") // "inscrivez-vous"
	if len([]rune(w)) < 5 || !strings.HasSuffix(w, "ez") {
		return false
	}
	l := " " + strings.ToLower(text) + " "
	for _, p := range []string{" vous ", "-vous ", " votre ", " vos ", " nos ", " notre ", " notre ", " our ", " your "} {
		if strings.Contains(l, p) {
			return true
		}
	}
	return false
}

// bestRun returns the contiguous run [from, to] of scores with the largest
// sum (Kadane), or -1, -1 when no run sums above zero.
func bestRun(scores []float64) (from, to int) {
	from, to = -1, -1
	best, sum, start := 0.0, 0.0, 0
	for i, s := range scores {
		if sum <= 0 {
			sum, start = 0, i
		}
		sum += s
		if sum > best {
			best, from, to = sum, start, i
		}
	}
	return from, to
}

// stopShare is the share of stop words in a text: high in prose.
func stopShare(text string) float64 {
	fr, en, n := lang.Counts(text)
	if n == 0 {
		return 0
	}
	return float64(fr+en) / float64(n)
}
