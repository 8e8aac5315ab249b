package llm

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

// TestLearnsContext: whatever the family's way of meeting a prompt over its
// context (a refusal with numbers, or Ollama's silent truncation), the
// client comes out knowing the context, keeps it for later requests, which
// it then sends with a max_tokens the server accepts, and saves it for the
// next run.
func TestLearnsContext(t *testing.T) {
	for _, family := range []string{"vllm", "openai", "llama.cpp", "ollama"} {
		t.Run(family, func(t *testing.T) {
			s := llmtest.New(t, llmtest.Limited(llmtest.Small{Context: 1500, Family: family}, llmtest.Text("fine")))
			file := filepath.Join(t.TempDir(), "limits.json")
			c := newTestClient(t, s, func(cfg *Config) { cfg.MaxTokens = 2048; cfg.LimitsFile = file })
			configured := Limits{Context: 4096, Answer: 2048}

			// ~3,000 of the fake's tokens: Ollama keeps half, which the client notices
			big := strings.Repeat("Le président a parlé longuement devant la presse. ", 240)
			resp, err := c.Chat(context.Background(), Request{Messages: user(big)})
			switch family {
			case "ollama":
				if err != nil || !resp.Truncated {
					t.Fatalf("err %v, truncated %v: want a truncated answer", err, resp.Truncated)
				}
			default:
				if !errors.Is(err, ErrContextLength) {
					t.Fatalf("err = %v, want ErrContextLength", err)
				}
			}
			l := c.Limits("", configured)
			if l.Context < 1300 || l.Context > 1500 || l.Answer != 2048 {
				t.Fatalf("limits = %+v, want a context a little under 1,500 and the answer as configured", l)
			}

			// A prompt that fits: sent with max_tokens within what is left.
			before := s.Count()
			resp, err = c.Chat(context.Background(), Request{Messages: user(strings.Repeat("Bonjour à tous. ", 100))})
			if err != nil || resp.Truncated || s.Count() != before+1 {
				t.Fatalf("a request that fits: err %v, truncated %v, %d requests", err, resp.Truncated, s.Count()-before)
			}
			if got := s.Calls()[before].Body["max_tokens"].(float64); got > 1500 {
				t.Errorf("max_tokens %v sent after learning a context of 1,500", got)
			}

			next := newTestClient(t, s, func(cfg *Config) { cfg.LimitsFile = file })
			if got := next.Limits("", configured); got != l {
				t.Errorf("next run starts with %+v, want %+v", got, l)
			}
			forced := newTestClient(t, s, func(cfg *Config) { cfg.LimitsFile = file; cfg.IgnoreStoredLimits = true })
			if got := forced.Limits("", configured); got != configured {
				t.Errorf("with stored limits ignored: %+v, want %+v", got, configured)
			}
			other := newTestClient(t, s, func(cfg *Config) {
				cfg.LimitsFile = file
				cfg.Endpoints[0].Model = "another-model"
			})
			if got := other.Limits("", configured); got != configured {
				t.Errorf("another model on the same server starts with %+v, want %+v", got, configured)
			}
		})
	}
}

// TestLearnsAnswerCap: an answer cut below the max_tokens asked met a cap of
// the server's own; the client says the answer was cut, learns the cap, and
// asks no more than it next time. An answer cut at the max_tokens asked
// teaches nothing.
func TestLearnsAnswerCap(t *testing.T) {
	long := strings.Repeat("The president spoke to the press for a long time. ", 40) // ~500 of the fake's tokens
	s := llmtest.New(t, llmtest.Limited(llmtest.Small{AnswerCap: 300, Family: "vllm"}, llmtest.Text(long)))
	c := newTestClient(t, s, func(cfg *Config) { cfg.MaxTokens = 2048 })
	configured := Limits{Context: 4096, Answer: 2048}

	resp, err := c.Chat(context.Background(), Request{Messages: user("Bonjour"), MaxTokens: 200})
	if err != nil || !resp.Cut {
		t.Fatalf("err %v, cut %v: want an answer cut at the 200 asked", err, resp.Cut)
	}
	if got := c.Limits("", configured); got != configured {
		t.Fatalf("a cut at the max_tokens asked taught %+v", got)
	}
	resp, err = c.Chat(context.Background(), Request{Messages: user("Bonjour")})
	if err != nil || !resp.Cut || resp.FinishReason != "length" {
		t.Fatalf("err %v, cut %v, finish %q: want an answer cut by the server", err, resp.Cut, resp.FinishReason)
	}
	l := c.Limits("", configured)
	if l.Answer < 300 || l.Answer > 360 || l.Context != 4096 {
		t.Fatalf("limits = %+v, want an answer cap near 300", l)
	}
	if _, err := c.Chat(context.Background(), Request{Messages: user("Bonjour")}); err != nil {
		t.Fatal(err)
	}
	if got := s.Calls()[2].Body["max_tokens"].(float64); int(got) != l.Answer {
		t.Errorf("max_tokens %v sent after learning a cap of %d", got, l.Answer)
	}
}

