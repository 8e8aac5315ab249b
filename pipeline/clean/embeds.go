package clean

// Shapes of furniture that no phrase names: a caption's credit after its
// sentence, a wire service's credit line in parentheses, the residue of a
// social-media embed, a media teaser.

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/prefilter"
)

var (
	// "(@handle)", or a link to the platform's pictures, in a short line:
	// an embedded post, its author line, the platform's "see this post"
	handleRe = prefilter.MustCompile(`\(@[\w.]{2,30}\)|\bpic\.twitter\.com/|\bt\.co/\w|\binstagram\.com/p/`)
	// a credit verb inside a parenthesised line: "(Reportage X ; version
	// française Y, édité par Z)", "(Writing by …)"
	creditVerbRe = prefilter.MustCompile(`(?i)\b(?:par|by|avec|with|reportage|reporting|writing|r[ée]daction|traduction|version fran[çc]aise|[ée]dit[ée]|editing)\b`)
)

// creditWords open a caption's credit after its sentence.
var creditWords = []string{"photo", "photos", "illustration", "image", "images", "crédit", "crédits", "credit", "credits", "©", "dr", "archives", "capture"}

// creditTail reports a caption whose credit follows its one sentence
// after a separator: "… le 15 juin 2024. Abaca", "… contre les flammes. |
// OUEST RÉGIONS", "… à Cergy. Photo Jean-Luc Bertini", "… commerçants - F. Rey
// / France Télévisions". The credit is a few words: a credit word first, or
// all in capitals, or an agency, or names around a slash.
func creditTail(text string) bool {
	if len(text) > 320 || len(text) < 20 {
		return false
	}
	// the credit is a few words: look for its separator in the last bytes
	off := max(0, len(text)-100)
	for off > 0 && !utf8.RuneStart(text[off]) {
		off--
	}
	cut := lastSeparator(text, off)
	if cut < 15 {
		cut = creditWordAt(text, off) // "… d'une cause liée à KPMG Photo : Radio-Canada"
	}
	if cut < 15 {
		return false
	}
	head, tail := text[:cut+1], strings.TrimSpace(strings.TrimLeft(text[cut+1:], " |-–—/"))
	n := words(tail)
	if n == 0 || n > 6 || endsSentence(tail) && !strings.HasSuffix(tail, ".") || words(head) < 4 {
		return false
	}
	if len(strings.Split(head, ". ")) > 2 {
		return false // a paragraph of several sentences, not a caption
	}
	first, _, _ := strings.Cut(strings.ToLower(strings.Trim(tail, "().:")), " ")
	first = strings.TrimRight(first, ":")
	for _, w := range creditWords {
		if first == w {
			return true
		}
	}
	if agencyFirst(tail) && words(tail) <= 3 {
		return true
	}
	if upper(tail) && !strings.ContainsAny(tail, "0123456789") {
		return true // "OUEST RÉGIONS"; "RFA 6-3" is a score
	}
	if domainRe.MatchString(tail) || strings.Contains(tail, "/") && (capitalised(tail) || !stopWord(tail)) {
		return true // "doidam10 / stock.adobe.com", "F. Rey / France Télévisions"
	}
	// one capitalised word that ends no sentence: the picture agency's name
	// ("… le mardi 8 juin. Panoramic")
	r, _ := utf8.DecodeRuneInString(tail)
	return n == 1 && unicode.IsUpper(r) && !endsSentence(tail) && utf8.RuneCountInString(tail) >= 3 && !stopWord(tail)
}

// domainRe is a web address's domain, as picture banks sign.
var domainRe = prefilter.MustCompile(`(?i)\b[\w-]+\.(?:com|fr|net|org|io|be|ch|ca|de|uk)\b`)

// stopWord reports a text that holds a French or English stop word.
func stopWord(text string) bool {
	for w := range lang.WordSeq(text) {
		if f, e := lang.Stop(w); f || e {
			return true
		}
	}
	return false
}

// lastSeparator returns the offset of the last separator a credit follows
// (". ", " | ", or a dash between spaces) in text[from:], else of the last
// " / ", else -1: one pass from the end.
func lastSeparator(text string, from int) int {
	slash := -1
	for i := len(text) - 2; i >= from; i-- {
		switch c := text[i]; {
		case c == '.' && text[i+1] == ' ':
			return i
		case c != ' ':
			continue
		}
		rest := text[i+1:]
		switch {
		case strings.HasPrefix(rest, "| "), strings.HasPrefix(rest, "- "), strings.HasPrefix(rest, "– "), strings.HasPrefix(rest, "— "):
			return i
		case slash < 0 && strings.HasPrefix(rest, "/ "):
			slash = i
		}
	}
	return slash
}

// creditWordAt returns the offset of the space before a credit word that
// introduces a credit with a colon ("Photo :", "Crédit :") in text[from:],
// or -1.
func creditWordAt(text string, from int) int {
	if strings.IndexByte(text[from:], ':') < 0 {
		return -1 // every one ends with a colon; most lines hold none
	}
	for _, w := range []string{" Photo :", " Photo:", " Photos :", " Crédit :", " Crédits :", " Crédit photo :", " PHOTO :"} {
		if i := strings.LastIndex(text[from:], w); i >= 0 {
			return from + i
		}
	}
	return -1
}

