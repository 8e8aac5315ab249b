package llm

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

// newTestClient builds a client on one fake server with fast retries;
// mod adjusts the config.
func newTestClient(t *testing.T, s *llmtest.Server, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		Endpoints:    []EndpointConfig{{BaseURL: s.URL(), Model: "fake-model", Concurrency: 4}},
		Timeout:      5 * time.Second,
		MaxAttempts:  3,
		MaxRetryWait: 10 * time.Second,
		Backoff:      10 * time.Millisecond,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func user(text string) []Message { return []Message{{Role: "user", Content: text}} }

func ptr[T any](v T) *T { return &v }

// logBuffer is a goroutine-safe log sink.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
