package llmengine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/config"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

const secret = "sk-test-PROBE-SECRET-0123456789abcdef"

// TestProbeSetupMistakes: each set-up mistake is found once, before any
// file is sent, named with the setting to change, and never called
// unreachable (which would let engine auto fall back to a draft).
func TestProbeSetupMistakes(t *testing.T) {
	tests := []struct {
		name  string
		setup func(s *llmtest.Server, cfg *config.Config) (key string)
		want  []string // in the error; none = no error
		chats int      // probe chat requests expected
	}{
		{name: "wrong key", setup: func(s *llmtest.Server, cfg *config.Config) string {
			s.RequireKey("sk-the-right-one")
			return secret
		}, want: []string{"the endpoint refused the key: set DEPECHE_PROBE_KEY (llm.api_key_env)", "HTTP 401", "does not accept"}},
		{name: "no key", setup: func(s *llmtest.Server, cfg *config.Config) string {
			s.RequireKey("sk-the-right-one")
			return ""
		}, want: []string{"the endpoint refused the key: set DEPECHE_PROBE_KEY (llm.api_key_env)", "not set"}},
		{name: "base_url without /v1", setup: func(s *llmtest.Server, cfg *config.Config) string {
			cfg.LLM.BaseURL = strings.TrimSuffix(s.URL(), "/v1")
			return secret
		}, want: []string{"answered 404 to GET /models and to a chat request: is llm.base_url missing /v1?"}, chats: 0},
		{name: "model misspelt", setup: func(s *llmtest.Server, cfg *config.Config) string {
			s.RejectUnknownModels()
			cfg.LLM.Model = "fake-modle"
			return secret
		}, want: []string{"llm.model: model fake-modle is not served here", "did you mean fake-model?"}, chats: 1},
		{name: "stage model misspelt", setup: func(s *llmtest.Server, cfg *config.Config) string {
			s.RejectUnknownModels()
			s.SetModels("gpt-4o", "gpt-4o-mini", "o3")
			cfg.LLM.Model, cfg.Translate.Model, cfg.Brief.Model = "gpt-4o-mini", "GPT-4o-mni", "gpt-4o"
			return secret
		}, want: []string{"translate.model: model GPT-4o-mni is not served here", "did you mean gpt-4o-mini?"}, chats: 1},
		{name: "endpoint model not served", setup: func(s *llmtest.Server, cfg *config.Config) string {
			s.RejectUnknownModels()
			s.SetModels("small-a", "small-b")
			cfg.LLM.Endpoints = []config.Endpoint{{BaseURL: s.URL(), Model: "small-a"}, {BaseURL: s.URL(), Model: "small-c"}}
			return secret
		}, want: []string{"llm.endpoints[1].model: model small-c is not served here", "did you mean small-a?"}, chats: 1},
		{name: "unlisted name a llama.cpp server answers to", setup: func(s *llmtest.Server, cfg *config.Config) string {
			cfg.LLM.Model = "local"
			return secret
		}, chats: 1},
		{name: "Ollama's :latest", setup: func(s *llmtest.Server, cfg *config.Config) string {
			s.RejectUnknownModels()
			s.SetModels("mistral-small:latest")
			cfg.LLM.Model = "mistral-small"
			return secret
		}},
		{name: "a server that lists nothing but serves chat", setup: func(s *llmtest.Server, cfg *config.Config) string {
			s.HideModelList()
			return secret
		}, chats: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.New(t, llmtest.Model().Handle)
			cfg := config.Defaults()
			cfg.LLM.BaseURL, cfg.LLM.Model, cfg.LLM.APIKeyEnv = srv.URL(), "fake-model", "DEPECHE_PROBE_KEY"
			key := tt.setup(srv, cfg)
			t.Setenv("DEPECHE_PROBE_KEY", key)
			_, err := Probe(context.Background(), probeClient(t, cfg, key), cfg, 2*time.Second)
			if len(tt.want) == 0 && err != nil {
				t.Fatalf("err = %v, want none", err)
			}
			if len(tt.want) > 0 {
				if err == nil {
					t.Fatalf("no error, want one with %q", tt.want)
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("err = %v\nwant %q in it", err, w)
					}
				}
				if errors.Is(err, ErrUnreachable) {
					t.Errorf("a server that answered is called unreachable: %v", err)
				}
				if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "sk-the-right-one") {
					t.Errorf("the key is in the error: %v", err)
				}
			}
			chats := 0
			for _, c := range srv.Calls() {
				if c.Stage != "probe" {
					t.Errorf("the probe sent a %s request", c.Stage)
				}
				chats++
			}
			if chats != tt.chats {
				t.Errorf("%d probe chat requests, want %d", chats, tt.chats)
			}
		})
	}
}

// probeClient builds the client for cfg's endpoints as the CLI does.
func probeClient(t *testing.T, cfg *config.Config, key string) *llm.Client {
	t.Helper()
	eps := []llm.EndpointConfig{{BaseURL: cfg.LLM.BaseURL, Model: cfg.LLM.Model}}
	if len(cfg.LLM.Endpoints) > 0 {
		eps = nil
		for _, e := range cfg.LLM.Endpoints {
			eps = append(eps, llm.EndpointConfig{BaseURL: e.BaseURL, Model: e.Model})
		}
	}
	c, err := llm.New(llm.Config{Endpoints: eps, APIKey: key, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Nothing listening is ErrUnreachable, the one outcome engine auto falls
// back on, with the reason.
func TestProbeUnreachable(t *testing.T) {
	cfg := config.Defaults()
	cfg.LLM.BaseURL = "http://127.0.0.1:9/v1"
	_, err := Probe(context.Background(), probeClient(t, cfg, ""), cfg, 2*time.Second)
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("err = %v, want ErrUnreachable saying connection refused", err)
	}
}
