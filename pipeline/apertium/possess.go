package apertium

import (
	"regexp"
	"strings"
	"unicode"
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
// article carries what one article has said about its people across its
// paragraphs: the gender of names, and the last referent of a paragraph.
// personNouns are nouns for people with the gender their form shows ('m',
// 'f') or 0 for nouns of either gender ("ministre"), told by the article.
// thingNouns are singular nouns for countries and institutions, the usual
// "its" of news ("le pays et sa population").
// referents lists, in order, the people and institutions a segment
// mentions: protected names by their glossary kind, person nouns and
// institution nouns, and the subject pronouns il/elle.
// titleGender reads the gender a name's title gives it: "le président
// Vladimir Poutine", "Mme Borne", "la dirigeante".
// appositionGender reads ", la sœur du dirigeant" after a name.
// nextFrenchWord returns the word at or after byte i (letters, hyphens, an
// elided article with its apostrophe, "M." with its period) and where it
// ends.
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
			if articleMasc[strings.ToLower(lastWord(s[:start]))] {
				continue // "le son des cloches": the noun
			}
			p.french, p.english = "notre", possessiveOf(resolve(refs, start, art, s))
		case "ses":
			p.french, p.english = "nos", possessiveOf(resolve(refs, start, art, s))
		case "notre":
			p.french, p.english = "notre", "our"
		case "nos":
			p.french, p.english = "nos", "our"
		case "il", "elle":
			if next == "ne" || next == "n'" {
				// "il ne faut pas": the verb after the negation decides
				_, e := nextFrenchWord(s, end)
				next, _ = nextFrenchWord(s, e)
				next = strings.ToLower(next)
			}
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
// isComplement reports whether the word at i completes a noun before it
// ("de", "du", "des", "d'" before it, past the article).
// complementWords are prepositions whose noun is rarely the possessor:
// "le dirigeant du Kremlin offre … à son homologue".
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
// sentenceStart is the offset where the sentence holding byte i starts.
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
