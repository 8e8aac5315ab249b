package apertium

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDictionaryLookup(t *testing.T) {
	d, err := LoadDictionary("testdata/dict/mini-eng")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ fr, want string }{
		{"voiture", "vehicle"},        // first word of the first sense
		{"voitures", "vehicles"},      // a plural noun, made plural
		{"Voiture", "Vehicle"},        // case kept
		{"remerciements", "thanks"},   // a plural synonym of the first sense wins
		{"tour", "castle"},            // numbered senses: the first
		{"ukrainiennes", "Ukrainian"}, // feminine plural adjective
		{"mouche", "fly"},             // a gloss in parentheses is dropped
		{"être", "be"},
		{"coup", ""}, // multiword headwords are the phrase table's
		{"inconnu", ""},
	}
	for _, tt := range tests {
		got, ok := d.Lookup(tt.fr)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.fr, got, ok, tt.want)
		}
	}
	if d.Spanish {
		t.Error("a …-eng dictionary reads as Spanish")
	}

	es, err := LoadDictionary("testdata/dict/mini-spa")
	if err != nil {
		t.Fatal(err)
	}
	for fr, want := range map[string]string{"limousine": "limusina", "limousines": "limusinas", "sanctions": "sanciones"} {
		if got, _ := es.Lookup(fr); !es.Spanish || got != want {
			t.Errorf("Spanish Lookup(%q) = %q, want %q", fr, got, want)
		}
	}
}

func TestLoadDictionaryErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadDictionary(filepath.Join(dir, "none-eng")); !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("missing dictionary: %v, want a not-exist error", err)
	}
	if _, err := LoadDictionary("testdata/dict/mini-deu"); err == nil || !strings.Contains(err.Error(), "-eng") {
		t.Errorf("a dictionary of another language: %v", err)
	}
	bad := filepath.Join(dir, "bad-eng")
	os.WriteFile(bad+".index", []byte("mot\tA\t!!\n"), 0o644)
	os.WriteFile(bad+".dict", []byte("mot\nword\n"), 0o644)
	if _, err := LoadDictionary(bad); err == nil || !strings.Contains(err.Error(), "bad-eng.index line 1") {
		t.Errorf("corrupt index: %v, want the file and line", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

func TestCognate(t *testing.T) {
	for fr, want := range map[string]string{
		"porosité": "porosity", "porosités": "porosities", "Porosité": "Porosity",
		"dynastique": "dynastic", "journalisme": "journalism", "pandémie": "", "été": "",
	} {
		if got, _ := cognate(fr); got != want {
			t.Errorf("cognate(%q) = %q, want %q", fr, got, want)
		}
	}
}

func TestUnmark(t *testing.T) {
	d, err := LoadDictionary("testdata/dict/mini-eng")
	if err != nil {
		t.Fatal(err)
	}
	es, err := LoadDictionary("testdata/dict/mini-spa")
	if err != nil {
		t.Fatal(err)
	}
	f := &filler{dicts: []*Dictionary{d, es}}
	u := unmark(`The **voitures of **Budanov and the **porosité of the *tentativas. **Remerciements to **Zxqa, a \*star [\*] and #5, the **limousine.`, f)
	want := "The vehicles of Budanov and the porosity of the tentativas. Thanks to Zxqa, a *star * and #5, the \x060\x07."
	if u.text != want {
		t.Errorf("unmark:\n got %q\nwant %q", u.text, want)
	}
	// tentativas (Spanish left by spa-eng) and the pending limousine; a
	// capitalised unknown inside a sentence is a name, not counted
	if u.untranslated != 2 {
		t.Errorf("untranslated = %d, want 2", u.untranslated)
	}
	if len(f.pending) != 1 || f.pending[0] != (pendingWord{"limousine", "limusina"}) {
		t.Fatalf("pending = %q", f.pending)
	}
	text, done := f.fillPending(u.text, []string{"limousine"})
	if !strings.HasSuffix(text, "the limousine.") || done != 1 {
		t.Errorf("fillPending = %q, %d", text, done)
	}
	// a failed request: the French comes back, still untranslated
	if text, done := f.fillPending(u.text, nil); !strings.HasSuffix(text, "the limousine.") || done != 0 {
		t.Errorf("fillPending after a failed request = %q, %d", text, done)
	}
}
