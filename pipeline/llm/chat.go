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
//
// The loop here is only the retry decision; attempt makes one try on one
// endpoint and says how it went.
func (c *Client) Chat(ctx context.Context, r Request) (Response, error) {
	if b := c.batchMode(ctx); b != nil {
		return c.chatBatch(ctx, b, r)
	}
	var resp Response
	if len(r.Messages) == 0 {
		return resp, errors.New("llm: request has no messages")
	}
	var rs retryState
	for {
		if err := ctx.Err(); err != nil {
			return resp, fmt.Errorf("llm: %w", err)
		}
		ep := pick(c.eps, rs.prev, time.Now())
		out, err := c.attempt(ctx, ep, r, &resp)
		switch {
		case err != nil:
			return resp, err
		case out.ok:
			return resp, nil
		case out.moved:
			rs.prev = ep
			continue
		}
		wait, err := c.decide(ep, r, out, &rs, &resp)
		if err != nil {
			return resp, err
		}
		if wait > 0 {
			until, why := time.Now().Add(wait), ""
			if n := len(resp.Retries); n > 0 {
				why = resp.Retries[n-1]
			}
			c.event(Event{Stage: r.Stage, Kind: EventWait, Until: until, Reason: why})
			err = sleep(ctx, wait)
			c.event(Event{Stage: r.Stage, Kind: EventResume, Until: until})
			if err != nil {
				return resp, fmt.Errorf("llm: %w", err)
			}
		}
		rs.waited += wait
	}
}

// retryState is what the retry decision remembers across attempts.
type retryState struct {
	waited time.Duration
	faults int       // failed attempts that count against MaxAttempts
	prev   *endpoint // the endpoint to avoid next: the one that just failed
}

// outcome is how one attempt went.
type outcome struct {
	ok    bool // answered; the Response is filled
	moved bool // not sent: the endpoint was taken out while we queued for it
	f     failure
	mode  int // the structured-output mode the attempt used
	epoch int // the limiter's epoch when the attempt was admitted
}

// attempt makes one try of r on ep: admission by the endpoint's limiter,
// the budget reservation, the HTTP request, and what it teaches about the
// server's limits. An error means the call must stop (cancelled, budget).
func (c *Client) attempt(ctx context.Context, ep *endpoint, r Request, resp *Response) (outcome, error) {
	model := r.Model
	if model == "" {
		model = ep.model
	}
	prompt := promptTokens(model, r.Messages)
	maxTokens := c.maxTokens(ep, model, r.MaxTokens, prompt)
	need := int64(prompt + maxTokens)
	epoch, err := ep.lim.acquire(ctx)
	if err != nil {
		return outcome{}, fmt.Errorf("llm: %w", err)
	}
	if c.stale(ep, model, prompt, r.MaxTokens) {
		ep.lim.release()
		return outcome{}, fmt.Errorf("llm: %s request of ~%d tokens: %w", r.Stage, prompt, ErrReplan)
	}
	maxTokens = c.maxTokens(ep, model, r.MaxTokens, prompt) // the limits may have moved while it queued
	need = int64(prompt + maxTokens)
	// Reserved only once admitted, so requests queued behind the limiter
	// do not hold budget they are not yet spending.
	if err := c.reserve(need); err != nil {
		ep.lim.release()
		return outcome{}, fmt.Errorf("llm: %w", err)
	}
	if !ep.healthy(time.Now()) && len(c.eps) > 1 {
		// Taken out while we queued for it: another endpoint is better.
		if alt := pick(c.eps, ep, time.Now()); alt != ep && alt.healthy(time.Now()) {
			ep.lim.release()
			c.settle(need, 0)
			return outcome{moved: true}, nil
		}
	}
	mode := ep.schemaMode()
	resp.Attempts++
	res, f, ok := c.send(ctx, ep, r.Stage, model, chatParams{
		model: model, messages: r.Messages, schema: r.JSONSchema, mode: mode, stream: c.cfg.Stream,
	}, maxTokens)
	ep.lim.release()
	if !ok {
		c.settle(need, 0)
		if err := ctx.Err(); err != nil {
			return outcome{}, fmt.Errorf("llm: %w", err)
		}
		if errors.Is(f.err, ErrContextLength) {
			c.learnRefusal(ep, model, prompt, f.body)
		}
		return outcome{f: f, mode: mode, epoch: epoch}, nil
	}
	used := int64(res.usage.PromptTokens + res.usage.CompletionTokens)
	if used == 0 { // the server reported nothing: count our estimate
		used = int64(prompt + CountTokens(model, res.content))
	}
	c.settle(need, used)
	ep.ok()
	ep.lim.succeeded()
	c.answer(ep, model, r.Stage, prompt, maxTokens, res, resp)
	return outcome{ok: true}, nil
}

// stale reports whether a request planned for an answer of planned tokens
// no longer fits what the server has shown: its prompt and that answer
// pass the context learned, or the answer passes the cap learned. Sending
// it would pay for a refusal or a cut answer. A request that names no
// answer room (planned 0) is never stale.
func (c *Client) stale(ep *endpoint, model string, prompt, planned int) bool {
	if planned <= 0 {
		return false // not planned for any limit: the server decides
	}
	l := c.book.get(ep.name, model)
	return (l.Context > 0 && prompt+planned > l.Context) || (l.Answer > 0 && planned > l.Answer)
}

