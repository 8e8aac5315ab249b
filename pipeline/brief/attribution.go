package brief

import (
	"context"
	"errors"
	"fmt"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/cite"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/restate"
)

// keepAttribution makes the briefing keep its sources' attribution: the
// claims that state as fact what every article they cite only reports
// (cite.Attribution reads them as the check will) are sent back once,
// together, to be restated (package restate), so that the check after
// has less to flag. A request the budget refuses leaves them as they are.
func (r *reducer) keepAttribution(ctx context.Context, b *briefing.Briefing) error {
	ls := cite.Attribution(b, b.Sources, nil)
	if len(ls) == 0 {
		return nil
	}
	claims := b.Claims()
	asked := make([]restate.Claim, len(ls))
	for i, l := range ls {
		asked[i] = restate.Claim{Text: *claims[l.Claim].Text, Sentences: l.Sentences}
	}
	texts, st, err := restate.Restate(ctx, r.c, asked, restate.Options{Model: r.opt.Model, Prompts: r.opt.Prompts,
		Cache: r.opt.Cache, CacheScope: r.opt.CacheScope, Stage: "brief-restate"})
	r.mu.Lock()
	r.stats.AddCalls(st)
	if st.Requests > 0 {
		r.stats.Retries = append(r.stats.Retries, fmt.Sprintf("attribution: %d claims asked again with their sources' attribution", len(ls)))
	}
	r.mu.Unlock()
	if err != nil {
		if errors.Is(err, llm.ErrDeferred) || ctx.Err() != nil {
			return err
		}
		return nil // the check flags what was not restated
	}
	for i, l := range ls {
		if texts[i] != "" {
			*claims[l.Claim].Text = texts[i]
		}
	}
	return nil
}
