package apertium

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// French "leur", "son", "sa" and "ses" all become Spanish "su", which the
// English leg reads as "his": "leur soutien" came out "his support". So
// the possessive determiners travel as "notre"/"nos", which both legs keep
// apart ("our"), and each "our" of the output is rewritten, in order, to
// what the French meant: "their" for leur, and for son/sa/ses his, her or
// its by the nearest antecedent that can be told, else "their". Subject
// "il" and "elle" are resolved the same way (the Spanish leg drops them
// and the English one says "it"), and the impersonal "on" is "one".

var (
	// a possessive determiner, or a subject pronoun before its verb
	possRe = regexp.MustCompile(`(?i)(?:^|[^\p{L}-])(leurs?|son|sa|ses|notre|nos|ils|elles|il|elle|on)\b`)
	// words after "leur" that make it the pronoun ("leur a dit", "leur
	// permettre"), not the determiner
	leurVerbs = set("a ont avait avaient aura auront aurait auraient est sont était étaient sera serait y en fut donne donnent donner donné dit disent dire fait font faire permet permettent permettre permis demande demandent demander demandé offre offrent offrir offert propose proposent proposer rend rendent rendre reste restent manque manquent faut semble parle parlent parler accorde accorder accordé impose imposer imposé livre livrer livré envoie envoyer envoyé fournit fournir fourni apporte apporter apporté verse verser versé reproche reprocher reproché explique expliquer expliqué assure assurer assuré promet promettre promis rappelle rappeler rappelé annonce annoncer annoncé interdit interdire montre montrer montré laisse laisser laissé transmet transmettre transmis répond répondre répondu écrit écrire écrivent appartient appartiennent souhaite souhaiter adresse adresser adressé")
	// words after "il" or "elle" that make it impersonal ("il y a", "il
	// faut") or a question of grammar the pivot already gets right
	impersonal = set("y faut fallait faudra faudrait s'agit agit semble semblait reste restait existe suffit suffirait convient importe paraît pleut vaut manque arrive arrivait était est sera serait n'y n'est se")
	// subject pronouns and the like before "leur": then it is the pronoun
	beforeLeurPronoun = set("ne je tu il elle on nous vous ils elles qui se lui")
)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// referent is what a possessive or pronoun can point back to.
type referent struct {
	at     int    // byte offset in the segment
	person bool   // a person, else a country, institution or the like
	gender byte   // 'm', 'f' or 0 when it cannot be told
	name   string // the English name of a protected person, for the article's memory
}

// article carries what one article has said about its people across its
// paragraphs: the gender of names, and the last referent of a paragraph.
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

// personNouns are nouns for people with the gender their form shows ('m',
// 'f') or 0 for nouns of either gender ("ministre"), told by the article.
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

// thingNouns are singular nouns for countries and institutions, the usual
// "its" of news ("le pays et sa population").
var thingNouns = set("pays gouvernement régime parti armée état ville capitale entreprise société groupe organisation agence alliance nation conseil ministère administration tribunal cour assemblée parlement commission banque fonds union coalition république royaume empire kremlin")

var (
	articleMasc = set("le un ce cet du au")
	articleFem  = set("la une cette")
)

// referents lists, in order, the people and institutions a segment
// mentions: protected names by their glossary kind, person nouns and
// institution nouns, and the subject pronouns il/elle.
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

// titleGender reads the gender a name's title gives it: "le président
// Vladimir Poutine", "Mme Borne", "la dirigeante".
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

// appositionGender reads ", la sœur du dirigeant" after a name.
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

// nextFrenchWord returns the word at or after byte i (letters, hyphens, an
// elided article with its apostrophe, "M." with its period) and where it
// ends.
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

// possessive is one rewritten determiner or pronoun.
type possessive struct {
	start, end int
	french     string // what the pivot is sent instead
	english    string // what its "our" becomes, or a pronoun's English
	pronoun    bool   // a subject pronoun: sent as a placeholder, not as notre
}

