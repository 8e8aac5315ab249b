package briefing

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// draftSchema is the structured-output schema of one briefing call's answer.
//
//go:embed draft.schema.json
var draftSchema []byte

// DraftSchema returns the JSON schema a model's briefing answer follows.
func DraftSchema() []byte { return bytes.Clone(draftSchema) }

// Draft is what one model call returns (and what the fake model writes): a
// briefing, or part of one, before the sources, groups and checks are added.
type Draft struct {
	Title       string       `json:"title"`
	Overview    string       `json:"overview"`
	Points      []Point      `json:"key_points"`
	Timeline    []Event      `json:"timeline"`
	Differences []Difference `json:"differences"`
}

var (
	pointKeys = []string{"key_points", "points", "keypoints", "key_facts"}
	textKeys  = []string{"text", "point", "claim", "fact", "event", "description", "summary"}
	citeKeys  = []string{"cites", "citations", "cite", "sources", "source", "refs"}
	inlineRe  = regexp.MustCompile(`\s*\[(\d+)\]`)
	digitsRe  = regexp.MustCompile(`\d+`)
)

// ParseDraft reads a model's briefing JSON object tolerantly: key aliases,
// points given as strings with inline citations ("… [1][3]"), citations
// given as strings ("[3]"). A draft with no key point is refused so that it
// gets repaired. Wrappers around the object (fences, prose, <think>) are the
// caller's to strip (llm.Object).
func ParseDraft(obj map[string]json.RawMessage) (Draft, error) {
	var d Draft
	d.Title = text(get(obj, "title", "headline"))
	d.Overview = text(get(obj, "overview", "summary", "lede"))
	for _, it := range items(get(obj, pointKeys...)) {
		if t, cs := entry(it); t != "" {
			d.Points = append(d.Points, Point{Text: t, Cites: cs})
		}
	}
	if len(d.Points) == 0 {
		return Draft{}, errors.New(`no "key_points" in the JSON object`)
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
		d.Timeline = append(d.Timeline, Event{Date: date, Text: t, Cites: cs})
	}
	for _, it := range items(get(obj, "differences", "disagreements", "conflicts")) {
		m, ok := asObject(it)
		if !ok {
			continue
		}
		diff := Difference{Topic: text(get(m, "topic", "subject", "issue", "what"))}
		for _, s := range items(get(m, "sides", "claims", "positions", "versions")) {
			if t, cs := entry(s); t != "" {
				diff.Sides = append(diff.Sides, Side{Claim: t, Cites: cs})
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
		return OneLine(s)
	}
	return ""
}

// entry reads a point, an event or a side: an object with a text and
// citations, or a string with inline citations. Inline citations are moved
// out of the text (the renderings add them) and merged with the listed
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
	t = OneLine(inlineRe.ReplaceAllString(t, ""))
	return t, UniqueSorted(cs)
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

// UniqueSorted returns ns sorted, each number once, never nil.
func UniqueSorted(ns []int) []int {
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

// OneLine keeps model text from breaking a rendering's structure.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
