package clean

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/depeche-news/depeche/pipeline/ingest"
	"github.com/depeche-news/depeche/pipeline/prefilter"
)

// reference compiles a rule the plain way, all alternatives in one regexp
// and no gate: what the gated rule must agree with on every line.
func reference(r lineRule) *regexp.Regexp {
	srcs := make([]string, len(r.alts))
	for i, a := range r.alts {
		srcs[i] = a.Src
	}
	return regexp.MustCompile(`(?i)^(?:` + strings.Join(srcs, "|") + `)[\s.:!?…*]*$`)
}

// agree checks one line against every rule and every glued residue: a
// gate may only skip a regexp that would not have matched.
func agree(t *testing.T, refs []*regexp.Regexp, text string) {
	m := matchForm(text)
	var l prefilter.Line
	l.Reset(m)
	for i := range rules {
		want := len(m) <= rules[i].max && refs[i].MatchString(m)
		if got := rules[i].match(&l); got != want {
			t.Errorf("rule %s on %q: gated %v, plain %v", rules[i].name, m, got, want)
		}
	}
	for i, g := range gatedRes {
		for _, s := range []string{text, m} {
			if got, want := g.MatchString(s), g.Regexp.MatchString(s); got != want {
				t.Errorf("gated regexp %d on %q: gated %v, plain %v", i, s, got, want)
			}
		}
		// byline reads the line's folded form for the line without its period
		for _, s := range []string{m, strings.TrimSuffix(m, ".")} {
			if got, want := g.MatchLine(s, &l), g.Regexp.MatchString(s); got != want {
				t.Errorf("gated regexp %d in line %q on %q: gated %v, plain %v", i, m, s, got, want)
			}
			if got, want := g.FindLine(s, &l), g.Regexp.FindStringSubmatch(s); !reflect.DeepEqual(got, want) {
				t.Errorf("gated regexp %d in line %q on %q: found %q, plain %q", i, m, s, got, want)
			}
		}
	}
	last, _ := utf8.DecodeLastRuneInString(text)
	for _, tr := range trailing {
		open := strings.ContainsAny(text, glueEnd) && tr.re.MayEnd(last) && tr.re.Needs(prefilter.Fold(nil, text))
		if !open && tr.re.MatchString(text) {
			t.Errorf("glued %s on %q: gate closed on a match", tr.name, text)
		}
	}
}

// gatedRes are the gated regexps of classify.go and meta.go.
var gatedRes = []prefilter.Regexp{captionRe, creditRe, captionCopyRe, captionUpperRe, bylineRe, stampByRe, nameRe, agencyRe, englishAlt,
	dateWordsRe, dateNumRe, dateISORe, publishedRe}

// fixtureLines are the distinct non-empty lines of the fixtures, decoded,
// and the removed lines of their .want files.
func fixtureLines(t testing.TB) []string {
	var lines []string
	seen := map[string]bool{}
	for _, dir := range []string{"testdata/seeds", "testdata/pages"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, p := range paths {
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			text := string(raw)
			if !strings.HasSuffix(p, ".want") {
				if d, err := ingest.Decode(raw, p); err == nil {
					text = d.Text
				}
			}
			for _, l := range strings.Split(text, "\n") {
				if _, rest, ok := strings.Cut(l, " | "); ok && strings.HasSuffix(p, ".want") {
					l = rest // a removal: "rule | text"
				}
				if l = strings.TrimSpace(l); l != "" && !seen[l] {
					seen[l] = true
					lines = append(lines, l)
				}
			}
		}
	}
	if len(lines) == 0 {
		t.Fatal("no fixture lines in testdata/seeds or testdata/pages: the agreement would hold on nothing")
	}
	return lines
}

// gateLines are the fixture lines and the look-alikes, as written and in
// other cases, with and without closing punctuation.
func gateLines(t testing.TB) []string {
	var lines []string
	for _, l := range fixtureLines(t) {
		lines = append(lines, l, strings.ToUpper(l), strings.ToLower(l), l+" :", l+"…", "• "+l)
	}
	return lines
}

