package clean

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/ingest"
)

var update = flag.Bool("update", false, "rewrite the .want files from the current output (review the diff!)")

// render writes a result in the .want format: the title, the kept
// paragraphs one a line, and the removals with their rules.
func render(r Result) string {
	var b strings.Builder
	b.WriteString("# title\n" + r.Title + "\n# kept\n")
	for _, p := range r.Paragraphs {
		b.WriteString(p + "\n")
	}
	b.WriteString("# removed\n")
	for _, x := range r.Removed {
		b.WriteString(x.Rule + " | " + x.Text + "\n")
	}
	return b.String()
}

// section returns the lines of one section of a .want file.
func section(want, name string) []string {
	_, rest, ok := strings.Cut(want, "# "+name+"\n")
	if !ok {
		return nil
	}
	if i := strings.Index(rest, "\n# "); i >= 0 && !strings.HasPrefix(rest, "# ") {
		rest = rest[:i+1]
	} else if strings.HasPrefix(rest, "# ") {
		return nil
	}
	return strings.Split(strings.TrimSuffix(rest, "\n"), "\n")
}

func inputs(t *testing.T) []string {
	var files []string
	for _, dir := range []string{"testdata/seeds", "testdata/pages"} {
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if !strings.HasSuffix(e.Name(), ".want") {
				files = append(files, filepath.Join(dir, e.Name()))
			}
		}
	}
	if len(files) < 15 {
		t.Fatalf("only %d fixtures", len(files))
	}
	return files
}

// TestGolden cleans the seeds and the fixture pages and compares, line by
// line, the kept paragraphs and the removals with the reviewed .want files:
// a missing kept line is a lost article sentence, an extra one is residue.
func TestGolden(t *testing.T) {
	c, err := New(Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range inputs(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			d, err := ingest.Decode(raw, path)
			if err != nil {
				t.Fatal(err)
			}
			got := render(c.Clean(d.Text, d.Format, d.Meta))
			wantPath := strings.TrimSuffix(path, filepath.Ext(path)) + ".want"
			if *update {
				if err := os.WriteFile(wantPath, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			wb, err := os.ReadFile(wantPath)
			if err != nil {
				t.Fatal(err)
			}
			want := string(wb)
			for _, s := range []string{"title", "kept", "removed"} {
				compare(t, s, section(want, s), section(got, s))
			}
		})
	}
}

func compare(t *testing.T, name string, want, got []string) {
	t.Helper()
	in := func(xs []string, s string) bool {
		for _, x := range xs {
			if x == s {
				return true
			}
		}
		return false
	}
	for _, w := range want {
		if !in(got, w) {
			t.Errorf("%s: missing %q", name, w)
		}
	}
	for _, g := range got {
		if !in(want, g) {
			t.Errorf("%s: unexpected %q", name, g)
		}
	}
	if len(want) != len(got) && !t.Failed() {
		t.Errorf("%s: %d lines, want %d", name, len(got), len(want))
	}
}
