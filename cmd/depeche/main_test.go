package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

// secretKey is distinctive so a leak anywhere is found by a plain search.
const secretKey = "sk-test-DEPECHE-SECRET-0123456789abcdef"

type result struct {
	code           int
	stdout, stderr string
}

// depeche runs the CLI in-process with a config file that points at url.
func depeche(t *testing.T, dir string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

// depecheWithin is depeche, failing the test when the run has not ended
// within limit (what says what was expected to end it).
func depecheWithin(t *testing.T, limit time.Duration, what, dir string, args ...string) result {
	t.Helper()
	done := make(chan result, 1)
	go func() { done <- depeche(t, dir, "", args...) }()
	select {
	case r := <-done:
		return r
	case <-time.After(limit):
		t.Fatalf("the run did not end within %s: %s", limit, what)
	}
	return result{}
}

// writeConfig writes a config.yaml for a test run and returns its path.
func writeConfig(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// fakeRun is a CLI test's usual start: a folder, its out/, and a config for
// the llm engine on srv.
func fakeRun(t *testing.T, srv *llmtest.Server) (dir, out, cfg string) {
	t.Helper()
	dir = t.TempDir()
	out = filepath.Join(dir, "out")
	return dir, out, writeConfig(t, dir, llmConfig(srv.URL(), out, ""))
}

func llmConfig(url, out string, extra string) string {
	return "engine: llm\noutput: " + out + "\nglossary: testdata/glossary.yaml\nllm:\n  base_url: " + url +
		"\n  model: fake-model\n  api_key_env: DEPECHE_TEST_KEY\n  max_attempts: 4\n  max_retry_wait: 10s\n" + extra
}

func seeds(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs("testdata/seeds")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// contract lists every file the output contract promises for the seeds.
func contract(t *testing.T, out string) []string {
	t.Helper()
	entries, err := os.ReadDir(seeds(t))
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"briefing.md", "briefing.json", "briefing.html", "manifest.json"}
	for _, e := range entries {
		stem := strings.TrimSuffix(e.Name(), ".txt")
		files = append(files, "clean/"+stem+".txt", "clean/"+stem+".json", "translations/"+stem+".md", "summaries/"+stem+".md")
	}
	return files
}

func TestRunSeedsThroughFakeServer(t *testing.T) {
	t.Setenv("DEPECHE_TEST_KEY", secretKey)
	srv := llmtest.New(t, llmtest.Model().Handle)
	dir, out, cfg := fakeRun(t, srv)

	r := depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q")
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	for _, f := range contract(t, out) {
		st, err := os.Stat(filepath.Join(out, f))
		if err != nil || st.Size() == 0 {
			t.Errorf("contract file %s missing or empty: %v", f, err)
		}
	}
	// Temperature 0 must reach the server (go-openai drops it by default).
	for _, c := range srv.Calls() {
		temp, ok := c.Body["temperature"]
		if !ok || temp.(float64) != 0 {
			t.Fatalf("call %d (%s): temperature = %v, present %v; want 0 sent", c.N, c.Stage, temp, ok)
		}
		if got := c.Header.Get("Authorization"); got != "Bearer "+secretKey {
			t.Fatalf("call %d: Authorization header = %q", c.N, got)
		}
	}
	// The briefing cites every seed and nothing else.
	var b struct {
		Sources []struct{ N int }       `json:"sources"`
		Stats   struct{ Uncited []int } `json:"citation_stats"`
	}
	raw, _ := os.ReadFile(filepath.Join(out, "briefing.json"))
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	if len(b.Sources) != 5 || len(b.Stats.Uncited) != 0 {
		t.Errorf("briefing: %d sources, uncited %v; want 5, none", len(b.Sources), b.Stats.Uncited)
	}
	assertNoKey(t, out, r.stdout+r.stderr)

	// A rerun with nothing changed sends nothing.
	before := srv.Count()
	r = depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q")
	if r.code != 0 {
		t.Fatalf("rerun exit %d: %s", r.code, r.stderr)
	}
	if n := srv.Count() - before; n != 0 {
		t.Errorf("rerun sent %d requests; want 0 (everything cached)", n)
	}
}

// assertNoKey greps every file under dir, and the captured streams, for the key.
func assertNoKey(t *testing.T, dir, streams string) {
	t.Helper()
	if strings.Contains(streams, secretKey) {
		t.Errorf("API key printed on stdout/stderr")
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, []byte(secretKey)) {
			t.Errorf("API key found in %s", p)
		}
		return nil
	})
}

