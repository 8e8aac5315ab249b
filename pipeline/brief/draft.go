package brief

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
)

// draft is what one model call returns: a briefing, or part of one, before
// the sources, groups and checks are added.
type draft struct {
	Title       string            `json:"title"`
	Overview    string            `json:"overview"`
	Points      []news.Point      `json:"key_points"`
	Timeline    []news.Event      `json:"timeline"`
	Differences []news.Difference `json:"differences"`
}

var (
	pointKeys = []string{"key_points", "points", "keypoints", "key_facts"}
	textKeys  = []string{"text", "point", "claim", "fact", "event", "description", "summary"}
	citeKeys  = []string{"cites", "citations", "cite", "sources", "source", "refs"}
	inlineRe  = regexp.MustCompile(`\s*\[(\d+)\]`)
	digitsRe  = regexp.MustCompile(`\d+`)
)

// parseDraft reads a model's briefing JSON tolerantly: the wrappers
// llm.Object strips, key aliases, points given as strings with inline
// citations ("… [1][3]"), citations given as strings ("[3]"). A draft with
// no key point is refused so that it gets repaired.
func parseDraft(raw string) (draft, error) {
	obj, err := llm.Object(raw)
	if err != nil {
		return draft{}, err
	}
	var d draft
	d.Title = text(get(obj, "title", "headline"))
	d.Overview = text(get(obj, "overview", "summary", "lede"))
	for _, it := range items(get(obj, pointKeys...)) {
		if t, cs := entry(it); t != "" {
			d.Points = append(d.Points, news.Point{Text: t, Cites: cs})
		}
	}
	if len(d.Points) == 0 {
		return draft{}, errors.New(`no "key_points" in the JSON object`)
	}
	for _, it := range items(get(obj, "timeline", "events", "dates")) {
		var date string
		if m, ok := asObject(it); ok {
			date = text(get(m, "date", "when", "time"))
		}
		t, cs := entry(it)
		if date == "" { // "2024-06-19: Putin lands [3]"
			date, t, _ = strings.Cut(t, ": ")
			if t == "" {
				continue
			}
		}
		d.Timeline = append(d.Timeline, news.Event{Date: date, Text: t, Cites: cs})
	}
	for _, it := range items(get(obj, "differences", "disagreements", "conflicts")) {
		m, ok := asObject(it)
		if !ok {
			continue
		}
		diff := news.Difference{Topic: text(get(m, "topic", "subject", "issue", "what"))}
		for _, s := range items(get(m, "sides", "claims", "positions", "versions")) {
			if t, cs := entry(s); t != "" {
				diff.Sides = append(diff.Sides, news.Side{Claim: t, Cites: cs})
			}
		}
		if len(diff.Sides) > 0 {
			d.Differences = append(d.Differences, diff)
		}
	}
	return d, nil
}

func get(obj map[string]json.RawMessage, keys ...string) json.RawMessage {
	for _, k := range keys {
		if v, ok := obj[k]; ok {
			return v
		}
	}
	return nil
}

func asObject(v json.RawMessage) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(v, &m) != nil {
		return nil, false
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, x := range m {
		out[strings.ToLower(k)] = x
	}
	return out, true
}

func items(v json.RawMessage) []json.RawMessage {
	var out []json.RawMessage
	_ = json.Unmarshal(v, &out)
	return out
}

func text(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return oneLine(s)
	}
	return ""
}

// entry reads a point, an event or a side: an object with a text and
// citations, or a string with inline citations. Inline citations are moved
// out of the text (the Markdown renders them) and merged with the listed
// ones.
func entry(v json.RawMessage) (string, []int) {
	var t string
	var cs []int
	if m, ok := asObject(v); ok {
		t = text(get(m, textKeys...))
		cs = citeList(get(m, citeKeys...))
	} else if json.Unmarshal(v, &t) != nil {
		return "", nil
	}
	for _, sm := range inlineRe.FindAllStringSubmatch(t, -1) {
		if n, err := strconv.Atoi(sm[1]); err == nil {
			cs = append(cs, n)
		}
	}
	t = oneLine(inlineRe.ReplaceAllString(t, ""))
	return t, uniqueSorted(cs)
}

// citeList accepts [1, 3], ["1", "[3]"], "[1][3]" and 2.
func citeList(v json.RawMessage) []int {
	var out []int
	var raw []json.RawMessage
	if json.Unmarshal(v, &raw) != nil {
		raw = []json.RawMessage{v}
	}
	for _, r := range raw {
		var f float64
		if json.Unmarshal(r, &f) == nil {
			out = append(out, int(f))
			continue
		}
		var s string
		if json.Unmarshal(r, &s) == nil {
			for _, m := range digitsRe.FindAllString(s, -1) {
				if n, err := strconv.Atoi(m); err == nil {
					out = append(out, n)
				}
			}
		}
	}
	return out
}

func uniqueSorted(ns []int) []int {
	seen := map[int]bool{}
	out := []int{}
	for _, n := range ns {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out
}

// render writes a partial briefing as the next reduce level reads it.
func (d draft) render(part int) string {
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

func overviewLine(s string) string { return "Overview: " + oneLine(s) + "\n" }

func pointLine(p news.Point) string { return "- " + oneLine(p.Text) + " " + cites(p.Cites) + "\n" }

func eventLine(e news.Event) string {
	return "- " + oneLine(e.Date) + ": " + oneLine(e.Text) + " " + cites(e.Cites) + "\n"
}

func differenceLines(df news.Difference) string {
	s := "- " + oneLine(df.Topic) + "\n"
	for _, sd := range df.Sides {
		s += "  - " + oneLine(sd.Claim) + " " + cites(sd.Cites) + "\n"
	}
	return s
}
