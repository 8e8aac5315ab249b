package apertium

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuiltinPhrases(t *testing.T) {
	p := DefaultPhrases()
	if p.Len() < 300 {
		t.Errorf("built-in table has %d entries, want several hundred", p.Len())
	}
	// Every entry must be reachable: the first word it is filed under is
	// the first word the matcher cuts from text.
	for first, list := range p.byFirst {
		for _, ph := range list {
			if got := p.match(ph.written + " x"); len(got) == 0 || got[0].start != 0 {
				t.Errorf("entry %q (under %q) does not match itself", ph.french, first)
			}
		}
	}
}

func TestPhraseMatch(t *testing.T) {
	p := DefaultPhrases()
	tests := []struct {
		fr   string
		want []string // English of the matched spans, in order
	}{
		{"Ils se promenaient tour à tour dans la voiture.", []string{"in turn"}},
		{"Tour à tour, ils ont parlé.", []string{"In turn"}}, // sentence start: capitalised
		{"Le Conseil de sécurité s'est réuni à huis clos.", []string{"Security Council", "behind closed doors"}},
		{"le conseil de sécurité nationale", nil},                                // a name matches only capitalised
		{"un tir en violation des résolutions", []string{"in violation of the"}}, // de + les
		{"au cours du week-end", []string{"during the", "weekend"}},              // de + le
		{"à l'égard d'Israël", []string{"with regard to"}},                       // elided de
		{"grâce aux sanctions", []string{"thanks to the"}},                       // à + les
		{"alors qu'ils roulaient", []string{"while"}},                            // elided que
		{"une voiture de luxe", []string{"luxury"}},
		{"en guise de reconnaissance de leur relation spéciale", []string{"as a token of", "special relationship"}}, // longest first
		{"en guise de cadeau", []string{"by way of"}},
		{"Selon Séoul, la garde des Sceaux a parlé.", []string{"According to", "Justice Minister"}},
		{"le ministère des Affaires étrangères", []string{"Foreign Ministry"}},
		{"il vient du Japon", nil},                                  // "vient de" + infinitive only
		{"les tours à tourner", nil},                                // whole words only
		{"désormais", nil},                                          // not an expression
		{"Il l’a dit à l’égard de Kim", []string{"with regard to"}}, // ’ is '
	}
	for _, tt := range tests {
		s := normalizeFrench(tt.fr)
		var got []string
		for _, sp := range p.match(s) {
			got = append(got, sp.english)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("match(%q) = %q, want %q", tt.fr, got, tt.want)
		}
	}
	if sp := p.match("une voiture de luxe"); len(sp) != 1 || !sp[0].adjective {
		t.Errorf("de luxe: %+v, want an adjective span", sp)
	}
}

func TestLoadPhrases(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mine.txt")
	os.WriteFile(path, []byte("# mine\ntour à tour = one after the other\nla main dans la main = hand in hand # comment\n"), 0o644)
	p, err := LoadPhrases(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sp := range p.match("Ils allaient tour à tour, la main dans la main, au cours de la visite.") {
		got = append(got, sp.english)
	}
	if want := "one after the other|hand in hand|during"; strings.Join(got, "|") != want {
		t.Errorf("user phrases: %q, want %q", got, want)
	}
	if p.Version() == DefaultPhrases().Version() {
		t.Error("a user file does not change the version")
	}

	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("tour à tour = in turn\nsans signe égal\n"), 0o644)
	if _, err := LoadPhrases(bad); err == nil || !strings.Contains(err.Error(), "bad.txt line 2") {
		t.Errorf("bad file: %v, want an error naming the file and line 2", err)
	}
	if _, err := LoadPhrases(filepath.Join(dir, "none.txt")); err == nil || !strings.Contains(err.Error(), "none.txt") {
		t.Errorf("missing file: %v", err)
	}
}

func TestDemonymAfter(t *testing.T) {
	tests := []struct {
		fr   string
		want string
	}{
		{"les médias d'État russes", "Russian"},
		{"l'agence de presse chinoise", "Chinese"},
		{"les alliés occidentaux", "Western"},
		{"les Russes", ""},  // a people, not an adjective
		{"les russes-", ""}, // not a whole word
	}
	for _, tt := range tests {
		i := strings.LastIndexByte(tt.fr, ' ')
		sp, ok := demonymAfter(tt.fr, i)
		if ok != (tt.want != "") || sp.english != tt.want || ok && !sp.adjective {
			t.Errorf("demonymAfter(%q) = %+v, %v; want %q", tt.fr, sp, ok, tt.want)
		}
	}
	if got := ministryFirst("Le ministère sud-coréen de la Défense et le ministre russe des Affaires étrangères"); got != "Le ministère de la Défense sud-coréen et le ministre des Affaires étrangères russe" {
		t.Errorf("ministry reorder: %q", got)
	}
}
