package brief

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
	"github.com/depeche-news/depeche/prompts"
)

const (
	defaultAnswer = 2048 // answer room when MaxTokens is not set
	minBudget     = 512  // below this a batch holds too little to be worth a call
	maxLevels     = 24   // a safety net: each level at least halves its items
	minRoom       = 64   // tokens left for items in a prompt; below, the context is too small
	overheadSlack = 8    // tokens of a prompt's own text that the estimate may miss
	maxShrinks    = 4    // times a context-length refusal shrinks the batches
	// maxCalls bounds the goroutines of one level's batch calls. It is
	// not the concurrency: the client admits llm.concurrency requests per
	// endpoint and adapts to 429s, so every batch is handed to it at once
	// and no slot idles while batches remain.
	maxCalls = 64
)

// reducer runs the map-reduce: it batches digests (or partial briefings)
// into prompts that fit the context, merges the batches' answers level by
// level, and adds every call's cost to stats.
type reducer struct {
	c       *llm.Client
	opt     Options
	model   string
	mapP    *prompts.Prompt         // brief.tmpl: digests in
	reduceP *prompts.Prompt         // brief-reduce.tmpl: partial briefings in
	budget  int                     // prompt tokens per call; 0 = unknown
	answer  int                     // the answer room of each call (max_tokens)
	ask     float64                 // share of the answer room the prompts ask for; lowered when answers are cut anyway
	fixed   map[*prompts.Prompt]int // each prompt's tokens without items

	mu    sync.Mutex
	stats news.Stats
}

// promptData feeds both templates.
type promptData struct {
	Partial           bool
	Part, Parts       int
	Count             int
	MaxWords          int
	Focus             string
	Digests, Partials string
	// The answer's length: at most MaxPoints key points, MaxEvents
	// timeline events and MaxDifferences differences of PointWords words.
	MaxPoints, MaxEvents, MaxDifferences, PointWords int
}

// shrinkError is a call too big for the server: refused as longer than its
// context, cut at its token limit, or silently truncated (llm.Shrink).
type shrinkError struct {
	tokens int // our estimate of the prompt
	err    error
}

func (e *shrinkError) Error() string { return e.err.Error() }
func (e *shrinkError) Unwrap() error { return e.err }

func newReducer(c *llm.Client, opt Options) (*reducer, error) {
	mapP, err := opt.Prompts.Get("brief")
	if err != nil {
		return nil, err
	}
	reduceP, err := opt.Prompts.Get("brief-reduce")
	if err != nil {
		return nil, err
	}
	r := &reducer{c: c, opt: opt, model: opt.Model, mapP: mapP, reduceP: reduceP, ask: 1}
	if r.model == "" {
		r.model = c.Model()
	}
	// A prompt's own text, with the longest numbers it will carry, for
	// either kind of call.
	r.fixed = map[*prompts.Prompt]int{}
	big := limits{Points: 999, Events: 999, Differences: 999, Words: 999}
	for _, p := range []*prompts.Prompt{mapP, reduceP} {
		r.fixed[p] = overheadSlack + max(r.promptTokens(p, r.data(p, nil, true, 9999, 9999, big)),
			r.promptTokens(p, r.data(p, nil, false, 0, 0, big)))
	}
	r.stats = news.Stats{Engine: news.EngineLLM, Model: r.model, Prompt: mapP.Version + "+" + reduceP.Version}
	r.size()
	return r, nil
}

// size sets each call's prompt budget and answer room from the server's
// limits as the client knows them now: configured, tightened by what the
// server refused, cut or truncated so far (in this stage or an earlier one).
func (r *reducer) size() {
	l := r.c.Limits(r.opt.Model, llm.Limits{Context: r.opt.ContextTokens, Answer: r.opt.MaxTokens})
	a := l.Answer
	if a <= 0 {
		a = defaultAnswer
		if l.Context > 0 {
			a = min(a, l.Context/3)
		}
	}
	if l.Context > 0 && a > l.Context-minBudget {
		// a learned context smaller than the configured answer room
		a = l.Context / 3
	}
	r.answer, r.budget = a, 0
	if l.Context > 0 {
		r.budget = max(minBudget, l.Context-a)
	}
}

