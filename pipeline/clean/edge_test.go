package clean

import (
	"os"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/news"
)

// TestEdgeJunk: a scraped article of the seeds' kind with one junk line
// at its top or its end, of the shapes scrapers leave there: the line goes,
// every paragraph stays.
func TestEdgeJunk(t *testing.T) {
	heads := []string{"Par Marie Lefèvre", "Marie Lefèvre", "Publié le 12/03/2024 à 18h05", "Mis à jour il y a 2 heures", "Lundi 12 février 2024",
		"Le 12 février 2024 à 10:32", "Temps de lecture : 3 minutes", "Photo : Jean Martin / Le Quotidien", "© Reuters", "(Photo AFP)",
		"Crédit : Getty Images", "Vladimir Putin and Kim Jong Un shake hands in Pyongyang", "Écouter cet article", "Lecture 4 min",
		"Par la rédaction avec AFP", "Rédaction Web", "Actualité", "International", "Accueil > Monde > Asie", "VIDÉO", "EN DIRECT",
		"Abonné", "Article réservé aux abonnés", "Partager sur Facebook", "Offrir cet article", "Commenter", "12 commentaires",
		"Jean Dupont - envoyé spécial à Séoul", "AFP", "Le Figaro avec AFP", "Propos recueillis par Anne Morel"}
	tails := []string{"À lire aussi : Kim Jong-un inspecte une usine de missiles", "LIRE AUSSI >> La Corée du Nord tire un missile", "Source : AFP",
		"(Avec AFP)", "Avec AFP", "Partagez cet article", "Suivez-nous sur Facebook et Instagram", "Abonnez-vous à notre newsletter",
		"#Russie #CoréeDuNord", "Tags : Russie, Corée du Nord", "fr-02", "Sur le même sujet", "Voir aussi", "Lire la suite",
		"Retrouvez toute l'actualité internationale sur notre site", "Vous avez aimé cet article ? Partagez-le !", "Réagir à cet article",
		"Ajouter aux favoris", "Signaler une erreur", "Signaler une erreur dans cet article", "Tous droits réservés", "© Le Monde 2024",
		"Copyright 2024 The Associated Press. All rights reserved.", "Read more", "Share this:", "Like this:", "Related",
		"Traduit de l'anglais par Marc Durand", "Édité par Paul Roux",
		"Mis à jour le 13/03/2024 à 09h12", "Par Marie Lefèvre", "Journaliste"}
	raw, _ := os.ReadFile("testdata/seeds/001_0f2cf2a9d1bc2be9.txt")
	var paras []string
	for _, p := range strings.Split(string(raw), "\n") {
		if strings.TrimSpace(p) != "" {
			paras = append(paras, strings.TrimSpace(p))
		}
	}
	c, _ := New(Options{}, nil)
	try := func(junk string, top bool) {
		var lines []string
		title := "Poutine offre une voiture de luxe à Kim Jong Un"
		if top {
			lines = append([]string{title, junk}, paras...)
		} else {
			lines = append(append([]string{title}, paras...), junk)
		}
		r := c.Clean(strings.Join(lines, "\n"), "text", news.Meta{})
		kept := strings.Join(append([]string{r.Title}, r.Paragraphs...), "\n")
		if strings.Contains(kept, junk) {
			t.Errorf("junk left (top %v): %q", top, junk)
		}
		for _, p := range paras {
			if !strings.Contains(kept, p) {
				t.Errorf("with %q: paragraph lost: %.60s", junk, p)
			}
		}
	}
	for _, h := range heads {
		try(h, true)
	}
	for _, h := range tails {
		try(h, false)
	}
}
