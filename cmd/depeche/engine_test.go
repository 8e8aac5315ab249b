package main

import (
	"context"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/apertium"
	"github.com/depeche-news/depeche/pipeline/config"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

func settings(t *testing.T, engine, url string) engineSettings {
	cfg := config.Defaults()
	cfg.Engine, cfg.LLM.BaseURL, cfg.LLM.Model, cfg.Glossary = engine, url, "fake-model", ""
	return engineSettings{Config: cfg, CacheDir: t.TempDir()}
}

const down = "http://127.0.0.1:9/v1" // nothing listens on the discard port

func TestSelect(t *testing.T) {
	offlineErr := apertium.Available("apertium")
	srv := llmtest.New(t, llmtest.Model().Handle)
	refusing := llmtest.New(t, llmtest.Model().Handle)
	refusing.RequireKey("sk-some-key-0000000000000000")
	tests := []struct {
		name, engine, url string
		want              string // engine name, or "error"
		note              string
	}{
		{"auto with a server", "auto", srv.URL(), "llm", ""},
		{"auto without a server", "auto", down, "offline", "no model server at " + down + " (connection refused); using the offline engine"},
		{"llm without a server", "llm", down, "error", ""},
		{"llm with a server", "llm", srv.URL(), "llm", ""},
		{"offline", "offline", srv.URL(), "offline", ""},
		// answers but refuses: a set-up mistake, not a reason for a draft
		{"auto with a server that refuses the key", "auto", refusing.URL(), "error", "the endpoint refused the key"},
		{"auto with base_url missing /v1", "auto", strings.TrimSuffix(srv.URL(), "/v1"), "error", "is llm.base_url missing /v1?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "offline" && offlineErr != nil {
				t.Skipf("apertium unavailable: %v", offlineErr)
			}
			e, note, err := selectEngine(context.Background(), settings(t, tt.engine, tt.url))
			if tt.want == "error" {
				want := tt.note
				if want == "" {
					want = "no model server"
				}
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("err = %v, want a fatal %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			if e.Name() != tt.want {
				t.Errorf("engine %s, want %s", e.Name(), tt.want)
			}
			if !strings.Contains(note, tt.note) || (tt.note == "" && note != "") {
				t.Errorf("note %q, want %q", note, tt.note)
			}
		})
	}
	for _, c := range srv.Calls() {
		if c.Stage != "" {
			t.Errorf("selecting an engine sent a %s request", c.Stage)
		}
	}
}

func TestOfflineNeverCallsTheNetwork(t *testing.T) {
	if err := apertium.Available("apertium"); err != nil {
		t.Skipf("apertium unavailable: %v", err)
	}
	srv := llmtest.New(t, llmtest.Model().Handle)
	e, _, err := selectEngine(context.Background(), settings(t, "offline", srv.URL()))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if n := srv.Count(); n != 0 {
		t.Errorf("engine offline made %d requests", n)
	}
}

func TestNoProbeAssumesLLM(t *testing.T) {
	s := settings(t, "auto", down)
	s.NoProbe = true
	e, note, err := selectEngine(context.Background(), s)
	if err != nil || e.Name() != "llm" || note != "" {
		t.Fatalf("got %v, %q, %v; want the llm engine, no note", e, note, err)
	}
}
