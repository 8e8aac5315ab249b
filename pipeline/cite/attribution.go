package cite

import (
	"slices"

	"github.com/depeche-news/depeche/pipeline/attrib"
	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
)

// Lapse is a claim that states as fact what every article it cites only
// reports: "according to KCNA", "the prefect said", "reportedly", a quote.
type Lapse struct {
	Claim     int          // its index in the briefing's Claims()
	Sentences []string     // the cited sentences that attribute it
	Loss      *attrib.Loss // what it dropped
}

// Attribution finds the lapses of a briefing not yet checked: each cited
// article's sentences are those the lexical check would find for the
// claim. The LLM briefing asks the model once to restate them before the
// check (package brief); the check flags what is left.
func Attribution(b *briefing.Briefing, sources []news.Source, aliases map[string]string) []Lapse {
	c := newChecker(sources, CheckOptions{Aliases: aliases})
	var out []Lapse
	for i, cl := range b.Claims() {
		var per [][]string
		for _, n := range c.resolve(slices.Clone(*cl.Cites)) {
			p := c.lexical(i, *cl.Text, n, nil)
			a := c.arts[c.byN[n]]
			per = append(per, pickSentences(a, p.found.Sentences))
		}
		if l, sents := lapse(*cl.Text, per); l != nil {
			out = append(out, Lapse{Claim: i, Sentences: sents, Loss: l})
		}
	}
	return out
}

// attribution marks, after the check, the kept claims that dropped their
// sources' attribution, reading each citation's evidence. A flagged claim
// is doubted already; its evidence is the nearest sentences, not support.
func (c *checker) attribution(claims []briefing.Claim) {
	for _, cl := range claims {
		*cl.Attribution = ""
		if *cl.Marked != "" || len(*cl.Evidence) == 0 {
			continue
		}
		var per [][]string
		for _, ev := range *cl.Evidence {
			a := c.arts[c.byN[ev.N]]
			var sents []string
			for k, id := range a.ids {
				if id != "" && slices.Contains(ev.Sentences, id) {
					sents = append(sents, a.sentences[k])
				}
			}
			per = append(per, sents)
		}
		if l, _ := lapse(*cl.Text, per); l != nil {
			*cl.Attribution = l.String()
			c.st.AttributionLost++
		}
	}
}

// lapse returns what a claim dropped when every cited article's sentences
// attribute what it says: one article that states it plainly supports it
// as fact. It returns the attributing sentences too.
func lapse(claim string, perArticle [][]string) (*attrib.Loss, []string) {
	var first *attrib.Loss
	var sents []string
	for _, ss := range perArticle {
		l := attrib.Lost(claim, ss)
		if l == nil {
			return nil, nil
		}
		if first == nil {
			first = l
		}
		sents = append(sents, ss...)
	}
	return first, sents
}

func pickSentences(a article, idx []int) []string {
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		out = append(out, a.sentences[i])
	}
	return out
}
