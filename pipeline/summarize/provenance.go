package summarize

import (
	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/support"
)

// factSentences says, for each key fact, the sentences of the translation
// it rests on: the fewest that hold its names, numbers and most of its
// rare terms (support.Matcher). It is read off the text rather than asked
// of the model, so it costs no tokens, holds for summaries made in parts,
// and is the same check the briefing's citations get. A fact no sentence
// supports gets an empty list: that says so, where a guess would not.
func factSentences(t news.Translation, facts []string) [][]news.SentenceID {
	txt := briefing.Split(t.Title, t.Paragraphs)
	var ids []news.SentenceID
	var sents []string
	if txt.Title != "" {
		ids, sents = append(ids, briefing.TitleID), append(sents, txt.Title)
	}
	txt.Each(func(id news.SentenceID, s string) {
		ids, sents = append(ids, id), append(sents, s)
	})
	m := support.New(sents, nil)
	out := make([][]news.SentenceID, len(facts))
	for i, f := range facts {
		out[i] = []news.SentenceID{}
		if r := m.Support(f, sents); r.OK {
			for _, k := range r.Sentences {
				out[i] = append(out[i], ids[k])
			}
		}
	}
	return out
}
