// Package summarize condenses one translated article into a structured
// summary (headline, key facts, who, where, when, figures, angle) through a
// model. The model is asked for JSON; what comes back is parsed tolerantly,
// repaired once, then refused with a clear error. The runner renders the
// summary, whichever engine made it.
package summarize

import (
	"context"
	_ "embed"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
	"github.com/depeche-news/depeche/prompts"
)

//go:embed summary.schema.json
var summarySchema []byte

// Options configure Summarize.
type Options struct {
	Model         string       // "" = the client's default model
	Prompts       *prompts.Set // nil = built-in prompts
	Cache         *store.Cache // nil = no cache
	CacheScope    string       // endpoint and request parameters, part of every cache key
	ContextTokens int          // the model's context; 0 = unknown (the article is sent whole)
	MaxTokens     int          // room for the answer; 0 = the client's default
}

// fenceTags would let an article close its own fence and speak as the user.
var fenceTags = regexp.MustCompile(`(?i)</?\s*article\s*>`)

// answerRoom is the answer size assumed when MaxTokens is not set.
const answerRoom = 1024

// Summarize asks the model for a structured summary of t. Only the English
// title and paragraphs are sent, fenced as untrusted data. An accepted
// summary is cached under everything it depends on.
func Summarize(ctx context.Context, c *llm.Client, t news.Translation, opt Options) (news.Summary, error) {
	start := time.Now()
	p, err := opt.Prompts.Get("summarize")
	if err != nil {
		return news.Summary{}, fmt.Errorf("summarize %s: %w", t.Stem, err)
	}
	model := opt.Model
	if model == "" {
		model = c.Model()
	}
	st := news.Stats{Engine: news.EngineLLM, Model: model, Prompt: p.Version}

	text, warn := fit(t, model, opt)
	if warn != nil {
		st.Warnings = append(st.Warnings, *warn)
	}
	system, user, err := p.Render(struct{ Title, Text string }{t.Title, text})
	if err != nil {
		return news.Summary{}, fmt.Errorf("summarize %s: %w", t.Stem, err)
	}

	key := store.Key("summarize", opt.CacheScope, model, p.Version, system, user)
	var s news.Summary
	if opt.Cache.Get(key, &s) {
		// The stored warnings already include this input's truncation.
		st.Cached, st.Warnings = 1, s.Stats.Warnings
		if s.Stats.Model != "" {
			st.Model = s.Stats.Model
		}
		s.Stem, s.Stats = t.Stem, st
		s.Stats.Duration = time.Since(start)
		return s, nil
	}

	req := llm.Request{
		Stage: "summarize", Model: opt.Model, MaxTokens: opt.MaxTokens,
		Messages:   []llm.Message{{Role: "system", Content: system}, {Role: "user", Content: user}},
		JSONSchema: &llm.Schema{Name: "article_summary", Schema: summarySchema},
	}
	s, err = llm.ChatJSON(ctx, c, req, &st, Parse)
	if err != nil {
		return news.Summary{}, fmt.Errorf("summarize %s: %w", t.Stem, err)
	}
	st.Warnings = append(st.Warnings, s.Stats.Warnings...)
	s.Stem, s.Stats = t.Stem, st
	s.Stats.Duration = time.Since(start)
	if err := opt.Cache.Put(key, s); err != nil {
		s.Stats.Warnings = append(s.Stats.Warnings, news.Warning{Code: "cache_write", Message: err.Error()})
	}
	return s, nil
}

// fit returns the article text to send: title and paragraphs, cut at a
// paragraph boundary when ContextTokens is known and the whole would not
// leave room for the prompt and the answer.
func fit(t news.Translation, model string, opt Options) (string, *news.Warning) {
	parts := append([]string{t.Title}, t.Paragraphs...)
	for i, p := range parts {
		parts[i] = fenceTags.ReplaceAllString(p, "[article]")
	}
	whole := strings.TrimSpace(strings.Join(parts, "\n\n"))
	if opt.ContextTokens <= 0 {
		return whole, nil
	}
	answer := opt.MaxTokens
	if answer <= 0 {
		answer = answerRoom
	}
	room := opt.ContextTokens - answer - 600 // the instructions
	if room <= 0 || llm.CountTokens(model, whole) <= room {
		return whole, nil
	}
	kept, used := []string{}, 0
	for _, p := range parts {
		n := llm.CountTokens(model, p) + 2
		if used+n > room {
			if len(kept) == 0 { // one huge paragraph: keep its share
				rs := []rune(p)
				kept = append(kept, string(rs[:len(rs)*room/n]))
			}
			break
		}
		kept = append(kept, p)
		used += n
	}
	return strings.TrimSpace(strings.Join(kept, "\n\n")), &news.Warning{Code: "summary_input_truncated",
		Message: fmt.Sprintf("the article exceeds the model's context (%d tokens): summarized its first %d of %d paragraphs", opt.ContextTokens, len(kept)-1, len(t.Paragraphs))}
}
