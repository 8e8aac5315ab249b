package cite

import (
	"context"
	"fmt"
	"slices"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/support"
)

// pair is one (claim, article) support question: a cited article to check,
// or an uncited one a failed citation may move to.
type pair struct {
	claim int // index into the claims
	n     int // the article's citation number
	found support.Result
	ids   []news.SentenceID // the sentences found, by id
	move  bool
}

// verify decides every (claim, cited article) pair, then finds, for each
// failed citation, an uncited article of the set that supports the claim.
// Lexically the matcher decides; with VerifyModel the matcher only picks
// the sentences a model is asked about.
func (c *checker) verify(ctx context.Context, claims []briefing.Claim) ([]verdict, error) {
	vs := make([]verdict, len(claims))
	var checks []pair
	for i, cl := range claims {
		vs[i] = verdict{ok: map[int][]news.SentenceID{}, failed: map[int]support.Result{}, moved: map[int][]news.SentenceID{},
			closest: map[int][]news.SentenceID{}, resolved: len(*cl.Cites) > 0}
		for _, n := range *cl.Cites {
			checks = append(checks, c.lexical(i, *cl.Text, n, briefing.EvidenceFor(*cl.Evidence, n)))
		}
	}
	c.st.Checked = len(checks)
	ok, err := c.decide(ctx, claims, checks)
	if err != nil {
		return nil, err
	}
	for k, p := range checks {
		if ok[k] {
			vs[p.claim].ok[p.n] = p.ids
		} else {
			vs[p.claim].failed[p.n] = p.found
			vs[p.claim].closest[p.n] = p.ids
		}
	}
	moves := c.moveCandidates(claims, vs)
	ok, err = c.decide(ctx, claims, moves)
	if err != nil {
		return nil, err
	}
	for k, p := range moves {
		v := vs[p.claim]
		if ok[k] && len(v.moved) < len(v.failed) {
			if _, taken := v.moved[p.n]; !taken {
				v.moved[p.n] = p.ids
			}
		}
	}
	return vs, nil
}

// lexical checks one pair with the matcher: against the sentences the
// claim says it rests on first (the offline briefing knows them), then the
// whole article.
func (c *checker) lexical(claim int, text string, n int, given []news.SentenceID) pair {
	a := c.arts[c.byN[n]]
	if len(given) > 0 {
		var sents []string
		var ids []news.SentenceID
		for i, id := range a.ids {
			if id != "" && slices.Contains(given, id) {
				sents = append(sents, a.sentences[i])
				ids = append(ids, id)
			}
		}
		if r := c.m.Support(text, sents); r.OK {
			return pair{claim: claim, n: n, found: r, ids: pick(ids, r.Sentences)}
		}
	}
	r := c.m.Support(text, a.sentences)
	return pair{claim: claim, n: n, found: r, ids: pick(a.ids, r.Sentences)}
}

func pick(ids []news.SentenceID, idx []int) []news.SentenceID {
	out := []news.SentenceID{}
	for _, i := range idx {
		if ids[i] != "" {
			out = append(out, ids[i])
		}
	}
	return out
}

// moveCandidates proposes, for each claim with failed citations, the
// uncited articles that support it best, as many as it lost; a story's
// claim only among the story's articles (Claim.Within).
func (c *checker) moveCandidates(claims []briefing.Claim, vs []verdict) []pair {
	var out []pair
	for i, cl := range claims {
		if len(vs[i].failed) == 0 {
			continue
		}
		var cands []pair
		for _, s := range c.sources {
			if slices.Contains(*cl.Cites, s.N) || (cl.Within != nil && !slices.Contains(cl.Within, s.N)) {
				continue
			}
			p := c.lexical(i, *cl.Text, s.N, nil)
			p.move = true
			// The model is asked only about articles the matcher finds
			// promising; lexically they must pass outright.
			if p.found.OK || c.opt.Verify == VerifyModel && p.found.Coverage >= support.Coverage/2 {
				cands = append(cands, p)
			}
		}
		slices.SortStableFunc(cands, func(a, b pair) int {
			switch {
			case a.found.Coverage > b.found.Coverage:
				return -1
			case a.found.Coverage < b.found.Coverage:
				return 1
			}
			return 0
		})
		out = append(out, cands[:min(len(cands), len(vs[i].failed))]...)
	}
	return out
}

// decide answers each pair: the matcher's verdict, or the model's.
func (c *checker) decide(ctx context.Context, claims []briefing.Claim, ps []pair) ([]bool, error) {
	ok := make([]bool, len(ps))
	if c.opt.Verify != VerifyModel {
		for k, p := range ps {
			ok[k] = p.found.OK
		}
		return ok, nil
	}
	var qs []Question
	var at []int
	for k, p := range ps {
		if len(p.found.Sentences) == 0 {
			continue // nothing of the article touches the claim
		}
		a := c.arts[c.byN[p.n]]
		q := Question{Claim: *claims[p.claim].Text}
		for _, i := range p.found.Sentences {
			q.Sentences = append(q.Sentences, a.sentences[i])
		}
		qs = append(qs, q)
		at = append(at, k)
	}
	if len(qs) == 0 {
		return ok, nil
	}
	answers, st, err := c.opt.Judge.Judge(ctx, qs)
	c.st.Judgments += len(qs)
	c.st.JudgeRequests += st.Requests
	c.st.JudgeCached += st.Cached
	if err != nil {
		return nil, fmt.Errorf("verify citations: %w", err)
	}
	// The model judges meaning, which words cannot; the names and numbers
	// it may read past are still required.
	for j, k := range at {
		ok[k] = j < len(answers) && answers[j] && ps[k].found.Hard
	}
	return ok, nil
}
