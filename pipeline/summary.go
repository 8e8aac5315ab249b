package pipeline

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/depeche-news/depeche/pipeline/news"
)

// summaryMarkdown renders a summary, from either engine, as
// output/summaries/<stem>.md.
func summaryMarkdown(s news.Summary, t news.Translation) string {
	var w strings.Builder
	title := oneSpace(t.Title)
	if title == "" {
		title = oneSpace(t.Meta.Title)
	}
	if title == "" {
		title = t.Stem
	}
	fmt.Fprintf(&w, "# %s\n\n", title)
	var src []string
	if t.Source != "" {
		src = append(src, filepath.Base(t.Source))
	}
	for _, v := range []string{t.Meta.Date, t.Meta.Author, t.Meta.URL} {
		if v = oneSpace(v); v != "" {
			src = append(src, v)
		}
	}
	if len(src) > 0 {
		fmt.Fprintf(&w, "*Source: %s*\n\n", strings.Join(src, " · "))
	}
	if h := oneSpace(s.Headline); h != "" {
		fmt.Fprintf(&w, "**%s**\n\n", h)
	}
	summarySection(&w, "Key facts", s.KeyFacts)
	if len(s.People)+len(s.Organizations)+len(s.Places) > 0 {
		w.WriteString("## Who and where\n\n")
		for _, l := range []struct {
			name  string
			items []string
		}{{"People", s.People}, {"Organizations", s.Organizations}, {"Places", s.Places}} {
			if len(l.items) > 0 {
				fmt.Fprintf(&w, "- **%s:** %s\n", l.name, strings.Join(oneSpaceAll(l.items), "; "))
			}
		}
		w.WriteString("\n")
	}
	summarySection(&w, "Dates", s.Dates)
	summarySection(&w, "Figures", s.Figures)
	if a := oneSpace(s.Angle); a != "" {
		fmt.Fprintf(&w, "## Angle\n\n%s\n\n", a)
	}
	return strings.TrimRight(w.String(), "\n") + "\n"
}

func summarySection(w *strings.Builder, name string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "## %s\n\n", name)
	for _, it := range oneSpaceAll(items) {
		fmt.Fprintf(w, "- %s\n", it)
	}
	w.WriteString("\n")
}

func oneSpaceAll(items []string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		if it = oneSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// oneSpace folds every run of white space to one space: a model's line
// breaks inside an item would break the list.
func oneSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
