package brief

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/depeche-news/depeche/pipeline/news"
)

// Markdown renders a checked briefing as output/briefing.md.
func Markdown(b news.Briefing) string {
	var w strings.Builder
	if b.Banner != "" {
		// The banner is rendered as a quote; a banner already written as one
		// (the offline engine's) is not quoted twice.
		fmt.Fprintf(&w, "> %s\n\n", strings.TrimPrefix(strings.TrimSpace(oneLine(b.Banner)), "> "))
	}
	title := oneLine(b.Title)
	if title == "" {
		title = "Briefing"
	}
	fmt.Fprintf(&w, "# %s\n\n", title)
	if b.Focus != "" {
		fmt.Fprintf(&w, "*Focus: %s*\n\n", oneLine(b.Focus))
	}
	if o := strings.TrimSpace(b.Overview); o != "" {
		fmt.Fprintf(&w, "%s\n\n", o)
	}

	w.WriteString("## Key points\n\n")
	if len(b.Points) == 0 {
		w.WriteString("No key point survived the citation check.\n")
	}
	for _, p := range b.Points {
		fmt.Fprintf(&w, "- %s %s", oneLine(p.Text), cites(p.Cites))
		if p.Marked != "" {
			fmt.Fprintf(&w, " ⚠ (%s)", oneLine(p.Marked))
		}
		w.WriteString("\n")
	}

	if len(b.Timeline) > 0 {
		w.WriteString("\n## Timeline\n\n")
		for _, e := range b.Timeline {
			fmt.Fprintf(&w, "- **%s** — %s %s\n", oneLine(e.Date), oneLine(e.Text), cites(e.Cites))
		}
	}

	w.WriteString("\n## Where sources differ\n\n")
	if len(b.Differences) == 0 {
		w.WriteString("No conflicting figures, names or framings were found between the sources.\n")
	}
	for _, d := range b.Differences {
		fmt.Fprintf(&w, "- **%s**\n", oneLine(d.Topic))
		for _, s := range d.Sides {
			fmt.Fprintf(&w, "  - %s %s\n", oneLine(s.Claim), cites(s.Cites))
		}
	}

	byN := map[int]news.Source{}
	for _, s := range b.Sources {
		byN[s.N] = s
	}
	if len(b.AlsoCovered) > 0 {
		w.WriteString("\n## Also covered\n\n")
		for _, n := range b.AlsoCovered {
			s := byN[n]
			line := sourceTitle(s)
			if h := oneLine(s.Summary.Headline); h != "" && h != line {
				line += ": " + h
			}
			fmt.Fprintf(&w, "- [%d] %s\n", n, line)
		}
	}

	w.WriteString("\n## Sources\n\n")
	for _, s := range b.Sources {
		parts := []string{sourceTitle(s)}
		if s.File != "" {
			parts = append(parts, filepath.Base(s.File))
		}
		var known []string
		for _, v := range []string{s.Meta.Date, s.Meta.Author, s.Meta.URL} {
			if v = oneLine(v); v != "" {
				known = append(known, v)
			}
		}
		if len(known) > 0 {
			parts = append(parts, strings.Join(known, " · "))
		}
		// Two trailing spaces: a Markdown line break between sources.
		fmt.Fprintf(&w, "[%d] %s  \n", s.N, strings.Join(parts, " — "))
	}
	for _, g := range b.Groups {
		if len(g) < 2 {
			continue
		}
		nums := make([]string, len(g))
		for i, n := range g {
			nums[i] = fmt.Sprintf("[%d]", n)
		}
		list := strings.Join(nums[:len(nums)-1], ", ") + " and " + nums[len(nums)-1]
		fmt.Fprintf(&w, "\n*%s carry the same wire story; they count as one source.*\n", list)
	}
	return w.String()
}

func sourceTitle(s news.Source) string {
	for _, t := range []string{s.Title, s.Meta.Title, s.Stem} {
		if t = oneLine(t); t != "" {
			return t
		}
	}
	return "untitled"
}

func cites(ns []int) string {
	var w strings.Builder
	for _, n := range ns {
		fmt.Fprintf(&w, "[%d]", n)
	}
	return w.String()
}

// oneLine keeps model text from breaking the Markdown structure.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