// answerRoom is what the prompts ask answers to fill.
func (r *reducer) answerRoom() int { return int(float64(r.answer) * r.ask) }

// run produces the final draft. When a call was too big for the server
// (refused as over its context, cut at its token limit, truncated), it
// starts over sized by the limits the client learned from that; when it
// learned none, with batches two thirds the size of the refused prompt, or
// answers asked two thirds as long.
func (r *reducer) run(ctx context.Context, digests []string) (draft, error) {
	for shrink := 0; ; shrink++ {
		d, err := r.reduce(ctx, r.mapP, digests, 0)
		var se *shrinkError
		if !errors.As(err, &se) || shrink == maxShrinks {
			return d, err
		}
		budget, answer := r.budget, r.answerRoom()
		r.size()
		code, what := news.WarnContextExceeded, fmt.Sprintf("the server refused a prompt of about %d tokens as too long", se.tokens)
		switch {
		case errors.Is(err, llm.ErrReplan) && (r.budget < budget || r.answerRoom() < answer):
			continue // planned before the server showed smaller limits: sized again from them
		case errors.Is(err, llm.ErrCut):
			code, what = news.WarnFinishLength, "the server cut an answer at its token limit"
			if r.answerRoom() >= answer {
				r.ask *= 2.0 / 3
			}
		case errors.Is(err, llm.ErrTruncated):
			code, what = news.WarnPromptTruncated, fmt.Sprintf("the server silently cut a prompt of about %d tokens to its context", se.tokens)
			fallthrough
		default:
			if r.budget == 0 || r.budget >= se.tokens {
				next := se.tokens * 2 / 3
				if budget > 0 {
					next = min(next, budget*2/3)
				}
				if next < minBudget {
					return d, err
				}
				r.budget = next
			}
		}
		r.warn(code, fmt.Sprintf("%s; retrying with batches of at most %d tokens and answers of %d", what, r.budget, r.answerRoom()))
	}
}

// reduce merges items (digests with the brief prompt, partial briefings
// with the brief-reduce prompt) into one draft: in one call when they fit,
// else one call per batch and a reduce of the batches' partial briefings,
// each cut to its share of the next level so that the reduce ends.
func (r *reducer) reduce(ctx context.Context, p *prompts.Prompt, items []string, level int) (draft, error) {
	whole := r.data(p, items, false, 0, 0, r.finalLimits())
	if r.budget == 0 || r.promptTokens(p, whole) <= r.budget {
		return r.call(ctx, p, "brief-reduce", whole)
	}
	if level == maxLevels {
		return draft{}, fmt.Errorf("the briefing still does not fit in %d tokens after %d reduce levels", r.budget, level)
	}
	room := r.room(p)
	if room < minRoom {
		return draft{}, fmt.Errorf("a context of %d tokens leaves %d for the sources after the prompt and the answer; raise llm.context_tokens", r.budget+r.answer, room)
	}
	batches := r.batch(p, items)
	if len(batches) == 1 {
		// Items were cut to fit one call: its answer is the briefing, not a
		// partial to merge with nothing.
		return r.call(ctx, p, "brief-reduce", r.data(p, batches[0], false, 0, 0, r.finalLimits()))
	}
	partials, err := r.level(ctx, p, batches)
	if err != nil {
		return draft{}, err
	}
	return r.reduce(ctx, r.reduceP, partials, level+1)
}

// level makes one partial briefing per batch, each rendered in its share
// of the next level's prompt.
func (r *reducer) level(ctx context.Context, p *prompts.Prompt, batches [][]string) ([]string, error) {
	stage := "brief-map"
	if p == r.reduceP {
		stage = "brief-reduce"
	}
	share := r.share(len(batches))
	lim := limitsFor(share)
	partials := make([]string, len(batches))
	errs := make([]error, len(batches))
	// The first failure stops the level: its answers would be thrown away.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, maxCalls)
	var wg sync.WaitGroup
	for i, b := range batches {
		sem <- struct{}{}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			d, err := r.call(ctx, p, stage, r.data(p, b, true, i+1, len(batches), lim))
			if err != nil {
				errs[i] = err
				// A deferral (batch mode) is no failure: the siblings must
				// be collected into the same batch round too.
				if !errors.Is(err, llm.ErrDeferred) {
					cancel()
				}
				return
			}
			partials[i] = r.fit(d, i+1, share)
		}()
	}
	wg.Wait()
	if err := firstError(errs); err != nil {
		var se *shrinkError
		if errors.As(err, &se) {
			return nil, se
		}
		return nil, err
	}
	return partials, nil
}

