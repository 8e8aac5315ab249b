package summarize

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
)

// Bounds on a summary's key facts: fewer than minFacts is a failed answer,
// more than maxFacts are trimmed, fewer than wantFacts only warned about.
const (
	minFacts  = 1
	wantFacts = 3
	maxFacts  = 6
)

// summaryKeys maps each Summary field to the names models use for it.
var summaryKeys = map[string][]string{
	"headline":      {"headline", "title", "summary", "one_sentence_summary"},
	"key_facts":     {"key_facts", "keyfacts", "facts", "key_points", "main_facts"},
	"people":        {"people", "persons", "person", "named_people"},
	"organizations": {"organizations", "organisations", "orgs", "organization", "organisation"},
	"places":        {"places", "locations", "place", "location"},
	"dates":         {"dates", "date", "timeline", "events"},
	"figures":       {"figures", "numbers", "statistics", "figure"},
	"angle":         {"angle", "framing", "perspective", "emphasis", "focus"},
}

// Parse reads a summary from a model's answer. It accepts the field aliases
// models commonly use, lists given as one string, and list items given as
// objects ({"date": …, "event": …} becomes "date: event"). It fails when no
// JSON object is found or the summary says nothing (no key fact); more
// than six key facts are trimmed, fewer than three are warned about.
func Parse(raw string) (news.Summary, error) {
	obj, err := llm.Object(raw)
	if err != nil {
		return news.Summary{}, err
	}
	var s news.Summary
	s.Headline = str(lookup(obj, summaryKeys["headline"]))
	s.KeyFacts = list(lookup(obj, summaryKeys["key_facts"]))
	s.People = list(lookup(obj, summaryKeys["people"]))
	s.Organizations = list(lookup(obj, summaryKeys["organizations"]))
	s.Places = list(lookup(obj, summaryKeys["places"]))
	s.Dates = list(lookup(obj, summaryKeys["dates"]))
	s.Figures = list(lookup(obj, summaryKeys["figures"]))
	s.Angle = str(lookup(obj, summaryKeys["angle"]))
	if len(s.KeyFacts) < minFacts {
		return news.Summary{}, errors.New(`no "key_facts" in the JSON object`)
	}
	if s.Headline == "" {
		s.Headline = s.KeyFacts[0]
	}
	if len(s.KeyFacts) > maxFacts {
		s.KeyFacts = s.KeyFacts[:maxFacts]
	}
	if len(s.KeyFacts) < wantFacts {
		s.Stats.Warnings = append(s.Stats.Warnings, news.Warning{Code: news.WarnFewKeyFacts,
			Message: fmt.Sprintf("the model gave %d key facts (3 to 6 asked)", len(s.KeyFacts))})
	}
	return s, nil
}

func lookup(obj map[string]json.RawMessage, names []string) json.RawMessage {
	for _, n := range names {
		if v, ok := obj[n]; ok {
			return v
		}
	}
	return nil
}

// str reads a string, or joins what it finds in a list.
func str(v json.RawMessage) string {
	if len(v) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return clean(s)
	}
	return strings.Join(list(v), " ")
}

// list reads a list of strings tolerantly: a single string (split on lines
// or semicolons), numbers, and objects (their string values joined).
func list(v json.RawMessage) []string {
	if len(v) == 0 {
		return nil
	}
	var items []json.RawMessage
	if json.Unmarshal(v, &items) != nil {
		var s string
		if json.Unmarshal(v, &s) != nil {
			return nil
		}
		var out []string
		for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ';' }) {
			if p := clean(strings.TrimLeft(strings.TrimSpace(part), "-*• ")); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	out := []string{}
	for _, it := range items {
		if s := item(it); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func item(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return clean(s)
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String()
	}
	var obj map[string]any
	if json.Unmarshal(v, &obj) != nil {
		return ""
	}
	// A date-like key first, then the rest in a stable order.
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		di, dj := strings.Contains(keys[i], "date"), strings.Contains(keys[j], "date")
		if di != dj {
			return di
		}
		return keys[i] < keys[j]
	})
	var parts []string
	for _, k := range keys {
		switch x := obj[k].(type) {
		case string:
			if x = clean(x); x != "" {
				parts = append(parts, x)
			}
		case float64:
			parts = append(parts, fmt.Sprint(x))
		}
	}
	return strings.Join(parts, ": ")
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }
