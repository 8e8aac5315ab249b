package llmtest

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/depeche-news/depeche/pipeline/attrib"
)

var claimsRe = regexp.MustCompile(`(?s)<claims>\s*(.*?)\s*</claims>`)

// Restater is the fake model's restate stage: it reads the numbered claims
// between <claims> tags ("## 1", "Claim: …", "Sources say:" then "- …"
// lines) and gives each back with its sources' attribution, as an obedient
// model would: the credited source appended ("…, according to the
// prefecture"), or "reportedly" when the sources credit no one; a claim
// that reuses a quote is quoted whole.
func Restater() Handler {
	return func(c Call) Reply {
		type claim struct {
			ID   int    `json:"id"`
			Text string `json:"text"`
		}
		out := struct {
			Claims []claim `json:"claims"`
		}{Claims: []claim{}}
		if m := claimsRe.FindStringSubmatch(c.User()); m != nil {
			for i, q := range strings.Split(m[1], "\n## ") {
				text, sents := question(q)
				if text == "" {
					continue
				}
				out.Claims = append(out.Claims, claim{ID: i + 1, Text: restated(text, sents)})
			}
		}
		b, _ := json.Marshal(out)
		return Reply{Content: string(b)}
	}
}

func restated(claim string, sentences []string) string {
	l := attrib.Lost(claim, sentences)
	if l == nil {
		return claim
	}
	body := strings.TrimRight(strings.TrimSpace(claim), ".!?")
	if l.Quote != "" {
		body = "“" + body + "”"
	}
	for _, s := range sentences {
		for _, m := range attrib.Find(s) {
			if m.Source != "" {
				return body + ", according to " + lowerFirst(m.Source) + "."
			}
		}
	}
	return "Reportedly, " + lowerFirst(body) + "."
}