func TestConfigNeverShowsKey(t *testing.T) {
	t.Setenv("DEPECHE_TEST_KEY", secretKey)
	t.Setenv("DEPECHE_LLM_MODEL", "from-env")
	dir := t.TempDir()
	cfg := writeConfig(t, dir, llmConfig("http://127.0.0.1:9/v1", filepath.Join(dir, "out"), ""))
	r := depeche(t, dir, "", "config", "--config", cfg)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, secretKey) {
		t.Fatal("depeche config printed the API key")
	}
	if !strings.Contains(r.stdout, "set") || !strings.Contains(r.stdout, "DEPECHE_TEST_KEY") {
		t.Errorf("depeche config does not say the key is set:\n%s", r.stdout)
	}
	for _, want := range []string{"from-env", "DEPECHE_LLM_MODEL"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("depeche config lacks %q (env override and its source):\n%s", want, r.stdout)
		}
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name   string
		config string
		args   []string
		code   int
		stderr string
	}{
		{"unknown flag", "", []string{"run", "--no-such-flag"}, exitUsage, "unknown flag"},
		{"unknown subcommand", "", []string{"trnaslate", "x.txt"}, exitUsage, `unknown command "trnaslate"; did you mean "translate"?`},
		{"unknown subcommand, no suggestion", "", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"negative concurrency", "llm:\n  concurrency: -1\n", []string{"run", seeds(t)}, exitUsage, "llm.concurrency"},
		{"base_url not a URL", "llm:\n  base_url: not a url\n", []string{"run", seeds(t)}, exitUsage, "llm.base_url"},
		{"missing input folder", "", []string{"run", filepath.Join(dir, "nope")}, exitUsage, "nope"},
		{"bad shard", "", []string{"run", "--shard", "16/16", seeds(t)}, exitUsage, "shard"},
		{"models: server down", "llm:\n  base_url: http://127.0.0.1:9/v1\n", []string{"models"}, exitFatal, "no model server at http://127.0.0.1:9/v1"},
		{"engine llm: server down", "engine: llm\nllm:\n  base_url: http://127.0.0.1:9/v1\n", []string{"run", seeds(t)}, exitFatal, "no model server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeConfig(t, t.TempDir(), "output: "+filepath.Join(t.TempDir(), "out")+"\n"+tt.config)
			r := depeche(t, dir, "", append(tt.args, "--config", cfg)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", r.code, tt.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", r.stderr, tt.stderr)
			}
			if lines := strings.Count(strings.TrimSpace(r.stderr), "\n"); tt.code == exitUsage && lines > 0 {
				t.Errorf("usage error should be one line, got:\n%s", r.stderr)
			}
		})
	}
}

func TestSomeFilesFailExit3(t *testing.T) {
	srv := llmtest.New(t, llmtest.Model().Handle)
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	b, _ := os.ReadFile(filepath.Join(seeds(t), "001_0f2cf2a9d1bc2be9.txt"))
	os.WriteFile(filepath.Join(in, "good.txt"), b, 0o644)
	os.WriteFile(filepath.Join(in, "image.txt"), []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0o644)
	cfg := writeConfig(t, dir, llmConfig(srv.URL(), filepath.Join(dir, "out"), ""))
	r := depeche(t, dir, "", "run", in, "--config", cfg, "-q")
	if r.code != exitFailed {
		t.Fatalf("exit %d, want 3; stderr: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "image.txt") || !strings.Contains(r.stderr, "binary") {
		t.Errorf("stderr does not name the bad file and why:\n%s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "translations", "good.md")); err != nil {
		t.Errorf("the good file was not processed: %v", err)
	}
}

func TestDryRunSendsNothing(t *testing.T) {
	srv := llmtest.New(t, llmtest.Model().Handle)
	dir, out, cfg := fakeRun(t, srv)
	r := depeche(t, dir, "", "run", seeds(t), "--config", cfg, "--dry-run", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if n := srv.Count(); n != 0 {
		t.Errorf("dry run sent %d requests", n)
	}
	var rep struct{ Files, Requests, Tokens int }
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, r.stdout)
	}
	if rep.Files != 5 || rep.Requests < 10 || rep.Tokens < 1000 {
		t.Errorf("estimate %+v: want 5 files and a real estimate", rep)
	}
	if _, err := os.Stat(out); err == nil {
		if entries, _ := os.ReadDir(out); len(entries) > 0 {
			t.Errorf("dry run wrote %d entries in the output folder", len(entries))
		}
	}
}

func TestTranslateStdin(t *testing.T) {
	srv := llmtest.New(t, llmtest.Model().Handle)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, llmConfig(srv.URL(), filepath.Join(dir, "out"), ""))
	b, _ := os.ReadFile(filepath.Join(seeds(t), "001_0f2cf2a9d1bc2be9.txt"))
	r := depeche(t, dir, string(b), "translate", "-", "--config", cfg)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "Putin") || strings.Count(r.stdout, "\n\n") < 5 {
		t.Errorf("stdout is not the English article:\n%s", r.stdout)
	}
}

// A cheap model translates and a stronger one briefs, by configuration only;
// with several endpoints each request names its own endpoint's model.
func TestPerStageModelsAndEndpoints(t *testing.T) {
	a := llmtest.New(t, llmtest.Model().Handle)
	b := llmtest.New(t, llmtest.Model().Handle)
	a.SetModels("small-a", "strong-model")
	b.SetModels("small-b", "strong-model")
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "engine: llm\noutput: "+filepath.Join(dir, "out")+"\nllm:\n  model: default-model\n"+
		"  endpoints:\n    - {base_url: "+a.URL()+", model: small-a}\n    - {base_url: "+b.URL()+", model: small-b}\n"+
		"brief:\n  model: strong-model\n")
	r := depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, s := range []struct {
		srv  *llmtest.Server
		want string
	}{{a, "small-a"}, {b, "small-b"}} {
		if len(s.srv.Calls()) == 0 {
			t.Errorf("endpoint %s got no request: load not spread", s.want)
		}
		for _, c := range s.srv.Calls() {
			want := s.want
			if strings.HasPrefix(c.Stage, "brief") {
				want = "strong-model"
			}
			if c.Model != want {
				t.Errorf("%s call %d (%s): model %q, want %q", s.want, c.N, c.Stage, c.Model, want)
			}
		}
	}
}
