package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/depeche-news/depeche/pipeline/news"
)

// JSON answers: the plumbing every stage that asks a model for a JSON
// object shares (summaries, briefing drafts): find the object however the
// model wrapped it, and send an unparsable answer back once for repair.

var (
	thinkRe    = regexp.MustCompile(`(?is)<think(?:ing)?>.*?</think(?:ing)?>`)
	trailComma = regexp.MustCompile(`,(\s*[}\]])`)
)

// Object finds the JSON object in a model's answer and decodes it, however
// it was wrapped: reasoning in <think> tags, Markdown fences, a chatty
// preamble or epilogue, trailing commas. Keys come back in a normal form
// (lower case, "_" for spaces and hyphens) so callers match aliases simply.
func Object(raw string) (map[string]json.RawMessage, error) {
	s := thinkRe.ReplaceAllString(raw, "")
	// Some chat templates open <think> in the prompt: only its end shows.
	if i := strings.Index(strings.ToLower(s), "</think>"); i >= 0 {
		s = s[i+len("</think>"):]
	}
	body, err := outermost(s)
	if err != nil {
		return nil, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &obj); err != nil {
		// Trailing commas are the commonest near-miss; retry without them.
		if err2 := json.Unmarshal([]byte(trailComma.ReplaceAllString(body, "$1")), &obj); err2 != nil {
			return nil, fmt.Errorf("not valid JSON: %w", err)
		}
	}
	out := make(map[string]json.RawMessage, len(obj))
	for k, v := range obj {
		out[normKey(k)] = v
	}
	return out, nil
}

func normKey(k string) string {
	k = strings.ToLower(strings.TrimSpace(k))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(k)
}

// outermost returns the first balanced {...} of s, skipping braces inside
// JSON strings.
func outermost(s string) (string, error) {
	start := strings.IndexByte(s, '{')
	if start < 0 {
		return "", errors.New("no JSON object in the answer")
	}
	depth, inStr, esc := 0, false, false
	for i := start; i < len(s); i++ {
		c := s[i]
		switch {
		case esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return s[start : i+1], nil
			}
		}
	}
	return "", errors.New("JSON object is not closed (answer cut short?)")
}

// ChatJSON sends req and parses the answer; on a parse failure it sends the
// bad answer back once with the reason, and a second failure is an error
// ("model returned invalid JSON twice: …"). Requests, usage and retries are
// added to st. Summaries and briefings use it.
func ChatJSON[T any](ctx context.Context, c *Client, req Request, st *news.Stats, parse func(string) (T, error)) (T, error) {
	var zero T
	resp, err := c.Chat(ctx, req)
	if err != nil {
		return zero, failed(st, err)
	}
	account(st, resp)
	v, perr := parseAnswer(resp, parse)
	if perr == nil {
		return v, nil
	}
	st.Retries = append(st.Retries, "invalid JSON, asked to repair: "+perr.Error())
	req.Messages = append(req.Messages,
		Message{Role: "assistant", Content: resp.Content},
		Message{Role: "user", Content: RepairRequest(perr)})
	resp, err = c.Chat(ctx, req)
	if err != nil {
		return zero, failed(st, err)
	}
	account(st, resp)
	v, perr2 := parseAnswer(resp, parse)
	if perr2 != nil {
		return zero, fmt.Errorf("model returned invalid JSON twice: %v", perr2)
	}
	return v, nil
}

// RepairRequest is the message that sends a model's unparsable answer back
// with the reason.
func RepairRequest(reason error) string {
	return fmt.Sprintf("Your answer could not be used: %v. Reply again with only the JSON object described above: no prose, no Markdown fences, nothing before or after it.", reason)
}

func parseAnswer[T any](resp Response, parse func(string) (T, error)) (T, error) {
	v, err := parse(resp.Content)
	if err != nil && resp.FinishReason == "length" {
		err = fmt.Errorf("%w (the answer was cut off at the token limit)", err)
	}
	return v, err
}

// failed counts a failed call as a request (a refused or timed-out request
// may still be billed) unless nothing was sent: a budget refusal, a request
// deferred to a batch, or one cancelled by the caller.
func failed(st *news.Stats, err error) error {
	if !errors.Is(err, ErrBudget) && !errors.Is(err, ErrDeferred) && !errors.Is(err, context.Canceled) {
		st.Requests++
	}
	return err
}

func account(st *news.Stats, resp Response) {
	st.Requests++
	st.Usage = st.Usage.Add(resp.Usage)
	st.Retries = append(st.Retries, resp.Retries...)
	if resp.Model != "" {
		st.Model = resp.Model
	}
}
