package llmtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/depeche-news/depeche/pipeline/briefing"
)

var (
	storiesRe   = regexp.MustCompile(`(?s)<stories>\s*(.*?)\s*</stories>`)
	storyHeadRe = regexp.MustCompile(`(?m)^## Story \d+: (.*)$`)
)

// Overviewer is the fake model's brief-overview stage: it reads the story
// sections between <stories> tags ("## Story 2: Title", "Key points:",
// "- text [1][3]") and answers with the opening of the briefing: a title
// naming the first two stories, an overview counting them, and each
// story's first key point with its citations.
func Overviewer() Handler {
	return func(c Call) Reply {
		var a briefing.Draft
		for _, m := range c.Messages {
			sm := storiesRe.FindStringSubmatch(m.Content)
			if m.Role != "user" || sm == nil {
				continue
			}
			var titles []string
			for _, block := range strings.Split(sm[1], "## Story ")[1:] {
				head := storyHeadRe.FindStringSubmatch("## Story " + block)
				if head == nil {
					continue
				}
				titles = append(titles, head[1])
				for _, line := range strings.Split(block, "\n") {
					if text, cites := splitCites(strings.TrimPrefix(line, "- ")); strings.HasPrefix(line, "- ") && len(cites) > 0 {
						a.Points = append(a.Points, briefing.Point{Text: text, Cites: cites})
						break
					}
				}
			}
			if len(titles) > 0 {
				a.Title = strings.Join(titles[:min(2, len(titles))], "; ")
				a.Overview = fmt.Sprintf("%d stories, the most covered first: %s.", len(titles), strings.Join(titles, "; "))
			}
			break
		}
		a.Timeline, a.Differences = []briefing.Event{}, []briefing.Difference{}
		b, _ := json.Marshal(a)
		return Reply{Content: string(b)}
	}
}
