package clean

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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
		if author != "" && f.found.Author == "" {
			f.found.Author = author // a stamp signed first: "Par X Publié le …"
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

var (
	// a publication stamp inside a line of metadata: a date, or a label
	// and a time
	metaStampRe = prefilter.MustCompile(`(?i)(?:` + stampLbl + `\s*:?\s*)?(?:` + dateFR + `)(?:\s*` + timeFR + `)?|` +
		`(?:publi[ée]e?|mis\s+[àa]\s+jour|modifi[ée]e?|updated)(?:\s+le)?\s*:?\s*` + timeFR + `|\b\d{1,2}\s*[h:]\s*\d{2}\b`)
	metaDateRe = prefilter.MustCompile(`(?i)(?:` + dateFR + `)|(?:publi[ée]e?|mis\s+[àa]\s+jour|modifi[ée]e?|updated)(?:\s+le)?\s*:?\s*` + timeFR)
	// the words of a metadata line that are neither names nor stamps
	metaWordRe = prefilter.MustCompile(`(?i)\b(?:par|by|avec|with|et|and|le|la|les|du|de|des|d'|à|a|au|en|temps de lecture|lecture|read|min|commentaires?|comments?|` +
		`correspondante?s?|envoy[ée]e?s? sp[ée]ciale?s?|journalistes?|r[ée]daction|utc|gmt|cet)\b|\d+[\d:h+]*`)
	metaSignRe = prefilter.MustCompile(`(?i)(?:^|[|•·,–-]\s*)(?:par|by)\s+(` + name + `)`)
	// what makes a dated line metadata: a publication label, a time, a
	// signature, a reading time (a date alone may be a list's item:
	// "Guadeloupe : du 6 janvier au 2 février")
	metaCueRe = prefilter.MustCompile(`(?i)\b(?:publi[ée]e?|mis\s+[àa]\s+jour|modifi[ée]e?|actualis[ée]e?|updated|published|posted)\b|` +
		`\b\d{1,2}\s*[h:]\s*\d{2}\b|(?:^|\s)(?:par|by)\s+\p{Lu}|\blecture\b`)
)

// metaLine reports a line of metadata that no single rule names: a
// publication stamp with the byline, the agency or the reading time around
// it ("Par Julien Castex Publié le 06/04/2024 à 23h05", "(AFP) - Publié le
// 14/02/2024 à 08:51", "Le Monde | 04.05.2015 à 13h36 • Mis à jour le
// 05.05.2015 à 20h13 | Par Martin Untersinger"), and the author it signs.
// Beside its stamps, such a line holds only names (capitalised words) and
// the words of bylines and stamps; a sentence that gives a date holds
// others.
func metaLine(m string) (author string, ok bool) {
	if len(m) > 300 || endsSentence(m) && !strings.HasSuffix(m, "min.") && !strings.HasSuffix(m, ")") {
		return "", false
	}
	if strings.IndexAny(m, "0123456789") < 0 && !strings.Contains(m, "hier") && !strings.Contains(m, "aujourd") || !metaCue(m) {
		return "", false
	}
	if words(m) > 40 || !metaDateRe.MatchString(m) || !metaCueRe.MatchString(m) {
		return "", false
	}
	rest := metaWordRe.ReplaceAllString(metaStampRe.ReplaceAllString(m, " "), " ")
	n := 0
	for w := range strings.FieldsFuncSeq(rest, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' }) {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case !hasLetter(w):
		case !unicode.IsUpper(r):
			return "", false
		default:
			n++
		}
	}
	if n > 8 {
		return "", false
	}
	if a := metaSignRe.FindStringSubmatch(m); a != nil {
		author = a[1]
	}
	return author, true
}

// metaCue is a necessary condition for metaCueRe, read by hand: most
// lines hold neither a time nor a label, and the regexps cost more.
func metaCue(m string) bool {
	for i := 0; i+2 < len(m); i++ {
		if c := m[i]; c >= '0' && c <= '9' {
			j := i + 1
			for j < len(m) && m[j] == ' ' {
				j++
			}
			if j+1 < len(m) && (m[j] == 'h' || m[j] == ':') {
				return true // a time
			}
		}
	}
	var buf [3 * 300]byte
	l := appendLower(buf[:0], m)
	for _, cue := range metaCues {
		if bytes.Contains(l, cue) {
			return true
		}
	}
	return false
}

// metaCues are literals one of which every metaCueRe match but a time's
// holds, lower-cased; TestMetaCue holds them to the pattern.
var metaCues = [][]byte{[]byte("publi"), []byte("mis à jour"), []byte("mis a jour"), []byte("modifi"), []byte("actualis"),
	[]byte("updated"), []byte("published"), []byte("posted"), []byte("par "), []byte("by "), []byte("lecture")}
