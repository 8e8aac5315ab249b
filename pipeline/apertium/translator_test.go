package apertium

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/lang"
)

func loadGlossary(t testing.TB) *glossary.Glossary {
	t.Helper()
	g, err := glossary.Load("testdata/glossary.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// installedDictionaries loads the dictionaries scripts/deps.sh installs,
// those that are there.
func installedDictionaries(t testing.TB) []*Dictionary {
	t.Helper()
	var ds []*Dictionary
	for _, p := range []string{"/usr/share/dictd/freedict-fra-eng", "/usr/share/dictd/freedict-fra-spa"} {
		d, err := LoadDictionary(p)
		if errors.Is(err, os.ErrNotExist) {
			t.Logf("dictionary %s not installed", p)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	return ds
}

// newTranslator returns a translator over the real Apertium, or skips.
func newTranslator(t testing.TB, workers int) *Translator {
	t.Helper()
	if err := Available(""); err != nil {
		t.Skip("apertium not installed: ", err)
	}
	tr, err := NewTranslator(TranslatorConfig{Workers: workers, Glossary: loadGlossary(t), Dictionaries: installedDictionaries(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	return tr
}

// readArticle reads a title and paragraphs separated by blank lines.
func readArticle(t testing.TB, path string) (string, []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var paras []string
	for _, p := range strings.Split(strings.TrimSpace(string(data)), "\n\n") {
		paras = append(paras, strings.TrimSpace(p))
	}
	return paras[0], paras[1:]
}

// An identity filter stands in for Apertium: splitting, escaping and
// placeholders must round-trip without it.
func TestTranslateThroughIdentityFilter(t *testing.T) {
	tr, err := NewTranslator(TranslatorConfig{Workers: 1, Glossary: loadGlossary(t), Command: "cat"})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	paras := []string{
		"",
		"   ",
		"Voir [1] et <p> puis ^a$ b/c @d \\e {f} ~g |h *i #j.",
		"Kim Jong-un a vu Vladimir Poutine à Moscou.",
		"Il a payé 16 000 dollars, soit 3,5 % de plus, le 20 février 2024 : https://example.com/a_b?x=1.",
		"Dit : « bonjour ».",
	}
	want := []string{
		"",
		"",
		"Voir [1] et <p> puis ^a$ b/c @d \\e {f} ~g |h *i #j.",
		"Kim Jong Un a vu Vladimir Putin à Moscow.",
		// a subject pronoun with no referent is the pivot's "it", protected
		"It a payé 16,000 dollars, soit 3.5 % de plus, on 20 February 2024: https://example.com/a_b?x=1.",
		"Dit: “bonjour”.",
	}
	title, got, _, err := tr.Translate(context.Background(), "La Corée du Nord", paras)
	if err != nil {
		t.Fatal(err)
	}
	if title != "North Korea" {
		t.Errorf("title = %q, want %q", title, "North Korea")
	}
	if len(got) != len(want) {
		t.Fatalf("got %d paragraphs, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("paragraph %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestTranslateProtects(t *testing.T) {
	tr := newTranslator(t, 1)
	tests := []struct {
		fr   string
		want []string // substrings of the English
		not  []string
	}{
		{"Vladimir Poutine a offert à Kim Jong-un une voiture le 20 février 2024.",
			[]string{"Vladimir Putin", "Kim Jong Un", "20 February 2024"}, []string{"Jong-one", "transport"}},
		{"La Corée du Nord a envoyé plus de 16 000 conteneurs à Moscou.",
			[]string{"North Korea", "16,000", "Moscow"}, []string{"The North Korea"}},
		{"Kim Yo-jong a rencontré Choe Ryong-hae à Pyongyang mardi 20 février.",
			[]string{"Kim Yo Jong", "Choe Ryong-hae", "Pyongyang", "Tuesday 20 February"}, nil},
		{"Le budget atteint 3,5 millions d'euros, selon https://example.org/rapport-2024.",
			[]string{"3.5", "https://example.org/rapport-2024"}, nil},
		{"Kim a exprimé son « plein soutien » au Kremlin.",
			[]string{"“", "”", "Kremlin"}, []string{"«", "»"}},
		{"Poutine a parlé. Kim a écouté.", []string{"Putin spoke"}, []string{"Putin Spoke"}},
		// a lowercase glossary term keeps its article for the pivot
		{"Le dictateur nord-coréen a parlé.", []string{"The North Korean dictator"}, []string{"Big", "Dictator"}},
	}
	for _, tt := range tests {
		_, got, _, err := tr.Translate(context.Background(), "", []string{tt.fr})
		if err != nil {
			t.Fatal(err)
		}
		checkContains(t, tt.fr, got[0], tt.want, tt.not)
	}
}

func TestParagraphCounts(t *testing.T) {
	tr := newTranslator(t, 1)
	_, seed := readArticle(t, "testdata/refs/seed000.fr.txt")
	long := strings.Repeat(seed[1]+" ", 40)
	paras := []string{"", " \u00a0 ", "[1]", "<p>", "</p>", "a\x00b", "\\", "[", "]", "Zxq", long, "Fin.", "16 000", "»", "« Oui »"}
	_, got, _, err := tr.Translate(context.Background(), "Titre", paras)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(paras) {
		t.Fatalf("got %d paragraphs, want %d", len(got), len(paras))
	}
	for i, want := range map[int]string{2: "[1]", 3: "<p>", 4: "</p>", 12: "16,000"} {
		if got[i] != want {
			t.Errorf("paragraph %d = %q, want %q", i, got[i], want)
		}
	}
	if got[0] != "" || got[1] != "" {
		t.Errorf("blank paragraphs came back as %q, %q", got[0], got[1])
	}
	if len(got[10]) < len(long)/2 {
		t.Errorf("long paragraph shrank from %d to %d bytes", len(long), len(got[10]))
	}
}

// Every seed paragraph must come out English, and every glossary name in
// it as the glossary writes it.
func TestSeedsTranslated(t *testing.T) {
	tr := newTranslator(t, 2)
	g := loadGlossary(t)
	files, _ := filepath.Glob("testdata/seeds/*.txt")
	if len(files) == 0 {
		t.Fatal("no seeds in testdata/seeds")
	}
	for _, f := range files {
		title, paras := readArticle(t, f)
		etitle, got, ws, err := tr.Translate(context.Background(), title, paras)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(paras) {
			t.Fatalf("%s: %d paragraphs, want %d", f, len(got), len(paras))
		}
		for _, w := range ws.Warnings {
			if w.Code == "name_missing" {
				t.Errorf("%s: %s", f, w.Message)
			}
		}
		for i, p := range append([]string{etitle}, got...) {
			src := title
			if i > 0 {
				src = paras[i-1]
			}
			// the still_french warning's threshold: "a" and "car" are
			// French stop words too, so a short English title can reach 0.15
			if len(lang.Words(p)) >= 8 && lang.FrenchRatio(p) > 0.2 {
				t.Errorf("%s paragraph %d still French (%.2f): %q", f, i, lang.FrenchRatio(p), p)
			}
			for _, e := range g.Find(src) {
				if !strings.Contains(p, e.English) {
					t.Errorf("%s paragraph %d: %q (%s) missing in %q", f, i, e.English, e.French, p)
				}
			}
		}
	}
}

func TestConcurrentTranslate(t *testing.T) {
	tr := newTranslator(t, 2)
	files, _ := filepath.Glob("testdata/seeds/*.txt")
	if len(files) == 0 {
		t.Fatal("no seeds in testdata/seeds")
	}
	want := map[string]string{}
	for _, f := range files {
		title, paras := readArticle(t, f)
		et, ep, _, err := tr.Translate(context.Background(), title, paras)
		if err != nil {
			t.Fatal(err)
		}
		want[f] = et + "\n" + strings.Join(ep, "\n")
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(files))
	for range 4 {
		for _, f := range files {
			wg.Go(func() {
				title, paras := readArticle(t, f)
				et, ep, _, err := tr.Translate(context.Background(), title, paras)
				if err != nil {
					errs <- err
					return
				}
				if got := et + "\n" + strings.Join(ep, "\n"); got != want[f] {
					errs <- fmt.Errorf("%s: concurrent result differs from sequential", f)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCancelAndRestart(t *testing.T) {
	tr := newTranslator(t, 1)
	_, seed := readArticle(t, "testdata/refs/seed000.fr.txt")
	var big []string
	for range 300 {
		big = append(big, seed...)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, _, err := tr.Translate(ctx, "", big)
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Translate returned %v, want context.Canceled", err)
	}
	// The cancelled pipe is gone; the next request starts a new one.
	_, got, _, err := tr.Translate(context.Background(), "", []string{"La maison est grande."})
	if err != nil || !strings.Contains(got[0], "house") {
		t.Fatalf("after cancel: %q, %v", got, err)
	}
	// A pipe that died under the translator is restarted too.
	w := tr.all[0]
	w.p.procs[0].Process.Kill()
	_, got, _, err = tr.Translate(context.Background(), "", []string{"La maison est grande."})
	if err != nil || !strings.Contains(got[0], "house") {
		t.Fatalf("after kill: %q, %v", got, err)
	}
}

func TestMissingApertium(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := Available("")
	if err == nil || !strings.Contains(err.Error(), "apt-get install -y apertium apertium-fr-es apertium-eng-spa") {
		t.Errorf("Available without apertium = %v, want the install hint", err)
	}
	if _, err := NewTranslator(TranslatorConfig{}); err == nil {
		t.Error("NewTranslator without apertium: no error")
	}
}

func TestSplitOutput(t *testing.T) {
	tests := []struct {
		out  string
		n    int
		want []string
		ok   bool
	}{
		{"a[<dp1>]b[<dp2>]c", 3, []string{"a", "b", "c"}, true},
		{`a \[<dp1>\] x[<dp1>]b`, 2, []string{`a \[<dp1>\] x`, "b"}, true}, // escaped text is not a marker
		{"a[]b[<dp1>]c", 2, []string{"a[]b", "c"}, true},
		{"a[<dp2>]b[<dp1>]c", 3, nil, false}, // out of order
		{"a[<dp1>]b", 3, nil, false},         // one lost
		{"a[<dp1>b", 2, nil, false},          // unterminated
	}
	for _, tt := range tests {
		got, ok := splitOutput(tt.out, tt.n)
		if ok != tt.ok || (ok && strings.Join(got, "|") != strings.Join(tt.want, "|")) {
			t.Errorf("splitOutput(%q, %d) = %q, %v; want %q, %v", tt.out, tt.n, got, ok, tt.want, tt.ok)
		}
	}
	streams := []string{"a", "b", "c"}
	if got, ok := splitOutput(joinSegments(streams), 3); !ok || strings.Join(got, "") != "abc" {
		t.Errorf("join/split round trip = %q, %v", got, ok)
	}
}

// The examples of issue 15, through the real pivot.
func TestIssueExamples(t *testing.T) {
	tr := newTranslator(t, 1)
	if len(tr.rules.dictionaries) == 0 {
		t.Skip("the FreeDict dictionaries are not installed (make test installs them on Debian)")
	}
	tests := []struct {
		fr        string
		want, not []string
	}{
		{"Poutine a offert une voiture à Kim en guise de reconnaissance de leur relation spéciale.",
			[]string{"as a token of their special relationship"}, []string{"cook", "his special"}},
		{"Les deux dirigeants se promenaient tour à tour dans une voiture.",
			[]string{"in turn"}, []string{"tower", "gone back"}},
		{"Le Conseil de sécurité se réunira mardi.", []string{"Security Council"}, []string{"Council of security"}},
		{"Pyongyang a tiré un missile en violation de la résolution.", []string{"in violation of the resolution"}, []string{"rape"}},
		{"La sœur de Kim Jong Un a transmis les remerciements du dirigeant.", []string{"sister", "thanks"}, []string{"sœur", "soeur", "remerciements"}},
		{"Les experts dénoncent la porosité des sanctions.", []string{"porosity of the sanctions"}, []string{"porosité"}},
		{"Les deux pays ont renforcé leur coopération.", []string{"their cooperation"}, []string{"his cooperation"}},
	}
	for _, tt := range tests {
		_, got, rep, err := tr.Translate(context.Background(), "", []string{tt.fr})
		if err != nil {
			t.Fatal(err)
		}
		checkContains(t, tt.fr, got[0], tt.want, tt.not)
		if rep.Untranslated != 0 {
			t.Errorf("%q → %q: %d words left untranslated", tt.fr, got[0], rep.Untranslated)
		}
	}
}

// checkContains reports each of want missing from the English of fr, and
// each of not present in it.
func checkContains(t *testing.T, fr, got string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%q → %q: missing %q", fr, got, w)
		}
	}
	for _, w := range not {
		if strings.Contains(got, w) {
			t.Errorf("%q → %q: has %q", fr, got, w)
		}
	}
}
