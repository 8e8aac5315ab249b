package apertium

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/depeche-news/depeche/pipeline/glossary"
)

// What survives the pivot was found by experiment (see translator_test.go):
// an unknown capitalised word made of letters ("Zxqab") passes both legs
// unchanged and keeps its place in the sentence, so protected spans become
// such placeholders and are swapped for their English afterwards. Text put
// into superblanks instead drifts between words and breaks the sentence
// around it ("Go [North Korea] provide arms to 20 [Moscow] February").
// Digits survive both legs as they are, so numbers are converted to English
// notation deliberately before translation and left in the text.

const tokenPrefix = "Zxq"

var placeholderRe = regexp.MustCompile(tokenPrefix + `[a-z]+`)

// span is one protected piece of a segment.
type span struct {
	start, end int    // byte offsets in the normalised French segment
	english    string // what replaces it in the output
	keep       string // French written before the placeholder ("de" of a swallowed "du")
	// lowerNext: the span opens a sentence and the French word after it is
	// lowercase. The English leg capitalises the word after an unknown
	// sentence-initial word ("Zxqa Has spoken"); restore undoes that.
	lowerNext bool
	// adjective: a demonym that follows its noun in French and must
	// precede it in English ("le dirigeant nord-coréen").
	adjective bool
	person    bool // a name guessed by its form ("Choe Ryong-hae")
	pronoun   bool // a subject pronoun resolved by possess.go, not a name
}

// protected is a segment ready for Apertium and what restore needs.
type protected struct {
	stream string          // escaped stream format, ends with an empty superblank
	tokens map[string]span // placeholder → span
	order  []string        // placeholders in order of appearance
	source string          // normalised French, for tests and warnings
	// addedStop: a period was added so that the paragraph ends a sentence
	// and no transfer rule reorders words across the paragraph marker.
	addedStop bool
	ours      []string // what each "our" of the output stands for, in order
	edit      bool     // post-edit the English (postedit.go)
}

