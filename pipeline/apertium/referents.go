package apertium

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// What a possessive or a subject pronoun refers back to, found the cheap
// way: the people, countries and institutions a paragraph names (by the
// glossary's kinds, the names the translator guessed, and a short list of
// person and institution nouns), their gender where a title, an article,
// an apposition or an earlier pronoun tells it, and the nearest one.

type referent struct {
	at     int    // byte offset in the segment
	person bool   // a person, else a country, institution or the like
	gender byte   // 'm', 'f' or 0 when it cannot be told
	name   string // the English name of a protected person, for the article's memory
}

type article struct {
	genders map[string]byte // English name word → 'm', 'f', or 'x' when two disagree
	last    *referent
}

func (a *article) learn(name string, g byte) {
	if a == nil || g == 0 || name == "" {
		return
	}
	if a.genders == nil {
		a.genders = map[string]byte{}
	}
	for _, w := range strings.Fields(name) {
		if old, ok := a.genders[w]; ok && old != g {
			a.genders[w] = 'x'
		} else {
			a.genders[w] = g
		}
	}
}

func (a *article) gender(name string) byte {
	if a == nil {
		return 0
	}
	var g byte
	for _, w := range strings.Fields(name) {
		switch k := a.genders[w]; {
		case k == 'x':
			return 0
		case k != 0 && g != 0 && k != g:
			return 0
		case k != 0:
			g = k
		}
	}
	return g
}

var personNouns = map[string]byte{
	"président": 'm', "présidente": 'f', "dirigeant": 'm', "dirigeante": 'f', "ministre": 0, "chef": 0,
	"leader": 0, "dictateur": 'm', "dictatrice": 'f', "homologue": 0, "porte-parole": 0,
	"ambassadeur": 'm', "ambassadrice": 'f', "représentant": 'm', "représentante": 'f', "général": 'm',
	"conseiller": 'm', "conseillère": 'f', "directeur": 'm', "directrice": 'f', "secrétaire": 0,
	"député": 'm', "députée": 'f', "sénateur": 'm', "sénatrice": 'f', "juge": 0, "diplomate": 0,
	"journaliste": 0, "opposant": 'm', "opposante": 'f', "candidat": 'm', "candidate": 'f', "maire": 0,
	"roi": 'm', "reine": 'f', "prince": 'm', "princesse": 'f', "homme": 'm', "femme": 'f', "fils": 'm',
	"fille": 'f', "père": 'm', "mère": 'f', "frère": 'm', "soeur": 'f', "sœur": 'f', "mari": 'm',
	"épouse": 'f', "soldat": 'm', "officier": 'm', "commandant": 'm', "patron": 'm', "patronne": 'f',
	"fondateur": 'm', "fondatrice": 'f', "chancelier": 'm', "chancelière": 'f', "procureur": 'm',
	"procureure": 'f', "avocat": 'm', "avocate": 'f', "militant": 'm', "militante": 'f', "expert": 'm',
	"experte": 'f', "responsable": 0, "émissaire": 0, "envoyé": 'm', "envoyée": 'f', "négociateur": 'm',
	"négociatrice": 'f', "successeur": 'm', "prédécesseur": 'm', "allié": 'm', "alliée": 'f', "ami": 'm', "amie": 'f',
	"M.": 'm', "Mme": 'f', "monsieur": 'm', "madame": 'f',
}

var thingNouns = set("pays gouvernement régime parti armée état ville capitale entreprise société groupe organisation agence alliance nation conseil ministère administration tribunal cour assemblée parlement commission banque fonds union coalition république royaume empire kremlin")

var (
	articleMasc = set("le un ce cet du au")
	articleFem  = set("la une cette")
)

func referents(s string, spans []span, kinds map[string]string, art *article) []referent {
	var out []referent
	for _, sp := range spans {
		switch strings.ToLower(kinds[sp.english]) {
		case "person":
			g := titleGender(s[:sp.start])
			if g == 0 {
				g = appositionGender(s[sp.end:])
			}
			art.learn(sp.english, g)
			out = append(out, referent{at: sp.start, person: true, gender: art.gender(sp.english), name: sp.english})
		case "place", "organization":
			out = append(out, referent{at: sp.start, gender: articleGender(strings.ToLower(lastWord(s[:sp.start])))})
		default:
			if sp.person && !sp.pronoun {
				g := titleGender(s[:sp.start])
				art.learn(sp.english, g)
				out = append(out, referent{at: sp.start, person: true, gender: art.gender(sp.english), name: sp.english})
			}
		}
	}
	for i := 0; i < len(s); {
		w, end := nextFrenchWord(s, i)
		if w == "" {
			break
		}
		low := strings.ToLower(w)
		prevArt := strings.ToLower(lastWord(s[:i]))
		switch g, ok := personNouns[w]; {
		case ok && (w == "M." || w == "Mme"):
			// the name that follows carries it
		case ok || personNouns[low] != 0:
			if !ok {
				g = personNouns[low]
			}
			if g == 0 {
				g = articleGender(prevArt)
			}
			if articleMasc[prevArt] || articleFem[prevArt] || prevArt == "l'" || prevArt == "l" {
				out = append(out, referent{at: i, person: true, gender: g})
			}
		case thingNouns[low] && (articleMasc[prevArt] || articleFem[prevArt] || prevArt == "l'" || prevArt == "l"):
			out = append(out, referent{at: i})
		}
		i = end
	}
	sortReferents(out)
	return out
}

