package briefing

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/depeche-news/depeche/pipeline/news"
)

// Markdown renders a checked briefing as output/briefing.md: compact
// citations ([2][5]) resolving to the Sources list; the sentence ids behind
// them are in briefing.json and briefing.html.
func Markdown(b Briefing) string {
	var w strings.Builder
	mdHead(&w, b)
	if len(b.Stories) > 0 {
		mdStories(&w, b)
	} else {
		mdPoints(&w, b, "##", b.Points)
		mdTimeline(&w, b, "##", b.Timeline)
		mdDifferences(&w, b, "##", b.Differences)
	}
	mdAlsoCovered(&w, b)
	mdSources(&w, b)
	return w.String()
}

func mdHead(w *strings.Builder, b Briefing) {
	if b.Banner != "" {
		// The banner is rendered as a quote; a banner already written as one
		// (the offline engine's) is not quoted twice.
		fmt.Fprintf(w, "> %s\n\n", strings.TrimPrefix(strings.TrimSpace(OneLine(b.Banner)), "> "))
	}
	fmt.Fprintf(w, "# %s\n\n", Title(b))
	if b.Focus != "" {
		fmt.Fprintf(w, "*Focus: %s*\n\n", OneLine(b.Focus))
	}
	if o := strings.TrimSpace(b.Overview); o != "" {
		fmt.Fprintf(w, "%s\n\n", o)
	}
	if b.NewSince != nil {
		n := NewSources(b)
		switch n {
		case 0:
			fmt.Fprintf(w, "*Nothing new since %s: every article was in the last briefing.*\n\n", Since(*b.NewSince))
		default:
			fmt.Fprintf(w, "*%d of %d articles are new since %s; what only they report is marked* %s.\n\n",
				n, len(b.Sources), Since(*b.NewSince), newMark)
		}
	}
}

// newMark marks a claim or a source new since the last briefing.
const newMark = "**new**"

// mdNew writes the mark before a new claim.
func mdNew(w *strings.Builder, b Briefing, isNew bool) {
	if isNew && b.NewSince != nil {
		w.WriteString(newMark + " · ")
	}
}

func mdPoints(w *strings.Builder, b Briefing, heading string, points []Point) {
	w.WriteString(heading + " Key points\n\n")
	if len(points) == 0 {
		w.WriteString("No key point survived the citation check.\n")
	}
	for _, p := range points {
		w.WriteString("- ")
		mdNew(w, b, p.New)
		fmt.Fprintf(w, "%s %s", OneLine(p.Text), Cites(p.Cites))
		mdFlags(w, p.Marked, p.Attribution)
		w.WriteString("\n")
	}
}

// mdFlags writes what the check doubts of a claim after its citations:
// no support, or a dropped attribution.
func mdFlags(w *strings.Builder, marked, attribution string) {
	for _, f := range []string{marked, attribution} {
		if f != "" {
			fmt.Fprintf(w, " ⚠ (%s)", OneLine(f))
		}
	}
}

func mdTimeline(w *strings.Builder, b Briefing, heading string, events []Event) {
	if len(events) == 0 {
		return
	}
	w.WriteString("\n" + heading + " Timeline\n\n")
	for _, e := range events {
		fmt.Fprintf(w, "- **%s** — ", OneLine(e.Date))
		mdNew(w, b, e.New)
		fmt.Fprintf(w, "%s %s", OneLine(e.Text), Cites(e.Cites))
		mdFlags(w, e.Marked, e.Attribution)
		w.WriteString("\n")
	}
}

func mdDifferences(w *strings.Builder, b Briefing, heading string, diffs []Difference) {
	w.WriteString("\n" + heading + " Where sources differ\n\n")
	if len(diffs) == 0 {
		w.WriteString("No conflicting figures, names or framings were found between the sources.\n")
	}
	for _, d := range diffs {
		fmt.Fprintf(w, "- **%s**\n", OneLine(d.Topic))
		for _, s := range d.Sides {
			w.WriteString("  - ")
			mdNew(w, b, s.New)
			fmt.Fprintf(w, "%s %s", OneLine(s.Claim), Cites(s.Cites))
			mdFlags(w, s.Marked, s.Attribution)
			w.WriteString("\n")
		}
	}
}

