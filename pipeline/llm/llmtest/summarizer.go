package llmtest

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/lang"
)

var (
	articleRe = regexp.MustCompile(`(?s)<article>\s*(.*?)\s*</article>`)
	figureRe  = regexp.MustCompile(`(?:^|[\s(])(\d+(?:,\d{3})*(?:\.\d+)?)\s+(\p{Ll}[\p{L}-]*)`)
	yearRe    = regexp.MustCompile(`\b(?:19|20)\d\d\b`)
	capsRe    = regexp.MustCompile(`\p{Lu}[\p{L}-]+(?:\s+\p{Lu}[\p{L}-]+)*`)
	orgWordRe = regexp.MustCompile(`(?i)\b(?:agency|news|nations|council|ministry|army|times|kremlin|union|assembly|government)\b`)
	acronymRe = regexp.MustCompile(`^\p{Lu}{2,}$`)
)

// notNames are capitalised words that open sentences rather than name
// anything.
var notNames = map[string]bool{"The": true, "A": true, "An": true, "In": true, "On": true, "At": true, "But": true,
	"After": true, "When": true, "This": true, "It": true, "He": true, "She": true, "They": true, "According": true,
	"During": true, "Then": true, "Last": true, "Besides": true, "Footage": true, "Expecting": true, "Addressing": true,
	"Severe": true}

// Summarizer is the fake model's summarize stage: it reads the article
// fenced by <article> tags in the request (the first user message holding one,
// so a repair request gets the same answer) and answers with a valid
// summary JSON built from the text itself: the first sentence as headline,
// the first sentences as key facts, capitalised word runs as names,
// numbers with the word after them as figures, years as dates.
func Summarizer() Handler {
	return func(c Call) Reply {
		text := ""
		for _, m := range c.Messages {
			if m.Role != "user" {
				continue // the instructions name the tags too
			}
			if sm := articleRe.FindStringSubmatch(m.Content); sm != nil {
				text = sm[1]
				break
			}
		}
		title, body, _ := strings.Cut(text, "\n\n")
		var sentences []string
		for _, p := range strings.Split(body, "\n\n") {
			sentences = append(sentences, lang.Sentences(strings.TrimSpace(p))...)
		}
		if len(sentences) == 0 || sentences[0] == "" {
			sentences = []string{strings.TrimSpace(title)}
		}
		if sentences[0] == "" {
			sentences = []string{"The article has no text."}
		}
		facts := sentences[:min(5, len(sentences))]
		s := map[string]any{
			"headline":      sentences[0],
			"key_facts":     facts,
			"people":        []string{},
			"organizations": []string{},
			"places":        []string{},
			"dates":         []string{},
			"figures":       []string{},
			"angle":         "The article puts first: " + strings.TrimSpace(title),
		}
		seen := map[string]bool{}
		for _, name := range capsRe.FindAllString(body, -1) {
			if first, rest, ok := strings.Cut(name, " "); ok && notNames[first] {
				name = rest
			}
			if notNames[name] || seen[name] || len([]rune(name)) < 3 {
				continue
			}
			seen[name] = true
			key := "places"
			switch {
			case orgWordRe.MatchString(name), acronymRe.MatchString(name):
				key = "organizations"
			case strings.ContainsFunc(name, unicode.IsSpace):
				key = "people"
			}
			s[key] = append(s[key].([]string), name)
		}
		for _, m := range figureRe.FindAllStringSubmatch(body, -1) {
			f := m[1] + " " + m[2]
			if (len(m[1]) != 4 || !yearRe.MatchString(m[1])) && !seen[f] {
				seen[f] = true
				s["figures"] = append(s["figures"].([]string), f)
			}
		}
		for _, sent := range sentences {
			for _, y := range yearRe.FindAllString(sent, -1) {
				s["dates"] = append(s["dates"].([]string), y+": "+shorten(sent, 12))
			}
		}
		b, _ := json.Marshal(s)
		return Reply{Content: string(b)}
	}
}

// shorten keeps the first n words of s.
func shorten(s string, n int) string {
	w := strings.Fields(s)
	if len(w) <= n {
		return strings.Join(w, " ")
	}
	return strings.Join(w[:n], " ") + "…"
}
