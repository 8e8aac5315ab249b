package clean

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/news"
)

func TestBestRun(t *testing.T) {
	cases := []struct {
		scores   []float64
		from, to int
	}{
		{[]float64{-1, -2, 5, -1, 4, -9, 3}, 2, 4},
		{[]float64{-1, -2}, -1, -1},
		{nil, -1, -1},
		{[]float64{3}, 0, 0},
		{[]float64{-1, 2, -5, 1, 1, 1}, 3, 5},
	}
	for _, c := range cases {
		if from, to := bestRun(c.scores); from != c.from || to != c.to {
			t.Errorf("bestRun(%v) = %d, %d; want %d, %d", c.scores, from, to, c.from, c.to)
		}
	}
}

// TestCommentHead: thread headings open a section; lines that mention
// comments or reactions inside sentences do not. Every heading holds one
// of headStems (the check that spares most lines the regexp).
func TestCommentHead(t *testing.T) {
	heads := []string{"12 commentaires", "Commentaires (48)", "Les commentaires", "Vos réactions", "14 réactions", "Réagissez",
		"Réagir à cet article", "Laisser un commentaire", "Leave a Reply", "Leave a Reply Cancel reply", "3 Comments",
		"7 réflexions sur « Pourquoi je ne donnerai plus de devoirs à la maison »", "3 thoughts on “Le Pixel 8a”", "Forum de l'article",
		"Voir les 56 commentaires", "Lire les 56 commentaires", "Ajouter un commentaire", "Donnez votre avis", "2 réponses"}
	for _, h := range heads {
		if !commentHead(h) {
			t.Errorf("commentHead(%q) = false", h)
		}
		var buf [900]byte
		l := appendLower(buf[:0], h)
		ok := false
		for _, s := range headStems {
			ok = ok || bytes.Contains(l, s)
		}
		if !ok {
			t.Errorf("%q holds none of headStems", h)
		}
	}
	for _, l := range []string{"Les commentaires du ministre ont été très remarqués à l'Assemblée nationale, mardi soir.",
		"Réactions en chaîne", "Messages de soutien après l'incendie de la cathédrale de Nantes", "Avis de décès", "Le forum de Davos s'ouvre lundi",
		"Les réactions politiques se sont multipliées après l'annonce du président de la République."} {
		if commentHead(l) {
			t.Errorf("commentHead(%q) = true", l)
		}
	}
}

func TestSignature(t *testing.T) {
	for _, s := range []string{"4 septembre 2023 à 19 h 32 min", "le 14/05/2024 à 19:32", "May 2, 2024 at 3:14 pm", "Il y a 3 jours",
		"15 mars 2024 11:42, par Josiane", "Claudine 10/02/2024 18:20", "14 décembre 2023 07 h 12", "2 hours ago"} {
		if !signature(s) {
			t.Errorf("signature(%q) = false", s)
		}
	}
	for _, s := range []string{"Le 3 mars 2024, le gouvernement a annoncé une réforme des retraites qui fait débat.", "Nafarroa 38 - 12 Oloron",
		"1. Mathieu van der Poel (NED) en 5 h 25 min 58 s", "Vous avez jusqu'au 12 mars 2024."} {
		if signature(s) {
			t.Errorf("signature(%q) = true", s)
		}
	}
}

