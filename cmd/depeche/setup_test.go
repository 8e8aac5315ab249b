package main

// Set-up mistakes through the whole CLI: each stops the run before the
// batch, exit 1, with one message naming the setting to change; no file is
// sent; engine auto does not hide them behind an offline draft; the key is
// never printed.

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

// setupConfig is a run's config with the engine and llm lines given.
func setupConfig(t *testing.T, dir, engine, url, out, llmLines, top string) string {
	t.Helper()
	return writeConfig(t, dir, "engine: "+engine+"\noutput: "+out+"\nglossary: testdata/glossary.yaml\n"+top+
		"llm:\n  base_url: "+url+"\n  api_key_env: DEPECHE_TEST_KEY\n  max_attempts: 2\n  max_retry_wait: 1s\n  timeout: 5s\n"+llmLines)
}

func TestSetupMistakes(t *testing.T) {
	tests := []struct {
		name    string
		key     string // DEPECHE_TEST_KEY
		server  func(s *llmtest.Server)
		url     func(s *llmtest.Server) string
		llm     string // lines under llm:
		top     string
		want    []string
		notWant string
	}{
		{name: "wrong API key (401)", key: secretKey, server: func(s *llmtest.Server) { s.RequireKey("sk-the-right-key-0000000000000000") },
			llm: "  model: fake-model\n", want: []string{"the endpoint refused the key: set DEPECHE_TEST_KEY (llm.api_key_env)", "HTTP 401"}},
		{name: "no API key", key: "", server: func(s *llmtest.Server) { s.RequireKey("sk-the-right-key-0000000000000000") },
			llm: "  model: fake-model\n", want: []string{"the endpoint refused the key: set DEPECHE_TEST_KEY (llm.api_key_env)", "not set"}},
		{name: "base_url without /v1 (404)", key: secretKey, url: func(s *llmtest.Server) string { return strings.TrimSuffix(s.URL(), "/v1") },
			llm: "  model: fake-model\n", want: []string{"is llm.base_url missing /v1?"}},
		{name: "model misspelt", key: secretKey, server: func(s *llmtest.Server) { s.RejectUnknownModels() },
			llm: "  model: fake-modle\n", want: []string{"llm.model: model fake-modle is not served here", "did you mean fake-model?"}},
		{name: "stage model not served", key: secretKey, server: func(s *llmtest.Server) { s.RejectUnknownModels(); s.SetModels("fake-model", "fake-model-large") },
			llm: "  model: fake-model\n", top: "summarize:\n  model: fake-model-lrage\n",
			want: []string{"summarize.model: model fake-model-lrage is not served here", "did you mean fake-model-large?"}},
	}
	for _, tt := range tests {
		for _, engine := range []string{"llm", "auto"} {
			t.Run(tt.name+"/"+engine, func(t *testing.T) {
				t.Setenv("DEPECHE_TEST_KEY", tt.key)
				srv := llmtest.New(t, llmtest.Model().Handle)
				if tt.server != nil {
					tt.server(srv)
				}
				url := srv.URL()
				if tt.url != nil {
					url = tt.url(srv)
				}
				dir := t.TempDir()
				out := filepath.Join(dir, "out")
				cfg := setupConfig(t, dir, engine, url, out, tt.llm, tt.top)
				r := depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q", "--json")
				if r.code != exitFatal {
					t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
				}
				for _, w := range tt.want {
					if !strings.Contains(r.stderr, w) {
						t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
					}
				}
				if strings.Contains(r.stderr, "offline") {
					t.Errorf("a server that answered and refused sent the run offline:\n%s", r.stderr)
				}
				for _, c := range srv.Calls() {
					if c.Stage != "probe" {
						t.Errorf("a %s request was sent before the set-up was checked", c.Stage)
					}
				}
				if entries, _ := os.ReadDir(filepath.Join(out, "translations")); len(entries) > 0 {
					t.Errorf("%d translations written", len(entries))
				}
				var e struct {
					Error    string `json:"error"`
					ExitCode int    `json:"exit_code"`
				}
				if err := json.Unmarshal([]byte(r.stdout), &e); err != nil || e.ExitCode != exitFatal || !strings.Contains(e.Error, tt.want[0]) {
					t.Errorf("--json: %v, %+v; want the error object\n%s", err, e, r.stdout)
				}
				assertNoKey(t, dir, r.stdout+r.stderr)
				if strings.Contains(r.stdout+r.stderr, "sk-the-right-key") {
					t.Errorf("the server's key is printed")
				}
			})
		}
	}
}

