// Package brief is the LLM engine's briefing: it asks a model to merge many
// article summaries into one English briefing whose every claim cites its
// sources, by map-reduce so that it scales past one context window, and
// it is the model judge (ModelJudge) the citation check may ask. The
// grouping of near-duplicates before and the citation check after are
// package cite's, the same for both engines; the format is package
// briefing's.
package brief

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
	"github.com/depeche-news/depeche/prompts"
)

// Options configure Brief.
type Options struct {
	Model         string       // "" = the client's default model
	Prompts       *prompts.Set // nil = built-in prompts
	Cache         *store.Cache // nil = no cache
	CacheScope    string       // endpoint and request parameters, part of every cache key
	ContextTokens int          // the model's context; 0 = unknown (one call, smaller batches if the server refuses)
	MaxTokens     int          // room for each answer; 0 = the client's default
	MaxWords      int          // soft cap on the briefing's length; 0 = none
	Focus         string       // free text, e.g. "economic consequences"
}

// Brief asks the model for a briefing over sources (numbered by Source.N,
// grouped by Source.Group) and returns it unchecked: the caller runs
// cite.Check, once, for either engine. The model writes title, overview, points,
// timeline and differences; the sources and groups come from the input,
// never from the model.
func Brief(ctx context.Context, c *llm.Client, sources []news.Source, opt Options) (briefing.Briefing, error) {
	start := time.Now()
	if len(sources) == 0 {
		return briefing.Briefing{}, fmt.Errorf("brief: no sources")
	}
	r, err := newReducer(c, opt)
	if err != nil {
		return briefing.Briefing{}, fmt.Errorf("brief: %w", err)
	}
	d, err := r.run(ctx, digests(sources))
	if err != nil {
		return briefing.Briefing{}, fmt.Errorf("brief: %w", err)
	}
	b := briefing.Briefing{
		Title: d.Title, Overview: d.Overview, Points: d.Points, Timeline: d.Timeline, Differences: d.Differences,
		Sources: sources, Groups: groupsOf(sources), Focus: opt.Focus,
		Engine: news.EngineLLM, Model: r.stats.Model, Stats: r.stats,
	}
	if err := r.keepAttribution(ctx, &b); err != nil {
		return briefing.Briefing{}, fmt.Errorf("brief: %w", err)
	}
	b.Model, b.Stats = r.stats.Model, r.stats
	if dropped := trimWords(&b, opt.MaxWords); dropped > 0 {
		b.Stats.Warnings = append(b.Stats.Warnings, news.Warning{Code: news.WarnBriefTrimmed,
			Message: fmt.Sprintf("dropped the last %d key points to stay under max_words (%d)", dropped, opt.MaxWords)})
	}
	b.Stats.Duration = time.Since(start)
	return b, nil
}

// digests renders each source, or each near-duplicate group, as a compact
// block the model reads: numbers, title, date, headline, key facts,
// figures, dates and angle. Members of a group after the first add only the
// figures and dates the first lacks, since those are where copies differ.
func digests(sources []news.Source) []string {
	var out []string
	done := map[int]bool{}
	for i, s := range sources {
		if done[i] {
			continue
		}
		members := []int{i}
		if s.Group != 0 {
			for j := i + 1; j < len(sources); j++ {
				if sources[j].Group == s.Group {
					members = append(members, j)
				}
			}
		}
		var w strings.Builder
		for _, m := range members {
			done[m] = true
			fmt.Fprintf(&w, "[%d]", sources[m].N)
		}
		if len(members) > 1 {
			w.WriteString(" (same wire story)")
		}
		sm := s.Summary
		fmt.Fprintf(&w, " %s", briefing.SourceTitle(s))
		if s.Meta.Date != "" {
			fmt.Fprintf(&w, " (%s)", briefing.OneLine(s.Meta.Date))
		}
		w.WriteString("\n")
		if h := briefing.OneLine(sm.Headline); h != "" {
			fmt.Fprintf(&w, "Headline: %s\n", h)
		}
		if len(sm.KeyFacts) > 0 {
			w.WriteString("Facts:\n")
			for _, f := range sm.KeyFacts {
				fmt.Fprintf(&w, "- %s\n", briefing.OneLine(f))
			}
		}
		figures, dates := sm.Figures, sm.Dates
		for _, m := range members[1:] {
			figures = union(figures, sources[m].Summary.Figures)
			dates = union(dates, sources[m].Summary.Dates)
		}
		if len(figures) > 0 {
			fmt.Fprintf(&w, "Figures: %s\n", joinClean(figures))
		}
		if len(dates) > 0 {
			fmt.Fprintf(&w, "Dates: %s\n", joinClean(dates))
		}
		if a := briefing.OneLine(sm.Angle); a != "" {
			fmt.Fprintf(&w, "Angle: %s\n", a)
		}
		out = append(out, w.String())
	}
	return out
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	out := append([]string(nil), a...)
	for _, x := range a {
		seen[strings.ToLower(briefing.OneLine(x))] = true
	}
	for _, x := range b {
		if k := strings.ToLower(briefing.OneLine(x)); !seen[k] {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}

func joinClean(items []string) string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		if it = briefing.OneLine(it); it != "" {
			out = append(out, it)
		}
	}
	return strings.Join(out, "; ")
}

// groupsOf lists the near-duplicate groups recorded in Source.Group.
func groupsOf(sources []news.Source) [][]int {
	var ids []int
	byID := map[int][]int{}
	for _, s := range sources {
		if s.Group == 0 {
			continue
		}
		if byID[s.Group] == nil {
			ids = append(ids, s.Group)
		}
		byID[s.Group] = append(byID[s.Group], s.N)
	}
	var out [][]int
	for _, id := range ids {
		if len(byID[id]) > 1 {
			out = append(out, briefing.UniqueSorted(byID[id]))
		}
	}
	return out
}

// trimWords drops key points from the end once the overview and the points
// so far pass maxWords; the first point always stays. It returns how many
// were dropped.
func trimWords(b *briefing.Briefing, maxWords int) int {
	if maxWords <= 0 {
		return 0
	}
	words := len(strings.Fields(b.Overview))
	for i, p := range b.Points {
		words += len(strings.Fields(p.Text))
		if i > 0 && words > maxWords {
			dropped := len(b.Points) - i
			b.Points = b.Points[:i]
			return dropped
		}
	}
	return 0
}