// TestBodySections: on a full page, the menu above the article, the
// related list below it and the comment thread go, each as one section;
// the short lines of the article (a subhead, a quote, a score, a last
// one-line paragraph) stay.
func TestBodySections(t *testing.T) {
	article := []string{
		"Le conseil municipal vote la rénovation complète de la halle du marché",
		"Les travaux commenceront en septembre et dureront dix-huit mois, pour un coût total de 4,2 millions d'euros.",
		"La halle, construite en 1892, n'avait pas été rénovée depuis les années 1970. Sa charpente métallique montre des signes de fatigue inquiétants.",
		"Les commerçants seront relogés pendant toute la durée du chantier sur la place de l'Église, dans des chalets prêtés par la commune.",
		"Un vote serré",
		"La délibération a été adoptée par 17 voix contre 12. L'opposition aurait préféré un projet moins coûteux, étalé sur plusieurs mandats.",
		"« C'est un investissement pour les cinquante prochaines années », a défendu le maire à l'issue de la séance.",
		"17 voix pour, 12 contre",
		"Réponse attendue à l'automne.",
	}
	page := append([]string{"Accueil", "Actualités", "Ma ville", "Sports", "Agenda", "Contact"}, article...)
	page = append(page, "Ces articles peuvent vous intéresser",
		"La piscine municipale rouvre ses portes après deux ans de travaux",
		"Un nouveau marché de producteurs le dimanche matin sur le port",
		"3 commentaires",
		"Paul D.",
		"12 mars 2024 à 18 h 02",
		"Enfin ! Cela fait des années que la halle tombe en ruine, et tout le monde le voyait bien sauf la mairie.",
		"Répondre",
		"Mireille",
		"12 mars 2024 à 19 h 40",
		"Quatre millions, c'est beaucoup d'argent pour une petite ville comme la nôtre, il y avait d'autres priorités.",
		"Mentions légales")
	r := cleanLines(page)
	kept := append([]string{r.Title}, r.Paragraphs...)
	if strings.Join(kept, "\n") != strings.Join(article, "\n") {
		t.Errorf("kept:\n%s\nwant:\n%s", strings.Join(kept, "\n"), strings.Join(article, "\n"))
	}
	rules := map[string][2]int{}
	counts := map[string][2]int{}
	for _, s := range r.Sections {
		rules[s.Rule] = [2]int{s.From, s.To}
		counts[s.Rule] = [2]int{s.Lines, s.Named}
	}
	// the thread's heading, signatures, reply button, a commenter's name
	// between two of them and the footer are named rules' removals; the
	// section's own are the other name and the comments
	for rule, n := range map[string][2]int{"body": {9, 0}, "comment-section": {3, 6}} {
		if counts[rule] != n {
			t.Errorf("section %s: %v blocks decided and named, want %v", rule, counts[rule], n)
		}
	}
	want := map[string][2]int{"body": {7, 15}, "comment-section": {19, 27}}
	for rule, span := range want {
		if rules[rule] != span {
			t.Errorf("section %s: lines %v, want %v (sections %+v)", rule, rules[rule], span, r.Sections)
		}
	}
	ex := r.Explain()
	for _, l := range []string{"lines 7-15  body kept", "lines 19-27  comment-section removed", `opened by heading "3 commentaires"`} {
		if !strings.Contains(ex, l) {
			t.Errorf("Explain lacks %q:\n%s", l, ex)
		}
	}
	for _, x := range r.Removed {
		if x.Line == 17 && x.Rule != "related-list" {
			t.Errorf("line 17 removed as %s, want related-list", x.Rule)
		}
	}
}

// TestNoBody: with the body finder off (clean.body: false), only the named
// rules remove lines: the menu's lines no rule names stay.
func TestNoBody(t *testing.T) {
	page := strings.Join([]string{"Ma ville", "Agenda local", "Sports et loisirs",
		"Le conseil municipal vote la rénovation complète de la halle du marché",
		"La halle, construite en 1892, n'avait pas été rénovée depuis les années 1970. Sa charpente métallique montre des signes de fatigue.",
		"Les commerçants seront relogés pendant toute la durée du chantier sur la place de l'Église, dans des chalets prêtés par la commune.",
		"Partager"}, "\n")
	for _, tc := range []struct {
		noBody bool
		menu   bool // the menu's lines are kept
	}{{false, false}, {true, true}} {
		c, _ := New(Options{NoBody: tc.noBody}, nil)
		r := c.Clean(page, "text", news.Meta{})
		kept := strings.Join(append([]string{r.Title}, r.Paragraphs...), "\n")
		if got := strings.Contains(kept, "Agenda local"); got != tc.menu {
			t.Errorf("NoBody %v: menu kept %v, want %v:\n%s", tc.noBody, got, tc.menu, kept)
		}
		if strings.Contains(kept, "Partager") {
			t.Errorf("NoBody %v: the share bar is kept", tc.noBody)
		}
		if tc.noBody != (len(r.Sections) == 0) {
			t.Errorf("NoBody %v: sections %+v", tc.noBody, r.Sections)
		}
	}
}

