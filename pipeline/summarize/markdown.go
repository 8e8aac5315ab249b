package summarize

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/depeche-news/depeche/pipeline/news"
)

// Markdown renders a summary as output/summaries/<stem>.md.
func Markdown(s news.Summary, t news.Translation) string {
	var w strings.Builder
	title := clean(t.Title)
	if title == "" {
		title = clean(t.Meta.Title)
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
		if v = clean(v); v != "" {
			src = append(src, v)
		}
	}
	if len(src) > 0 {
		fmt.Fprintf(&w, "*Source: %s*\n\n", strings.Join(src, " · "))
	}
	if h := clean(s.Headline); h != "" {
		fmt.Fprintf(&w, "**%s**\n\n", h)
	}
	section(&w, "Key facts", s.KeyFacts)
	if len(s.People)+len(s.Organizations)+len(s.Places) > 0 {
		w.WriteString("## Who and where\n\n")
		for _, l := range []struct {
			name  string
			items []string
		}{{"People", s.People}, {"Organizations", s.Organizations}, {"Places", s.Places}} {
			if len(l.items) > 0 {
				fmt.Fprintf(&w, "- **%s:** %s\n", l.name, strings.Join(cleanAll(l.items), "; "))
			}
		}
		w.WriteString("\n")
	}
	section(&w, "Dates", s.Dates)
	section(&w, "Figures", s.Figures)
	if a := clean(s.Angle); a != "" {
		fmt.Fprintf(&w, "## Angle\n\n%s\n\n", a)
	}
	return strings.TrimRight(w.String(), "\n") + "\n"
}

func section(w *strings.Builder, name string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "## %s\n\n", name)
	for _, it := range cleanAll(items) {
		fmt.Fprintf(w, "- %s\n", it)
	}
	w.WriteString("\n")
}

func cleanAll(items []string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		if it = clean(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}
