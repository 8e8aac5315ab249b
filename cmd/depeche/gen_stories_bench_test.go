package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// genStories writes n French articles telling the given number of stories
// into dir and returns each file's story label. A pile of that size is
// what issue 14 is about: a few big stories covered by many outlets, and a
// long tail of stories told once or twice. Story sizes follow a Zipf-like
// law; every story has its own people, place, organisation, subject and
// figures, and its articles fall within a few days of each other. Around
// the story's sentences go the seeds' sentences (the French of real
// articles, which belongs to no story) and scraper chrome, so that
// grouping, cleaning and briefing all have real work. Deterministic: the
// same n and stories give the same files on every machine.
func genStories(tb testing.TB, dir string, n, stories int) map[string]string {
	tb.Helper()
	pool := seedSentences(tb)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	labels := storyLabels(n, stories)
	out := make(map[string]string, n)
	for i, k := range labels {
		st := storyFacts(k)
		rng := rand.New(rand.NewPCG(uint64(i), 0x5701e5))
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n\n", st.fill(rng, genTitles[rng.IntN(len(genTitles))]))
		day := st.day + rng.IntN(5)
		fmt.Fprintf(&b, "Publié le %d %s 2025 à %dh%02d\n\n", 1+day%28, genMonths[(day/28)%12], 6+rng.IntN(16), rng.IntN(60))
		for p := range 5 + rng.IntN(4) {
			var ss []string
			if p == 0 { // the lede says who, where and what
				ss = append(ss, st.fill(rng, genLedes[rng.IntN(len(genLedes))]))
			}
			for range 1 + rng.IntN(2) {
				ss = append(ss, st.fill(rng, genFacts[rng.IntN(len(genFacts))]))
			}
			if p > 0 { // the lede is the story's; the rest mixes in background
				start := rng.IntN(len(pool))
				for j := range 1 + rng.IntN(3) {
					ss = append(ss, pool[(start+j)%len(pool)])
				}
			}
			fmt.Fprintf(&b, "%s\n\n", strings.Join(ss, " "))
		}
		b.WriteString(strings.Join(genChrome[i%len(genChrome)], "\n") + "\n")
		name := fmt.Sprintf("%05d_article.txt", i)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
		out[name] = fmt.Sprintf("story-%03d", k)
	}
	return out
}

// storyLabels deals n articles to stories of Zipf-like sizes (the k-th
// story has about 1/(k+1)^0.9 of the articles, at least one each), in a
// shuffled order, as a scraper's folder mixes them.
func storyLabels(n, stories int) []int {
	stories = min(stories, n)
	w := make([]float64, stories)
	var sum float64
	for k := range w {
		w[k] = 1 / math.Pow(float64(k+1), 0.9)
		sum += w[k]
	}
	sizes := make([]int, stories)
	left := n
	for k := range sizes {
		sizes[k] = 1
		left--
	}
	for k := range sizes {
		extra := min(left, int(w[k]/sum*float64(n-stories)))
		sizes[k] += extra
		left -= extra
	}
	for k := 0; left > 0; k = (k + 1) % stories {
		sizes[k]++
		left--
	}
	labels := make([]int, 0, n)
	for k, s := range sizes {
		for range s {
			labels = append(labels, k)
		}
	}
	rng := rand.New(rand.NewPCG(uint64(n), uint64(stories)))
	rng.Shuffle(len(labels), func(i, j int) { labels[i], labels[j] = labels[j], labels[i] })
	return labels
}

// genStory is what makes story k itself.
type genStory struct {
	person, role, place, org, subject string
	figure, day                       int
}

// storyFacts picks story k's people, place, organisation and subject. The
// lists are crossed so that stories share a place, a person or a subject
// with others (as two visits of one president do) without sharing all.
func storyFacts(k int) genStory {
	rng := rand.New(rand.NewPCG(uint64(k), 0x570))
	return genStory{
		person:  genFirst[k%len(genFirst)] + " " + genLast[(k/len(genFirst)+k*7)%len(genLast)],
		role:    genRoles[rng.IntN(len(genRoles))],
		place:   genPlaces[(k*13)%len(genPlaces)],
		org:     genOrgs[(k*5+k/len(genOrgs))%len(genOrgs)],
		subject: genSubjects[(k*3+k/len(genSubjects))%len(genSubjects)],
		figure:  100 + rng.IntN(9900),
		day:     rng.IntN(300),
	}
}

// fill writes a template with the story's facts; the figure moves a little
// from article to article, as reported figures do.
func (s genStory) fill(rng *rand.Rand, tmpl string) string {
	r := strings.NewReplacer("{P}", s.person, "{R}", s.role, "{L}", s.place, "{O}", s.org, "{S}", s.subject,
		"{N}", fmt.Sprint(s.figure+rng.IntN(1+s.figure/20)))
	return r.Replace(tmpl)
}

