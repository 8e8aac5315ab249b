package brief

import (
	"fmt"
	"strings"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/llm"
)

// draft is what one model call returns.
type draft = briefing.Draft

// parseDraft reads a model's briefing answer: llm.Object finds the JSON
// object among the wrappers models add, briefing.ParseDraft reads it.
func parseDraft(raw string) (draft, error) {
	obj, err := llm.Object(raw)
	if err != nil {
		return draft{}, err
	}
	return briefing.ParseDraft(obj)
}

// render writes a partial briefing as the next reduce level reads it.
func render(d draft, part int) string {
	var w strings.Builder
	fmt.Fprintf(&w, "## Partial briefing %d\n", part)
	if d.Overview != "" {
		w.WriteString(overviewLine(d.Overview))
	}
	w.WriteString("Key points:\n")
	for _, p := range d.Points {
		w.WriteString(pointLine(p))
	}
	if len(d.Timeline) > 0 {
		w.WriteString("Timeline:\n")
		for _, e := range d.Timeline {
			w.WriteString(eventLine(e))
		}
	}
	if len(d.Differences) > 0 {
		w.WriteString("Differences:\n")
		for _, df := range d.Differences {
			w.WriteString(differenceLines(df))
		}
	}
	return w.String()
}

func overviewLine(s string) string { return "Overview: " + briefing.OneLine(s) + "\n" }

func pointLine(p briefing.Point) string {
	return "- " + briefing.OneLine(p.Text) + " " + briefing.Cites(p.Cites) + "\n"
}

func eventLine(e briefing.Event) string {
	return "- " + briefing.OneLine(e.Date) + ": " + briefing.OneLine(e.Text) + " " + briefing.Cites(e.Cites) + "\n"
}

func differenceLines(df briefing.Difference) string {
	s := "- " + briefing.OneLine(df.Topic) + "\n"
	for _, sd := range df.Sides {
		s += "  - " + briefing.OneLine(sd.Claim) + " " + briefing.Cites(sd.Cites) + "\n"
	}
	return s
}