// possessives finds the possessive determiners and subject pronouns of s
// outside the protected spans, and what each means.
func possessives(s string, spans []span, refs []referent, art *article) []possessive {
	var out []possessive
	inSpan := func(i int) bool {
		for _, sp := range spans {
			if i >= sp.start && i < sp.end {
				return true
			}
		}
		return false
	}
	for _, m := range possRe.FindAllStringSubmatchIndex(s, -1) {
		start, end := m[2], m[3]
		if inSpan(start) {
			continue
		}
		w := s[start:end]
		low := strings.ToLower(w)
		next, _ := nextFrenchWord(s, end)
		next = strings.ToLower(next)
		if next == "" {
			continue
		}
		p := possessive{start: start, end: end}
		switch low {
		case "leur":
			if leurVerbs[next] || beforeLeurPronoun[strings.ToLower(lastWord(s[:start]))] {
				continue // the pronoun: "them", which the pivot gets right
			}
			p.french, p.english = "notre", "their"
		case "leurs":
			p.french, p.english = "nos", "their"
		case "son", "sa":
			p.french, p.english = "notre", possessiveOf(resolve(refs, start, art, s))
		case "ses":
			p.french, p.english = "nos", possessiveOf(resolve(refs, start, art, s))
		case "notre":
			p.french, p.english = "notre", "our"
		case "nos":
			p.french, p.english = "nos", "our"
		case "il", "elle":
			if impersonal[next] {
				continue
			}
			// sent as a placeholder even when it cannot be told: after a
			// protected expression the Spanish leg drops it
			r := resolveSubject(refs, start, art, s, low)
			p.pronoun, p.english = true, subjectOf(r, low)
			if r != nil {
				// what follows refers back to the pronoun's referent, and
				// a person's pronoun tells their gender
				g := r.gender
				if r.person {
					g = map[string]byte{"il": 'm', "elle": 'f'}[low]
					art.learn(r.name, g)
				}
				refs = insertReferent(refs, referent{at: start, person: r.person, gender: g, name: r.name})
			}
		case "ils", "elles":
			p.pronoun, p.english = true, "they"
		case "on":
			if strings.HasSuffix(lastWord(s[:start]), "-t") || impersonal[next] {
				continue
			}
			p.pronoun, p.english = true, "one"
		}
		if unicode.IsUpper(firstRune(w)) {
			p.french, p.english = capitalize(p.french), capitalize(p.english)
		}
		out = append(out, p)
	}
	return out
}

// resolve returns the nearest referent before offset i, looking back
// through the segment and then to the article's last one; a complement
// ("le dirigeant du Kremlin") gives way to the noun it completes.
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
	var best *referent
	for k := len(refs) - 1; k >= 0; k-- {
		r := &refs[k]
		if r.at >= i {
			continue
		}
		if best == nil {
			best = r
		}
		if !isComplement(s, r.at) {
			return r
		}
	}
	if best == nil && art != nil {
		best = art.last
	}
	return best
}

// isComplement reports whether the word at i completes a noun before it
// ("de", "du", "des", "d'" before it, past the article).
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

// complementWords are prepositions whose noun is rarely the possessor:
// "le dirigeant du Kremlin offre … à son homologue".
var complementWords = set("de du des d' à au aux en dans vers pour par sur avec contre chez entre")

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func possessiveOf(r *referent) string {
	switch {
	case r == nil:
		return "their"
	case !r.person:
		return "its"
	case r.gender == 'm':
		return "his"
	case r.gender == 'f':
		return "her"
	}
	return "their"
}

// resolveSubject finds what il/elle stands for: the nearest person of the
// sentence or the one before, else the nearest referent whose gender does
// not contradict the pronoun's.
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
	if thing == nil && art != nil && art.last != nil && art.last.person {
		return art.last
	}
	return thing
}

// sentenceStart is the offset where the sentence holding byte i starts.
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

// subjectOf renders il/elle by its referent: a person is he or she by the
// pronoun itself, anything else it; unknown, il is the pivot's "it" and
// elle "she".
func subjectOf(r *referent, pronoun string) string {
	if r == nil {
		if pronoun == "elle" {
			return "she"
		}
		return "it"
	}
	if !r.person {
		return "it"
	}
	if pronoun == "elle" {
		return "she"
	}
	return "he"
}

// ourRe is the pivot's rendering of notre/nos.
var ourRe = regexp.MustCompile(`\b(?:[Oo]ur|[Oo]urs)\b`)

// rewriteOurs replaces each "our" of the English, in order, by the
// possessive the French had; a count that does not match leaves the rest.
func rewriteOurs(s string, values []string) string {
	if len(values) == 0 {
		return s
	}
	k := 0
	return ourRe.ReplaceAllStringFunc(s, func(m string) string {
		if k >= len(values) {
			return m
		}
		v := values[k]
		k++
		if unicode.IsUpper(firstRune(m)) {
			return capitalize(v)
		}
		return strings.ToLower(v[:1]) + v[1:]
	})
}