// TestContents: a run of lines that stand again as the body's subheads is
// a table of contents and goes; the subheads stay.
func TestContents(t *testing.T) {
	page := strings.Join([]string{"Vitamine D : faut-il se supplémenter en hiver ?",
		"Près de 80 % des Français manqueraient de vitamine D à la sortie de l'hiver, selon les dernières études publiées.",
		"À quoi sert la vitamine D ?", "Qui doit se supplémenter ?",
		"À quoi sert la vitamine D ?",
		"La vitamine D permet à l'organisme d'absorber le calcium et le phosphore, indispensables à la solidité des os.",
		"Qui doit se supplémenter ?",
		"La Haute Autorité de santé recommande une supplémentation chez les nourrissons, les enfants et les personnes âgées."}, "\n")
	c, _ := New(Options{}, nil)
	r := c.Clean(page, "text", news.Meta{})
	toc := 0
	for _, x := range r.Removed {
		if x.Rule == "table-of-contents" {
			toc++
			if x.Line != 3 && x.Line != 4 {
				t.Errorf("line %d removed as table-of-contents", x.Line)
			}
		}
	}
	if toc != 2 || len(r.Paragraphs) != 5 {
		t.Errorf("%d lines removed as contents, %d paragraphs kept: %q", toc, len(r.Paragraphs), r.Paragraphs)
	}
}

// TestContentsLongSubheads: subheads long enough for the duplicate rule
// (40 bytes and more) stay when their first copies are a table of contents.
func TestContentsLongSubheads(t *testing.T) {
	heads := []string{"Moscou affirme avoir repoussé une offensive dans la région de Koursk",
		"L'Otan réunira ses ministres de la Défense mardi à Bruxelles"}
	page := strings.Join([]string{"Guerre en Ukraine : les dernières informations de la journée",
		"La Russie a affirmé vendredi avoir fait échouer la campagne militaire ukrainienne pour l'année prochaine.",
		"Sommaire", heads[0], heads[1], heads[0],
		"Le ministère russe de la Défense a affirmé samedi avoir repoussé une nouvelle attaque ukrainienne dans la région frontalière.",
		heads[1],
		"Les ministres de la Défense des pays membres de l'Alliance se retrouveront mardi pour évoquer les livraisons d'armes à Kiev."}, "\n")
	c, _ := New(Options{}, nil)
	r := c.Clean(page, "text", news.Meta{})
	want := []string{"La Russie a affirmé vendredi avoir fait échouer la campagne militaire ukrainienne pour l'année prochaine.",
		heads[0], "Le ministère russe de la Défense a affirmé samedi avoir repoussé une nouvelle attaque ukrainienne dans la région frontalière.",
		heads[1], "Les ministres de la Défense des pays membres de l'Alliance se retrouveront mardi pour évoquer les livraisons d'armes à Kiev."}
	if strings.Join(r.Paragraphs, "\n") != strings.Join(want, "\n") {
		t.Errorf("kept:\n%s\nwant:\n%s\n%s", strings.Join(r.Paragraphs, "\n"), strings.Join(want, "\n"), r.Explain())
	}
}