// TestRulesAgree: the gated rules remove exactly the lines the plain
// regexps remove, on every fixture line and its variants.
func TestRulesAgree(t *testing.T) {
	refs := make([]*regexp.Regexp, len(rules))
	for i := range rules {
		refs[i] = reference(rules[i])
	}
	lines := gateLines(t)
	if len(lines) < 1000 {
		t.Fatalf("only %d lines", len(lines))
	}
	for _, l := range lines {
		agree(t, refs, l)
	}
	// odd cases: fold variants (K is KELVIN SIGN, ſ is LONG S), empty and
	// punctuation-only lines, invalid UTF-8
	for _, l := range []string{"", ".", "…", "*", "ſoumettre", "Ray ID: 7f3a", "\u212Aeywords : x", "\xff\xfe", "•", "© AFP", "4 + 5 = ?",
		"Accueil > Monde > Asie", "fr-01", "À LIRE AUSSI", "Il pleut. fr-01", "Fin. LIRE AUSSI", "Fin. sept − trois =",
		"Par Jean Dupont", "PAR JEAN", "(Avec AFP)", "avec reuters et AP", "Kim Jong Un, left, shakes hands", "Le 3 mars. © AFP",
		"Des soldats à Kiev le 19 juin 2024. GAVRIIL GRIGOROV / AP", "Publié le 3 mars 2024 par Anne Martin", "Un long texte (Photo: AFP/Getty)",
		strings.Repeat("\xff", 200) + " Tous droits réservés", strings.Repeat("é", 170) + " | Accueil > Monde"} {
		agree(t, refs, l)
	}
}

// FuzzRules looks for a line on which a gated rule and its regexp
// disagree: `go test -fuzz Rules ./pipeline/clean/`.
func FuzzRules(f *testing.F) {
	for _, l := range gateLines(f) {
		f.Add(l)
	}
	refs := make([]*regexp.Regexp, len(rules))
	for i := range rules {
		refs[i] = reference(rules[i])
	}
	f.Fuzz(func(t *testing.T, line string) { agree(t, refs, line) })
}

// TestCaptionChecks: where a caption check says no, its regexp finds
// nothing.
func TestCaptionChecks(t *testing.T) {
	for _, name := range agencyNames {
		if strings.ContainsAny(name, `\()?:`) {
			t.Errorf("agency %q is not a plain name: agencies changed shape", name)
		}
	}
	checks := []struct {
		name  string
		may   func(string) bool
		regex prefilter.Regexp
	}{{"paren", mayParenCaption, captionRe}, {"copy", mayCopyCaption, captionCopyRe}, {"upper", mayUpperCaption, captionUpperRe}}
	lines := append(gateLines(t), "Kim à Pyongyang, le 19 juin 2024. (Photo : AFP)", "Kim à Pyongyang, le 19 juin 2024 » (KCNA via AP)  ",
		"Kim et Poutine à Pyongyang, le 19 juin. © AFP / Pool", "Kim et Poutine à Pyongyang, le 19 juin… Crédit photo : Sputnik",
		"Kim et Poutine à Pyongyang, le 19 juin 2024. GAVRIIL GRIGOROV / AP / POOL", "Kim et Poutine à Pyongyang, le 19 juin. X / Getty Images")
	for _, c := range checks {
		hits := 0
		for _, l := range lines {
			m := matchForm(l)
			if c.regex.Regexp.MatchString(m) {
				hits++
				if !c.may(m) {
					t.Errorf("%s check says no to %q, which the regexp matches", c.name, m)
				}
			}
		}
		if hits == 0 {
			t.Errorf("%s: no line the regexp matches: the test proves nothing", c.name)
		}
	}
}

// TestNeeds: every line of the fixtures and the corpus that a rule's
// regexps match passes the rule's cheap necessary condition.
func TestNeeds(t *testing.T) {
	var lines []string
	for _, split := range []string{"dev", "test", "test-new"} {
		for _, p := range loadCorpus(t, split) {
			for _, l := range p.lines {
				lines = append(lines, l.text)
			}
		}
	}
	lines = append(lines, "Publié le 12/03/2024 à 18h05", "Mis à jour : hier à 10h", "Lundi 12 février 2024", "Aujourd'hui à 9h",
		"il y a 3 heures", "Updated on 2024-03-12", "Le 3 mars 2024, par Paul", "© AFP", "(Photo AFP)", "Crédit photo : Sergei Bobylev / Sputnik",
		"Photo: Jean Martin", "afp", "Image d'illustration Pixabay", "Droits d'auteur AP Photo", "(photo by John Doe)",
		"Le survêtement devient viral - Tous droits réservés Capture", "Accueil > Monde", "Sport › Rugby › Top 14")
	for i := range rules {
		r := &rules[i]
		if r.needs == nil {
			continue
		}
		n := 0
		for _, text := range lines {
			m := matchForm(text)
			var l prefilter.Line
			l.Reset(m)
			matched := false
			for k := range r.alts {
				matched = matched || r.alts[k].Match(&l)
			}
			if matched {
				n++
				if !r.needs(m) {
					t.Errorf("%s: %q matches, and its necessary condition says no", r.name, text)
				}
			}
		}
		if n < 5 {
			t.Errorf("%s: only %d lines match: the test tests little", r.name, n)
		}
	}
}
