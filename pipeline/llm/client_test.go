package llm

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

func TestRequestBody(t *testing.T) {
	tests := []struct {
		name   string
		mod    func(*Config)
		req    Request
		check  map[string]any // body field → wanted value (JSON-decoded)
		absent []string
	}{
		{
			name:  "temperature 0 is sent",
			mod:   func(c *Config) { c.Temperature = ptr(0.0) },
			check: map[string]any{"temperature": 0.0, "model": "fake-model"},
		},
		{
			name:   "no temperature when unset",
			absent: []string{"temperature", "max_tokens", "max_completion_tokens", "response_format"},
		},
		{
			name:   "auto uses max_tokens off api.openai.com, even for o3",
			mod:    func(c *Config) { c.MaxTokens = 300 },
			req:    Request{Model: "o3-mini"},
			check:  map[string]any{"max_tokens": 300.0, "model": "o3-mini"},
			absent: []string{"max_completion_tokens"},
		},
		{
			name:   "max_completion_tokens when configured; request overrides config",
			mod:    func(c *Config) { c.MaxTokens = 300; c.TokenParam = "max_completion_tokens" },
			req:    Request{MaxTokens: 42},
			check:  map[string]any{"max_completion_tokens": 42.0},
			absent: []string{"max_tokens"},
		},
		{
			name: "extra fields merged, nested objects included",
			mod: func(c *Config) {
				c.Temperature = ptr(0.2)
				c.Extra = map[string]any{"options": map[string]any{"num_ctx": 8192}, "top_k": 20}
			},
			check: map[string]any{"temperature": 0.2, "top_k": 20.0, "options": map[string]any{"num_ctx": 8192.0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.New(t, llmtest.Text("fine"))
			c := newTestClient(t, s, tt.mod)
			r := tt.req
			r.Stage, r.Messages = "translate", user("Bonjour")
			resp, err := c.Chat(context.Background(), r)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Content != "fine" {
				t.Errorf("content %q", resp.Content)
			}
			call := s.Calls()[0]
			if call.Stage != "translate" {
				t.Errorf("X-Depeche-Stage = %q", call.Stage)
			}
			for k, want := range tt.check {
				got, ok := call.Body[k]
				if !ok {
					t.Errorf("body lacks %q: %v", k, call.Body)
					continue
				}
				gb, _ := json.Marshal(got)
				wb, _ := json.Marshal(want)
				if string(gb) != string(wb) {
					t.Errorf("body[%q] = %s, want %s", k, gb, wb)
				}
			}
			for _, k := range tt.absent {
				if v, ok := call.Body[k]; ok {
					t.Errorf("body has %q = %v", k, v)
				}
			}
		})
	}
}

func TestTokenParamAuto(t *testing.T) {
	c := &Client{cfg: Config{TokenParam: "auto"}}
	openai := &endpoint{family: detectFamily("https://api.openai.com/v1")}
	local := &endpoint{family: detectFamily("http://localhost:11434/v1")}
	tests := []struct {
		ep    *endpoint
		model string
		want  string
	}{
		{openai, "gpt-4o-mini", "max_tokens"},
		{openai, "o1-preview", "max_completion_tokens"},
		{openai, "o4-mini", "max_completion_tokens"},
		{openai, "gpt-5-nano", "max_completion_tokens"},
		{openai, "omni-moderation", "max_tokens"},
		{local, "o3-mini", "max_tokens"},
		{local, "qwen2.5:7b", "max_tokens"},
	}
	for _, tt := range tests {
		if got := c.tokenParam(tt.ep, tt.model); got != tt.want {
			t.Errorf("%s %s: %s, want %s", tt.ep.family, tt.model, got, tt.want)
		}
	}
}

func responseFormat(c llmtest.Call) string {
	rf, ok := c.Body["response_format"].(map[string]any)
	if !ok {
		return "none"
	}
	typ, _ := rf["type"].(string)
	return typ
}

func TestSchemaFallback(t *testing.T) {
	// The server knows neither json_schema nor json_object.
	s := llmtest.New(t, func(c llmtest.Call) llmtest.Reply {
		switch responseFormat(c) {
		case "json_schema":
			return llmtest.Reply{Status: 400, Body: `{"error":{"message":"response_format json_schema is not supported","type":"invalid_request_error"}}`}
		case "json_object":
			return llmtest.PlainError(400, "unknown field: response_format")
		}
		return llmtest.Reply{Content: `{"headline":"x"}`}
	})
	c := newTestClient(t, s, func(c *Config) { c.MaxAttempts = 1 })
	req := Request{Messages: user("résume"), JSONSchema: &Schema{Name: "article_summary", Schema: json.RawMessage(`{"type":"object"}`)}}
	resp, err := c.Chat(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Content != `{"headline":"x"}` || resp.Attempts != 3 || len(resp.Retries) != 2 {
		t.Errorf("resp = %+v", resp)
	}
	calls := s.Calls()
	var got []string
	for _, c := range calls {
		got = append(got, responseFormat(c))
	}
	if strings.Join(got, ",") != "json_schema,json_object,none" {
		t.Errorf("formats sent: %v", got)
	}
	js := calls[0].Body["response_format"].(map[string]any)["json_schema"].(map[string]any)
	if js["name"] != "article_summary" || js["strict"] != false || js["schema"].(map[string]any)["type"] != "object" {
		t.Errorf("json_schema = %v", js)
	}
	// The endpoint's answer is remembered: the next call goes plain at once.
	if _, err := c.Chat(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if n := s.Count(); n != 4 || responseFormat(s.Calls()[3]) != "none" {
		t.Errorf("second call: %d calls, format %s", n, responseFormat(s.Calls()[n-1]))
	}
}

func TestStreaming(t *testing.T) {
	const text = "Putin offers Kim Jong-un a Russian-made luxury car, his « special friend »."
	s := llmtest.New(t, llmtest.Always(llmtest.Reply{Content: text, PromptTokens: 77, CompletionTokens: 19}))
	var mu sync.Mutex
	var progress []int
	c := newTestClient(t, s, func(c *Config) {
		c.Stream = true
		c.OnProgress = func(stage string, n int) {
			mu.Lock()
			defer mu.Unlock()
			if stage != "summarize" {
				t.Errorf("progress stage %q", stage)
			}
			progress = append(progress, n)
		}
	})
	resp, err := c.Chat(context.Background(), Request{Stage: "summarize", Messages: user("x")})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Content != text || resp.FinishReason != "stop" || resp.Usage.PromptTokens != 77 || resp.Usage.CompletionTokens != 19 {
		t.Errorf("resp = %+v", resp)
	}
	call := s.Calls()[0]
	if !call.Stream {
		t.Error("request did not ask for a stream")
	}
	if so, _ := call.Body["stream_options"].(map[string]any); so["include_usage"] != true {
		t.Errorf("stream_options = %v", call.Body["stream_options"])
	}
	mu.Lock()
	defer mu.Unlock()
	if len(progress) < 2 {
		t.Fatalf("progress calls %v", progress)
	}
	sum := 0
	for _, n := range progress {
		if n <= 0 {
			t.Errorf("progress delta %d in %v: want positive deltas", n, progress)
		}
		sum += n
	}
	if want := CountTokens("", text); sum < want/2 || sum > want*2 {
		t.Errorf("streamed deltas sum to %d tokens, want about %d", sum, want)
	}
	if tot := c.Totals(); tot.Usage.CompletionTokens != 19 || tot.Requests != 1 {
		t.Errorf("totals = %+v", tot)
	}
}

func TestModels(t *testing.T) {
	s := llmtest.New(t, nil)
	s.SetModels("qwen2.5:7b", "llama3.1:8b")
	c := newTestClient(t, s, nil)
	ids, err := c.Models(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "qwen2.5:7b,llama3.1:8b" {
		t.Errorf("models = %v", ids)
	}
	if c.Model() != "fake-model" || c.Endpoint() != s.URL() {
		t.Errorf("Model %q Endpoint %q", c.Model(), c.Endpoint())
	}
}

func TestModelsNoServer(t *testing.T) {
	c, err := New(Config{Endpoints: []EndpointConfig{{BaseURL: "http://127.0.0.1:1/v1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Models(context.Background()); err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("err = %v", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []Config{
		{},
		{Endpoints: []EndpointConfig{{BaseURL: "localhost:11434"}}},
		{Endpoints: []EndpointConfig{{BaseURL: "http://x/v1"}}, TokenParam: "max"},
	}
	for _, cfg := range tests {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

func TestLogOneLinePerRequest(t *testing.T) {
	s := llmtest.New(t, llmtest.Times(1, llmtest.ServerError(), llmtest.Text("ok")))
	var logs logBuffer
	c := newTestClient(t, s, func(c *Config) { c.Logger = logs.logger() })
	if _, err := c.Chat(context.Background(), Request{Stage: "review", Messages: user("x")}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", lines)
	}
	for _, want := range []string{"stage=review", "model=fake-model", "endpoint=" + s.URL(), "status=200", "duration=", "prompt_tokens="} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("line %q lacks %q", lines[1], want)
		}
	}
	if !strings.Contains(lines[0], "status=500") {
		t.Errorf("failure line %q", lines[0])
	}
}
