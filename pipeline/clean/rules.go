package clean

import (
	"bytes"
	"strings"

	"github.com/depeche-news/depeche/pipeline/prefilter"
)

// lineRule removes a whole block that matches one of its alternatives.
// Alternatives match the block's match form (see matchForm): apostrophes
// are ', non-breaking spaces are spaces. Every alternative is anchored on
// both ends: a rule removes a block that IS a share bar or a paywall
// prompt, never a sentence that merely mentions Facebook or a subscription.
// Each alternative is compiled alone behind a gate (package prefilter), so
// a block is only run through the few alternatives its first runes and
// length allow.
type lineRule struct {
	name  string
	alts  []prefilter.Whole
	max   int               // longest block, in bytes, the rule may remove
	first [256][]int32      // by the first byte of a line, the alternatives it may start
	needs func(string) bool // a necessary condition on the line, cheaper than the gates; nil: none
}

func full(name string, max int, alts ...string) lineRule {
	r := lineRule{name: name, max: max}
	for i, a := range alts {
		x := prefilter.NewWhole(a)
		r.alts = append(r.alts, x)
		for b := range 256 {
			if x.MayLead(byte(b)) {
				r.first[b] = append(r.first[b], int32(i))
			}
		}
	}
	return r
}

// with returns the rule with a necessary condition its gates cannot read.
func (r lineRule) with(needs func(string) bool) lineRule {
	r.needs = needs
	return r
}

// dated reports a line that may be a timestamp: past its labels
// ("Publié le", "Mis à jour :", a weekday), a digit, "hier",
// "aujourd'hui" or "il y a" (every alternative of the rule starts so, and
// most short lines do not).
func dated(m string) bool {
	for m != "" {
		w, rest, _ := strings.Cut(m, " ")
		lw := strings.ToLower(strings.TrimRight(w, ":,"))
		switch {
		case lw == "":
		case w[0] >= '0' && w[0] <= '9', strings.HasPrefix(lw, "aujourd"), lw == "hier", lw == "il":
			return true
		case !stampWord[lw]:
			return false
		}
		m = rest
	}
	return false
}

