package llmtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
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
func Summarizer() Handler { return SummarizerWith(SummarizerOptions{}) }

// SummarizerOptions make the fake summarizer careless.
type SummarizerOptions struct {
	// DropAttribution states each key fact as plain fact
	// (StripAttribution): the summary a restate request must correct.
	DropAttribution bool
}

// SummarizerWith is Summarizer with options.
func SummarizerWith(opt SummarizerOptions) Handler {
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
		facts := slices.Clone(sentences[:min(5, len(sentences))])
		if opt.DropAttribution {
			for i := range facts {
				facts[i] = StripAttribution(facts[i])
			}
		}
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
		fitWords(s, wordLimit(c))
		b, _ := json.Marshal(s)
		return Reply{Content: string(b)}
	}
}

var (
	wordsRe    = regexp.MustCompile(`at most (\d+) words in all`)
	partsRe    = regexp.MustCompile(`(?s)<parts>\s*(.*?)\s*</parts>`)
	partHeadRe = regexp.MustCompile(`(?m)^Part \d+ of \d+:$`)
)

// wordLimit is the length the request asks for ("at most 120 words in
// all"), 0 when it asks for none.
func wordLimit(c Call) int {
	for _, m := range c.Messages {
		if m.Role != "user" {
			continue
		}
		if wm := wordsRe.FindStringSubmatch(m.Content); wm != nil {
			return atoi(wm[1])
		}
	}
	return 0
}

// fitWords makes a summary keep within limit words, as an obedient model
// does: it drops list items from the end (figures, dates, places,
// organizations, people), then key facts after the first, then shortens
// what is left.
func fitWords(s map[string]any, limit int) {
	if limit <= 0 {
		return
	}
	count := func() int {
		n := 0
		for _, v := range s {
			switch x := v.(type) {
			case string:
				n += len(strings.Fields(x))
			case []string:
				for _, it := range x {
					n += len(strings.Fields(it))
				}
			}
		}
		return n
	}
	for _, key := range []string{"figures", "dates", "places", "organizations", "people", "key_facts"} {
		keep := 0
		if key == "key_facts" {
			keep = 1
		}
		for count() > limit {
			l, _ := s[key].([]string)
			if len(l) <= keep {
				break
			}
			s[key] = l[:len(l)-1]
		}
	}
	for _, key := range []string{"angle", "headline"} {
		if count() > limit {
			s[key] = shorten(s[key].(string), 6)
		}
	}
	if count() > limit {
		facts := s["key_facts"].([]string)
		facts[0] = shorten(facts[0], max(3, limit-12))
	}
}

// Merger is the fake model's summarize-merge stage: it reads the part
// summaries between <parts> tags ("Part 2 of 5:", "Headline:", "Facts:"
// lines) and answers with a summary of the whole that draws a key fact
// from parts spread over the whole article, its first and its last
// included, within the length asked.
func Merger() Handler {
	return func(c Call) Reply {
		var blocks [][]string // per part: its facts, the headline first when there is one
		for _, m := range c.Messages {
			if m.Role != "user" {
				continue
			}
			pm := partsRe.FindStringSubmatch(m.Content)
			if pm == nil {
				continue
			}
			for _, b := range partHeadRe.Split(pm[1], -1) {
				var facts []string
				head := ""
				for _, line := range strings.Split(b, "\n") {
					line = strings.TrimSpace(line)
					switch {
					case strings.HasPrefix(line, "Headline: "):
						head = strings.TrimPrefix(line, "Headline: ")
					case strings.HasPrefix(line, "- "):
						facts = append(facts, strings.TrimPrefix(line, "- "))
					}
				}
				if head != "" {
					facts = append([]string{head}, facts...)
				}
				if len(facts) > 0 {
					blocks = append(blocks, facts)
				}
			}
			break
		}
		if len(blocks) == 0 {
			return Reply{Content: `{"headline": "", "key_facts": [], "angle": ""}`}
		}
		const most = 6
		var facts []string
		seen := map[string]bool{}
		add := func(f string) {
			if !seen[f] && len(facts) < most {
				seen[f] = true
				facts = append(facts, f)
			}
		}
		if len(blocks) <= most {
			for round := 0; len(facts) < most && round < 3; round++ {
				for _, b := range blocks {
					if round < len(b) {
						add(b[round])
					}
				}
			}
		} else {
			for i := range most {
				add(blocks[i*(len(blocks)-1)/(most-1)][0])
			}
		}
		s := map[string]any{
			"headline":  blocks[0][0],
			"key_facts": facts,
			"angle":     fmt.Sprintf("The article develops over %d parts.", len(blocks)),
		}
		fitWords(s, wordLimit(c))
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