var (
	frNumberRe  = regexp.MustCompile(`\d{1,3}(?:[ \x{00A0}\x{202F}\x{2009}]\d{3})+(?:,\d+)?|\d+,\d+`)
	urlRe       = regexp.MustCompile(`(?:https?://|www\.)[^\s<>«»“”"]+[^\s<>«»“”".,;:!?)]|[\w.+-]+@[\w-]+\.[\w.-]*\w`)
	weekdayRe   = regexp.MustCompile(`(?i)\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)( matin| soir| après-midi)?\b`)
	dateRe      = regexp.MustCompile(`(?:(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) )?\b(1er|[0-3]?\d) (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)(?: (\d{4}))?\b`)
	personRe    = regexp.MustCompile(`(?:^|[^\p{L}\p{N}-])((?:\p{Lu}\p{Ll}+ ){0,2}\p{Lu}\p{Ll}*-\p{Ll}+)`)
	articleRe   = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(le |la |les |l'|du |des |au |aux )$`)
	prepRe      = regexp.MustCompile(`(?i)(?:depuis|dès|avant|après|pour|jusqu'au|partir du|entre|et|ou|au|du) $`)
	inversionRe = regexp.MustCompile(`\b(\p{Ll}+)-(?:t-)?(il|elle|on|ils|elles)\b`)
	ministryRe  = regexp.MustCompile(`\b([Mm]inist(?:ère|re|ères|res)) ((?:sud-|nord-)?\p{Ll}+) ((?:de la|de l'|de l’|des|du) \p{Lu}\p{Ll}+(?: étrangères)?)`)
	demonymRe   = regexp.MustCompile(`\b(?:(?:[Nn]ord|[Ss]ud)-[Cc]or[ée]en|[Uu]krainien)(?:ne)?s?\b`)
	// a whole word (capitalised or not: "State" as in "d'État") then the
	// marked adjective; the leading group stops a match inside a word.
	adjSwapRe   = regexp.MustCompile(`(^|[^\p{L}\x05])(\x04[^\x05]*\x05|\p{L}[\p{Ll}-]*) \x02([^\x03]*)\x03`)
	spaceBefore = regexp.MustCompile(` +([.,;:!?)”])`)
	spaceAfter  = regexp.MustCompile(`([(“]) +`)
	multiSpace  = regexp.MustCompile(`  +`)
)

var (
	monthsEN   = map[string]string{"janvier": "January", "février": "February", "mars": "March", "avril": "April", "mai": "May", "juin": "June", "juillet": "July", "août": "August", "septembre": "September", "octobre": "October", "novembre": "November", "décembre": "December"}
	partsOfDay = map[string]string{"matin": "morning", "soir": "evening", "après-midi": "afternoon"}
	weekdaysEN = map[string]string{"lundi": "Monday", "mardi": "Tuesday", "mercredi": "Wednesday", "jeudi": "Thursday", "vendredi": "Friday", "samedi": "Saturday", "dimanche": "Sunday"}
	// Capitalised French words that open a sentence before a name; they are
	// not part of the name.
	notName = map[string]bool{"Le": true, "La": true, "Les": true, "Selon": true, "Pour": true, "Dans": true, "Mais": true, "Et": true, "Avec": true, "Lors": true, "Après": true, "Avant": true, "Chez": true, "Par": true, "Sur": true, "Quand": true, "Alors": true, "Depuis": true, "Pendant": true}
	// English words an adjective is not moved in front of.
	functionWords = map[string]bool{"the": true, "a": true, "an": true, "of": true, "to": true, "and": true, "or": true, "in": true, "on": true, "for": true, "with": true, "by": true, "from": true, "his": true, "her": true, "its": true, "their": true, "is": true, "are": true, "was": true, "were": true, "be": true, "been": true, "has": true, "have": true, "had": true, "that": true, "which": true, "as": true, "at": true, "very": true, "more": true, "most": true, "than": true, "but": true}
	// English terms with one of these words keep "the" ("the Kremlin", "the
	// United States"); other glossary terms (countries, people) swallow the
	// French article, since Apertium cannot drop it before a placeholder.
	keepsThe = []string{"United", "Council", "Assembly", "Union", "Nations", "Kremlin", "East", "West", "Republic", "USSR", "UN", "Times", "Agency", "Ministry", "Army"}
	// French article → what stays when a glossary term swallows it.
	articleRest = map[string]string{"le ": "", "la ": "", "les ": "", "l'": "", "du ": "de ", "des ": "de ", "au ": "à ", "aux ": "à "}
)

// normalizeFrench readies French text for Apertium: numbers in English notation,
// « » as “ ”, ’ as ', and non-breaking spaces as spaces.
func normalizeFrench(s string) string {
	// "16 000,5" → "16,000.5": French groups with (narrow) spaces and
	// marks decimals with a comma.
	s = frNumberRe.ReplaceAllStringFunc(s, func(m string) string {
		whole, frac, _ := strings.Cut(m, ",")
		whole = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == '\u202F' {
				return ','
			}
			return r
		}, whole)
		if frac != "" {
			return whole + "." + frac
		}
		return whole
	})
	// "a-t-il déclaré" comes out as Spanish ("hadeclarado"), "lit-on" as
	// "-reads"; the plain word order translates.
	s = inversionRe.ReplaceAllString(s, "$2 $1")
	r := strings.NewReplacer("’", "'", "\u00A0", " ", "\u202F", " ", "\u2009", " ",
		"« ", "“", "«", "“", " »", "”", "»", "”")
	return r.Replace(s)
}

// rules are what protect substitutes before the pivot.
type rules struct {
	glossary *glossary.Glossary
	phrases  *Phrases // nil: none
	// dictionaries render words the pivot left in French, the first that
	// has the word wins
	dictionaries []*Dictionary
	// possessives: rewrite possessive determiners and subject pronouns
	// (possess.go), with the glossary's kinds telling people from places
	possessives bool
	kinds       map[string]string
	postEdit    bool // light post-editing of the English (postedit.go)
	// extended: weekdays as dates and nationality adjectives around spans
	// (off only to measure the pivot as it was before them)
	extended bool
}

