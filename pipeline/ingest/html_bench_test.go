package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// htmlPages are the scraped French news pages package clean's golden tests
// use: five sites' layouts, with menus, share bars, comments and footers.
func htmlPages(tb testing.TB) []string {
	paths, _ := filepath.Glob("../clean/testdata/pages/*.html")
	if len(paths) < 5 {
		tb.Fatalf("only %d HTML pages in ../clean/testdata/pages", len(paths))
	}
	return paths
}

// TestReadLines: for a text file ReadLines is Read's text; for a page it
// holds every line of Read's text, and more (the chrome around the
// article); errors are Read's.
func TestReadLines(t *testing.T) {
	for _, p := range htmlPages(t) {
		d, err := Read(p, 0)
		if err != nil {
			t.Fatal(err)
		}
		all, err := ReadLines(p, 0)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, l := range strings.Split(all, "\n") {
			have[l] = true
		}
		for _, l := range strings.Split(d.Text, "\n") {
			if !have[l] {
				t.Errorf("%s: ReadLines misses %q", filepath.Base(p), l)
			}
		}
		if len(all) <= len(d.Text) {
			t.Errorf("%s: ReadLines has no more than the article (%d bytes, article %d)", filepath.Base(p), len(all), len(d.Text))
		}
	}
	dir := t.TempDir()
	txt := filepath.Join(dir, "a.txt")
	os.WriteFile(txt, []byte("Titre\r\n\r\nLe président a dit\u00a0: « non ».\n"), 0o644)
	d, _ := Read(txt, 0)
	if got, err := ReadLines(txt, 0); err != nil || got != d.Text {
		t.Errorf("text file: %q, %v; Read gives %q", got, err, d.Text)
	}
	empty := filepath.Join(dir, "empty.html")
	os.WriteFile(empty, []byte("<html><body><script>x()</script></body></html>"), 0o644)
	if _, err := ReadLines(empty, 0); !errors.Is(err, ErrEmpty) {
		t.Errorf("page without text: err = %v", err)
	}
	if _, err := ReadLines(txt, 5); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too large: err = %v", err)
	}
}

func benchPages(b *testing.B, decode func(raw []byte, name string) (string, error)) {
	var raws [][]byte
	var names []string
	var n int64
	for _, p := range htmlPages(b) {
		raw, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		raws, names, n = append(raws, raw), append(names, p), n+int64(len(raw))
	}
	b.SetBytes(n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, raw := range raws {
			if _, err := decode(raw, names[j]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkIngestHTML is HTML extraction throughput (Decode: encoding,
// NFC, parsing, go-readability, metadata) in MB/s of raw HTML.
func BenchmarkIngestHTML(b *testing.B) {
	benchPages(b, func(raw []byte, name string) (string, error) {
		d, err := Decode(raw, name)
		return d.Text, err
	})
}

// BenchmarkReadLinesHTML is what ReadLines costs on the same pages: the
// chrome pass's read, without main-content extraction.
func BenchmarkReadLinesHTML(b *testing.B) {
	benchPages(b, func(raw []byte, name string) (string, error) {
		d, err := decodeDoc(raw, name, false)
		return d.Text, err
	})
}

// BenchmarkDeepHTML decodes a 110 KB page of 10,000 nested <div> around
// an article: linear-time reading holds it to milliseconds (it took 44 s
// when the tree went to go-readability).
func BenchmarkDeepHTML(b *testing.B) {
	page := []byte("<html><body>" + strings.Repeat("<div>", 10000) + "<h1>Titre</h1><p>" + para(0) + "</p>" +
		strings.Repeat("</div>", 10000) + "</body></html>")
	b.SetBytes(int64(len(page)))
	for i := 0; i < b.N; i++ {
		if _, err := Decode(page, "deep.html"); err != nil {
			b.Fatal(err)
		}
	}
}
