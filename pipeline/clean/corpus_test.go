package clean

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/ingest"
	"github.com/depeche-news/depeche/pipeline/news"
)

// The labelled corpus (testdata/corpus, see its README.md): full-page text
// dumps, one visible block a line, each line marked "+ " (article: title,
// standfirst, paragraphs, subheads, quotes) or "- " (everything else,
// bylines and dates included, which go to the metadata). dev/ is for
// tuning; test/ is measured and reported, never tuned on.

type labelled struct {
	text    string
	article bool
}

type page struct {
	name  string
	lines []labelled
}

func (p page) text() string {
	var b strings.Builder
	for _, l := range p.lines {
		b.WriteString(l.text + "\n")
	}
	return b.String()
}

func loadCorpus(t testing.TB, split string) []page {
	paths, _ := filepath.Glob(filepath.Join("testdata/corpus", split, "*.txt"))
	var pages []page
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, parseLabelled(t, p, raw))
	}
	return pages
}

// parseLabelled reads a labelled page: each line "+ " (article) or "- "
// (junk) and its text.
func parseLabelled(t testing.TB, path string, raw []byte) page {
	pg := page{name: filepath.Base(path)}
	for i, l := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "+ "):
			pg.lines = append(pg.lines, labelled{l[2:], true})
		case strings.HasPrefix(l, "- "):
			pg.lines = append(pg.lines, labelled{l[2:], false})
		case strings.TrimSpace(l) == "":
		default:
			t.Fatalf("%s:%d: a line starts with neither %q nor %q", path, i+1, "+ ", "- ")
		}
	}
	return pg
}

// tally counts article lines kept and junk lines removed.
type tally struct {
	article, articleKept, junk, junkRemoved int
}

func (t *tally) add(u tally) {
	t.article += u.article
	t.articleKept += u.articleKept
	t.junk += u.junk
	t.junkRemoved += u.junkRemoved
}

func (t tally) kept() float64    { return ratio(t.articleKept, t.article) }
func (t tally) removed() float64 { return ratio(t.junkRemoved, t.junk) }

func (t tally) String() string {
	return fmt.Sprintf("article kept %.1f%% (%d/%d), junk removed %.1f%% (%d/%d)",
		100*t.kept(), t.articleKept, t.article, 100*t.removed(), t.junkRemoved, t.junk)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0 // no fixtures measure nothing: callers fail on it
	}
	return float64(a) / float64(b)
}

// measure cleans a page and tallies its lines: a line is removed when a
// removal names its line and its whole text (a residue cut from the end of
// a line leaves the line kept). lost and left list the mistakes.
func measure(c *Cleaner, p page) (t tally, lost, left []string) {
	r := c.Clean(p.text(), "text", news.Meta{})
	gone := map[int]string{}
	for _, x := range r.Removed {
		gone[x.Line] = x.Text
	}
	for i, l := range p.lines {
		removed := gone[i+1] == strings.TrimSpace(l.text) && strings.TrimSpace(l.text) != ""
		if l.article {
			t.article++
			if !removed {
				t.articleKept++
			} else {
				lost = append(lost, fmt.Sprintf("%d %s", i+1, l.text))
			}
		} else {
			t.junk++
			if removed {
				t.junkRemoved++
			} else {
				left = append(left, fmt.Sprintf("%d %s", i+1, l.text))
			}
		}
	}
	return t, lost, left
}

// logPage measures a page and logs its figures and its mistakes.
func logPage(t *testing.T, c *Cleaner, p page) tally {
	pt, lost, left := measure(c, p)
	t.Logf("%-40s %s", p.name, pt)
	for _, l := range lost {
		t.Logf("    LOST %s", l)
	}
	for _, l := range left {
		t.Logf("    LEFT %s", l)
	}
	return pt
}

