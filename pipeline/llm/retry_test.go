package llm

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

func TestRetries(t *testing.T) {
	ok := llmtest.Text("done")
	tests := []struct {
		name     string
		h        llmtest.Handler
		calls    int      // requests the server must see
		retries  []string // Response.Retries on success
		errHas   string   // "" = success expected
		status   int      // APIError.Status expected on failure
		ctxLimit bool     // errors.Is ErrContextLength
	}{
		{name: "500s then success", h: llmtest.Times(2, llmtest.ServerError(), ok), calls: 3,
			retries: []string{"500 Internal Server Error", "500 Internal Server Error"}},
		{name: "502, 408 and 409 are retried", h: llmtest.Sequence(llmtest.Reply{Status: 502}, llmtest.Reply{Status: 408}, llmtest.Reply{Status: 409}, llmtest.Reply{Content: "done"}),
			calls: 4, retries: []string{"502 Bad Gateway", "408 Request Timeout", "409 Conflict"}},
		{name: "connection reset is retried", h: llmtest.Times(1, llmtest.Reset(), ok), calls: 2,
			retries: []string{"connection reset"}},
		{name: "429 without Retry-After backs off", h: llmtest.Times(1, llmtest.RateLimited(""), ok), calls: 2,
			retries: []string{"429 Too Many Requests"}},
		{name: "attempt cap", h: llmtest.Always(llmtest.ServerError()), calls: 4,
			errHas: "giving up after 4 attempts", status: 500},
		{name: "400 plain text kept", h: llmtest.Always(llmtest.PlainError(400, "upstream: model 'mistral' not loaded on this node")), calls: 1,
			errHas: "model 'mistral' not loaded on this node", status: 400},
		{name: "400 vLLM-shaped message kept", h: llmtest.Always(llmtest.Reply{Status: 400, Body: `{"object":"error","message":"temperature must be non-negative","type":"BadRequestError","code":400}`}), calls: 1,
			errHas: "temperature must be non-negative", status: 400},
		{name: "404 not retried", h: llmtest.Always(llmtest.Reply{Status: 404, Body: `{"error":{"message":"The model 'gpt-9' does not exist","type":"invalid_request_error","code":"model_not_found"}}`}), calls: 1,
			errHas: "The model 'gpt-9' does not exist (model_not_found)", status: 404},
		{name: "context length, vLLM", h: llmtest.Always(llmtest.ContextLengthVLLM()), calls: 1,
			errHas: "maximum context length is 4096", status: 400, ctxLimit: true},
		{name: "context length, llama.cpp", h: llmtest.Always(llmtest.ContextLengthLlamaCpp()), calls: 1,
			errHas: "exceeds the available context size", status: 400, ctxLimit: true},
		{name: "context length, OpenAI", h: llmtest.Always(llmtest.ContextLengthOpenAI()), calls: 1,
			errHas: "context_length_exceeded", status: 400, ctxLimit: true},
		{name: "Retry-After beyond max_retry_wait gives up at once", h: llmtest.Always(llmtest.RateLimited("3600")), calls: 1,
			errHas: "server asks to wait 1h0m0s", status: 429},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.New(t, tt.h)
			c := newTestClient(t, s, func(c *Config) { c.MaxAttempts = 4 })
			resp, err := c.Chat(context.Background(), Request{Messages: user("Bonjour")})
			if n := s.Count(); n != tt.calls {
				t.Errorf("server saw %d calls, want %d", n, tt.calls)
			}
			if tt.errHas == "" {
				if err != nil {
					t.Fatal(err)
				}
				if resp.Content != "done" || resp.Attempts != tt.calls || strings.Join(resp.Retries, "|") != strings.Join(tt.retries, "|") {
					t.Errorf("resp = %+v", resp)
				}
				if tot := c.Totals(); tot.Requests != tt.calls || tot.Retries != len(tt.retries) {
					t.Errorf("totals = %+v", tot)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; resp %+v", resp)
			}
			if !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("error %q lacks %q", err, tt.errHas)
			}
			var ae *APIError
			if !errors.As(err, &ae) || ae.Status != tt.status || ae.Endpoint != s.URL() {
				t.Errorf("APIError = %+v", ae)
			}
			if errors.Is(err, ErrContextLength) != tt.ctxLimit {
				t.Errorf("errors.Is(ErrContextLength) = %v", !tt.ctxLimit)
			}
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	tests := []struct {
		name  string
		value func(now time.Time) string
		// earliest is when the retry may arrive, given the first call's time.
		earliest func(first time.Time, value string) time.Time
	}{
		{"seconds", func(time.Time) string { return "1" },
			func(first time.Time, _ string) time.Time { return first.Add(900 * time.Millisecond) }},
		{"HTTP-date", func(now time.Time) string { return llmtest.RetryAfterDate(now.Add(time.Second)) },
			func(_ time.Time, v string) time.Time { d, _ := http.ParseTime(v); return d }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var value string
			first := true
			s := llmtest.New(t, func(c llmtest.Call) llmtest.Reply {
				if first { // calls are sequential here
					first = false
					value = tt.value(time.Now())
					return llmtest.RateLimited(value)
				}
				return llmtest.Reply{Content: "ok"}
			})
			c := newTestClient(t, s, nil)
			resp, err := c.Chat(context.Background(), Request{Messages: user("x")})
			if err != nil {
				t.Fatal(err)
			}
			calls := s.Calls()
			if len(calls) != 2 {
				t.Fatalf("%d calls", len(calls))
			}
			if want := tt.earliest(calls[0].Time, value); calls[1].Time.Before(want) {
				t.Errorf("retry at %s, before %s (Retry-After %q)", calls[1].Time.Format(time.StampMilli), want.Format(time.StampMilli), value)
			}
			if len(resp.Retries) != 1 || !strings.HasPrefix(resp.Retries[0], "429 (Retry-After ") {
				t.Errorf("retries = %q", resp.Retries)
			}
		})
	}
}