// TestDatedTeasers: a list of dated headlines above the article opens no
// comment thread (its dates are no commenters' signatures): the article
// under it is kept whole, and the thread after it goes.
func TestDatedTeasers(t *testing.T) {
	var page []string
	for _, h := range []string{"Le colonialisme a-t-il été présenté comme une œuvre civilisatrice à l'école publique ?",
		"L'euro a-t-il vraiment fait perdre des milliers d'euros à chaque Français ?",
		"Les animaux exposés au salon de l'Agriculture partent-ils à l'abattoir ?"} {
		page = append(page, h, "1 mars 2019 à 12:54")
	}
	article := []string{"Sur vos écrans cette semaine : nos choix de séries et de documentaires",
		"Séries, documentaires, programmes jeunesse : retrouvez les recommandations de la rédaction pour savoir quoi regarder.",
		"Le documentaire de la semaine suit pendant un an une famille d'éleveurs installée dans les Pyrénées, loin de tout.",
		"La série d'animation, elle, raconte avec humour la vie d'un collège de banlieue, et s'adresse aux petits comme aux grands.",
		"Les deux programmes sont disponibles en replay jusqu'à la fin du mois sur la plateforme de la chaîne."}
	page = append(page, "France", "Planète", "Idées", "Culture", "Checknews", "Lifestyle", "Mode", "Beauté")
	page = append(page, article...)
	page = append(page, "Merci", "2 mars 2019 à 10:00", "Super sélection, merci pour les idées.", "Paul", "2 mars 2019 à 11:00", "Bof.")
	r := cleanLines(page)
	kept := strings.Join(append([]string{r.Title}, r.Paragraphs...), "\n")
	if !strings.Contains(kept, strings.Join(article, "\n")) || strings.Contains(kept, "Bof") {
		t.Errorf("kept:\n%s\nwant the article, and no comment:\n%s\n%s", kept, strings.Join(article, "\n"), r.Explain())
	}
}

// TestHeadlineCopy: a headline that a menu carries first is the article's
// where it heads the body; the menu's copy goes.
func TestHeadlineCopy(t *testing.T) {
	h := "Le survêtement du président déchu devient une sensation virale inattendue"
	page := []string{"Accéder à la navigation principale", "À la une", "Lifestyle", h, "Culture", "Vatican", "Europe", "Ukraine",
		"Le Cube", "Publicité", h, "Par David Martin", "Partager",
		"Une photo publiée en ligne a déclenché une vague de recherches pour un modèle de survêtement gris, introuvable depuis.",
		"Les commentaires allaient de l'ironie à l'indignation, et la marque a vu ses ventes bondir en quelques heures à peine.",
		"Le fabricant n'a pas commenté la situation à l'heure où nous publions cet article."}
	r := cleanLines(page)
	if r.Title != h {
		t.Errorf("title %q, want %q\n%s", r.Title, h, r.Explain())
	}
	for _, x := range r.Removed {
		if x.Line == 11 {
			t.Errorf("the headline over the body removed as %s\n%s", x.Rule, r.Explain())
		}
	}
}

// TestAuthorBoxAndLinks: the author's box under the article (the byline's
// name alone, a line about the author) goes, as does the headline a bare
// "À lire aussi" label heads and the sentence a newsletter box holds; the
// article's subhead after the label stays.
func TestAuthorBoxAndLinks(t *testing.T) {
	article := []string{"Déneigement : la ville a encore perdu sa bataille contre l'hiver",
		"Chaque hiver, c'est le même film : une bordée de trente centimètres, puis des trottoirs transformés en patinoires.",
		"Cette année, la ville avait pourtant promis que ce serait différent, avec un budget de déneigement record.",
		"Les contrats",
		"Les contrats sont attribués quartier par quartier, avec des exigences différentes et des délais différents.",
		"En attendant, les habitants continueront de marcher dans la rue, entre les voitures, jusqu'au prochain accident."}
	page := []string{"Chroniques", "Patrick Gagnon", article[0], article[1], article[2], "À lire aussi",
		"Les cols bleus dénoncent une pénurie d'équipement", article[3], article[4], article[5],
		"Patrick Gagnon", "Patrick Gagnon couvre la politique municipale depuis 2008. Il a remporté plusieurs prix.",
		"Voir toutes ses chroniques", "Newsletter Montréal", "Recevez chaque matin les nouvelles de votre ville.", "Je m'inscris"}
	r := cleanLines(page)
	kept := strings.Join(append([]string{r.Title}, r.Paragraphs...), "\n")
	if kept != strings.Join(article, "\n") {
		t.Errorf("kept:\n%s\nwant:\n%s\n%s", kept, strings.Join(article, "\n"), r.Explain())
	}
	for line, rule := range map[int]string{7: "read-also", 11: "author-box", 12: "author-box", 15: "newsletter"} {
		found := false
		for _, x := range r.Removed {
			found = found || x.Line == line && x.Rule == rule
		}
		if !found {
			t.Errorf("line %d not removed as %s\n%s", line, rule, r.Explain())
		}
	}
}