// measureSplit measures every page of a split, logging each page's
// figures and (with -v) its mistakes.
func measureSplit(t *testing.T, split string) tally {
	pages := loadCorpus(t, split)
	if len(pages) == 0 {
		t.Fatalf("no pages in testdata/corpus/%s", split)
	}
	c, err := New(Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var all tally
	for _, p := range pages {
		all.add(logPage(t, c, p))
	}
	t.Logf("%s (%d pages): %s", split, len(pages), all)
	return all
}

// TestCorpus measures the cleaner on the labelled corpus (dev, test and,
// since it was measured once, test-new); the floors are
// the figures reached, so that a change that loses ground fails. Print
// the figures with `go test -run TestCorpus -v ./pipeline/clean/`.
func TestCorpus(t *testing.T) {
	floors := map[string][2]float64{ // article kept, junk removed
		"dev":      {0.995, 0.97},
		"test":     {0.995, 0.89},
		"test-new": {0.995, 0.90},
	}
	for _, split := range []string{"dev", "test", "test-new"} {
		t.Run(split, func(t *testing.T) {
			all := measureSplit(t, split)
			if all.article < 100 || all.junk < 300 {
				t.Fatalf("%s: only %d article and %d junk lines", split, all.article, all.junk)
			}
			f := floors[split]
			if all.kept() < f[0] || all.removed() < f[1] {
				t.Errorf("%s: %s; floors %.1f%% kept, %.1f%% removed", split, all, 100*f[0], 100*f[1])
			}
		})
	}
}

// tokens are the words of a text, lower-cased, with their counts.
func tokens(s string) map[string]int {
	out := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		out[w]++
	}
	return out
}

// tokenF1 is the token-level precision, recall and F1 of an extraction
// against the expected article text (bags of words, as extraction
// benchmarks measure).
func tokenF1(got, want string) (p, r, f1 float64) {
	g, w := tokens(got), tokens(want)
	common, ng, nw := 0, 0, 0
	for k, n := range g {
		ng += n
		common += min(n, w[k])
	}
	for _, n := range w {
		nw += n
	}
	p, r = ratio(common, ng), ratio(common, nw)
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1
}

// htmlCase is an HTML page and its expected article text.
type htmlCase struct {
	name string
	raw  []byte
	want string
}

// htmlFixtures are the HTML pages under testdata/pages with their reviewed
// .want files (title and kept paragraphs).
func htmlFixtures(t testing.TB) []htmlCase {
	paths, _ := filepath.Glob("testdata/pages/*.html")
	var out []htmlCase
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(p, ".html") + ".want")
		if err != nil {
			t.Fatal(err)
		}
		article := append(section(string(want), "title"), section(string(want), "kept")...)
		out = append(out, htmlCase{filepath.Base(p), raw, strings.Join(article, "\n")})
	}
	return out
}

// measureHTML runs ingest and clean on each page and returns the mean
// token precision, recall and F1.
func measureHTML(t *testing.T, cases []htmlCase) (p, r, f1 float64) {
	if len(cases) == 0 {
		t.Fatal("no HTML pages")
	}
	c, _ := New(Options{}, nil)
	for _, hc := range cases {
		d, err := ingest.Decode(hc.raw, hc.name)
		if err != nil {
			t.Fatalf("%s: %v", hc.name, err)
		}
		res := c.Clean(d.Text, d.Format, d.Meta)
		pp, rr, ff := tokenF1(res.Title+"\n"+strings.Join(res.Paragraphs, "\n"), hc.want)
		t.Logf("%-40s precision %.3f recall %.3f F1 %.3f", hc.name, pp, rr, ff)
		p, r, f1 = p+pp, r+rr, f1+ff
	}
	n := float64(len(cases))
	return p / n, r / n, f1 / n
}

// TestHTMLTokens: ingest and clean together, on the HTML fixtures, by
// token-level F1 against the reviewed article text.
func TestHTMLTokens(t *testing.T) {
	p, r, f1 := measureHTML(t, htmlFixtures(t))
	t.Logf("HTML fixtures: precision %.3f recall %.3f F1 %.3f", p, r, f1)
	if r < 0.95 || f1 < 0.95 {
		t.Errorf("recall %.3f, F1 %.3f: want 0.95 each", r, f1)
	}
}

// TestExternal measures, when DEPECHE_EXTERNAL_CORPUS names a folder,
// the pages in it: NAME.html with NAME.gold (the expected article text, a
// paragraph a line, the title first) and, when labelled by hand, NAME.txt
// (the page's text dump, labelled as the corpus is). Such pages come from public
// extraction test suites and are not in the repository (see
// testdata/corpus/README.md). The text path is measured on the page's full
// text dump (ingest.ReadLines), each line labelled article when it is part
// of the expected text; the HTML path by token F1.
func TestExternal(t *testing.T) {
	dir := os.Getenv("DEPECHE_EXTERNAL_CORPUS")
	if dir == "" {
		t.Skip("DEPECHE_EXTERNAL_CORPUS is not set")
	}
	var all tally
	c, _ := New(Options{}, nil)
	for _, pg := range externalPages(t, dir) {
		all.add(logPage(t, c, pg))
	}
	cases := externalHTML(t, dir)
	t.Logf("external text dumps (%d pages): %s", len(cases), all)
	pr, r, f1 := measureHTML(t, cases)
	t.Logf("external HTML: precision %.3f recall %.3f F1 %.3f", pr, r, f1)
}

