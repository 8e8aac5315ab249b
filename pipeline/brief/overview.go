package brief

import (
	"context"
	"fmt"
	"strings"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
)

// overviewWords is the length the opening's overview is asked for.
const overviewWords = 90

// Overview asks the model for a briefing's opening over its story
// sections (story.Compose): a title, an overview, and one key point per
// story citing its articles. The call is cached like every other.
func Overview(ctx context.Context, c *llm.Client, stories []briefing.Story, opt Options) (title, overview string, points []briefing.Point, st news.Stats, err error) {
	r, err := newReducer(c, opt)
	if err != nil {
		return "", "", nil, st, fmt.Errorf("overview: %w", err)
	}
	p, err := opt.Prompts.Get("brief-overview")
	if err != nil {
		return "", "", nil, st, fmt.Errorf("overview: %w", err)
	}
	digests := make([]string, len(stories))
	for i, s := range stories {
		digests[i] = storyDigest(i+1, s)
	}
	// Each story's digest is cut to its share of the prompt, so that the
	// opening of many stories still fits one call.
	if r.budget > 0 {
		room := max(minRoom, (r.budget-r.promptTokens(p, promptData{Count: len(stories)}))/max(1, len(stories)))
		for i := range digests {
			digests[i] = cutLines(digests[i], room, r.tokens)
		}
	}
	d, err := r.call(ctx, p, "brief-overview", promptData{
		Count: len(stories), Focus: opt.Focus, Digests: strings.Join(digests, "\n"),
		MaxWords: overviewWords, PointWords: maxPointWords,
	})
	r.stats.Prompt = p.Version
	if err != nil {
		return "", "", nil, r.stats, err
	}
	return d.Title, d.Overview, d.Points, r.stats, nil
}

// storyDigest renders a written story section for the overview prompt.
func storyDigest(n int, s briefing.Story) string {
	var w strings.Builder
	fmt.Fprintf(&w, "## Story %d: %s\n", n, briefing.OneLine(s.Title))
	when := s.First
	if s.Latest != "" && s.Latest != s.First {
		when += " to " + s.Latest
	}
	fmt.Fprintf(&w, "Sources: %d distinct %s", s.Distinct, briefing.Cites(s.Sources))
	if when != "" {
		fmt.Fprintf(&w, ", %s", when)
	}
	w.WriteString("\n")
	if o := briefing.OneLine(s.Overview); o != "" {
		w.WriteString(overviewLine(o))
	}
	w.WriteString("Key points:\n")
	for _, p := range s.Points {
		w.WriteString(pointLine(p))
	}
	return w.String()
}

// cutLines drops lines from the end of s until it fits in tokens (its
// first two lines always stay).
func cutLines(s string, tokens int, count func(string) int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for len(lines) > 2 && count(strings.Join(lines, "\n")) > tokens {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n") + "\n"
}
