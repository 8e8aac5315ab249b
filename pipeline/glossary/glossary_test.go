package glossary

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func testGlossary() *Glossary {
	return New([]Entry{
		{"Poutine", "Putin"},
		{"Vladimir Poutine", "Vladimir Putin"},
		{"Corée du Nord", "North Korea"},
		{"Kim Jong-un", "Kim Jong Un"},
		{"Kim", "Kim"},
		{"Conseil de sécurité de l'ONU", "UN Security Council"},
		{"ONU", "UN"},
		{"États-Unis", "United States"},
	})
}

func TestFind(t *testing.T) {
	g := testGlossary()
	tests := []struct {
		text string
		want []string // French terms, in order
	}{
		{"Vladimir Poutine a rencontré Kim Jong-un.", []string{"Vladimir Poutine", "Kim Jong-un"}},
		{"Poutine et Poutine encore", []string{"Poutine"}},
		{"la Corée du Nord", []string{"Corée du Nord"}},
		{"la Corée\u00a0du\u202fNord", []string{"Corée du Nord"}},
		{"au Conseil de sécurité de l’ONU", []string{"Conseil de sécurité de l'ONU"}},
		{"l’ONU et l'ONU", []string{"ONU"}},
		{"les États-Unis.", []string{"États-Unis"}},
		{"poutine au fromage", nil},  // case-sensitive
		{"Poutinesque", nil},         // whole words only
		{"Kim-Jong est un nom", nil}, // hyphen continues a word
		{"KimJong", nil},             //
		{"Kim Jong-un et Kim", []string{"Kim Jong-un", "Kim"}},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range g.Find(tt.text) {
			got = append(got, e.French)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Find(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestMatchesOffsets(t *testing.T) {
	g := testGlossary()
	text := "« Vladimir\u00a0Poutine » parle à l’ONU puis Poutine."
	ms := g.Matches(text)
	want := []string{"Vladimir\u00a0Poutine", "ONU", "Poutine"}
	if len(ms) != len(want) {
		t.Fatalf("got %d matches %+v, want %d", len(ms), ms, len(want))
	}
	for i, m := range ms {
		if got := text[m.Start:m.End]; got != want[i] {
			t.Errorf("match %d = %q, want %q", i, got, want[i])
		}
	}
	if ms[0].English != "Vladimir Putin" || ms[0].French != "Vladimir Poutine" {
		t.Errorf("match 0 entry = %+v", ms[0].Entry)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, body string
		wantLen    int
		wantErr    string
	}{
		{"map.yaml", "# c\nCorée du Nord: North Korea\nPoutine: Putin\n", 2, ""},
		{"list.yml", "- {fr: Moscou, en: Moscow}\n- fr: Pékin\n  en: Beijing\n", 2, ""},
		{"empty.yaml", "# nothing yet\n", 0, ""},
		{"g.csv", "french,english\nMoscou,Moscow\n\"Séoul, ville\",Seoul\n", 2, ""},
		{"bad.yaml", "Moscou: Moscow\nPékin:\n", 0, "line 2"},
		{"badlist.yaml", "- {fr: Moscou, en: Moscow}\n- {fr: Pékin}\n", 0, "line 2"},
		{"bad.csv", "Moscou,Moscow\nPékin\n", 0, "line 2"},
		{"g.txt", "x", 0, "unknown format"},
		{"syntax.yaml", "a: [b\n", 0, "syntax.yaml"},
	}
	for _, tt := range tests {
		g, err := Load(write(tt.name, tt.body))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), tt.name) {
				t.Errorf("%s: err = %v, want one naming the file and %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if g.Len() != tt.wantLen {
			t.Errorf("%s: Len = %d, want %d", tt.name, g.Len(), tt.wantLen)
		}
	}
	if g, err := Load(""); err != nil || g.Len() != 0 {
		t.Errorf(`Load("") = %v, %v; want empty glossary`, g, err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestVersion(t *testing.T) {
	a := New([]Entry{{"Moscou", "Moscow"}, {"Pékin", "Beijing"}})
	b := New([]Entry{{"Pékin", "Beijing"}, {"Moscou", "Moscow"}})
	c := New([]Entry{{"Moscou", "Moskva"}, {"Pékin", "Beijing"}})
	if a.Version() != b.Version() {
		t.Error("order of entries changed the version")
	}
	if a.Version() == c.Version() {
		t.Error("different contents, same version")
	}
	if len(a.Version()) != 12 {
		t.Errorf("version %q: want 12 hex digits", a.Version())
	}
}

// The shipped glossary must load and cover the seeds' main names.
func TestShippedGlossary(t *testing.T) {
	g, err := Load("../../glossary.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := "Vladimir Poutine, Kim Jong-un, la Corée du Nord, Moscou, Kiev, l’ONU"
	want := map[string]string{"Vladimir Poutine": "Vladimir Putin", "Kim Jong-un": "Kim Jong Un",
		"Corée du Nord": "North Korea", "Moscou": "Moscow", "Kiev": "Kyiv", "ONU": "UN"}
	got := map[string]string{}
	for _, e := range g.Find(text) {
		got[e.French] = e.English
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Find over the shipped glossary = %v, want %v", got, want)
	}
}

func TestSectionsGiveKinds(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "g.yaml")
	body := "people:\n  Vladimir Poutine: Vladimir Putin\nplaces:\n  Corée du Nord: North Korea\norganisations:\n  ONU: UN\nmisc:\n  Aurus Senat: Aurus Senat\nPékin: Beijing\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != 5 {
		t.Errorf("Len = %d, want 5 (sections and top-level terms)", g.Len())
	}
	want := map[string]string{"Vladimir Putin": Person, "North Korea": Place, "UN": Organization}
	if got := g.Kinds(); !reflect.DeepEqual(got, want) {
		t.Errorf("Kinds = %v, want %v", got, want)
	}
	if es := g.Find("Vladimir Poutine à Pékin"); len(es) != 2 {
		t.Errorf("sectioned terms not matched: %v", es)
	}
	// The same terms without sections: a different version (kinds feed the
	// offline summaries' cache keys).
	flat := filepath.Join(dir, "flat.yaml")
	os.WriteFile(flat, []byte("Vladimir Poutine: Vladimir Putin\nCorée du Nord: North Korea\nONU: UN\nAurus Senat: Aurus Senat\nPékin: Beijing\n"), 0o644)
	f, err := Load(flat)
	if err != nil {
		t.Fatal(err)
	}
	if f.Version() == g.Version() || len(f.Kinds()) != 0 {
		t.Errorf("flat glossary: version %s (sectioned %s), kinds %v", f.Version(), g.Version(), f.Kinds())
	}
}
