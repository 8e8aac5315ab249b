package llmtest

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	documentRe = regexp.MustCompile(`(?s)<document>\n?(.*?)\n?</document>`)
	draftRe    = regexp.MustCompile(`(?s)<draft>\n?(.*?)\n?</draft>`)
	numberedRe = regexp.MustCompile(`^\[(\d+)\]\s*`)
	wordRe     = regexp.MustCompile(`[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*`)
	spacesRe   = regexp.MustCompile(` {2,}`)
)

// Translator is the fake model's translate stage. It reads the <document>
// block of the last user message, "translates" each paragraph word by word
// with a small French → English table (unknown words, names and numbers
// kept as they are), keeps "[n]" numbering when the input has it, and
// answers with as many paragraphs as it was given. The output is poor
// English but no longer French, which is what the translate stage's checks
// look at.
//
// A review-stage request (Stage "review", or a <draft> block) gets its
// draft back unchanged inside <translation> tags, after a one-line
// critique.
func Translator() Handler {
	return func(c Call) Reply {
		user := c.User()
		if m := draftRe.FindStringSubmatch(user); c.Stage == "review" || m != nil {
			draft := ""
			if m != nil {
				draft = m[1]
			}
			return Reply{Content: "- No errors found.\n\n<translation>\n" + draft + "\n</translation>"}
		}
		ms := documentRe.FindAllStringSubmatch(user, -1)
		if ms == nil {
			return Reply{Content: ""}
		}
		paras := strings.Split(ms[len(ms)-1][1], "\n\n")
		out := make([]string, 0, len(paras))
		for _, p := range paras {
			mark := numberedRe.FindString(p)
			out = append(out, strings.TrimSpace(mark)+sep(mark)+TranslateText(strings.TrimPrefix(p, mark)))
		}
		return Reply{Content: strings.Join(out, "\n\n")}
	}
}

func sep(mark string) string {
	if mark == "" {
		return ""
	}
	return " "
}

// TranslateText is the fake model's word-for-word French → English.
// Exported so tests can build the answers a misbehaving model would wrap.
func TranslateText(text string) string {
	var b strings.Builder
	last := 0
	for _, loc := range wordRe.FindAllStringIndex(text, -1) {
		between := text[last:loc[0]]
		w := text[loc[0]:loc[1]]
		// an elided article or pronoun (l’, d’, qu’) eats its apostrophe
		r, size := utf8.DecodeRuneInString(text[loc[1]:])
		if (r == '’' || r == '\'') && loc[1]+size < len(text) {
			if e, ok := elided[strings.ToLower(w)]; ok {
				b.WriteString(between)
				if e != "" {
					b.WriteString(matchCase(w, e) + " ")
				}
				last = loc[1] + size
				continue
			}
		}
		b.WriteString(between)
		if e, ok := frEn[strings.ToLower(w)]; ok {
			b.WriteString(matchCase(w, e))
		} else {
			b.WriteString(w)
		}
		last = loc[1]
	}
	b.WriteString(text[last:])
	s := spacesRe.ReplaceAllString(b.String(), " ")
	return strings.TrimSpace(strings.ReplaceAll(s, " ,", ","))
}

func matchCase(src, en string) string {
	r, _ := utf8.DecodeRuneInString(src)
	if en == "" || !unicode.IsUpper(r) {
		return en
	}
	e, size := utf8.DecodeRuneInString(en)
	return string(unicode.ToUpper(e)) + en[size:]
}

var elided = map[string]string{
	"l": "the", "d": "of", "qu": "that", "n": "", "s": "", "c": "it", "j": "I", "m": "me", "t": "you",
	"jusqu": "until", "lorsqu": "when", "puisqu": "since", "quoiqu": "although",
}

