// Package restate asks a model, in one request, to restate the claims of
// a summary or a briefing that dropped their sources' attribution
// (package attrib found them): "7,800 homes were affected" for "according
// to the prefecture, 7,800 homes…". It is the stages' one corrective
// re-ask for attribution: a small request holding only the claims and the
// sentences they rest on, so it fits any context the stage's own request
// fitted. A rewrite is taken only when it keeps the attribution and the
// claim's figures and words; otherwise the claim stays as it was, for the
// stage to flag.
package restate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/depeche-news/depeche/pipeline/attrib"
	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
	"github.com/depeche-news/depeche/pipeline/support"
	"github.com/depeche-news/depeche/prompts"
)

// Claim is one claim to restate.
type Claim struct {
	Text      string
	Sentences []string // what its sources say
}

// Options configure Restate.
type Options struct {
	Model      string       // "" = the client's default model
	Prompts    *prompts.Set // nil = built-in prompts
	Cache      *store.Cache // nil = no cache
	CacheScope string       // endpoint and request parameters, part of the cache key
	MaxTokens  int          // room for the answer; 0 = about twice the claims' length
	// Stage names the request after the stage that asks it
	// ("summarize-restate", "brief-restate"): routing, per-stage models
	// and the manifest see it as that stage's.
	Stage string
}

// schema is the structured-output schema of the answer.
var schema = []byte(`{"type":"object","properties":{"claims":{"type":"array","items":{"type":"object",` +
	`"properties":{"id":{"type":"integer"},"text":{"type":"string"}},"required":["id","text"],` +
	`"additionalProperties":false}}},"required":["claims"],"additionalProperties":false}`)

// Restate asks the model to restate claims, and returns for each the
// accepted rewrite, or "" when there is none (the model's text lost the
// attribution again, a figure, or most of the claim). A spent budget is
// no error: the claims stay as they were. The request is cached.
func Restate(ctx context.Context, c *llm.Client, claims []Claim, opt Options) ([]string, news.Stats, error) {
	out := make([]string, len(claims))
	st := news.Stats{}
	if len(claims) == 0 {
		return out, st, nil
	}
	p, err := opt.Prompts.Get("restate")
	if err != nil {
		return out, st, err
	}
	model := opt.Model
	if model == "" {
		model = c.Model()
	}
	system, user, err := p.Render(struct {
		Count  int
		Claims string
	}{len(claims), render(claims)})
	if err != nil {
		return out, st, err
	}
	stage := opt.Stage
	if stage == "" {
		stage = "restate"
	}
	key := store.Key(stage, opt.CacheScope, model, p.Version, system, user)
	var texts []string
	if opt.Cache.Get(key, &texts) && len(texts) == len(claims) {
		st.Cached++
	} else {
		answer := opt.MaxTokens
		if answer <= 0 {
			answer = 64 + 2*llm.CountTokens(model, user)
		}
		req := llm.Request{
			Stage: stage, Model: opt.Model, MaxTokens: answer,
			Messages:   []llm.Message{{Role: "system", Content: system}, {Role: "user", Content: user}},
			JSONSchema: &llm.Schema{Name: "restated_claims", Schema: schema},
		}
		texts, err = llm.ChatJSON(ctx, c, req, &st, func(raw string) ([]string, error) { return parse(raw, len(claims)) })
		switch {
		case errors.Is(err, llm.ErrBudget):
			return out, st, nil // the claims stay, flagged; the run stops at the budget anyway
		case err != nil:
			return out, st, fmt.Errorf("restate: %w", err)
		}
		_ = opt.Cache.Put(key, texts) // a lost entry costs a rerun, not this answer
	}
	for i, t := range texts {
		if Keeps(claims[i], t) {
			out[i] = t
		}
	}
	return out, st, nil
}

// Keeps reports whether a rewrite of a claim may replace it: it keeps the
// attribution of the sentences, every figure of the claim, and most of its
// words.
func Keeps(c Claim, rewrite string) bool {
	rewrite = strings.TrimSpace(rewrite)
	if rewrite == "" || attrib.Lost(rewrite, c.Sentences) != nil {
		return false
	}
	have := lang.Numbers(rewrite, false)
	for _, n := range lang.Numbers(c.Text, false) {
		found := false
		for _, h := range have {
			found = found || lang.SameValue(h.Value, n.Value)
		}
		if !found {
			return false
		}
	}
	keys := map[string]bool{}
	for _, k := range support.Keys(rewrite) {
		keys[k] = true
	}
	orig := support.Keys(c.Text)
	kept := 0
	for _, k := range orig {
		if keys[k] {
			kept++
		}
	}
	return 10*kept >= 7*len(orig)
}

// render writes the claims as the prompt carries them.
func render(claims []Claim) string {
	var w strings.Builder
	for i, c := range claims {
		fmt.Fprintf(&w, "## %d\nClaim: %s\nSources say:\n", i+1, oneLine(c.Text))
		for _, s := range c.Sentences {
			fmt.Fprintf(&w, "- %s\n", oneLine(s))
		}
		w.WriteString("\n")
	}
	return strings.TrimRight(w.String(), "\n")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// parse reads {"claims": [{"id": 1, "text": "…"}, …]}, or a bare list of
// strings; want texts are needed, by id or in order.
func parse(raw string, want int) ([]string, error) {
	items, err := llm.List(raw, want, "claims", "restated", "answers")
	if err != nil {
		return nil, err
	}
	out := make([]string, want)
	for i, it := range items {
		var s string
		if json.Unmarshal(it, &s) == nil {
			out[i] = s
			continue
		}
		var m struct {
			ID   json.RawMessage `json:"id"`
			Text string          `json:"text"`
		}
		if err := json.Unmarshal(it, &m); err != nil {
			return nil, fmt.Errorf("claim %d: %v", i+1, err)
		}
		id, err := strconv.Atoi(strings.Trim(string(m.ID), `"`))
		if err != nil || id < 1 || id > want {
			id = i + 1
		}
		out[id-1] = m.Text
	}
	return out, nil
}