// TestServerTable: each family's way of saying "too long" is recognised by
// every client, whatever family its URL suggests, and the numbers it gives
// are read.
func TestServerTable(t *testing.T) {
	tests := []struct {
		reply          llmtest.Reply
		context, promp int
	}{
		{llmtest.ContextLengthVLLM(), 4096, 4096},
		{llmtest.ContextLengthLlamaCpp(), 4096, 5120},
		{llmtest.ContextLengthOpenAI(), 128000, 130000},
		{llmtest.ContextLengthLMStudio(), 4096, 5369},
	}
	for _, tt := range tests {
		if !refuses(tt.reply.Status, tt.reply.Body) {
			t.Errorf("not recognised as a refusal: %s", tt.reply.Body)
		}
		if ctx, prompt := refusalNumbers(tt.reply.Body); ctx != tt.context || prompt != tt.promp {
			t.Errorf("numbers %d, %d from %s; want %d, %d", ctx, prompt, tt.reply.Body, tt.context, tt.promp)
		}
	}
	for url, want := range map[string]Family{
		"https://api.openai.com/v1": OpenAI, "http://localhost:11434/v1": Ollama, "http://gpu1:1234/v1": LMStudio,
		"http://vllm.models.svc:8000/v1": VLLM, "http://localhost:8080/v1": Generic, "https://openrouter.ai/api/v1": Generic,
	} {
		if got := detectFamily(url); got != want {
			t.Errorf("%s: %s, want %s", url, got, want)
		}
	}
	if got := servers[LMStudio].nextSchema(schemaJSONSchema); got != schemaNone {
		t.Errorf("LM Studio falls back from json_schema to mode %d, want none (it rejects json_object)", got)
	}
	if got := servers[Generic].nextSchema(schemaJSONSchema); got != schemaJSONObject {
		t.Errorf("a generic server falls back from json_schema to mode %d, want json_object", got)
	}
}

func TestSplitThinking(t *testing.T) {
	tests := []struct{ in, answer, thinking string }{
		{"<think>\nhm\n</think>\n\nThe answer.", "The answer.", "<think>\nhm\n</think>"},
		{"Okay, so.\n</think>\nThe answer.", "The answer.", "Okay, so.\n</think>"},
		{"<think>\nI will first", "", "<think>\nI will first"},
		{"No thinking here.", "No thinking here.", ""},
	}
	for _, tt := range tests {
		a, th := SplitThinking(tt.in)
		if a != tt.answer || th != tt.thinking {
			t.Errorf("SplitThinking(%q) = %q, %q; want %q, %q", tt.in, a, th, tt.answer, tt.thinking)
		}
	}
}

// TestCapNotFromFillingContext: on a llama.cpp-style server an answer stops
// where the context fills, which looks like a cap. Once a refusal has
// taught the context, that cut is explained and teaches no cap; the real
// cap, seen next, is learned.
func TestCapNotFromFillingContext(t *testing.T) {
	long := strings.Repeat("The president spoke to the press for a long time. ", 40) // ~500 of the fake's tokens
	s := llmtest.New(t, llmtest.Limited(llmtest.Small{Context: 1500, AnswerCap: 300, Family: "llama.cpp"}, llmtest.Text(long)))
	c := newTestClient(t, s, func(cfg *Config) { cfg.MaxTokens = 2048 })
	configured := Limits{Context: 4096, Answer: 2048}
	filling := strings.Repeat("Le président a parlé longuement devant la presse. ", 95) // ~1,200 of the fake's tokens: 300 left
	if resp, err := c.Chat(context.Background(), Request{Messages: user(filling)}); err != nil || !resp.Cut {
		t.Fatalf("err %v, cut %v: want an answer stopped by the filling context", err, resp.Cut)
	}
	if got := c.Limits("", configured).Answer; got >= 300 {
		t.Fatalf("cap after a filled context = %d: the test's premise is a cut below the real cap", got)
	}
	huge := strings.Repeat(filling, 2)
	if _, err := c.Chat(context.Background(), Request{Messages: user(huge)}); !errors.Is(err, ErrContextLength) {
		t.Fatalf("err = %v, want the refusal that teaches the context", err)
	}
	if got := c.Limits("", configured); got.Context > 1500 || got.Answer != 2048 {
		t.Fatalf("limits after the refusal = %+v: want the context learned and the filled cut no cap", got)
	}
	if _, err := c.Chat(context.Background(), Request{Messages: user("Bonjour à tous, voici le texte.")}); err != nil {
		t.Fatal(err)
	}
	if got := c.Limits("", configured).Answer; got < 300 || got > 360 {
		t.Errorf("cap after a real cut = %d, want the real cap, about 330", got)
	}
}