var (
	genFirst    = []string{"Claire", "Julien", "Nadia", "Olivier", "Sophie", "Karim", "Élodie", "Thomas", "Amina", "Bruno", "Camille", "Didier", "Fatou", "Hugo", "Inès", "Jérôme", "Léa", "Marc", "Nora", "Pascal"}
	genLast     = []string{"Moreau", "Lefebvre", "Benali", "Garnier", "Rousseau", "Chevalier", "Diallo", "Fontaine", "Mercier", "Lambert", "Bonnet", "Girard", "Faure", "Renaud", "Aubert", "Perrin", "Marchand", "Barbier", "Lemoine", "Caron", "Vidal", "Colin", "Arnaud", "Brunet", "Roche", "Meunier", "Blanchard", "Guérin", "Boyer", "Huet", "Carpentier", "Leroux", "Picard", "Renard", "Dumont", "Gauthier", "Masson", "Noël", "Hamon", "Royer", "Schmitt", "Joly", "Lacroix", "Baron", "Rolland"}
	genRoles    = []string{"la ministre de la Santé", "le préfet de région", "la présidente du conseil départemental", "le maire", "le secrétaire général du syndicat", "la porte-parole du gouvernement", "le procureur de la République", "la directrice de l'agence régionale"}
	genPlaces   = []string{"Lyon", "Marseille", "Toulouse", "Nantes", "Strasbourg", "Montpellier", "Bordeaux", "Lille", "Rennes", "Reims", "Grenoble", "Dijon", "Angers", "Nîmes", "Clermont-Ferrand", "Brest", "Limoges", "Tours", "Amiens", "Perpignan", "Metz", "Besançon", "Orléans", "Rouen", "Mulhouse", "Caen", "Nancy", "Avignon", "Poitiers", "La Rochelle", "Bayonne", "Ajaccio", "Cherbourg", "Valence", "Chambéry", "Lorient", "Quimper", "Troyes", "Pau", "Colmar", "Annecy", "Calais", "Dunkerque", "Béziers", "Arles", "Vannes", "Saint-Malo"}
	genOrgs     = []string{"la SNCF", "l'Assistance publique", "EDF", "la CGT", "Météo-France", "l'Insee", "la Cour des comptes", "Airbus", "la Croix-Rouge", "l'Ademe", "Renault", "l'Office national des forêts", "la RATP", "Orange", "l'Agence de l'eau", "la Banque de France", "Thales", "l'Inserm", "la Fédération française de football", "Veolia", "l'ARS", "Total", "la Caisse des dépôts"}
	genSubjects = []string{"la fermeture de la maternité", "l'incendie de l'entrepôt", "la grève des contrôleurs", "la pollution de la rivière", "le projet de ligne ferroviaire", "la crue de la Loire", "le plan social de l'usine", "l'effondrement de l'immeuble", "la sécheresse dans le département", "le procès des dirigeants", "la fusion des hôpitaux", "la fuite de données", "le chantier du stade", "l'épidémie de grippe aviaire", "la hausse des loyers", "la pénurie de médecins", "le festival annulé", "la réouverture du pont", "l'accident du téléphérique", "le vote du budget municipal", "la fermeture de l'aciérie", "l'ouverture du parc éolien", "la tempête sur le littoral", "la reprise de la papeterie", "le scandale des marchés publics", "la rénovation de la cathédrale", "le naufrage du chalutier", "la manifestation des agriculteurs", "le déménagement de la préfecture"}

	genTitles = []string{
		"{L} : {P} s'explique sur {S}",
		"{S} à {L} : ce que l'on sait",
		"À {L}, {O} face à {S}",
		"{P} promet des mesures après {S}",
		"{S} : {N} personnes concernées à {L}",
		"Les habitants de {L} inquiets après {S}",
	}
	genLedes = []string{
		"{R} {P} a annoncé mardi à {L} que {S} concernait désormais {N} personnes.",
		"{P}, {R}, s'est rendu lundi à {L}, où {S} inquiète {O}.",
		"Réunis à {L} autour de {P}, les responsables de {O} ont fait le point sur {S}.",
	}
	genFacts = []string{
		"{R} {P} a annoncé mardi à {L} que {S} concernait désormais {N} personnes.",
		"Selon {O}, {S} pourrait coûter {N} millions d'euros d'ici la fin de l'année.",
		"« Nous ne laisserons personne sans solution », a déclaré {P} devant la presse à {L}.",
		"À {L}, {S} reste au cœur des discussions entre {O} et les élus locaux.",
		"{P} doit rencontrer les représentants de {O} jeudi pour évoquer {S}.",
		"Les premières estimations de {O} font état de {N} foyers touchés à {L}.",
		"Une réunion publique sur {S} est prévue la semaine prochaine à {L}.",
		"Interrogé sur {S}, {P} a reconnu « des erreurs » dans la gestion du dossier.",
		"Le collectif d'habitants de {L} réclame une enquête indépendante sur {S}.",
		"{O} a confirmé avoir reçu {N} signalements depuis le début de l'affaire.",
	}
)

// TestGenStories keeps the story generator honest: every article is
// distinct and labelled, stories have Zipf-like sizes (a big one, a long
// tail of small ones), an article names its story's person and place, and
// the same call writes the same files.
func TestGenStories(t *testing.T) {
	const n, stories = 300, 40
	dir := t.TempDir()
	labels := genStories(t, dir, n, stories)
	if len(labels) != n {
		t.Fatalf("%d labels for %d articles", len(labels), n)
	}
	size := map[string]int{}
	seen := map[string]bool{}
	for name, label := range labels {
		size[label]++
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if seen[string(b)] {
			t.Errorf("%s repeats an earlier article", name)
		}
		seen[string(b)] = true
		var k int
		fmt.Sscanf(label, "story-%d", &k)
		st := storyFacts(k)
		if !strings.Contains(string(b), st.person) || !strings.Contains(string(b), st.place) {
			t.Errorf("%s (%s) does not name %s at %s", name, label, st.person, st.place)
		}
	}
	if len(size) != stories {
		t.Errorf("%d stories, want %d", len(size), stories)
	}
	biggest, singles := 0, 0
	for _, s := range size {
		biggest = max(biggest, s)
		if s <= 3 {
			singles++
		}
	}
	if biggest < n/10 || singles < stories/4 {
		t.Errorf("sizes %v: want a big story (≥ %d) and a tail of small ones (≤ 3)", size, n/10)
	}
	again := genStories(t, t.TempDir(), n, stories)
	for name, label := range labels {
		if again[name] != label {
			t.Fatalf("%s: %s then %s: not deterministic", name, label, again[name])
		}
	}
}
