package summarize

import (
	"context"
	"errors"
	"fmt"

	"github.com/depeche-news/depeche/pipeline/attrib"
	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/restate"
	"github.com/depeche-news/depeche/pipeline/support"
)

// sentences is a translation as key facts rest on it: its sentences with
// their ids, and a matcher weighing terms over them.
type sentences struct {
	ids   []news.SentenceID
	texts []string
	m     *support.Matcher
}

func sentencesOf(t news.Translation) sentences {
	txt := briefing.Split(t.Title, t.Paragraphs)
	var s sentences
	if txt.Title != "" {
		s.ids, s.texts = append(s.ids, briefing.TitleID), append(s.texts, txt.Title)
	}
	txt.Each(func(id news.SentenceID, sent string) {
		s.ids, s.texts = append(s.ids, id), append(s.texts, sent)
	})
	s.m = support.New(s.texts, nil)
	return s
}

// rests returns the sentences a key fact rests on: the fewest that hold
// its names, numbers and most of its rare terms (support.Matcher), by id
// and as text; none when no sentence supports it.
func (s sentences) rests(fact string) ([]news.SentenceID, []string) {
	ids, texts := []news.SentenceID{}, []string{}
	if r := s.m.Support(fact, s.texts); r.OK {
		for _, k := range r.Sentences {
			ids, texts = append(ids, s.ids[k]), append(texts, s.texts[k])
		}
	}
	return ids, texts
}

// factSentences says, for each key fact, the sentences of the translation
// it rests on. It is read off the text rather than asked of the model, so
// it costs no tokens, holds for summaries made in parts, and is the same
// check the briefing's citations get. A fact no sentence supports gets an
// empty list: that says so, where a guess would not.
func factSentences(s sentences, facts []string) [][]news.SentenceID {
	out := make([][]news.SentenceID, len(facts))
	for i, f := range facts {
		out[i], _ = s.rests(f)
	}
	return out
}

// lapse is a key fact that states as fact what its sentences report.
type lapse struct {
	fact  int
	sents []string
	loss  *attrib.Loss
}

func lapses(s sentences, facts []string) []lapse {
	var out []lapse
	for i, f := range facts {
		if _, sents := s.rests(f); len(sents) > 0 {
			if l := attrib.Lost(f, sents); l != nil {
				out = append(out, lapse{i, sents, l})
			}
		}
	}
	return out
}

// keepAttribution makes the summary keep its sources' attribution: key
// facts that state as fact what their sentences only report ("according
// to the prefecture", "KCNA said", "reportedly", a quote) are sent back
// once, together, to be restated (package restate); a fact still lost
// after that is kept with an attribution_lost warning naming it.
func (j *job) keepAttribution(ctx context.Context, s sentences, sum *news.Summary) error {
	ls := lapses(s, sum.KeyFacts)
	if len(ls) == 0 {
		return nil
	}
	claims := make([]restate.Claim, len(ls))
	for i, l := range ls {
		claims[i] = restate.Claim{Text: sum.KeyFacts[l.fact], Sentences: l.sents}
	}
	texts, st, err := restate.Restate(ctx, j.c, claims, restate.Options{Model: j.opt.Model, Prompts: j.opt.Prompts,
		Cache: j.opt.Cache, CacheScope: j.opt.CacheScope, Stage: "summarize-restate"})
	j.mu.Lock()
	j.stats.AddCalls(st)
	if err == nil && st.Requests > 0 {
		j.stats.Retries = append(j.stats.Retries, fmt.Sprintf("attribution: %d key facts asked again with their sources' attribution", len(ls)))
	}
	j.mu.Unlock()
	switch {
	case errors.Is(err, llm.ErrDeferred), ctx.Err() != nil:
		return err
	case err != nil:
		j.warn(news.WarnAttributionLost, "the request to restate key facts with their attribution failed: "+err.Error())
	}
	facts := append([]string(nil), sum.KeyFacts...)
	for i, l := range ls {
		if i < len(texts) && texts[i] != "" {
			facts[l.fact] = texts[i]
		}
	}
	sum.KeyFacts = facts
	for _, l := range lapses(s, sum.KeyFacts) {
		j.warn(news.WarnAttributionLost, fmt.Sprintf("key fact %d states as fact what the article reports (%s): %q", l.fact+1, l.loss, sum.KeyFacts[l.fact]))
	}
	return nil
}
