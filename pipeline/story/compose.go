package story

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
)

// Defaults of the story sections when news.BriefOptions leaves them 0.
const (
	DefaultMaxStories = 8
	DefaultStoryWords = 220
	// minSection: a story told by fewer distinct sources goes to Also
	// covered, unless no story has more.
	minSection = 2
	// storyParallel bounds the stories briefed at once; the engine's own
	// scheduler bounds the requests.
	storyParallel = 8
)

// Briefer writes the briefing of one story from its sources (which keep
// their citation numbers) in about words words: its title, overview, key
// points, timeline and differences.
type Briefer func(ctx context.Context, sources []news.Source, words int) (briefing.Briefing, error)

// Overviewer writes a briefing's opening from its stories (those with a
// section, in ranking order, their own titles and key points written): a
// title, an overview, and one key point per story citing its articles;
// with the cost of doing so.
type Overviewer func(ctx context.Context, stories []briefing.Story, opt news.BriefOptions) (title, overview string, points []briefing.Point, st news.Stats, err error)

// Compose makes the briefing of sources grouped into stories (Source.Story,
// set by the runner from Group): stories are ranked by distinct sources,
// then by their latest date; the first opt.MaxStories told by at least two
// distinct sources get a section written by brief, in opt.StoryWords words
// each; the others are listed under Also covered; overview writes the
// opening over the sections. Sources all in one story (or in none) make a
// briefing without stories, written by brief in opt.MaxWords words, as
// before stories existed. Both engines brief through Compose.
func Compose(ctx context.Context, sources []news.Source, opt news.BriefOptions, brief Briefer, overview Overviewer) (briefing.Briefing, error) {
	stories := partition(sources)
	if len(stories) <= 1 {
		return brief(ctx, sources, opt.MaxWords)
	}
	if opt.MaxStories <= 0 {
		opt.MaxStories = DefaultMaxStories
	}
	if opt.StoryWords <= 0 {
		opt.StoryWords = DefaultStoryWords
	}
	out := briefing.Briefing{Sources: sources, Focus: opt.Focus}
	var sections []int
	most := 0
	for _, st := range stories {
		most = max(most, st.Distinct)
	}
	for i := range stories {
		if len(sections) < opt.MaxStories && (stories[i].Distinct >= minSection || most < minSection) {
			stories[i].Section = true
			sections = append(sections, i)
		}
	}
	written := make([]briefing.Briefing, len(sections))
	errs := make([]error, len(sections))
	sem := make(chan struct{}, storyParallel)
	var wg sync.WaitGroup
	for k, i := range sections {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			written[k], errs[k] = brief(ctx, membersOf(sources, stories[i].Sources), opt.StoryWords)
		}()
	}
	wg.Wait()
	for k, i := range sections {
		b := written[k]
		out.Stats = addStats(out.Stats, b.Stats)
		if errs[k] != nil {
			return out, fmt.Errorf("story %d (%s): %w", i+1, stories[i].Title, errs[k])
		}
		st := &stories[i]
		if b.Title != "" {
			st.Title = b.Title
		}
		st.Overview, st.Points, st.Timeline, st.Differences = b.Overview, b.Points, b.Timeline, b.Differences
		out.Engine, out.Model, out.Banner = b.Engine, b.Model, b.Banner
	}
	var top []briefing.Story
	for _, i := range sections {
		top = append(top, stories[i])
	}
	title, text, points, st, err := overview(ctx, top, opt)
	out.Stats = addStats(out.Stats, st)
	if err != nil {
		return out, fmt.Errorf("overview: %w", err)
	}
	if points == nil {
		points = []briefing.Point{}
	}
	out.Title, out.Overview, out.Points, out.Stories = title, text, points, stories
	out.Timeline, out.Differences = []briefing.Event{}, []briefing.Difference{}
	return out, nil
}

// partition gathers sources by Source.Story into ranked stories with their
// facts filled in (sources, distinct sources, dates, a provisional title:
// the title of their first source). Sources with no story are one story
// each.
func partition(sources []news.Source) []briefing.Story {
	byID := map[int]int{}
	var out []briefing.Story
	for _, s := range sources {
		k, ok := byID[s.Story]
		if !ok || s.Story == 0 {
			k = len(out)
			if s.Story != 0 {
				byID[s.Story] = k
			}
			out = append(out, briefing.Story{Title: briefing.SourceTitle(s)})
		}
		st := &out[k]
		st.Sources = append(st.Sources, s.N)
		if d := dateOf(s); d != "" {
			if st.First == "" || d < st.First {
				st.First = d
			}
			if d > st.Latest {
				st.Latest = d
			}
		}
	}
	for i := range out {
		slices.Sort(out[i].Sources)
		out[i].Distinct = Distinct(sources, out[i].Sources)
	}
	slices.SortStableFunc(out, func(a, b briefing.Story) int {
		if c := cmp.Compare(b.Distinct, a.Distinct); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Latest, a.Latest); c != 0 {
			return c
		}
		return cmp.Compare(a.Sources[0], b.Sources[0])
	})
	return out
}

// dateOf is a source's date as YYYY-MM-DD, "" when unknown.
func dateOf(s news.Source) string {
	if _, ok := parseDay(s.Meta.Date); ok {
		return s.Meta.Date[:10]
	}
	return ""
}

func membersOf(sources []news.Source, ns []int) []news.Source {
	want := map[int]bool{}
	for _, n := range ns {
		want[n] = true
	}
	var out []news.Source
	for _, s := range sources {
		if want[s.N] {
			out = append(out, s)
		}
	}
	return out
}

func addStats(a, b news.Stats) news.Stats {
	if a.Engine == "" {
		a.Engine, a.Model, a.Prompt = b.Engine, b.Model, b.Prompt
	}
	a.Requests += b.Requests
	a.Cached += b.Cached
	a.Retries = append(a.Retries, b.Retries...)
	a.Usage = a.Usage.Add(b.Usage)
	a.Warnings = append(a.Warnings, b.Warnings...)
	return a
}
