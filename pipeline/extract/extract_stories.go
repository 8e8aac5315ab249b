package extract

import (
	"fmt"
	"slices"
	"strings"

	"github.com/depeche-news/depeche/pipeline/briefing"
)

// Overview writes the extractive opening of a briefing told in stories (the
// sections, in ranking order, already written): the title names the most
// covered stories, the overview says what was read and how it divides, and
// each story's key point is its own first, most central one, cited as in
// its section.
func Overview(stories []briefing.Story, articles int) (title, overview string, points []briefing.Point) {
	var names []string
	for _, s := range stories[:min(2, len(stories))] {
		names = append(names, briefing.OneLine(s.Title))
	}
	title = strings.Join(names, "; ")
	if more := len(stories) - len(names); more > 0 {
		title += fmt.Sprintf(" and %d more %s", more, plural(more, "story", "stories"))
	}
	var parts []string
	for _, s := range stories[:min(3, len(stories))] {
		when := ""
		if s.Latest != "" {
			when = ", latest " + s.Latest
		}
		parts = append(parts, fmt.Sprintf("%s (%d %s%s)", briefing.OneLine(s.Title), s.Distinct, plural(s.Distinct, "source", "sources"), when))
	}
	overview = fmt.Sprintf("An extractive digest of %d %s in %d %s with a section of their own; the most covered: %s.",
		articles, plural(articles, "article", "articles"), len(stories), plural(len(stories), "story", "stories"), strings.Join(parts, "; "))
	for _, s := range stories {
		if len(s.Points) > 0 {
			p := s.Points[0]
			points = append(points, briefing.Point{Text: p.Text, Cites: slices.Clone(p.Cites), Evidence: slices.Clone(p.Evidence)})
		}
	}
	return title, overview, points
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