func mdAlsoCovered(w *strings.Builder, b Briefing) {
	minor := minorStories(b)
	if len(b.AlsoCovered) == 0 && len(minor) == 0 {
		return
	}
	byN := map[int]news.Source{}
	for _, s := range b.Sources {
		byN[s.N] = s
	}
	w.WriteString("\n## Also covered\n\n")
	listed := map[int]bool{}
	for _, st := range minor {
		w.WriteString("- ")
		mdNew(w, b, st.New)
		fmt.Fprintf(w, "**%s** %s%s\n", OneLine(st.Title), Cites(st.Sources), storyFacts(st))
		for _, n := range st.Sources {
			listed[n] = true
		}
	}
	for _, n := range b.AlsoCovered {
		if listed[n] {
			continue
		}
		w.WriteString("- ")
		mdNew(w, b, byN[n].New)
		fmt.Fprintf(w, "[%d] %s\n", n, alsoLine(byN[n]))
	}
}

// alsoLine is an uncited source's title and, when it says more, headline.
func alsoLine(s news.Source) string {
	line := SourceTitle(s)
	if h := OneLine(s.Summary.Headline); h != "" && h != line {
		line += ": " + h
	}
	return line
}

func mdSources(w *strings.Builder, b Briefing) {
	w.WriteString("\n## Sources\n\n")
	for _, s := range b.Sources {
		// Two trailing spaces: a Markdown line break between sources.
		fmt.Fprintf(w, "[%d] %s", s.N, sourceLine(s))
		if s.New && b.NewSince != nil {
			w.WriteString(" — " + newMark)
		}
		w.WriteString("  \n")
	}
	for _, g := range b.Groups {
		if len(g) >= 2 {
			fmt.Fprintf(w, "\n*%s carry the same wire story; they count as one source.*\n", groupList(g))
		}
	}
}

// sourceLine is "title — file — date · author · URL", with what is known.
func sourceLine(s news.Source) string {
	parts := []string{SourceTitle(s)}
	if s.File != "" {
		// a file name may hold a newline or an escape sequence: escaped,
		// it cannot break the list or act on the terminal that shows it
		parts = append(parts, news.Printable(filepath.Base(s.File)))
	}
	var known []string
	for _, v := range []string{s.Meta.Date, s.Meta.Author, s.Meta.URL} {
		if v = OneLine(v); v != "" {
			known = append(known, v)
		}
	}
	if len(known) > 0 {
		parts = append(parts, strings.Join(known, " · "))
	}
	return strings.Join(parts, " — ")
}

// groupList writes "[2], [5] and [6]".
func groupList(g []int) string {
	nums := make([]string, len(g))
	for i, n := range g {
		nums[i] = fmt.Sprintf("[%d]", n)
	}
	return strings.Join(nums[:len(nums)-1], ", ") + " and " + nums[len(nums)-1]
}

// Title is the briefing's title, "Briefing" when it has none.
func Title(b Briefing) string {
	if t := OneLine(b.Title); t != "" {
		return t
	}
	return "Briefing"
}

// SourceTitle names a source: its title, its page's title, its summary's
// headline (some scraped pages carry no title line, and the headline names
// the article better than its file name), or its stem.
func SourceTitle(s news.Source) string {
	for _, t := range []string{s.Title, clip(s.Summary.Headline, 90), s.Meta.Title, s.Stem} {
		if t = news.Printable(OneLine(t)); t != "" {
			return t
		}
	}
	return "untitled"
}

// clip cuts s at a word boundary to at most n bytes, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}

// Cites writes citation numbers as "[1][3]".
func Cites(ns []int) string {
	var w strings.Builder
	for _, n := range ns {
		fmt.Fprintf(&w, "[%d]", n)
	}
	return w.String()
}