// TestArrowLinks: a run of links marked with an arrow goes; one line
// alone, or a sentence, stays.
func TestArrowLinks(t *testing.T) {
	bs := []block{{text: "› Coffret dvd"}, {text: "› Festival de Cannes 2014"}, {text: "Le festival s'ouvre demain."},
		{text: "› Sélection de livres"}, {text: "> Il a dit non."}, {text: "> Et le lendemain aussi."}}
	arrowLinks(bs)
	for i, want := range []string{"link-run", "link-run", "", "", "", ""} {
		if bs[i].rule != want {
			t.Errorf("%q: rule %q, want %q", bs[i].text, bs[i].rule, want)
		}
	}
}

// TestHeadlineAboveRun: the headline right above the best run is the
// article's, even when the run starts on a long line that is no paragraph
// (a caption, a line of metadata); a headline that opens on a preposition
// is no byline; a subhead between a "Lire aussi" and a caption stays.
func TestHeadlineAboveRun(t *testing.T) {
	for _, tc := range []struct{ page []string }{
		{[]string{"Accueil", "Économie", "Société", "L'inflation ralentit à 2,3 % sur un an en mai, selon l'Insee",
			"Un client fait ses courses dans un supermarché de Paris, le 15 mai 2024 ( AFP / Bertrand GUAY )"}},
		{[]string{"Opinions", "Politique belge", "Formation fédérale : les négociateurs s'accordent sur la réforme des pensions",
			"Florence Van den Broeck Publié le 19/11/2024 à 21:48 Temps de lecture: 4 min"}},
		{[]string{"Aux Vieilles Charrues, une première soirée sous le signe de la chanson française"}},
	} {
		page := append(tc.page,
			"La hausse des prix à la consommation a ralenti en mai, selon une estimation provisoire publiée vendredi par l'institut.",
			"À lire aussi : Le gouvernement présente son plan pour le pouvoir d'achat",
			"Les services toujours en hausse",
			"Un client fait ses courses dans un supermarché de Lyon, le 2 mai 2024. Photo AFP",
			"Ce léger rebond s'explique par l'accélération des prix des services, en particulier dans les transports et la santé.",
			"Les prix de l'énergie progressent de 5,6 % sur un an, un rythme stable par rapport au mois d'avril dernier.")
		r := cleanLines(page)
		want := tc.page[len(tc.page)-1]
		if len(tc.page) > 1 {
			want = tc.page[len(tc.page)-2]
		}
		if r.Title != want {
			t.Errorf("title %q, want %q\n%s", r.Title, want, r.Explain())
		}
		if !slices.Contains(r.Paragraphs, "Les services toujours en hausse") {
			t.Errorf("the subhead is lost\n%s", r.Explain())
		}
	}
}

// cleanLines cleans a page given as its lines, with the default options.
func cleanLines(page []string) Result {
	c, _ := New(Options{}, nil)
	return c.Clean(strings.Join(page, "\n"), "text", news.Meta{})
}