// maxTokens is the answer limit to send: the request's, else the
// configured one, within what the server has shown it accepts: its own
// answer cap, and what its context leaves after the prompt (vLLM refuses
// a request whose prompt plus max_tokens passes its context).
func (c *Client) maxTokens(ep *endpoint, model string, requested, prompt int) int {
	n := requested
	if n <= 0 {
		n = c.cfg.MaxTokens
	}
	l := c.book.get(ep.name, model)
	if l.Answer > 0 && (n <= 0 || n > l.Answer) {
		n = l.Answer
	}
	if room := l.Context - prompt; l.Context > 0 && room > 0 && (n <= 0 || n > room) {
		n = room
	}
	return n
}

// answer fills resp from a server's answer and learns from it: an answer
// cut below the max_tokens sent met a cap of the server's; a prompt the
// server counted far shorter than sent was cut to its context.
func (c *Client) answer(ep *endpoint, model, stage string, prompt, maxTokens int, res chatResult, resp *Response) {
	srv := ep.server()
	resp.Content, resp.FinishReason, resp.Usage = res.content, res.finish, res.usage
	if srv.thinksAloud {
		resp.Content, resp.Reasoning = SplitThinking(res.content)
	}
	resp.Model, resp.Endpoint = res.model, ep.name
	if resp.Model == "" {
		resp.Model = model
	}
	if got := res.usage.PromptTokens; srv.silentTruncation && got > 0 && prompt >= minTruncationCheck && ep.truncated(model+"\x00"+stage, got, prompt) {
		resp.Truncated = true
		c.learn(ep, model, Limits{Context: int(float64(got) * limitMargin)}, 0,
			fmt.Sprintf("saw only %d of ~%d prompt tokens", got, prompt))
	}
	resp.Cut = srv.cut(res.finish)
	if !resp.Cut || maxTokens <= 0 || resp.Truncated {
		return // an answer cut after a truncated prompt met the context, not a cap
	}
	got := res.usage.CompletionTokens
	if got <= 0 {
		got = CountTokens(model, res.content)
	}
	answer := CountTokens(model, res.content)
	if ctx := c.book.get(ep.name, model).Context; ctx > 0 && float64(prompt+answer) >= contextFull*float64(ctx) {
		return // the context filled up (llama.cpp stops there): not a cap of its own
	}
	if float64(got) < cappedBelow*float64(maxTokens) {
		c.learn(ep, model, Limits{Answer: answer}, prompt+answer, fmt.Sprintf("cut an answer at %d tokens, below the %d asked", got, maxTokens))
	}
}

// decide is the retry decision after a failed attempt: how long to wait
// before the next one, or the error that ends the call.
func (c *Client) decide(ep *endpoint, r Request, out outcome, rs *retryState, resp *Response) (time.Duration, error) {
	f := out.f
	if r.JSONSchema != nil && rejectsResponseFormat(f.status, f.body) && ep.downgradeSchema(out.mode) {
		// Not a fault: the server told us what it does not support.
		resp.Retries = append(resp.Retries, fmt.Sprintf("%d response_format %s rejected by %s: falling back", f.status, schemaModeName(out.mode), ep.name))
		c.retried()
		rs.prev = nil
		return 0, nil
	}
	if f.throttled {
		ep.lim.throttled(out.epoch)
	}
	if f.health {
		if d, taken := ep.failed(time.Now(), c.cfg.Cooldown); taken {
			c.log.Warn("llm endpoint taken out", "endpoint", ep.name, "for", d, "after", f.reason)
		}
	}
	if !f.retry {
		return 0, f.err
	}
	rs.faults++
	if rs.faults >= c.cfg.MaxAttempts {
		return 0, fmt.Errorf("giving up after %d attempts (%s): %w", resp.Attempts, strings.Join(append(resp.Retries, f.reason), "; "), f.err)
	}
	wait := f.after
	remaining := c.cfg.MaxRetryWait - rs.waited
	switch {
	case f.after > 0 && f.after > remaining:
		return 0, fmt.Errorf("giving up after %d attempts: server asks to wait %s, more than the %s left of llm.max_retry_wait: %w",
			resp.Attempts, f.after.Round(time.Second), remaining.Round(time.Second), f.err)
	case f.after > 0:
	case len(c.eps) > 1 && pick(c.eps, ep, time.Now()) != ep:
		wait = 0 // another endpoint takes the retry: no need to let this one breathe
	default:
		if remaining <= 0 {
			return 0, fmt.Errorf("giving up after %d attempts: llm.max_retry_wait (%s) spent: %w", resp.Attempts, c.cfg.MaxRetryWait, f.err)
		}
		wait = min(backoff(rs.faults-1, c.cfg.Backoff, 30*time.Second), remaining)
	}
	resp.Retries = append(resp.Retries, f.reason)
	c.retried()
	rs.prev = ep
	return wait, nil
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
	c.event(Event{Stage: stage, Kind: EventSent})
	start := time.Now()
	res, err := ep.api.chat(withAttempt(ctx, a), p)
	c.leave(res.usage)
	c.event(Event{Stage: stage, Kind: EventDone, OK: err == nil})
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
