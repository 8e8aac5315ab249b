package clean

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/prefilter"
)

var (
	dateWordsRe = prefilter.MustCompile(`(?i)(\d{1,2})(?:er)?\s+(janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)\s+(\d{4})`)
	dateNumRe   = prefilter.MustCompile(`\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b`)
	dateISORe   = prefilter.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	urlRe       = regexp.MustCompile(`(?:https?://|www\.)\S+`)
	publishedRe = prefilter.MustCompile(`(?i)publi[ée]|published|posted`)
)

var months = map[string]int{"janvier": 1, "fevrier": 2, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
	"juillet": 7, "aout": 8, "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12, "décembre": 12}

// parseDate finds a date in a timestamp block and returns it as
// YYYY-MM-DD, or "" when there is none.
func parseDate(s string) string {
	if m := dateISORe.FindStringSubmatch(s); m != nil {
		return m[0]
	}
	if m := dateWordsRe.FindStringSubmatch(s); m != nil {
		d, _ := strconv.Atoi(m[1])
		return fmt.Sprintf("%s-%02d-%02d", m[3], months[strings.ToLower(m[2])], d)
	}
	if m := dateNumRe.FindStringSubmatch(s); m != nil {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if mo >= 1 && mo <= 12 && d >= 1 && d <= 31 {
			return fmt.Sprintf("%s-%02d-%02d", m[3], mo, d)
		}
	}
	return ""
}

// metaFinder collects what removed blocks say about the article.
type metaFinder struct {
	found     news.Meta
	published bool // found.Date comes from a "Publié le" stamp
	signed    bool // found.Author comes from a "Par …" byline
}

// signed is what rule learnt of bylineRe on the block's match form.
func (f *metaFinder) removed(rule, text, author string, signed tri) {
	switch rule {
	case "byline":
		// "Par Jean Dupont" outranks a bare name, which may be the site's
		if author == "" {
			return
		}
		if signed := signedBy(signed, matchForm(text)); f.found.Author == "" || !f.signed && signed {
			f.found.Author, f.signed = author, signed
		}
	case "timestamp":
		if a := stampByRe.FindStringSubmatch(text); a != nil && f.found.Author == "" {
			f.found.Author = a[1]
		}
		d := parseDate(text)
		if d == "" {
			return
		}
		// "Publié le … Mis à jour le …": the publication date comes first
		pub := publishedRe.MatchString(text)
		if f.found.Date == "" || pub && !f.published {
			f.found.Date, f.published = d, pub
		}
	case "url":
		if f.found.URL == "" {
			f.found.URL = strings.TrimRight(urlRe.FindString(text), ".,;)")
		}
	}
}

// merge fills the hint's empty fields from what the text said: the page's
// own metadata (HTML meta tags, JSON-LD) is the better source when present.
func merge(hint, found news.Meta) news.Meta {
	if hint.Title == "" {
		hint.Title = found.Title
	}
	if hint.Date == "" {
		hint.Date = found.Date
	}
	if hint.Author == "" {
		hint.Author = found.Author
	}
	if hint.URL == "" {
		hint.URL = found.URL
	}
	return hint
}
