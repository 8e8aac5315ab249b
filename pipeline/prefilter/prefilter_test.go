package prefilter

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// The patterns under testdata are package clean's (its line rules' phrases,
// its gated regexps, its glued residues), copied so that this package's
// tests stand alone; lines.txt holds the lines of clean's fixtures.

func readLines(t testing.TB, name string) []string {
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	if len(out) < 5 {
		t.Fatalf("testdata/%s: only %d lines", name, len(out))
	}
	return out
}

// userPatterns are patterns as users write them in config.yaml, anchored
// or not, and two that match everything.
var userPatterns = []string{`(?i)^sponsoris`, `^Japon \d`, `(?m)^Pub`, `Rédigé par l'IA`, `(?i)newsletter|abonnez`, `\bAFP$`,
	`(?i)^(?:la )?rédaction\s*$`, `^$`, `.*`}

// oddLines are fold variants (K is KELVIN SIGN, ſ is LONG S), empty and
// punctuation-only lines, invalid UTF-8, long lines.
var oddLines = []string{"", ".", "…", "*", "ſoumettre", "Ray ID: 7f3a", "\u212Aeywords : x", "\xff\xfe", "•", "© AFP", "4 + 5 = ?",
	"Accueil > Monde > Asie", "fr-01", "À LIRE AUSSI", "Il pleut. fr-01", "Fin. LIRE AUSSI", "Fin. sept − trois =",
	"Par Jean Dupont", "PAR JEAN", "(Avec AFP)", "avec reuters et AP", "Kim Jong Un, left, shakes hands", "Le 3 mars. © AFP",
	"Des soldats à Kiev le 19 juin 2024. GAVRIIL GRIGOROV / AP", "Publié le 3 mars 2024 par Anne Martin", "Un long texte (Photo: AFP/Getty)",
	strings.Repeat("\xff", 200) + " Tous droits réservés", strings.Repeat("é", 170) + " | Accueil > Monde", strings.Repeat("abonnés ", 200)}

// variants are the test lines as written and in other cases, with and
// without closing punctuation.
func variants(t testing.TB) []string {
	var out []string
	for _, l := range append(readLines(t, "lines.txt"), oddLines...) {
		out = append(out, l, strings.ToUpper(l), strings.ToLower(l), l+" :", l+"…", "• "+l, strings.TrimSuffix(l, "."))
	}
	return out
}

type suite struct {
	res    []Regexp
	wholes []Whole
	plain  []*regexp.Regexp // the wholes compiled the plain way
	tails  []Tail
}

func load(t testing.TB) *suite {
	s := &suite{}
	for _, p := range append(readLines(t, "regexps.txt"), userPatterns...) {
		s.res = append(s.res, MustCompile(p))
	}
	for _, p := range readLines(t, "wholes.txt") {
		s.wholes = append(s.wholes, NewWhole(p))
		s.plain = append(s.plain, regexp.MustCompile(`(?i)^(?:`+p+`)[\s.:!?…*]*$`))
	}
	for _, p := range readLines(t, "tails.txt") {
		s.tails = append(s.tails, NewTail(p))
	}
	return s
}

// agree checks one line against every pattern: a gate may only turn away
// a line the regexp does not match, and every answer is the regexp's.
func (s *suite) agree(t *testing.T, text string) {
	var l Line
	l.Reset(text)
	for i, r := range s.res {
		if got, want := r.MatchString(text), r.Regexp.MatchString(text); got != want {
			t.Errorf("regexp %q on %q: gated %v, plain %v", r, text, got, want)
		}
		if got, want := r.FindStringSubmatch(text), r.Regexp.FindStringSubmatch(text); !reflect.DeepEqual(got, want) {
			t.Errorf("regexp %q on %q: found %q, plain %q", r, text, got, want)
		}
		// a prefix of the line, read through the whole line's folded form
		for _, p := range []string{text, strings.TrimSuffix(text, ".")} {
			if got, want := r.MatchLine(p, &l), r.Regexp.MatchString(p); got != want {
				t.Errorf("regexp %d in line %q on %q: gated %v, plain %v", i, text, p, got, want)
			}
			if got, want := r.FindLine(p, &l), r.Regexp.FindStringSubmatch(p); !reflect.DeepEqual(got, want) {
				t.Errorf("regexp %d in line %q on %q: found %q, plain %q", i, text, p, got, want)
			}
		}
	}
	for i := range s.wholes {
		w := &s.wholes[i]
		want := s.plain[i].MatchString(text)
		if got := w.Match(&l); got != want {
			t.Errorf("phrase %q on %q: gated %v, plain %v", w.Src, text, got, want)
		}
		if want && text != "" && !w.MayLead(text[0]) {
			t.Errorf("phrase %q: MayLead(%q) says no to %q, which it matches", w.Src, text[0], text)
		}
	}
	last, _ := utf8.DecodeLastRuneInString(text)
	for i := range s.tails {
		tr := &s.tails[i]
		open := tr.MayEnd(last) && tr.Needs(Fold(nil, text))
		if !open && tr.MatchString(text) {
			t.Errorf("tail %q on %q: gate closed on a match", tr, text)
		}
	}
}

// TestAgree: on every test line and its variants, each gated pattern
// answers as the plain regexp does, and the gates turn most lines away
// (a gate that always says yes would pass the first check).
func TestAgree(t *testing.T) {
	s := load(t)
	lines := variants(t)
	if len(lines) < 1000 {
		t.Fatalf("only %d lines", len(lines))
	}
	for _, l := range lines {
		s.agree(t, l)
	}
	closed, asked := 0, 0
	for _, l := range lines {
		var ln Line
		ln.Reset(l)
		for i := range s.wholes {
			w := &s.wholes[i]
			asked++
			if !(w.gate.fits(ln.trimmed) && w.gate.leadsOK(ln.Head()) && w.gate.starts(l) && w.gate.within(ln.trimmed) && w.gate.needs(ln.Fold())) {
				closed++
			}
		}
	}
	if closed*100 < asked*95 {
		t.Errorf("the phrase gates turn away %d of %d (line, phrase) pairs: want 95%%", closed, asked)
	}
}

// TestFold: Fold maps every rune of one (?i) orbit to one rune, so a
// folded literal is found in the folded text whatever the case.
func TestFold(t *testing.T) {
	for _, c := range []struct{ a, b string }{{"ÉTÉ", "été"}, {"Straße", "STRAßE"}, {"\u212A", "k"}, {"ſ", "S"}, {"Œuvre", "œuvre"}} {
		if x, y := string(Fold(nil, c.a)), string(Fold(nil, c.b)); x != y {
			t.Errorf("Fold(%q) = %q, Fold(%q) = %q", c.a, x, c.b, y)
		}
	}
	if got := string(Fold(nil, "\xffa")); got != "\uFFFDA" {
		t.Errorf("Fold of a bad byte: %q", got)
	}
}

// FuzzAgree looks for a line on which a gate and its regexp disagree:
// `go test -fuzz Agree ./pipeline/prefilter/`.
func FuzzAgree(f *testing.F) {
	for _, l := range variants(f) {
		f.Add(l)
	}
	s := load(f)
	f.Fuzz(func(t *testing.T, line string) { s.agree(t, line) })
}