// credited reports a line that may be a picture's credit: a copyright
// sign, rights reserved, or a credit word or an agency first (every
// alternative of the rule needs one).
func credited(m string) bool {
	for _, c := range []string{"©", "roits", "ROITS", "ights", "IGHTS"} {
		if strings.Contains(m, c) {
			return true
		}
	}
	s := strings.TrimLeft(m, "( ")
	w, _, _ := strings.Cut(s, " ")
	w = strings.ToLower(strings.TrimRight(w, ":"))
	for _, p := range []string{"crédit", "credit", "photo", "image", "illustration", "vidéo", "video", "source", "picture"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	for _, a := range agencyNames {
		if len(s) >= len(a) && strings.EqualFold(s[:len(a)], a) {
			return true
		}
	}
	return false
}

// crumbed reports a line holding a separator of a breadcrumb, which every
// alternative of the rule needs.
func crumbed(m string) bool {
	return strings.IndexByte(m, '>') >= 0 || strings.IndexByte(m, '/') >= 0 || strings.IndexByte(m, '|') >= 0 ||
		strings.Contains(m, "›") || strings.Contains(m, "»")
}

// stampWord are the words a timestamp's label is made of, and the weekdays.
var stampWord = map[string]bool{"publié": true, "publiée": true, "publie": true, "publiee": true, "le": true, "mis": true, "mise": true,
	"à": true, "a": true, "jour": true, "modifié": true, "modifie": true, "modifiée": true, "actualisé": true, "actualise": true,
	"updated": true, "published": true, "posted": true, "on": true, ":": true, "-": true, "|": true,
	"lundi": true, "mardi": true, "mercredi": true, "jeudi": true, "vendredi": true, "samedi": true, "dimanche": true}

// match reports whether a block is one the rule removes.
func (r *lineRule) match(l *prefilter.Line) bool {
	if len(l.String()) > r.max || r.needs != nil && !r.needs(l.String()) {
		return false
	}
	m := l.String()
	if m == "" {
		for i := range r.alts {
			if r.alts[i].Match(l) {
				return true
			}
		}
		return false
	}
	for _, i := range r.first[m[0]] {
		if r.alts[i].Match(l) {
			return true
		}
	}
	return false
}

const (
	num         = `(?:\d{1,3}|z[ée]ro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|one|two|three|four|five|seven|eight|nine|ten)`
	mois        = `(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|janv|f[ée]vr?|avr|juil|sept|oct|nov|d[ée]c)\.?`
	jour        = `(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)`
	dateFR      = `(?:` + jour + `\s+)?(?:le\s+)?\d{1,2}(?:er)?\s+` + mois + `(?:\s+\d{4})?|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}(?:T[\d:+.Z-]+)?|aujourd'hui|hier|il y a \d+ (?:min|minutes?|heures?|h|jours?)`
	timeFR      = `(?:(?:à|a|-|–|—|,)?\s*\d{1,2}\s*(?:h|:)\s*\d{0,2}(?:\s*(?:min)?)?)`
	stampLbl    = `(?:publi[ée](?:\s+le)?|mis\s+[àa]\s+jour(?:\s+le)?|modifi[ée](?:\s+le)?|actualis[ée](?:\s+le)?|mise\s+[àa]\s+jour(?:\s+le)?|updated|published|posted(?:\s+on)?|le)`
	stampOne    = stampLbl + `\s*:?\s*(?:` + dateFR + `)\s*` + timeFR + `?`
	stampBy     = `(?:` + stampSigned + `)?`
	stampSigned = `\s*,?\s+(?:par|by)\s+[^.!?]{2,60}`
	agencies    = `AFP|AP|Reuters|EPA|Getty(?:\s+Images)?|KCNA|KCTV|Sputnik|Xinhua|Yonhap|Bloomberg|TASS|Anadolu|ANP|DPA|Pool|Belga|Abaca|Sipa|Shutterstock|iStock|Hans Lucas|MaxPPP|Newsource|Unsplash|Wikimedia`
)

// rules are tried in order; the first that matches names the removal.
var rules = []lineRule{
	full("comment-widget", 260,
		`laisser un commentaire`, `laissez un commentaire`, `leave a (?:comment|reply)`, `r[ée]pondre`, `reply`,
		`annuler la r[ée]ponse`, `cancel reply`, `\d+\s+(?:commentaires?|comments?|r[ée]actions?)`, `commentaires?(?:\s*\(\d+\))?`,
		`comments?`, `commenter`, `r[ée]agir(?: [àa] cet article)?`, `voir (?:les|tous les) (?:\d+ )?commentaires`,
		`votre adresse (?:e-?mail|de messagerie|courriel) ne sera pas publi[ée]e.*`, `your email address will not be published.*`,
		`les champs obligatoires sont indiqu[ée]s avec.*`, `required fields are marked.*`,
		`ce site utilise akismet pour r[ée]duire les ind[ée]sirables.*`, `this site uses akismet to reduce spam.*`,
		`en savoir plus sur la fa[çc]on dont les donn[ée]es de vos commentaires sont trait[ée]es.*`,
		`enregistrer mon nom, mon e-?mail et mon site.*`, `save my name, email, and website.*`,
		`(?:nom|name|e-?mail|site web|website|commentaire|comment|pseudo)\s*\*?`, `publier (?:le|un|votre) commentaire`,
		`post comment`, `soumettre`, `envoyer`, `vous devez [êe]tre connect[ée] pour (?:publier|poster) un commentaire.*`,
		`connectez-vous pour (?:commenter|r[ée]agir).*`, `soyez le premier [àa] (?:commenter|r[ée]agir).*`,
		`(?:il y a )?\d+ (?:r[ée]ponses?|replies)`, `signaler(?: un abus| ce commentaire| une (?:erreur|faute|coquille)(?: dans cet article)?)?`, `(?:j'aime|like)\s*\(?\d*\)?`),
	full("feedback", 120,
		`(?:cet article|ce contenu|cette page|cette information) vous a-t-(?:il|elle) (?:[ée]t[ée] )?(?:utile|plu|int[ée]ress[ée]e?)\s*\??`,
		`avez-vous trouv[ée] (?:cet article|ce contenu|cette page) utile\s*\??`, `vous avez aim[ée] (?:cet article|ce contenu)\s*\?.{0,60}`, `(?:was this|did you find this) (?:article|page) (?:helpful|useful)\??`),
	full("captcha", 300,
		num+`\s*[−–+×x*÷/-]\s*`+num+`\s*=\s*(?:`+num+`|\?|_+)?`, `_*\s*[−–+×x*÷/-]\s*`+num+`\s*=\s*`+num, num+`\s*[−–+×x*÷/-]\s*_+\s*=\s*`+num,
		`je ne suis pas un robot`, `i'?m not a robot`, `recaptcha`, `confidentialit[ée]\s*-\s*conditions`, `privacy\s*-\s*terms`,
		`captcha`, `(?:code de )?s[ée]curit[ée] ?: ?.{0,20}`, `(?:merci de )?r[ée]soudre (?:ce|le) calcul.*`, `r[ée]solvez (?:ce|le) calcul.*`,
		`v[ée]rification (?:que vous [êe]tes|si vous [êe]tes un) humain.*`, `v[ée]rifiez que vous [êe]tes (?:un )?humain.*`,
		`verify(?:ing)? (?:that )?you are (?:a )?human.*`, `checking (?:if the site connection is secure|your browser).*`,
		`cette v[ée]rification peut prendre quelques secondes.*`, `(?:cloudflare )?ray id\s*:?\s*[0-9a-f]+.*`,
		`performances? (?:et|&) s[ée]curit[ée] (?:par|by) cloudflare`, `performance & security by cloudflare`,
		`activez javascript et les cookies pour continuer.*`, `enable javascript and cookies to continue.*`, `attention required!?.*cloudflare.*`),
	full("share-bar", 200,
		`(?:partager|partagez|share|tweeter|tweet|envoyer|imprimer|print|copier le lien|lien copi[ée]|copy link|e-?mail|mail|facebook|twitter|x|linkedin|pinterest|whatsapp|messenger|telegram|reddit|flipboard|bluesky|threads|mastodon|instagram|youtube|tiktok|snapchat|google news|google\+|recommander|[|•·,/])(?:\s*(?:partager|share|facebook|twitter|x|linkedin|pinterest|whatsapp|messenger|telegram|reddit|flipboard|bluesky|threads|mastodon|instagram|youtube|tiktok|e-?mail|mail|imprimer|print|copier le lien|recommander|signaler(?: un abus)?|\d{1,6}|[|•·,/:]))*`,
		`(?:partager|partagez)(?: cet article| l'article)?(?: sur| par| via)?(?: facebook| twitter| x| linkedin| whatsapp| e-?mail| mail)?`,
		`envoyer (?:par|cet article par) (?:e-?mail|mail|courriel)`, `share (?:this|on) .{0,20}`,
		`suivez-nous(?: sur)?.{0,40}`, `follow us(?: on)?.{0,40}`, `(?:s'abonner|abonnez-vous) sur google (?:news|actualit[ée]s)`,
		`ajouter (?:[àa] mes favoris|aux favoris)`, `sauvegarder(?: l'article)?`, `offrir (?:cet |l')article`, `[ée]couter (?:cet |l')article.*`,
		`(?:lire|read) (?:plus tard|later)`, `t[ée]l[ée]charger (?:l'application|l'appli).*`),
	full("read-also", 300,
		`(?:[àa] )?lire aussi\b.*`, `(?:[àa] )?lire [ée]galement\b.*`, `(?:[àa] )?(?:voir|d[ée]couvrir|[ée]couter|regarder) aussi\b.*`,
		`lire la suite.*`, `sur le m[êe]me (?:sujet|th[èe]me)\b.*`, `dans la m[êe]me rubrique.*`, `(?:nos )?articles? (?:similaires|li[ée]s|associ[ée]s|recommand[ée]s)`,
		`lire (?:les|toutes les|nos) (?:autres )?(?:nouvelles|actualit[ée]s|articles|infos).*`, `(?:les )?plus (?:lus|partag[ée]s|comment[ée]s)`,
		`vous aimerez (?:aussi|[ée]galement).*`, `vous pourriez aussi aimer.*`, `(?:related|read more|more on this|see also|recommended)(?: articles| stories)?\b.{0,100}`,
		`en savoir plus`, `(?:voir|lire) (?:plus|l'article|la vid[ée]o|aussi)`, `(?:[àa] )?ne pas manquer`, `(?:[àa] )?d[ée]couvrir(?: aussi| [ée]galement)?`,
		`lire le dossier\b.{0,200}`, `(?:voir|lire) (?:notre|le|tout le) dossier\b.{0,200}`,
		`(?:toute )?l'actualit[ée] (?:en continu|[àa] ne pas manquer)`, `derni[èe]res? (?:actualit[ée]s|infos|nouvelles|articles)`, `(?:[àa] la une|les +essentiels)`),
	full("paywall", 300,
		`cet article est r[ée]serv[ée] aux abonn[ée]s.*`, `article r[ée]serv[ée] aux abonn[ée]s.*`, `(?:la suite|le reste) (?:de cet article )?est r[ée]serv[ée]e? aux abonn[ée]s.*`,
		`r[ée]serv[ée] aux abonn[ée]s`, `abonn[ée]s`, `d[ée]j[àa] abonn[ée]\s*\??.*`, `(?:se|me) connecter`, `connexion`, `s'identifier`, `log ?in|sign ?in`,
		`il vous reste \d+(?:[.,]\d+)? ?% de cet article [àa] lire.*`, `(?:abonnez-vous|je m'abonne|s'abonner|subscribe)(?: [àa] partir de| pour| d[èe]s| et| sans)?.{0,80}`,
		`offre (?:sp[ée]ciale|d[ée]couverte|num[ée]rique|exclusive|limit[ée]e).{0,120}`, `(?:seulement|puis|soit) \d+[,.]?\d* ?(?:€|euros?).{0,80}`, `\d+[,.]?\d* ?€ ?(?:/|par) ?mois.{0,80}`,
		`sans engagement.{0,60}`, `r[ée]siliable [àa] tout moment.*`, `lecture du monde en cours sur un autre appareil.*`,
		`vous pouvez lire le monde sur un seul appareil [àa] la fois.*`, `ce message s'affichera sur l'autre appareil.*`, `d[ée]couvrir les offres multicomptes.*`,
		`pourquoi voyez-vous ce message ?.*`, `continuer [àa] lire ici.*`, `(?:pour )?(?:lire|acc[ée]der [àa]) (?:la suite|l'int[ée]gralit[ée]|cet article).{0,80}`,
		`d[ée]bloquez (?:cet|l')article.*`, `profitez (?:de|d'un) (?:l'offre|acc[èe]s illimit[ée]).*`, `cr[ée]er (?:un|mon) compte(?: gratuit(?:ement)?)?`),
	full("newsletter", 300,
		`(?:la |notre |nos )?newsletters?.{0,80}`, `inscrivez-vous (?:[àa]|gratuitement [àa]) (?:notre|la|nos) newsletters?.*`, `(?:je m'inscris|s'inscrire|inscription)(?: [àa] la newsletter)?`,
		`recevez (?:chaque|tous les|notre|nos|gratuitement|l'essentiel).{0,120}(?:newsletter|e-?mail|bo[iî]te (?:mail|de r[ée]ception)).*`,
		`(?:votre )?adresse (?:e-?mail|email|mail|courriel)\s*\*?`, `vous [êe]tes (?:bien )?inscrit.*`, `merci pour votre inscription.*`,
		`en vous inscrivant,? vous acceptez.*`, `(?:subscribe to|sign up for) (?:our|the) newsletter.*`, `(?:subscribe|sign up|valider|ok)`,
		`vous pouvez vous d[ée]sinscrire [àa] tout moment.*`, `l'essentiel de l'actualit[ée] (?:chaque (?:jour|matin|soir)|dans votre bo[iî]te).*`),
	full("cookie-banner", 900,
		`(?:avec votre accord,?\s*)?(?:nous|nos partenaires et nous|avec nos partenaires,? nous|ce site|notre site|le monde|ce site web) (?:utilis(?:e|ons)|d[ée]pos(?:e|ons)).{0,40}(?:cookies|traceurs).*`,
		`en (?:poursuivant|continuant) (?:votre navigation|sur ce site).*(?:cookies|traceurs).*`, `we (?:and our partners )?use cookies.*`,
		`(?:tout )?(?:accepter|refuser)(?: et (?:fermer|continuer))?(?: tout| les cookies)?`, `j'accepte`, `accept(?: all)?(?: cookies)?`, `reject all`, `(?:ok|d'accord),? (?:j'ai compris|pour moi)`,
		`continuer sans accepter.*`, `(?:param[ée]trer|g[ée]rer|personnaliser) (?:les |mes |vos )?(?:cookies|choix|pr[ée]f[ée]rences|traceurs|param[èe]tres)`,
		`personnaliser`, `(?:politique|gestion) (?:de |des )?(?:cookies|confidentialit[ée]|traceurs)`, `cookie (?:policy|settings)`, `privacy policy`,
		`(?:vos choix|votre consentement).{0,40}(?:cookies|partenaires).*`, `vous pouvez (?:modifier|retirer) votre consentement.*`),
	full("reading-time", 80,
		`(?:temps de )?lecture\s*:?\s*\d+\s*(?:min(?:ute)?s?|mn)\.?`, `\d+\s*(?:min(?:ute)?s?|mn) (?:de lecture|read|reading)`, `dur[ée]e de lecture\s*:?\s*\d+.{0,10}`),
	full("timestamp", 200,
		// one stamp, one signed, several: apart, the first two are small
		// enough for Go's backtracker, much faster than its NFA
		stampOne, stampOne+stampSigned, stampOne+`(?:\s*[,|•·–—-]?\s*`+stampOne+`)+`+stampBy, `(?:`+dateFR+`)\s*`+timeFR+`?`,
		`(?:`+dateFR+`)\s*`+timeFR+`?`+stampSigned, `(?:publi[ée]|mis [àa] jour|updated)(?: il y a)? \d+ ?(?:min|minutes?|h|heures?|jours?)`,
		`mis\s+[àa]\s+jour\s+(?:le\s+)?(?:`+jour+`\s+)?\d{1,2}(?:er)?\s+`+mois+`\s+\d{4}\s*[-–—,]?\s*(?:[àa]\s*)?\d{1,2}\s*h\s*\d{0,2}`).with(dated),
	full("photo-credit", 160,
		`©\s*.{1,80}`, `\(?(?:cr[ée]dits?(?: photos?)?|photos?|image|illustration|vid[ée]o|source)\s*:?\s*©?\s*(?:`+agencies+`|[A-ZÉ][\w'’.-]+(?:\s+[A-ZÉ][\w'’.-]+){0,3})(?:\s*[/,-]\s*[\w'’. ]{1,40}){0,3}\)?`,
		`(?:photo|image) d'illustration.{0,60}`, `droits d'auteur\s*:?\s*.{1,80}`, `\(?(?:`+agencies+`)(?:\s*/\s*[\w'’. -]{1,40}){0,3}(?:\s+via\s+[\w ]{1,40})?\)?`,
		`(?:photo|crédit|credit)\s*:?\s*(?:`+agencies+`).{0,60}`, `(?:\(?photo by|\(?picture by).{1,80}`,
		// a caption whose credit follows a dash: "… inattendue - Tous droits réservés Capture d'écran X"
		`[^.!?]{10,200}\s[-–—|]\s+(?:tous droits r[ée]serv[ée]s|all rights reserved|©)[^.!?]{0,120}`).with(credited),
	full("tags", 300,
		`(?:tags|mots[- ]cl[ée]s|th[èe]mes|sujets|[ée]tiquettes|keywords|topics|rubriques?)\s*:.*`, `(?:tags|mots[- ]cl[ée]s|keywords|[ée]tiquettes)`, `(?:#[\p{L}\d_]+\s*)+`, `voir (?:les|tous les) sujets`),
	full("footer", 200,
		`(?:©|\(c\)|copyright)?\s*\d{4}.{0,60}tous droits r[ée]serv[ée]s.*`, `tous droits r[ée]serv[ée]s.*`, `all rights reserved.*`, `copyright\s*(?:©\s*)?.{1,60}`, `mentions l[ée]gales`,
		`conditions g[ée]n[ée]rales(?: d'utilisation| de vente)?`, `cgu|cgv`, `plan du site`, `qui sommes-nous\s*\??`, `nous contacter|contactez-nous|contact`,
		`retour en haut(?: de (?:la )?page)?`, `haut de page`, `back to top`, `menu`, `fermer`, `close`, `rechercher`, `search`, `recherche`, `mon compte`,
		`se d[ée]connecter`, `accueil`, `home`, `aide`, `faq`, `publicit[ée] cibl[ée]e.*`, `accessibilit[ée](?: : .{0,40})?`, `charte (?:de mod[ée]ration|d'utilisation).*`,
		`(?:notre |la )?r[ée]daction`, `par la r[ée]daction(?:\s+[\p{L}-]+){0,3}`, `[ée]dition (?:du soir|abonn[ée]s)?`, `(?:t[ée]l[ée]charger|retrouvez).{0,40}(?:app store|google play).*`),
	full("ad", 80,
		`publicit[ée]`, `[-–—]?\s*publicit[ée]\s*[-–—]`, `pub`, `advertisement`, `advertising`, `annonce`, `sponsoris[ée]`, `contenu (?:sponsoris[ée]|partenaire|de marque)`, `article sponsoris[ée]`,
		`(?:votre|la) publicit[ée] (?:ici|s'affichera ici)`, `la suite apr[èe]s (?:cette )?(?:la )?publicit[ée]`, `suite apr[èe]s (?:la )?publicit[ée]`, `ad`, `sponsored(?: content)?`),
	full("breadcrumb", 200,
		`(?:accueil|home|une)\s*(?:[>›»/|]\s*[^>›»/|]{1,40})+`, `[^>›|]{1,30}(?:\s+[>›|]\s+[^>›|]{1,30}){2,}`).with(crumbed),
	full("trailing-id", 40,
		`[a-z]{2}(?:-[a-z]{2})?-\d{1,3}`, `(?:id|ref|r[ée]f)\s*[:#]\s*[\w-]{3,30}`, `[0-9a-f]{12,64}`),
	full("url", 300,
		`(?:source\s*:\s*)?https?://\S+`, `(?:source\s*:\s*)?www\.\S+`),
}

// phrases are the residues recognised by a phrase anywhere in a block of
// at most max bytes (its match form, lower-cased): sentences no article
// contains, whose start varies ("www.site.fr doit vérifier…").
var phrases = compilePhrases([]phrase{
	{"captcha", 300, []string{"doit vérifier la sécurité de votre connexion avant de", "doit verifier la securite de votre connexion avant de",
		"needs to review the security of your connection before proceeding"}},
	{"paywall", 300, []string{"abonnez-vous pour 1 €", "abonnez-vous pour 1 euro", "abonnez-vous à partir de 1 €", "abonnez-vous dès 1 €",
		"abonnez-vous pour 0,99 €", "abonnez-vous pour 1€"}},
})

type phrase struct {
	name string
	max  int
	has  []string
}

// phraseSet is a phrase rule ready to look for: common is what all its
// phrases start with, looked for first.
type phraseSet struct {
	name   string
	max    int
	common []byte
	has    [][]byte
}

func compilePhrases(ps []phrase) []phraseSet {
	var out []phraseSet
	for _, p := range ps {
		s := phraseSet{name: p.name, max: p.max, common: []byte(p.has[0])}
		for _, h := range p.has {
			s.has = append(s.has, []byte(h))
			for !bytes.HasPrefix([]byte(h), s.common) {
				s.common = s.common[:len(s.common)-1]
			}
		}
		out = append(out, s)
	}
	return out
}

// trailing are residues that scrapers glue to the end of the last
// paragraph. Each needs a sentence end before it, so the words themselves
// in the middle of a sentence are never touched.
var trailing = []trailer{
	glued("trailing-id", ``, `[a-z]{2}(?:-[a-z]{2})?-\d{1,3}`),
	glued("captcha", `(?i)`, num+`\s*[−–+×x*÷-]\s*`+num+`\s*=\s*(?:`+num+`|\?)?`),
	glued("comment-widget", `(?i)`, `laisser un commentaire|leave a (?:comment|reply)|\d+ commentaires?`),
	glued("read-also", ``, `(?:À |A )?LIRE (?:AUSSI|ÉGALEMENT)|LIRE LES AUTRES NOUVELLES.*|Lire aussi|À lire aussi`),
	glued("share-bar", ``, `(?:Partager|Facebook|Twitter|LinkedIn|Pinterest|WhatsApp)(?:\s+(?:Facebook|Twitter|X|LinkedIn|Pinterest|WhatsApp|E-?mail))*`),
	glued("ad", ``, `PUBLICIT[ÉE]|Publicité`),
}

// glueEnd are the sentence ends a glued residue must follow.
const glueEnd = `.!?…»”")`

// trailer matches a residue glued to the end of a block: group 1 is the
// sentence end before it, group 2 the residue.
type trailer struct {
	name string
	re   prefilter.Tail
}

func glued(name, flags, residue string) trailer {
	return trailer{name: name, re: prefilter.NewTail(flags + `([` + glueEnd + `])\s*(` + residue + `)$`)}
}