// upper reports a text of at least two letters, all capitals.
func upper(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// capitalised reports a text whose every word of letters starts with a
// capital.
func capitalised(s string) bool {
	for w := range strings.FieldsSeq(s) {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// creditLine reports a wire service's credit line: a whole line in
// parentheses, with a credit verb, no longer than a credit.
func creditLine(text string) bool {
	return strings.HasPrefix(text, "(") && strings.HasSuffix(text, ")") && words(text) <= 40 &&
		strings.Count(text, "(") == 1 && creditVerbRe.MatchString(text)
}

// socialEmbed reports the residue of an embedded post: a short line with
// the author's handle or a link to the platform's pictures.
func socialEmbed(text string) bool {
	return len(text) <= 400 && (strings.IndexByte(text, '@') >= 0 || strings.IndexByte(text, '/') >= 0) && handleRe.MatchString(text)
}

// mediaWords are what a teaser for a video, a podcast or a gallery opens
// with, before a dash: "Vidéo - Le résumé de Marseille-Lens".
var mediaWords = []string{"vidéo", "video", "vidéos", "podcast", "audio", "diaporama", "galerie", "photos", "infographie", "replay", "direct", "live", "en images", "en vidéo"}

// teaser reports a media teaser: a media word, a dash, a headline.
func teaser(text string) bool {
	head, _, ok := strings.Cut(text, " - ")
	if !ok {
		head, _, ok = strings.Cut(text, " – ")
	}
	if !ok || words(text) > 20 || endsSentence(text) {
		return false
	}
	head = strings.ToLower(strings.TrimSpace(head))
	for _, w := range mediaWords {
		if head == w {
			return true
		}
	}
	return false
}

// readAlsoAfter reports a "Lire aussi" link after a label: "Article
// réservé à nos abonnés Lire aussi …", "À LIRE AUSSI : …". The label is a
// few words, and the line is a headline, not a sentence that speaks of
// reading ("Il faut lire aussi le rapport …").
func readAlsoAfter(m string) bool {
	if len(m) > 300 || endsSentence(m) && !strings.HasSuffix(m, "?") || !strings.Contains(m, "ire ") && !strings.Contains(m, "IRE ") {
		return false
	}
	var buf [3 * 80]byte
	l := appendLower(buf[:0], m[:min(len(m), 80)])
	i := bytes.Index(l, []byte("lire aussi"))
	if i < 0 {
		i = bytes.Index(l, []byte("lire également"))
	}
	if i <= 0 {
		return false // none, or the line's start, which the rule names
	}
	return words(string(l[:i])) <= 6
}

// readAlsoLinks removes the headline that follows a bare "À lire aussi"
// label (the link a scraper put on the next line): a headline-shaped line
// of five words or more, no sentence. A subhead after a label left alone
// is shorter, and a paragraph a sentence.
func readAlsoLinks(bs []block) {
	for i := 0; i+1 < len(bs); i++ {
		if bs[i].rule != "read-also" || words(bs[i].text) > 4 {
			continue
		}
		n := &bs[i+1]
		if w := words(n.text); n.rule == "" && !n.kept && !n.title && w >= 5 && headlineShaped(n.text, w) && !strings.HasSuffix(n.text, "?") {
			n.rule = "read-also"
		}
	}
}

// menuSeps are what a menu laid out on one line puts between its items.
var menuSeps = []string{" ▪ ", " | ", " • ", " · "}

// menuLine reports a menu laid out on one line: four items or more
// between one separator ("International ▪ Politique ▪ Société ▪ …"), of a
// few words each (a fifth may be longer: the menu's label, "Aide (FAQ) :
// web - abo"), none ending a sentence.
func menuLine(text string) bool {
	if endsSentence(text) && !strings.HasSuffix(text, "?") ||
		strings.IndexByte(text, '|') < 0 && !strings.Contains(text, "▪") && !strings.Contains(text, "•") && !strings.Contains(text, "·") {
		return false // most lines: paragraphs, or no separator
	}
	for _, sep := range menuSeps {
		if strings.Count(text, sep) < 3 {
			continue
		}
		items := strings.Split(text, sep)
		long := 0
		for _, it := range items {
			n := words(it)
			if n == 0 || strings.HasSuffix(strings.TrimSpace(it), ".") {
				long = len(items)
				break
			}
			if n > 8 {
				long++
			}
		}
		if long*5 <= len(items) {
			return true // a label or an item of many words among short ones
		}
	}
	return false
}

// arrowLinks removes the runs of links a page marks with an arrow ("›
// Coffret dvd", "> A Milwaukee, JD Vance trace sa vision"): two lines or
// more in a row that start with one, and end no sentence.
func arrowLinks(bs []block) {
	arrow := func(b *block) bool {
		return b.rule == "" && !b.kept && !b.title && (strings.HasPrefix(b.text, "› ") || strings.HasPrefix(b.text, "> ")) && !endsSentence(b.text)
	}
	for i := 0; i < len(bs); {
		j := i
		for j < len(bs) && arrow(&bs[j]) {
			j++
		}
		if j-i >= 2 {
			for k := i; k < j; k++ {
				bs[k].rule = "link-run"
			}
		}
		i = max(j, i+1)
	}
}
