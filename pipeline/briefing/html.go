package briefing

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"strings"

	"github.com/depeche-news/depeche/pipeline/news"
)

// Original is what the page shows of one article besides its translation:
// the cleaned French, paragraph for paragraph with the English, and the
// lines the cleaner removed with the rule that removed each.
type Original struct {
	Title      string
	Paragraphs []string
	Removed    []Removed
}

// Removed is one line the cleaner took out of an article.
type Removed struct {
	Line int
	Text string
	Rule string
}

//go:embed page.html.tmpl
var pageTemplate string

var page = template.Must(template.New("page").Parse(pageTemplate))

// HTML renders a checked briefing as output/briefing.html: one
// self-contained page (no external asset, works from file:// and offline)
// where every citation opens the English sentences it rests on and the
// French paragraph they translate, and every article shows its French and
// English side by side with the relied-on sentences highlighted and what
// the cleaner removed folded away. originals is keyed by citation number; a
// source without one (merged from a shard's summaries) shows its English.
func HTML(b Briefing, originals map[int]Original) ([]byte, error) {
	var w bytes.Buffer
	err := WriteHTML(&w, b, func(n int) (Original, bool) {
		o, ok := originals[n]
		return o, ok
	})
	return w.Bytes(), err
}

// WriteHTML writes the page HTML renders to w, one article at a time:
// original is asked for an article's French when its turn comes, so a
// page of thousands of articles never holds more than one of them (and
// the few a citation quotes) in memory.
func WriteHTML(w io.Writer, b Briefing, original func(n int) (Original, bool)) error {
	v := newView(b, original)
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := page.ExecuteTemplate(bw, "head", v); err != nil {
		return fmt.Errorf("briefing.html: %w", err)
	}
	for _, s := range b.Sources {
		o, _ := original(s.N)
		a := article(s, SourceText(s), o, v.relied)
		a.New = s.New && b.NewSince != nil
		if err := page.ExecuteTemplate(bw, "article", a); err != nil {
			return fmt.Errorf("briefing.html: article [%d]: %w", s.N, err)
		}
	}
	if err := page.ExecuteTemplate(bw, "foot", v); err != nil {
		return fmt.Errorf("briefing.html: %w", err)
	}
	return bw.Flush()
}

// view is the page's data, everything resolved: the template only lays
// it out.
type view struct {
	Banner                 template.HTML
	Title, Focus, Overview string
	Points, Timeline       []claimView
	Differences            []diffView
	Stories                []storyView   // the stories with a section; none when the briefing is not told in stories
	Minor                  []storyView   // the stories listed under Also covered
	Also                   []articleView // header fields only: the Also covered list links to the article
	relied                 map[string]bool
	Stats                  CitationStats
	Engine, Model          string
	// NewSince: the line saying what is new since the last briefing; ""
	// when there was none.
	NewSince string
}

type claimView struct {
	Date, Text, Marked string
	Attribution        string // what attribution of its sources it dropped
	Cites              []citeView
	New                bool
}

// storyView is one story: its section's content, or for a story without
// one its line under Also covered.
type storyView struct {
	ID, Title, Facts, Overview string
	Cites                      []int
	New                        bool
	NewSources                 int
	Points, Timeline           []claimView
	Differences                []diffView
}

type diffView struct {
	Topic string
	Sides []claimView
}

// citeView is one citation: its link, and the panel it opens.
type citeView struct {
	N      int
	Panel  string // the panel's id
	Target string // the anchor of the first sentence it rests on
	Quotes []quoteView
	Doubt  bool // the claim is flagged: these are the nearest sentences, not support
}

// quoteView is one paragraph a citation rests on: its relied-on English
// sentences and the whole French paragraph.
type quoteView struct {
	Anchor  string
	English []string
	French  string
}

type articleView struct {
	N                          int
	ID, Title, File, Date, URL string
	Headline                   string
	Rows                       []rowView
	Removed                    []Removed
	HasFrench                  bool
	New                        bool
}

type rowView struct {
	ID      string
	French  string
	English []sentView
}

type sentView struct {
	ID, Text string
	Relied   bool
}

// anchor is a sentence's element id: "a3-p1-s2" (no dot, so that it is
// also a plain CSS selector).
func anchor(n int, id news.SentenceID) string {
	return fmt.Sprintf("a%d-%s", n, strings.ReplaceAll(string(id), ".", "-"))
}