func insertReferent(rs []referent, r referent) []referent {
	rs = append(append([]referent(nil), rs...), r)
	sortReferents(rs)
	return rs
}

func sortReferents(rs []referent) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j].at < rs[j-1].at; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

func titleGender(before string) byte {
	words := strings.Fields(before)
	for k := 0; k < 3 && k < len(words); k++ {
		w := strings.Trim(words[len(words)-1-k], ",")
		g, ok := personNouns[w]
		if !ok {
			g, ok = personNouns[strings.ToLower(w)]
		}
		if !ok {
			continue // an adjective between title and name ("le président russe")
		}
		if g == 0 && k+1 < len(words) {
			g = articleGender(strings.ToLower(words[len(words)-2-k])) // "la ministre"
		}
		return g
	}
	return 0
}

func appositionGender(after string) byte {
	t := strings.TrimLeft(after, " ")
	if !strings.HasPrefix(t, ",") {
		return 0
	}
	f := strings.Fields(t[1:])
	if len(f) < 2 {
		return 0
	}
	if _, ok := personNouns[strings.ToLower(f[1])]; ok {
		return articleGender(strings.ToLower(f[0]))
	}
	return 0
}

func articleGender(w string) byte {
	switch {
	case articleMasc[w]:
		return 'm'
	case articleFem[w]:
		return 'f'
	}
	return 0
}

func nextFrenchWord(s string, i int) (string, int) {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) {
			break
		}
		i += size
	}
	start := i
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\'' {
			i += size
			break
		}
		if !unicode.IsLetter(r) && r != '-' {
			break
		}
		i += size
	}
	if i < len(s) && s[start:i] == "M" && s[i] == '.' {
		i++
	}
	return s[start:i], i
}

func lastWord(s string) string {
	t := strings.TrimRight(s, " ")
	i := strings.LastIndexFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '-' })
	return t[i+1:]
}

func resolve(refs []referent, i int, art *article, s string) *referent {
	// "Après sa visite, Poutine…": a possessive that opens its sentence
	// looks ahead to the sentence's first referent
	from := sentenceStart(s, i)
	before := false
	for _, r := range refs {
		if r.at >= from && r.at < i {
			before = true
		}
	}
	if !before {
		var first *referent
		for k := range refs {
			r := &refs[k]
			if r.at <= i || r.at-i > 200 || strings.ContainsAny(s[i:r.at], ".!?") {
				continue
			}
			if first == nil {
				first = r
			}
			if r.person {
				return r
			}
		}
		if first != nil {
			return first
		}
	}
	// the nearest referent that is not a complement; a person complement
	// nearer than a thing wins ("le dirigeant du Kremlin … son" is the
	// leader's, "la sœur du dirigeant … sa" the sister's, "la lettre de Kim
	// … son" Kim's)
	var person, any *referent
	for k := len(refs) - 1; k >= 0; k-- {
		r := &refs[k]
		if r.at >= i {
			continue
		}
		if any == nil {
			any = r
		}
		if !isComplement(s, r.at) {
			if !r.person && person != nil {
				return person
			}
			return r
		}
		if r.person && person == nil {
			person = r
		}
	}
	if person != nil {
		return person
	}
	if any == nil && art != nil {
		any = art.last
	}
	return any
}

func isComplement(s string, i int) bool {
	before := strings.ToLower(strings.TrimRight(s[:i], " "))
	for _, a := range []string{"le", "la", "les", "l'"} {
		if t, ok := strings.CutSuffix(before, a); ok && (t == "" || !unicode.IsLetter(lastRune(t))) {
			before = strings.TrimRight(t, " ")
			break
		}
	}
	w := lastWord(before)
	return complementWords[w] || strings.HasSuffix(before, ",") // an apposition: ", la capitale"
}

var complementWords = set("de du des d' à au aux en dans vers pour par sur avec contre chez entre")

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func resolveSubject(refs []referent, i int, art *article, s, pronoun string) *referent {
	g := byte('m')
	if pronoun == "elle" {
		g = 'f'
	}
	from := sentenceStart(s, sentenceStart(s, i)-1)
	var thing *referent
	for k := len(refs) - 1; k >= 0; k-- {
		r := &refs[k]
		if r.at >= i || r.gender != 0 && r.gender != g {
			continue
		}
		if r.person && r.at >= from {
			return r
		}
		if thing == nil && !r.person {
			thing = r
		}
	}
	// the previous paragraph's person, for a pronoun that opens this one
	// ("Il a ajouté…")
	if thing == nil && art != nil && art.last != nil && art.last.person && len(strings.Fields(s[:i])) <= 2 {
		return art.last
	}
	return thing
}

func sentenceStart(s string, i int) int {
	if i <= 0 {
		return 0
	}
	for j := min(i, len(s)) - 1; j > 0; j-- {
		if (s[j] == '.' || s[j] == '!' || s[j] == '?') && j+1 < len(s) && s[j+1] == ' ' {
			return j + 2
		}
	}
	return 0
}
