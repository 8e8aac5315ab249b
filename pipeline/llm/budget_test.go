package llm

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

func TestBudget(t *testing.T) {
	long := strings.Repeat("Le président a annoncé de nouvelles mesures. ", 20) // ~250 estimated tokens
	tests := []struct {
		name      string
		limit     int64
		maxTokens int
		prompts   []string
		reply     llmtest.Reply
		wantOK    int // calls that go through before ErrBudget
	}{
		{"prompt alone too big: nothing sent", 100, 0, []string{long}, llmtest.Reply{Content: "x"}, 0},
		{"max_tokens counted before sending", 150, 200, []string{"Bonjour"}, llmtest.Reply{Content: "x"}, 0},
		{"reported usage spends the budget", 100, 10, []string{"a", "b", "c"}, llmtest.Reply{Content: "x", PromptTokens: 70, CompletionTokens: 20}, 1},
		{"unlimited", 0, 10, []string{long, long, long}, llmtest.Reply{Content: "x"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.New(t, llmtest.Always(tt.reply))
			c := newTestClient(t, s, func(c *Config) { c.MaxTotalTokens = tt.limit; c.MaxTokens = tt.maxTokens })
			ok := 0
			for _, p := range tt.prompts {
				_, err := c.Chat(context.Background(), Request{Messages: user(p)})
				if err == nil {
					ok++
					continue
				}
				if !errors.Is(err, ErrBudget) {
					t.Fatalf("err = %v", err)
				}
				break
			}
			if ok != tt.wantOK || s.Count() != tt.wantOK {
				t.Errorf("%d calls succeeded, server saw %d; want %d", ok, s.Count(), tt.wantOK)
			}
		})
	}
}