// firstError returns the error that stopped a level rather than the
// cancellations it caused, preferring a call too big for the server, which
// makes the caller retry with smaller batches.
func firstError(errs []error) error {
	var first error
	for _, err := range errs {
		var se *shrinkError
		if errors.As(err, &se) {
			return err
		}
		if err != nil && (first == nil || errors.Is(first, context.Canceled)) {
			first = err
		}
	}
	return first
}

func (r *reducer) data(p *prompts.Prompt, items []string, partial bool, part, parts int, lim limits) promptData {
	d := promptData{Partial: partial, Part: part, Parts: parts, Count: len(items), MaxWords: r.opt.MaxWords, Focus: r.opt.Focus,
		MaxPoints: lim.Points, MaxEvents: lim.Events, MaxDifferences: lim.Differences, PointWords: lim.Words}
	joined := strings.Join(items, "\n")
	if p == r.reduceP {
		d.Partials = joined
	} else {
		d.Digests = joined
	}
	return d
}

func (r *reducer) promptTokens(p *prompts.Prompt, d promptData) int {
	system, user, err := p.Render(d)
	if err != nil {
		return 0 // the call itself reports the template error
	}
	return llm.CountTokens(r.model, system) + llm.CountTokens(r.model, user) + 8
}

// room is what a call's prompt leaves for its items within the budget.
func (r *reducer) room(p *prompts.Prompt) int { return r.budget - r.fixed[p] }

// batch packs items, in order, into batches whose prompts fit the budget.
// An item too big for any batch is cut to fit, line by line from its end,
// so one huge digest cannot stall the reduce.
func (r *reducer) batch(p *prompts.Prompt, items []string) [][]string {
	room := max(r.room(p), minRoom)
	var out [][]string
	var cur []string
	used := 0
	for _, it := range items {
		n := llm.CountTokens(r.model, it) + 1
		for n > room {
			lines := strings.Split(strings.TrimRight(it, "\n"), "\n")
			if len(lines) <= 1 {
				rs := []rune(it)
				it = string(rs[:len(rs)*room/n])
			} else {
				it = strings.Join(lines[:len(lines)-1], "\n") + "\n"
			}
			n = llm.CountTokens(r.model, it) + 1
		}
		if used+n > room && len(cur) > 0 {
			out = append(out, cur)
			cur, used = nil, 0
		}
		cur = append(cur, it)
		used += n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// call sends one prompt, or takes its accepted answer from the cache.
func (r *reducer) call(ctx context.Context, p *prompts.Prompt, stage string, data promptData) (draft, error) {
	system, user, err := p.Render(data)
	if err != nil {
		return draft{}, err
	}
	key := store.Key(stage, r.opt.CacheScope, r.model, p.Version, system, user)
	var d draft
	if r.opt.Cache.Get(key, &d) {
		r.mu.Lock()
		r.stats.Cached++
		r.mu.Unlock()
		return d, nil
	}
	req := llm.Request{
		Stage: stage, Model: r.opt.Model, MaxTokens: r.answer,
		Messages:   []llm.Message{{Role: "system", Content: system}, {Role: "user", Content: user}},
		JSONSchema: &llm.Schema{Name: "briefing", Schema: briefing.DraftSchema()},
	}
	var st news.Stats
	d, err = llm.ChatJSON(ctx, r.c, req, &st, parseDraft)
	r.mu.Lock()
	r.stats.AddCalls(st)
	r.mu.Unlock()
	if err != nil {
		if llm.Shrink(err) {
			return draft{}, &shrinkError{tokens: llm.CountTokens(r.model, system+user), err: err}
		}
		return draft{}, fmt.Errorf("%s: %w", stage, err)
	}
	if err := r.opt.Cache.Put(key, d); err != nil {
		r.warn(news.WarnCacheWrite, err.Error())
	}
	return d, nil
}

func (r *reducer) warn(code news.WarningCode, msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats.Warnings = append(r.stats.Warnings, news.Warning{Code: code, Message: msg})
}