// frEn covers the most frequent French words (every stop word package lang
// counts as French) and the common words of the seed articles.
var frEn = map[string]string{
	// articles, pronouns, conjunctions, prepositions
	"le": "the", "la": "the", "les": "the", "un": "a", "une": "a", "des": "some", "du": "of the", "de": "of",
	"au": "to the", "aux": "to the", "à": "to", "et": "and", "ou": "or", "où": "where", "mais": "but",
	"donc": "so", "car": "because", "ni": "nor", "que": "that", "qui": "who", "quoi": "what", "dont": "whose",
	"ne": "", "pas": "not", "plus": "more", "moins": "less", "très": "very", "trop": "too", "aussi": "also",
	"il": "he", "elle": "she", "ils": "they", "elles": "they", "on": "one", "nous": "we", "vous": "you",
	"je": "I", "tu": "you", "se": "himself", "lui": "him", "leur": "their", "leurs": "their", "son": "his",
	"sa": "his", "ses": "his", "mon": "my", "ma": "my", "mes": "my", "notre": "our", "nos": "our",
	"votre": "your", "vos": "your", "ce": "this", "cet": "this", "cette": "this", "ces": "these",
	"cela": "that", "ceci": "this", "celui": "the one", "celle": "the one", "y": "there", "en": "in",
	"dans": "in", "pour": "for", "par": "by", "sur": "on", "sous": "under", "avec": "with", "sans": "without",
	"chez": "at", "entre": "between", "vers": "towards", "contre": "against", "depuis": "since",
	"pendant": "during", "avant": "before", "après": "after", "selon": "according to", "lors": "during",
	"comme": "as", "si": "if", "tout": "all", "tous": "all", "toute": "all", "toutes": "all", "même": "same",
	"autre": "other", "autres": "others", "quelques": "some", "plusieurs": "several", "chaque": "each",
	"alors": "then", "ainsi": "thus", "encore": "still", "déjà": "already", "toujours": "always",
	"jamais": "never", "seulement": "only", "également": "also", "notamment": "notably", "tandis": "while",
	"quant": "as for", "via": "via", "non": "no", "oui": "yes", "puis": "then", "ensuite": "then",
	"cependant": "however", "pourtant": "yet", "parce": "because", "lorsque": "when", "quand": "when",
	"afin": "so", "dès": "from", "jusque": "until", "auprès": "with", "parmi": "among", "vu": "seen",
	// verbs
	"est": "is", "sont": "are", "était": "was", "étaient": "were", "été": "been", "être": "be", "a": "has",
	"ont": "have", "avait": "had", "avaient": "had", "avoir": "have", "aurait": "would have", "serait": "would be", "auraient": "would have", "seraient": "would be",
	"sera": "will be", "fait": "made", "faire": "make", "peut": "can", "pourrait": "could", "doit": "must",
	"déclaré": "stated", "dit": "said", "offert": "offered", "offre": "offers", "reçu": "received",
	"signé": "signed", "rendu": "made", "permis": "allowed", "montre": "shows", "utilisé": "used",
	"utilisée": "used", "rapporté": "reported", "envoyé": "sent", "exprimé": "expressed", "possède": "owns",
	"fournir": "supply", "atterri": "landed", "conduit": "drove", "salué": "hailed", "renforcé": "strengthened",
	"publiée": "published", "publiées": "published", "intervient": "comes", "affirment": "claim",
	"semblaient": "seemed", "riaient": "laughed", "lire": "read", "voir": "see", "prévu": "planned",
	"livrée": "delivered", "arrivés": "arrived", "allait": "would", "contribuerait": "would contribute",
	"voyait": "saw", "invitant": "inviting", "inspectant": "inspecting", "remerciaient": "thanked",
	// nouns and adjectives of the seeds
	"nord": "North", "sud": "South", "russie": "Russia", "russe": "Russian", "russes": "Russian",
	"corée": "Korea", "coréen": "Korean", "coréenne": "Korean", "coréens": "Korean", "poutine": "Putin",
	"moscou": "Moscow", "séoul": "Seoul", "pékin": "Beijing", "états-unis": "United States", "unis": "United",
	"états": "States", "état": "state", "voiture": "car", "voitures": "cars", "véhicule": "vehicle",
	"véhicules": "vehicles", "pays": "country", "dirigeant": "leader", "dirigeants": "leaders",
	"président": "president", "présidents": "presidents", "présidentielle": "presidential", "visite": "visit",
	"guerre": "war", "armes": "weapons", "arme": "weapon", "luxe": "luxury", "sécurité": "security",
	"soutien": "support", "militaire": "military", "militaires": "military", "liens": "ties",
	"voyage": "trip", "médias": "media", "accord": "agreement", "relations": "relations", "programme": "programme",
	"fabrication": "make", "cadeau": "gift", "cadeaux": "gifts", "agence": "agency", "presse": "press",
	"sanctions": "sanctions", "résolution": "resolution", "première": "first", "premier": "first",
	"deuxième": "second", "dernier": "last", "dernière": "last", "peuple": "people", "part": "part",
	"niveau": "level", "moment": "moment", "images": "images", "hommes": "men", "homme": "man", "fois": "times",
	"défense": "defence", "armée": "army", "ans": "years", "an": "year", "année": "year", "anniversaire": "birthday",
	"tour": "ride", "septembre": "September", "février": "February", "juin": "June", "janvier": "January",
	"mardi": "Tuesday", "mercredi": "Wednesday", "jeudi": "Thursday", "réunion": "meeting", "retour": "return",
	"propre": "own", "nouveau": "new", "nouvel": "new", "nouvelle": "new", "nouvelles": "new",
	"mutuelle": "mutual", "munitions": "ammunition", "modèle": "model", "milliers": "thousands",
	"millions": "millions", "milliards": "billions", "jour": "day", "invasion": "invasion",
	"internationales": "international", "internationale": "international", "homologue": "counterpart",
	"grande": "great", "grand": "great", "dictateur": "dictator", "cours": "course", "coopération": "cooperation",
	"chef": "chief", "capitale": "capital", "assistance": "assistance", "alliés": "allies", "étrangères": "foreign",
	"étrangers": "foreign", "étrangère": "foreign", "économiques": "economic", "échange": "exchange",
	"victoire": "victory", "temps": "time", "technologie": "technology", "sœur": "sister", "sévères": "severe",
	"souveraineté": "sovereignty", "solidarité": "solidarity", "régime": "regime", "responsable": "official",
	"responsables": "officials", "relation": "relationship", "père": "father", "proche": "close",
	"principaux": "main", "principal": "main", "personnel": "personal", "personnelle": "personal",
	"partenariat": "partnership", "nucléaire": "nuclear", "noire": "black", "noir": "black", "nations": "nations",
	"unies": "United", "missiles": "missiles", "marque": "brand", "limousine": "limousine",
	"limousines": "limousines", "amitié": "friendship", "alliance": "alliance", "aide": "aid",
	"camarade": "comrade", "conseiller": "adviser", "conseillers": "advisers", "conseil": "council",
	"conteneurs": "containers", "dizaines": "tens", "décennies": "decades", "direction": "direction",
	"contexte": "context", "compris": "including", "début": "beginning", "lettre": "letter", "lettres": "letters",
	"chevaux": "horses", "étalons": "stallions", "juments": "mares", "célèbres": "famous", "ami": "friend",
	"spécial": "special", "mis": "updated", "jour-là": "day", "monde": "world", "ministre": "minister",
	"affaires": "affairs", "ministère": "ministry", "gouvernement": "government", "rues": "streets",
	"cinq": "five", "deux": "two", "trois": "three", "quatre": "four", "dix": "ten", "cent": "hundred",
	"mille": "thousand", "semaine": "week", "mois": "month", "matin": "morning", "soir": "evening",
	"heure": "hour", "locale": "local", "région": "region", "république": "Republic", "populaire": "People's",
	"démocratique": "Democratic", "occident": "West", "occidentaux": "Western", "ukrainiens": "Ukrainians",
	"unique": "unique", "fermé": "closed", "huis": "doors", "clos": "closed", "caméras": "cameras",
	"collection": "collection", "étonnement": "amazement", "banquette": "seat", "arrière": "rear",
	"usage": "use", "note": "note", "extrême-orient": "Far East",
	"rien": "nothing", "réduit": "scale", "utilisées": "used", "tard": "later",
}