// externalHTML returns the pages of an external folder that have their
// expected text (NAME.html and NAME.gold).
func externalHTML(t testing.TB, dir string) []htmlCase {
	paths, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	sort.Strings(paths)
	var cases []htmlCase
	for _, p := range paths {
		gold, err := os.ReadFile(strings.TrimSuffix(p, ".html") + ".gold")
		if err != nil {
			continue
		}
		raw, _ := os.ReadFile(p)
		cases = append(cases, htmlCase{filepath.Base(p), raw, string(gold)})
	}
	return cases
}

// externalPages returns the text dumps of an external folder's pages,
// labelled: by hand when NAME.txt holds the labelled dump, else by the
// expected text.
func externalPages(t testing.TB, dir string) []page {
	var pages []page
	for _, hc := range externalHTML(t, dir) {
		p := filepath.Join(dir, hc.name)
		if lab, err := os.ReadFile(strings.TrimSuffix(p, ".html") + ".txt"); err == nil {
			pages = append(pages, parseLabelled(t, p, lab))
			continue
		}
		dump, err := ingest.ReadLines(p, 0)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, labelDump(hc.name, dump, hc.want))
	}
	return pages
}

// labelDump labels the lines of a text dump by the expected article text:
// a line is article when its letters are in it (long lines), or are one of
// its paragraphs (short ones). Of a line's copies (a headline that a menu
// carries first, a standfirst repeated in a teaser), the one nearest the
// article's other lines is the article's.
func labelDump(name, dump, gold string) page {
	gk := key(gold)
	paras := map[string]bool{}
	for _, l := range strings.Split(gold, "\n") {
		paras[key(l)] = true
	}
	pg := page{name: name}
	var keys []string
	var at []int // where the article's lines are, copies included
	for _, l := range strings.Split(dump, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		k := key(l)
		if k != "" && (paras[k] || len(k) >= 40 && strings.Contains(gk, k)) {
			at = append(at, len(keys))
		}
		keys = append(keys, k)
		pg.lines = append(pg.lines, labelled{strings.TrimSpace(l), false})
	}
	if len(at) == 0 {
		return pg
	}
	middle := at[len(at)/2]
	best := map[string]int{} // the copy of each article line nearest the middle
	for _, i := range at {
		if j, ok := best[keys[i]]; !ok || abs(i-middle) < abs(j-middle) {
			best[keys[i]] = i
		}
	}
	for _, i := range best {
		pg.lines[i].article = true
	}
	return pg
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// corpusHTML are the HTML pages of a corpus split, each with its expected
// article text: the article lines of its text dump (NAME.txt, the page's
// visible blocks labelled).
func corpusHTML(t testing.TB, split string) []htmlCase {
	paths, _ := filepath.Glob(filepath.Join("testdata/corpus", split, "*.html"))
	pages := map[string]page{}
	for _, p := range loadCorpus(t, split) {
		pages[p.name] = p
	}
	var out []htmlCase
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".html") + ".txt"
		pg, ok := pages[name]
		if !ok {
			t.Fatalf("%s: no labelled dump %s", p, name)
		}
		var want []string
		for _, l := range pg.lines {
			if l.article {
				want = append(want, l.text)
			}
		}
		out = append(out, htmlCase{filepath.Base(p), raw, strings.Join(want, "\n")})
	}
	return out
}

// TestCorpusHTML: ingest and clean together on the corpus pages that are
// HTML, by token precision, recall and F1 against their labelled article
// lines. Print them with `go test -run TestCorpusHTML -v ./pipeline/clean/`.
func TestCorpusHTML(t *testing.T) {
	for _, split := range []string{"dev", "test-new"} {
		cases := corpusHTML(t, split)
		p, r, f1 := measureHTML(t, cases)
		t.Logf("%s HTML (%d pages): precision %.3f recall %.3f F1 %.3f", split, len(cases), p, r, f1)
		if r < 0.95 || f1 < 0.95 {
			t.Errorf("%s: recall %.3f, F1 %.3f: want 0.95 each", split, r, f1)
		}
	}
}