// protect turns one French segment into Apertium stream format, with names,
// expressions, dates and URLs replaced by placeholders numbered from *next.
func protect(rs rules, text string, next *int, art *article) protected {
	g := rs.glossary
	s := normalizeFrench(text)
	if rs.extended {
		s = ministryFirst(s)
	}
	var spans []span
	add := func(sp span) {
		for _, o := range spans {
			if sp.start < o.end && o.start < sp.end {
				return
			}
		}
		spans = append(spans, sp)
	}
	for _, m := range urlRe.FindAllStringIndex(s, -1) {
		add(span{start: m[0], end: m[1], english: s[m[0]:m[1]]})
	}
	for _, m := range g.Matches(s) {
		sp := span{start: m.Start, end: m.End, english: m.English}
		// Names drop their French article ("la Corée du Nord" → "North
		// Korea"); a common noun keeps it for the pivot to translate ("le
		// dictateur" → "the dictator").
		swallowArticle(s, &sp, unicode.IsUpper(firstRune(m.French)) && !keepsArticle(m.English), "")
		add(sp)
	}
	// After the glossary, so that a name inside an expression stays the
	// glossary's; before the name guess, which takes "Peut-être" for one.
	for _, sp := range rs.phrases.match(s) {
		add(sp)
	}
	// Neither leg knows these demonyms: fr-es yields "norcoreano", which
	// spa-eng leaves in Spanish, and "ukrainien" passes untranslated.
	for _, m := range demonymRe.FindAllStringIndex(s, -1) {
		add(demonymSpan(s[m[0]:m[1]], m[0], m[1]))
	}
	// a nationality adjective after a protected span ("médias d'État russes")
	for _, sp := range append([]span(nil), spans...) {
		if adj, ok := demonymAfter(s, sp.end); ok && !sp.adjective && rs.extended {
			add(adj)
		}
	}
	for _, m := range dateRe.FindAllStringSubmatchIndex(s, -1) {
		sp := span{start: m[0], end: m[1], english: englishDate(s, m)}
		on := "on "
		if prepRe.MatchString(tail(s[:articleStart(s, m[0])])) {
			on = ""
		}
		swallowArticle(s, &sp, true, on)
		add(sp)
	}
	// a weekday alone is a date too: "on Wednesday", as the full dates above
	for _, m := range weekdayRe.FindAllStringSubmatchIndex(s, -1) {
		if !rs.extended {
			break
		}
		eng := weekdaysEN[strings.ToLower(s[m[2]:m[3]])]
		if m[4] >= 0 {
			eng += " " + partsOfDay[s[m[4]+1:m[5]]]
		}
		sp := span{start: m[0], end: m[1], english: eng}
		on := "on "
		if prepRe.MatchString(tail(s[:articleStart(s, m[0])])) {
			on = ""
		} else if opensSentence(s[:articleStart(s, m[0])]) {
			on = "On "
		}
		swallowArticle(s, &sp, true, on)
		if sp.english == eng {
			sp.english = on + eng // no article to swallow
		}
		add(sp)
	}
	for _, m := range personRe.FindAllStringSubmatchIndex(s, -1) {
		start, end := m[2], m[3]
		for {
			w, _, ok := strings.Cut(s[start:end], " ")
			if !ok || !notName[w] {
				break
			}
			start += len(w) + 1
		}
		add(span{start: start, end: end, english: s[start:end], person: true})
	}
	var subs []possessive
	if rs.possessives {
		refs := referents(s, spans, rs.kinds, art)
		for _, ps := range possessives(s, spans, refs, art) {
			if ps.pronoun {
				add(span{start: ps.start, end: ps.end, english: ps.english, pronoun: true})
			} else {
				subs = append(subs, ps)
			}
		}
		if len(refs) > 0 && art != nil {
			last := refs[len(refs)-1]
			art.last = &last
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })

	p := protected{tokens: map[string]span{}, source: s, edit: rs.postEdit}
	var b strings.Builder
	// text between spans, with the possessives sent as notre/nos
	write := func(from, to int) {
		for _, ps := range subs {
			if ps.start < from || ps.start >= to {
				continue
			}
			escape(&b, s[from:ps.start])
			b.WriteString(ps.french)
			p.ours = append(p.ours, ps.english)
			from = ps.end
		}
		escape(&b, s[from:to])
	}
	at := 0
	for _, sp := range spans {
		write(at, sp.start)
		tok := token(*next)
		*next++
		sp.lowerNext = opensSentence(s[:sp.start]) && nextIsLower(s[sp.end:])
		p.tokens[tok] = sp
		p.order = append(p.order, tok)
		escape(&b, sp.keep)
		b.WriteString(tok)
		if strings.HasSuffix(s[sp.start:sp.end], "'") {
			b.WriteByte(' ') // "qu'ils": the next word starts here
		}
		at = sp.end
	}
	write(at, len(s))
	if !endsSentence(s) {
		b.WriteString(".")
		p.addedStop = true
	}
	b.WriteString("[]") // keeps a final period: before a bare NUL the pipe drops it
	p.stream = b.String()
	return p
}

