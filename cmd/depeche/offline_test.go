package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/apertium"
	"github.com/depeche-news/depeche/pipeline/lang"
)

// TestOfflineRunSeeds is `make run` without a model server: the whole
// contract, labelled as an offline draft, every seed cited.
func TestOfflineRunSeeds(t *testing.T) {
	if err := apertium.Available("apertium"); err != nil {
		t.Skipf("apertium unavailable (make test installs it on Debian): %v", err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	// engine auto with nothing listening: the fallback a new user gets.
	cfg := writeConfig(t, dir, "output: "+out+"\nglossary: testdata/glossary.yaml\nllm:\n  base_url: http://127.0.0.1:9/v1\n")
	r := depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "no model server at http://127.0.0.1:9/v1 (connection refused); using the offline engine") {
		t.Errorf("the fallback was not announced:\n%s", r.stderr)
	}
	for _, f := range contract(t, out) {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("contract file %s missing or empty: %v", f, err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "briefing.md"))
	if !strings.HasPrefix(string(md), "> **Offline draft**") {
		t.Errorf("briefing does not start with the offline banner:\n%.200s", md)
	}
	var b struct {
		Engine  string            `json:"engine"`
		Sources []struct{ N int } `json:"sources"`
		Stats   struct {
			Unresolved int   `json:"unresolved"`
			Uncited    []int `json:"uncited"`
		} `json:"citation_stats"`
	}
	raw, _ := os.ReadFile(filepath.Join(out, "briefing.json"))
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	if b.Engine != "offline" || len(b.Sources) != 5 || b.Stats.Unresolved != 0 || len(b.Stats.Uncited) != 0 {
		t.Errorf("briefing: engine %s, %d sources, %d unresolved, uncited %v", b.Engine, len(b.Sources), b.Stats.Unresolved, b.Stats.Uncited)
	}
	// Every translation is labelled, keeps the source's paragraph count, and
	// leaves no French-heavy paragraph behind.
	trs, _ := filepath.Glob(filepath.Join(out, "translations", "*.md"))
	for _, p := range trs {
		body, _ := os.ReadFile(p)
		text := string(body)
		if !strings.Contains(text, "engine: offline") || !strings.Contains(text, "draft: offline machine translation") {
			t.Errorf("%s: front matter does not say offline draft", p)
		}
		stem := strings.TrimSuffix(filepath.Base(p), ".md")
		src, _ := os.ReadFile(filepath.Join(out, "clean", stem+".txt"))
		if got, want := blocks(after(text, "\n---\n")), blocks(string(src)); got != want {
			t.Errorf("%s: %d blocks (title + paragraphs), source has %d", stem, got, want)
		}
		for _, para := range strings.Split(after(text, "\n---\n"), "\n\n") {
			if len(strings.Fields(para)) >= 8 && lang.FrenchRatio(para) > 0.2 {
				t.Errorf("%s: paragraph still French: %.100s", stem, para)
			}
		}
	}
	var m struct {
		Engine string   `json:"engine"`
		Notes  []string `json:"notes"`
		Files  []struct {
			Stages map[string]struct {
				Words        int `json:"words"`
				Untranslated int `json:"untranslated_words"`
			} `json:"stages"`
		} `json:"files"`
		Totals struct {
			Words        int `json:"words"`
			Untranslated int `json:"untranslated_words"`
		} `json:"totals"`
	}
	raw, _ = os.ReadFile(filepath.Join(out, "manifest.json"))
	json.Unmarshal(raw, &m)
	if m.Engine != "offline" || len(m.Notes) == 0 {
		t.Errorf("manifest engine %q notes %v", m.Engine, m.Notes)
	}
	// the words left in French are counted per article and in all
	sum := 0
	for _, f := range m.Files {
		sum += f.Stages["translate"].Untranslated
	}
	if m.Totals.Words < 1000 || sum != m.Totals.Untranslated || m.Totals.Untranslated*50 > m.Totals.Words {
		t.Errorf("manifest: %d words, %d untranslated (files say %d): want the per-file counts summed, under 2%%", m.Totals.Words, m.Totals.Untranslated, sum)
	}
}

func after(s, sep string) string {
	if _, rest, ok := strings.Cut(s, sep); ok {
		return rest
	}
	return s
}

func blocks(s string) int {
	n := 0
	for _, b := range strings.Split(s, "\n\n") {
		if strings.TrimSpace(b) != "" {
			n++
		}
	}
	return n
}
