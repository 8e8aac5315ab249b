package translate

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
)

var translationBlock = regexp.MustCompile(`(?s)<translation>\s*(.*?)\s*(?:</translation>|$)`)

// reviewPiece is the optional second pass (the translation-agent pattern,
// reflect then improve, in one request): the model lists the draft's
// errors, then writes an improved translation between <translation> tags.
// The improvement goes through the same checks as the draft; when it fails
// them, or the call fails for any reason but cancellation, the validated
// draft stands and a "review" warning says why. The pass never makes a
// chunk fail.
func (j *job) reviewPiece(ctx context.Context, n int, src, draft []string, gl []glossary.Entry, title string) ([]string, error) {
	numbered := len(src) > 1 // numbers let the improved version be read back reliably
	sys, user, err := j.review.Render(promptData{
		Title: title, Glossary: gl, Numbered: numbered,
		Text: document(src, numbered), Draft: document(draft, numbered),
	})
	if err != nil {
		return nil, err
	}
	resp, err := j.c.Chat(ctx, llm.Request{
		Stage: "review", Model: j.opt.Model,
		Messages: []llm.Message{{Role: "system", Content: sys}, {Role: "user", Content: user}},
	})
	j.record(n, resp, true)
	keep := func(why string) ([]string, error) {
		j.warn(news.WarnReview, n, "kept the draft: "+why)
		return draft, nil
	}
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(err, llm.ErrDeferred):
		return nil, err // batch mode: the review comes in the next round; keeping the draft would cache it
	case err != nil:
		return keep(err.Error())
	case resp.Cut:
		return keep("the review answer was cut at max_tokens")
	}
	m := translationBlock.FindAllStringSubmatch(resp.Content, -1)
	if m == nil {
		return keep("the review answer had no <translation> block")
	}
	text, _ := strip(m[len(m)-1][1], src)
	out := paragraphs(text, numbered, src)
	if p := check(src, out); p != nil {
		return keep(fmt.Sprintf("the improved translation failed a check: %s: %s", p.Code, p.Msg))
	}
	if missing := missingNumbers(src, out); len(missing) > len(missingNumbers(src, draft)) {
		return keep("the improved translation lost numbers: " + strings.Join(missing, ", "))
	}
	return out, nil
}
