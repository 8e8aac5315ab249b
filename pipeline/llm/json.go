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
	trailComma = regexp.MustCompile(`,(\s*[}\]])`)
)

// Object finds the JSON object in a model's answer and decodes it, however
// it was wrapped: reasoning in <think> tags, Markdown fences, a chatty
// preamble or epilogue, trailing commas. Keys come back in a normal form
// (lower case, "_" for spaces and hyphens) so callers match aliases simply.
func Object(raw string) (map[string]json.RawMessage, error) {
	s, _ := SplitThinking(raw)
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

// List finds the JSON object in a model's answer and the list it holds
// under the first of keys it has ("answers", "claims"…): a batch of
// answers, of which want are needed.
func List(raw string, want int, keys ...string) ([]json.RawMessage, error) {
	obj, err := Object(raw)
	if err != nil {
		return nil, err
	}
	var items []json.RawMessage
	for _, k := range keys {
		if v, ok := obj[k]; ok {
			_ = json.Unmarshal(v, &items)
			break
		}
	}
	if len(items) != want {
		return nil, fmt.Errorf("%d %s for the %d asked", len(items), keys[0], want)
	}
	return items, nil
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
// ("model returned invalid JSON twice: …"). An answer cut at the token limit
// that does not parse is ErrCut and a silently truncated prompt is
// ErrTruncated, without a repair: those need a smaller request (Shrink).
// Requests, usage and retries are added to st. Summaries and briefings use
// it.
func ChatJSON[T any](ctx context.Context, c *Client, req Request, st *news.Stats, parse func(string) (T, error)) (T, error) {
	var zero T
	resp, err := c.Chat(ctx, req)
	account(st, resp)
	if err != nil {
		return zero, err
	}
	if resp.Truncated {
		return zero, fmt.Errorf("%w (it counted %d prompt tokens)", ErrTruncated, resp.Usage.PromptTokens)
	}
	v, perr := parse(resp.Content)
	if perr == nil {
		return v, nil
	}
	if resp.Cut {
		return zero, fmt.Errorf("%w after %d tokens: %v", ErrCut, resp.Usage.CompletionTokens, perr)
	}
	st.Retries = append(st.Retries, "invalid JSON, asked to repair: "+perr.Error())
	req.Messages = append(req.Messages,
		Message{Role: "assistant", Content: resp.Content},
		Message{Role: "user", Content: RepairRequest(perr)})
	resp, err = c.Chat(ctx, req)
	account(st, resp)
	if err != nil {
		return zero, err
	}
	if resp.Truncated {
		return zero, fmt.Errorf("%w (it counted %d prompt tokens)", ErrTruncated, resp.Usage.PromptTokens)
	}
	v, perr2 := parse(resp.Content)
	if perr2 != nil && resp.Cut {
		return zero, fmt.Errorf("%w after %d tokens: %v", ErrCut, resp.Usage.CompletionTokens, perr2)
	}
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

// account adds a call's cost to st: every HTTP attempt it made counts as a
// request, answered or not (a refused or timed-out request may still be
// billed), and nothing when nothing was sent (a budget refusal, a request
// deferred to a batch, one cancelled before it left).
func account(st *news.Stats, resp Response) {
	st.Requests += resp.Attempts
	st.Usage = st.Usage.Add(resp.Usage)
	st.Retries = append(st.Retries, resp.Retries...)
	if resp.Model != "" {
		st.Model = resp.Model
	}
}
