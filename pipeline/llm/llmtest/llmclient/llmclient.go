// Package llmclient sets up, for a test, a real llm.Client on the fake
// server of package llmtest: one endpoint, a short timeout and no retry
// unless asked, so a test of a stage that asks a model never waits on a
// backoff. It lives apart from llmtest because package llm's own tests use
// llmtest, and llmtest cannot import llm.
package llmclient

import (
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

// DefaultModel is the model the client asks for unless Model says otherwise.
const DefaultModel = "test-model"

// Option adjusts the client's configuration.
type Option func(*llm.Config)

// Model sets the endpoint's model.
func Model(m string) Option { return func(c *llm.Config) { c.Endpoints[0].Model = m } }

// Concurrency sets how many requests the endpoint takes at once (4 by default).
func Concurrency(n int) Option { return func(c *llm.Config) { c.Endpoints[0].Concurrency = n } }

// MaxTokens sets the answer limit sent with every request.
func MaxTokens(n int) Option { return func(c *llm.Config) { c.MaxTokens = n } }

// Attempts sets how many times a call is tried (1 by default: no retry),
// with a millisecond's backoff between tries.
func Attempts(n int) Option {
	return func(c *llm.Config) { c.MaxAttempts, c.Backoff = n, time.Millisecond }
}

// With applies any other change to the configuration.
func With(f func(*llm.Config)) Option { return Option(f) }

// New returns a client of s.
func New(t testing.TB, s *llmtest.Server, opts ...Option) *llm.Client {
	t.Helper()
	cfg := llm.Config{
		Endpoints:   []llm.EndpointConfig{{BaseURL: s.URL(), Model: DefaultModel, Concurrency: 4}},
		Timeout:     10 * time.Second,
		MaxAttempts: 1,
		Backoff:     time.Millisecond,
	}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := llm.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Serve starts a fake server answering with h and returns a client of it.
func Serve(t testing.TB, h llmtest.Handler, opts ...Option) (*llm.Client, *llmtest.Server) {
	t.Helper()
	s := llmtest.New(t, h)
	return New(t, s, opts...), s
}