// TestModelsDoctor: `depeche models` runs the same checks and says the
// same, and --json gives them as data.
func TestModelsDoctor(t *testing.T) {
	t.Setenv("DEPECHE_TEST_KEY", secretKey)
	srv := llmtest.New(t, llmtest.Model().Handle)
	srv.RejectUnknownModels()
	srv.SetModels("fake-model", "other-model")
	dir := t.TempDir()
	cfg := setupConfig(t, dir, "llm", srv.URL(), filepath.Join(dir, "out"), "  model: fake-model\n", "brief:\n  model: other-modle\n")
	r := depeche(t, dir, "", "models", "--config", cfg)
	if r.code != exitFatal || !strings.Contains(r.stderr, "brief.model: model other-modle is not served here") ||
		!strings.Contains(r.stdout, "fake-model\nother-model\n") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	r = depeche(t, dir, "", "models", "--config", cfg, "--json")
	var rep struct {
		Endpoints []struct {
			URL    string
			Models []string
			Checks []struct {
				Keys   []string
				Model  string
				Status string
				Near   string `json:"did_you_mean"`
			}
		}
		APIKeySet bool `json:"api_key_set"`
		Error     string
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != exitFatal {
		t.Fatalf("exit %d, %v\n%s", r.code, err, r.stdout)
	}
	if len(rep.Endpoints) != 1 || len(rep.Endpoints[0].Models) != 2 || !rep.APIKeySet || !strings.Contains(rep.Error, "other-modle") {
		t.Errorf("report: %+v", rep)
	}
	found := false
	for _, c := range rep.Endpoints[0].Checks {
		if c.Model == "other-modle" && c.Status == "not served" && c.Near == "other-model" && c.Keys[0] == "brief.model" {
			found = true
		}
	}
	if !found {
		t.Errorf("no 'not served' check for brief.model: %+v", rep.Endpoints[0].Checks)
	}
	assertNoKey(t, dir, r.stdout+r.stderr)
}

func TestConfigJSON(t *testing.T) {
	t.Setenv("DEPECHE_TEST_KEY", secretKey)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, llmConfig("http://127.0.0.1:9/v1", filepath.Join(dir, "out"), ""))
	r := depeche(t, dir, "", "config", "--config", cfg, "--json")
	var rows []struct{ Key, Value, Source string }
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || r.code != 0 {
		t.Fatalf("exit %d, %v\n%s", r.code, err, r.stdout)
	}
	got := map[string]string{}
	for _, s := range rows {
		got[s.Key] = s.Value
	}
	if got["llm.model"] != "fake-model" || got["llm.api_key_env"] != "DEPECHE_TEST_KEY" {
		t.Errorf("config --json: %v", got)
	}
	if strings.Contains(r.stdout+r.stderr, secretKey) {
		t.Error("config --json printed the key")
	}
}

// TestInterruptExits130: Ctrl-C mid-run stops cleanly with 130, the
// manifest says interrupted, and --json still prints one JSON document.
func TestInterruptExits130(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	model := llmtest.Model().Handle
	var translations atomic.Int32
	srv := llmtest.New(t, func(c llmtest.Call) llmtest.Reply {
		// The third translate request, whatever arrived before it: call
		// numbers count the probe and other stages too, and a translate
		// call was not always number 3.
		if c.Stage == "translate" && translations.Add(1) == 3 {
			cancel()
		}
		return model(c)
	})
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cfg := relConfig(t, dir, srv.URL(), out, map[string]string{"concurrency": "1"}, "")
	var stdout, stderr strings.Builder
	code := run(ctx, []string{"run", seeds(t), "--config", cfg, "-q", "--json"}, strings.NewReader(""), &stdout, &stderr)
	if code != exitInterrupted {
		t.Fatalf("exit %d, want 130\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr does not say interrupted:\n%s", stderr.String())
	}
	if m := manifestOf(t, out); m.Status != "interrupted" {
		t.Errorf("manifest status %q", m.Status)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(stdout.String()), &v); err != nil {
		t.Errorf("--json: stdout is not one JSON document: %v\n%s", err, stdout.String())
	}
}