func TestHangTimesOutAndGivesUp(t *testing.T) {
	s := llmtest.New(t, llmtest.Always(llmtest.Hang()))
	c := newTestClient(t, s, func(c *Config) { c.Timeout = 150 * time.Millisecond; c.MaxAttempts = 3 })
	start := time.Now()
	resp, err := c.Chat(context.Background(), Request{Messages: user("x")})
	if err == nil {
		t.Fatal("hang answered")
	}
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "giving up after 3 attempts") {
		t.Errorf("err = %v", err)
	}
	if s.Count() != 3 || strings.Join(resp.Retries, ",") != "timeout,timeout" {
		t.Errorf("calls %d, retries %q", s.Count(), resp.Retries)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestStreamHangTimesOut(t *testing.T) {
	s := llmtest.New(t, llmtest.Always(llmtest.Hang()))
	c := newTestClient(t, s, func(c *Config) { c.Timeout = 150 * time.Millisecond; c.MaxAttempts = 2; c.Stream = true })
	_, err := c.Chat(context.Background(), Request{Messages: user("x")})
	if !errors.Is(err, context.DeadlineExceeded) || s.Count() != 2 {
		t.Errorf("err = %v after %d calls", err, s.Count())
	}
}

func TestCancelStopsPromptly(t *testing.T) {
	tests := []struct {
		name string
		h    llmtest.Handler
	}{
		{"while waiting out Retry-After", llmtest.Always(llmtest.RateLimited("60"))},
		{"while the server hangs", llmtest.Always(llmtest.Hang())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.New(t, tt.h)
			c := newTestClient(t, s, func(c *Config) { c.Timeout = time.Minute; c.MaxRetryWait = time.Hour })
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			start := time.Now()
			_, err := c.Chat(ctx, Request{Messages: user("x")})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v", err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("returned after %s", d)
			}
		})
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2024, 2, 20, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"2", 2 * time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{"", 0, false},
		{"-3", 0, false},
		{"soon", 0, false},
		{now.Add(5 * time.Second).Format(http.TimeFormat), 6 * time.Second, true}, // rounded up a second
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
	}
	for _, tt := range tests {
		got, ok := retryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %s, %v; want %s, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoffFullJitter(t *testing.T) {
	for n := range 8 {
		ceil := min(100*time.Millisecond<<n, time.Second)
		for range 50 {
			if d := backoff(n, 100*time.Millisecond, time.Second); d < 0 || d >= ceil {
				t.Fatalf("backoff(%d) = %s, want [0, %s)", n, d, ceil)
			}
		}
	}
}
