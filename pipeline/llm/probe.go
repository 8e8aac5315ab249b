package llm

import (
	"context"
	"errors"
	"fmt"
)

// Probing: before a batch, the engine asks each endpoint once what it
// serves and whether it takes the key, so a set-up mistake stops the run
// before any file is sent instead of failing every file on its own. These
// calls make one HTTP attempt each: no retries, no budget, no limiter.

// Endpoints returns the configured endpoints, base URLs without
// credentials, in configuration order.
func (c *Client) Endpoints() []EndpointConfig {
	out := make([]EndpointConfig, len(c.eps))
	for i, ep := range c.eps {
		out[i] = EndpointConfig{BaseURL: ep.name, Model: ep.model, Weight: ep.weight}
	}
	return out
}

// ModelsAt lists the models endpoint i serves (GET {base_url}/models). An
// HTTP error answer is an *APIError; anything else means no answer.
func (c *Client) ModelsAt(ctx context.Context, i int) ([]string, error) {
	ep := c.eps[i]
	a := &attempt{stage: "probe"}
	ids, err := ep.api.models(withAttempt(ctx, a))
	if err == nil {
		return ids, nil
	}
	return nil, c.probeFailure(ctx, ep, a, err, "list models")
}

// TryModel sends endpoint i one chat request for model, asking for a
// single token, to learn whether the endpoint serves it under that name
// (llama.cpp answers to any name; OpenAI, vLLM and Ollama answer 404 for
// one they do not serve). An answer of any kind but an HTTP error is nil.
func (c *Client) TryModel(ctx context.Context, i int, model string) error {
	ep := c.eps[i]
	a := &attempt{stage: "probe", set: c.bodyFields(ep, model, 1)}
	c.enter()
	res, err := ep.api.chat(withAttempt(ctx, a), chatParams{model: model, messages: []Message{{Role: "user", Content: "Reply with OK."}}})
	c.leave(res.usage)
	if err == nil || (errors.Is(err, errEmpty) && a.status < 400) {
		return nil
	}
	return c.probeFailure(ctx, ep, a, err, "try model "+model)
}

func (c *Client) probeFailure(ctx context.Context, ep *endpoint, a *attempt, err error, what string) error {
	switch {
	case a.status >= 400:
		return fmt.Errorf("%s: %w", what, statusFailure(a, ep.name, c.cfg.APIKey).err)
	case ctx.Err() != nil:
		return fmt.Errorf("%s at %s: %w", what, ep.name, ctx.Err())
	}
	return fmt.Errorf("%s: %w", what, networkFailure(err, ep.name, c.cfg.APIKey).err)
}
