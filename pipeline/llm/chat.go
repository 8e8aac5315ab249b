package llm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Chat sends r and returns the answer, retrying what is worth retrying on
// the best endpoint available. Every error it returns has been redacted.
func (c *Client) Chat(ctx context.Context, r Request) (Response, error) {
	if b := c.batchMode(ctx); b != nil {
		return c.chatBatch(ctx, b, r)
	}
	var resp Response
	if len(r.Messages) == 0 {
		return resp, errors.New("llm: request has no messages")
	}
	maxTokens := r.MaxTokens
	if maxTokens <= 0 {
		maxTokens = c.cfg.MaxTokens
	}
	var (
		waited time.Duration
		faults int       // failed attempts that count against MaxAttempts
		prev   *endpoint // the endpoint that just failed
	)
	for {
		if err := ctx.Err(); err != nil {
			return resp, fmt.Errorf("llm: %w", err)
		}
		ep := pick(c.eps, prev, time.Now())
		model := r.Model
		if model == "" {
			model = ep.model
		}
		prompt := promptTokens(model, r.Messages)
		need := int64(prompt + maxTokens)
		epoch, err := ep.lim.acquire(ctx)
		if err != nil {
			return resp, fmt.Errorf("llm: %w", err)
		}
		// Reserved only once admitted, so requests queued behind the limiter
		// do not hold budget they are not yet spending.
		if err := c.reserve(need); err != nil {
			ep.lim.release()
			return resp, fmt.Errorf("llm: %w", err)
		}
		if !ep.healthy(time.Now()) && len(c.eps) > 1 {
			// Taken out while we queued for it: another endpoint is better.
			if alt := pick(c.eps, ep, time.Now()); alt != ep && alt.healthy(time.Now()) {
				ep.lim.release()
				c.settle(need, 0)
				prev = ep
				continue
			}
		}
		mode := ep.schemaMode()
		resp.Attempts++
		res, f, ok := c.send(ctx, ep, r.Stage, model, chatParams{
			model: model, messages: r.Messages, schema: r.JSONSchema, mode: mode, stream: c.cfg.Stream,
		}, maxTokens)
		ep.lim.release()
		if ok {
			used := int64(res.usage.PromptTokens + res.usage.CompletionTokens)
			if used == 0 { // the server reported nothing: count our estimate
				used = int64(prompt + CountTokens(model, res.content))
			}
			c.settle(need, used)
			ep.ok()
			ep.lim.succeeded()
			resp.Content, resp.FinishReason, resp.Usage = res.content, res.finish, res.usage
			resp.Model, resp.Endpoint = res.model, ep.name
			if resp.Model == "" {
				resp.Model = model
			}
			return resp, nil
		}
		c.settle(need, 0)
		if err := ctx.Err(); err != nil {
			return resp, fmt.Errorf("llm: %w", err)
		}

		if r.JSONSchema != nil && rejectsResponseFormat(f.status, f.body) && ep.downgradeSchema(mode) {
			// Not a fault: the server told us what it does not support.
			resp.Retries = append(resp.Retries, fmt.Sprintf("%d response_format %s rejected by %s: falling back", f.status, schemaModeName(mode), ep.name))
			c.retried()
			prev = nil
			continue
		}
		if f.throttled {
			ep.lim.throttled(epoch)
		}
		if f.health {
			if d, out := ep.failed(time.Now(), c.cfg.Cooldown); out {
				c.log.Warn("llm endpoint taken out", "endpoint", ep.name, "for", d, "after", f.reason)
			}
		}
		if !f.retry {
			return resp, f.err
		}
		faults++
		if faults >= c.cfg.MaxAttempts {
			return resp, fmt.Errorf("giving up after %d attempts (%s): %w", resp.Attempts, strings.Join(append(resp.Retries, f.reason), "; "), f.err)
		}
		wait := f.after
		remaining := c.cfg.MaxRetryWait - waited
		switch {
		case f.after > 0 && f.after > remaining:
			return resp, fmt.Errorf("giving up after %d attempts: server asks to wait %s, more than the %s left of llm.max_retry_wait: %w",
				resp.Attempts, f.after.Round(time.Second), remaining.Round(time.Second), f.err)
		case f.after > 0:
		case len(c.eps) > 1 && pick(c.eps, ep, time.Now()) != ep:
			wait = 0 // another endpoint takes the retry: no need to let this one breathe
		default:
			wait = min(backoff(faults-1, c.cfg.Backoff, 30*time.Second), remaining)
			if remaining <= 0 {
				return resp, fmt.Errorf("giving up after %d attempts: llm.max_retry_wait (%s) spent: %w", resp.Attempts, c.cfg.MaxRetryWait, f.err)
			}
		}
		resp.Retries = append(resp.Retries, f.reason)
		c.retried()
		if err := sleep(ctx, wait); err != nil {
			return resp, fmt.Errorf("llm: %w", err)
		}
		waited += wait
		prev = ep
	}
}

// send makes one HTTP attempt on ep and classifies its outcome.
func (c *Client) send(ctx context.Context, ep *endpoint, stage, model string, p chatParams, maxTokens int) (chatResult, failure, bool) {
	a := &attempt{stage: stage, set: c.bodyFields(ep, model, maxTokens)}
	if p.stream && c.cfg.OnProgress != nil {
		p.onDelta = func(s string) {
			c.cfg.OnProgress(stage, CountTokens(model, s))
		}
	}
	c.enter()
	start := time.Now()
	res, err := ep.api.chat(withAttempt(ctx, a), p)
	c.leave(res.usage)
	d := time.Since(start).Round(time.Millisecond)

	if err == nil {
		c.log.Info("llm request", "stage", stage, "model", model, "endpoint", ep.name, "status", a.status,
			"duration", d, "prompt_tokens", res.usage.PromptTokens, "completion_tokens", res.usage.CompletionTokens,
			"finish", res.finish)
		return res, failure{}, true
	}
	var f failure
	switch {
	case a.status >= 400:
		f = statusFailure(a, ep.name, c.cfg.APIKey)
	case errors.Is(err, errEmpty):
		f = failure{retry: true, health: true, reason: "empty answer",
			err: &safeError{msg: fmt.Sprintf("%s: %s", ep.name, errEmpty)}}
	case ctx.Err() != nil:
		f = failure{err: &safeError{msg: "llm: " + ctx.Err().Error(), kind: ctx.Err()}}
	default:
		f = networkFailure(err, ep.name, c.cfg.APIKey)
	}
	c.log.Warn("llm request failed", "stage", stage, "model", model, "endpoint", ep.name, "status", a.status,
		"duration", d, "error", f.err.Error())
	return res, f, false
}

// promptTokens estimates what the messages cost as a prompt: their text
// plus the few tokens of chat framing each message carries.
func promptTokens(model string, msgs []Message) int {
	n := 3
	for _, m := range msgs {
		n += 4 + CountTokens(model, m.Content)
	}
	return n
}

func schemaModeName(mode int) string {
	if mode == schemaJSONSchema {
		return "json_schema"
	}
	return "json_object"
}