// swallowArticle extends sp over a French article just before it when
// drop is set, putting back what the article contracted (du → de) and
// prefixing the English with prefix.
func swallowArticle(s string, sp *span, drop bool, prefix string) {
	if !drop {
		return
	}
	m := articleRe.FindStringSubmatch(tail(s[:sp.start]))
	if m == nil {
		return
	}
	art := m[1]
	sp.start -= len(art)
	sp.keep = articleRest[strings.ToLower(art)]
	if sp.keep != "" && unicode.IsUpper(firstRune(art)) {
		sp.keep = strings.ToUpper(sp.keep[:1]) + sp.keep[1:]
	}
	if prefix != "" && unicode.IsUpper(firstRune(art)) {
		prefix = strings.ToUpper(prefix[:1]) + prefix[1:]
	}
	sp.english = prefix + sp.english
}

// tail is the end of s that the $-anchored articleRe and prepRe can
// match, so that they do not scan a whole paragraph for every span. A cut
// string starts with a letter, which no match can begin with.
func tail(s string) string {
	const n = 16 // past the longest article or preposition with its separator
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return "a" + s[i:]
}

// articleStart is where a French article before offset i begins, or i.
func articleStart(s string, i int) int {
	if m := articleRe.FindStringSubmatch(tail(s[:i])); m != nil {
		return i - len(m[1])
	}
	return i
}

func keepsArticle(english string) bool {
	for _, w := range strings.Fields(english) {
		for _, k := range keepsThe {
			if w == k {
				return true
			}
		}
	}
	return false
}

func englishDate(s string, m []int) string {
	var parts []string
	if m[2] >= 0 {
		parts = append(parts, weekdaysEN[s[m[2]:m[3]]])
	}
	day := strings.TrimSuffix(s[m[4]:m[5]], "er")
	parts = append(parts, day, monthsEN[s[m[6]:m[7]]])
	if m[8] >= 0 {
		parts = append(parts, s[m[8]:m[9]])
	}
	return strings.Join(parts, " ")
}

// token is the placeholder for the n-th span: letters only, so neither
// leg reads it as a number, and unknown to both dictionaries.
func token(n int) string {
	var suf []byte
	for {
		suf = append([]byte{byte('a' + n%26)}, suf...)
		n /= 26
		if n == 0 {
			break
		}
		n--
	}
	return tokenPrefix + string(suf)
}

func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, " \t\n"))
	return strings.ContainsRune(".!?…:;”\"')", r)
}

// opensSentence reports whether text before (French, or English written so
// far) ends where a sentence starts.
func opensSentence(before string) bool {
	t := strings.TrimRight(before, " “\"(«\n")
	if t == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(t)
	return r == '.' || r == '!' || r == '?' || r == ':'
}

func nextIsLower(after string) bool {
	t := strings.TrimLeft(after, " ")
	return t != "" && unicode.IsLower(firstRune(t))
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
