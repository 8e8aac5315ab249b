package clean

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/ingest"
	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/news"
	trafilatura "github.com/markusmobius/go-trafilatura"
)

// score measures an extraction against the reviewed article text (title
// and kept paragraphs of a .want file): the share of article sentences it
// holds, and how many letters it holds that belong to no article sentence.
func score(out string, article []string) (recall float64, junk int) {
	ko := key(out)
	found, total, matched := 0, 0, 0
	for _, p := range article {
		for _, s := range lang.Sentences(p) {
			k := key(s)
			if k == "" {
				continue
			}
			total++
			if strings.Contains(ko, k) {
				found++
				matched += len(k)
			}
		}
	}
	return float64(found) / float64(total), max(0, len(ko)-matched)
}

// TestHTMLAgainstTrafilatura compares depeche (ingest + clean) with
// go-trafilatura's default extraction on the HTML fixtures: depeche must
// keep at least 95% of article sentences and leave less boilerplate.
func TestHTMLAgainstTrafilatura(t *testing.T) {
	paths, _ := filepath.Glob("testdata/pages/*.html")
	if len(paths) == 0 {
		t.Fatal("no HTML fixtures in testdata/pages: nothing to measure")
	}
	c, _ := New(Options{}, nil)
	var dRec, tRec float64
	var dJunk, tJunk int
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := os.ReadFile(strings.TrimSuffix(p, ".html") + ".want")
		article := append(section(string(want), "title"), section(string(want), "kept")...)

		d, err := ingest.Decode(raw, p)
		if err != nil {
			t.Fatal(err)
		}
		r := c.Clean(d.Text, d.Format, d.Meta)
		dr, dj := score(r.Title+"\n"+strings.Join(r.Paragraphs, "\n"), article)

		var tr float64
		var tj int
		res, err := trafilatura.Extract(bytes.NewReader(raw), trafilatura.Options{})
		if err == nil {
			tr, tj = score(res.Metadata.Title+"\n"+res.ContentText, article)
		}
		t.Logf("%-28s depeche recall %.2f junk %4d letters | trafilatura recall %.2f junk %4d letters", filepath.Base(p), dr, dj, tr, tj)
		dRec, tRec, dJunk, tJunk = dRec+dr, tRec+tr, dJunk+dj, tJunk+tj
	}
	n := float64(len(paths))
	t.Logf("mean recall: depeche %.3f, trafilatura %.3f; boilerplate letters: depeche %d, trafilatura %d", dRec/n, tRec/n, dJunk, tJunk)
	if dRec/n < 0.95 {
		t.Errorf("depeche recall %.3f < 0.95", dRec/n)
	}
	if dJunk > tJunk {
		t.Errorf("depeche leaves more boilerplate (%d) than trafilatura (%d)", dJunk, tJunk)
	}
}

// BenchmarkClean cleans the seeds and the text fixtures, repeated; the
// figure is in MB/s of decoded text.
func BenchmarkClean(b *testing.B) {
	var texts []string
	var n int64
	for _, dir := range []string{"testdata/seeds", "testdata/pages"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, p := range paths {
			if strings.HasSuffix(p, ".want") {
				continue
			}
			raw, _ := os.ReadFile(p)
			d, err := ingest.Decode(raw, p)
			if err != nil {
				b.Fatal(err)
			}
			texts = append(texts, d.Text)
			n += int64(len(d.Text))
		}
	}
	c, _ := New(Options{Drop: []string{`(?i)^sponsoris`}, Keep: []string{`^Japon \d`}}, NewChrome())
	b.SetBytes(n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, t := range texts {
			c.Clean(t, "text", news.Meta{})
		}
	}
}