// newView resolves everything above the articles. Only the articles a claim
// cites are read here (once each, kept for the claims that share them).
func newView(b Briefing, original func(n int) (Original, bool)) view {
	v := view{Banner: bold(strings.TrimPrefix(strings.TrimSpace(OneLine(b.Banner)), "> ")), Title: Title(b), Focus: OneLine(b.Focus),
		Overview: strings.TrimSpace(b.Overview), Stats: b.Citations, Engine: b.Engine, Model: b.Model}
	byN := map[int]news.Source{}
	for _, s := range b.Sources {
		byN[s.N] = s
	}
	type cited struct {
		t Text
		o Original
	}
	seen := map[int]cited{}
	lookup := func(n int) cited {
		c, ok := seen[n]
		if !ok {
			c.t = SourceText(byN[n])
			c.o, _ = original(n)
			seen[n] = c
		}
		return c
	}
	relied := map[string]bool{}
	v.relied = relied
	k := 0
	claim := func(date, text, marked, attribution string, cites []int, ev []Evidence, isNew bool) claimView {
		k++
		c := claimView{Date: OneLine(date), Text: OneLine(text), Marked: OneLine(marked), Attribution: OneLine(attribution),
			New: isNew && b.NewSince != nil}
		for _, n := range cites {
			cv := citeView{N: n, Panel: fmt.Sprintf("ev%d-%d", k, n), Doubt: marked != ""}
			src := lookup(n)
			cv.Quotes = quotes(n, EvidenceFor(ev, n), src.t, src.o)
			for _, q := range cv.Quotes {
				if cv.Target == "" {
					cv.Target = q.Anchor
				}
			}
			if cv.Target == "" {
				cv.Target = fmt.Sprintf("a%d", n)
			}
			if marked == "" {
				for _, id := range EvidenceFor(ev, n) {
					relied[anchor(n, id)] = true
				}
			}
			c.Cites = append(c.Cites, cv)
		}
		return c
	}
	claims := func(points []Point, events []Event, diffs []Difference) (ps, es []claimView, ds []diffView) {
		for _, p := range points {
			ps = append(ps, claim("", p.Text, p.Marked, p.Attribution, p.Cites, p.Evidence, p.New))
		}
		for _, e := range events {
			es = append(es, claim(e.Date, e.Text, e.Marked, e.Attribution, e.Cites, e.Evidence, e.New))
		}
		for _, d := range diffs {
			dv := diffView{Topic: OneLine(d.Topic)}
			for _, s := range d.Sides {
				dv.Sides = append(dv.Sides, claim("", s.Claim, s.Marked, s.Attribution, s.Cites, s.Evidence, s.New))
			}
			ds = append(ds, dv)
		}
		return ps, es, ds
	}
	v.Points, v.Timeline, v.Differences = claims(b.Points, b.Timeline, b.Differences)
	for i, st := range b.Stories {
		sv := storyView{ID: fmt.Sprintf("story%d", i+1), Title: OneLine(st.Title), Facts: strings.TrimPrefix(storyFacts(st), " — "),
			Overview: strings.TrimSpace(st.Overview), Cites: st.Sources, New: st.New && b.NewSince != nil, NewSources: st.NewSources}
		if b.NewSince == nil {
			sv.NewSources = 0
		}
		if !st.Section {
			v.Minor = append(v.Minor, sv)
			continue
		}
		sv.Points, sv.Timeline, sv.Differences = claims(st.Points, st.Timeline, st.Differences)
		v.Stories = append(v.Stories, sv)
	}
	if b.NewSince != nil {
		v.NewSince = fmt.Sprintf("%d of %d articles are new since %s; what only they report is marked new.", NewSources(b), len(b.Sources), Since(*b.NewSince))
	}
	also, inMinor := map[int]bool{}, map[int]bool{}
	for _, n := range b.AlsoCovered {
		also[n] = true
	}
	for _, st := range v.Minor {
		for _, n := range st.Cites {
			inMinor[n] = true
		}
	}
	for _, s := range b.Sources {
		if also[s.N] && !inMinor[s.N] {
			v.Also = append(v.Also, articleView{N: s.N, ID: fmt.Sprintf("a%d", s.N), Title: SourceTitle(s),
				Headline: OneLine(s.Summary.Headline), New: s.New && b.NewSince != nil})
		}
	}
	return v
}

// quotes groups a citation's sentences by paragraph, each with the French
// paragraph it translates.
func quotes(n int, ids []news.SentenceID, t Text, o Original) []quoteView {
	var out []quoteView
	at := map[int]int{}
	for _, id := range ids {
		s, ok := t.Sentence(id)
		if !ok {
			continue
		}
		p, _, _ := id.Position()
		i, seen := at[p]
		if !seen {
			q := quoteView{Anchor: anchor(n, id)}
			switch {
			case p == 0:
				q.French = o.Title
			case p <= len(o.Paragraphs):
				q.French = o.Paragraphs[p-1]
			}
			at[p], i = len(out), len(out)
			out = append(out, q)
		}
		out[i].English = append(out[i].English, s)
	}
	return out
}

func article(s news.Source, t Text, o Original, relied map[string]bool) articleView {
	a := articleView{N: s.N, ID: fmt.Sprintf("a%d", s.N), Title: SourceTitle(s), Date: OneLine(s.Meta.Date), URL: safeURL(s.Meta.URL),
		Headline: OneLine(s.Summary.Headline), Removed: o.Removed, HasFrench: len(o.Paragraphs) > 0}
	if s.File != "" {
		a.File = filepath.Base(s.File)
	}
	if t.Title != "" {
		id := anchor(s.N, TitleID)
		a.Rows = append(a.Rows, rowView{ID: fmt.Sprintf("a%d-p0", s.N), French: o.Title, English: []sentView{{ID: id, Text: t.Title, Relied: relied[id]}}})
	}
	for p, ss := range t.Paras {
		r := rowView{ID: fmt.Sprintf("a%d-p%d", s.N, p+1)}
		if p < len(o.Paragraphs) {
			r.French = o.Paragraphs[p]
		}
		for i, sent := range ss {
			id := anchor(s.N, news.SentenceAt(p+1, i+1))
			r.English = append(r.English, sentView{ID: id, Text: sent, Relied: relied[id]})
		}
		a.Rows = append(a.Rows, r)
	}
	return a
}

// bold renders a banner's Markdown **bold** runs, escaping everything else.
func bold(s string) template.HTML {
	var w strings.Builder
	for i, part := range strings.Split(s, "**") {
		if i%2 == 1 {
			w.WriteString("<strong>" + template.HTMLEscapeString(part) + "</strong>")
		} else {
			w.WriteString(template.HTMLEscapeString(part))
		}
	}
	return template.HTML(w.String())
}

// safeURL keeps only web links: a scraped page's URL is untrusted text,
// and html/template would otherwise let a javascript: link through as
// "#ZgotmplZ".
func safeURL(u string) string {
	u = strings.TrimSpace(u)
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}
