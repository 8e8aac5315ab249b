package briefing

import (
	"fmt"
	"strings"
)

// mdStories renders a briefing told in stories: the opening's key points
// (one per story), the list of the stories with a section, then each
// story's section with its own key points, timeline and differences.
func mdStories(w *strings.Builder, b Briefing) {
	sections := sectionStories(b)
	if len(b.Points) > 0 {
		mdPoints(w, b, "##", b.Points)
		w.WriteString("\n")
	}
	w.WriteString("## The stories\n\n")
	for i, st := range sections {
		fmt.Fprintf(w, "%d. ", i+1)
		mdStoryMark(w, b, st)
		fmt.Fprintf(w, "**%s**%s\n", OneLine(st.Title), storyFacts(st))
	}
	for i, st := range sections {
		fmt.Fprintf(w, "\n## %d. %s\n\n", i+1, OneLine(st.Title))
		mdStoryMark(w, b, st)
		fmt.Fprintf(w, "*%s*\n\n", strings.TrimPrefix(storyFacts(st), " — "))
		if o := strings.TrimSpace(st.Overview); o != "" {
			fmt.Fprintf(w, "%s\n\n", o)
		}
		mdPoints(w, b, "###", st.Points)
		mdTimeline(w, b, "###", st.Timeline)
		if len(st.Differences) > 0 {
			mdDifferences(w, b, "###", st.Differences)
		}
	}
}

// mdStoryMark marks a story new, or updated with new articles, since the
// last briefing.
func mdStoryMark(w *strings.Builder, b Briefing, st Story) {
	switch {
	case b.NewSince == nil:
	case st.New:
		w.WriteString(newMark + " · ")
	case st.NewSources > 0:
		fmt.Fprintf(w, "**%d new** · ", st.NewSources)
	}
}

// storyFacts says how many sources tell a story and when.
func storyFacts(st Story) string {
	s := fmt.Sprintf(" — %d %s", st.Distinct, plural(st.Distinct, "source", "sources"))
	if n := len(st.Sources); n > st.Distinct {
		s += fmt.Sprintf(" (%d articles)", n)
	}
	switch {
	case st.First != "" && st.Latest != "" && st.First != st.Latest:
		s += ", " + st.First + " to " + st.Latest
	case st.Latest != "":
		s += ", " + st.Latest
	}
	return s
}

func sectionStories(b Briefing) []Story {
	var out []Story
	for _, st := range b.Stories {
		if st.Section {
			out = append(out, st)
		}
	}
	return out
}

// minorStories are the stories without a section, listed under Also
// covered.
func minorStories(b Briefing) []Story {
	var out []Story
	for _, st := range b.Stories {
		if !st.Section {
			out = append(out, st)
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
