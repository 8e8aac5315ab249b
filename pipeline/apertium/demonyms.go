package apertium

import (
	"strings"
	"unicode"
)

// French nationality adjectives follow their noun; English ones precede
// it. Apertium reorders them around a noun it knows, but not around a
// protected span or a word it does not know ("les médias d'État russes"
// came out "the state media Russian"), so there they are protected too,
// as adjectives to move.

// demonymsFR maps every form (masculine, feminine, plurals) of a French
// nationality adjective to its English.
var demonymsFR = func() map[string]string {
	m := map[string]string{}
	for _, d := range []struct{ fr, en string }{
		{"russe", "Russian"}, {"biélorusse", "Belarusian"}, {"britannique", "British"},
		{"chinois", "Chinese"}, {"français", "French"}, {"japonais", "Japanese"}, {"polonais", "Polish"},
		{"américain", "American"}, {"allemand", "German"}, {"espagnol", "Spanish"},
		{"iranien", "Iranian"}, {"syrien", "Syrian"}, {"israélien", "Israeli"}, {"européen", "European"},
		{"indien", "Indian"}, {"vietnamien", "Vietnamese"}, {"italien", "Italian"}, {"palestinien", "Palestinian"},
		{"ukrainien", "Ukrainian"}, {"sud-coréen", "South Korean"}, {"nord-coréen", "North Korean"},
		{"turc", "Turkish"}, {"occidental", "Western"},
	} {
		for _, f := range frenchForms(d.fr) {
			m[f] = d.en
		}
	}
	return m
}()

// frenchForms inflects a masculine singular adjective.
func frenchForms(m string) []string {
	switch {
	case strings.HasSuffix(m, "e"):
		return []string{m, m + "s"}
	case strings.HasSuffix(m, "s"):
		return []string{m, m + "e", m + "es"}
	case strings.HasSuffix(m, "en"):
		return []string{m, m + "s", m + "ne", m + "nes"}
	case m == "turc":
		return []string{"turc", "turcs", "turque", "turques"}
	case strings.HasSuffix(m, "al"):
		stem := strings.TrimSuffix(m, "al")
		return []string{m, stem + "aux", m + "e", m + "es"}
	}
	return []string{m, m + "s", m + "e", m + "es"}
}

// demonymAfter returns the adjective span of a nationality adjective
// right after byte end of s, if there is one.
func demonymAfter(s string, end int) (span, bool) {
	if !strings.HasPrefix(s[end:], " ") {
		return span{}, false
	}
	w, stop := nextFrenchWord(s, end+1)
	if stop != end+1+len(w) {
		return span{}, false
	}
	eng, ok := demonymsFR[foldLower(w)]
	if !ok || w != foldLower(w) {
		return span{}, false // capitalised, it is a people ("les Russes")
	}
	return span{start: end + 1, end: stop, english: eng, adjective: true}, true
}

// demonymSpan renders a French demonym: capitalised it is a people ("les
// Nord-Coréens" → "North Koreans"), lowercase an adjective.
func demonymSpan(fr string, start, end int) span {
	low := strings.ToLower(fr)
	eng := "Ukrainian"
	switch {
	case strings.HasPrefix(low, "nord"):
		eng = "North Korean"
	case strings.HasPrefix(low, "sud"):
		eng = "South Korean"
	}
	if unicode.IsUpper(firstRune(fr)) {
		if strings.HasSuffix(low, "s") {
			eng += "s"
		}
		return span{start: start, end: end, english: eng}
	}
	return span{start: start, end: end, english: eng, adjective: true}
}

// ministryFirst puts a nationality adjective after the ministry's name
// ("le ministère sud-coréen de la Défense" → "le ministère de la Défense
// sud-coréen"), so that the expression table has the name whole.
func ministryFirst(s string) string {
	return ministryRe.ReplaceAllStringFunc(s, func(m string) string {
		g := ministryRe.FindStringSubmatch(m)
		if _, ok := demonymsFR[g[2]]; !ok {
			return m
		}
		return g[1] + " " + g[3] + " " + g[2]
	})
}
