package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
	"github.com/depeche-news/depeche/pipeline/store"
)

// binDir holds the depeche binary the subprocess tests run; it is built at
// most once per test binary, by the first test that needs it.
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binError error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "depeche-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binary builds cmd/depeche once and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binPath = filepath.Join(binDir, "depeche")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binError = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binError != nil {
		t.Fatal(binError)
	}
	return binPath
}

// tempName is what store.WriteFile names its temporary files: hidden, so
// no reader (discovery, listFiles, the cache) ever takes one for a result.
var tempName = regexp.MustCompile(`^\..+\.tmp-\d+$`)

// TestKill9DuringTranslation kills the real binary with SIGKILL in the
// middle of translating, reruns it, and checks that the rerun completes,
// that no file is half-written, and that no chunk answered before the kill
// is paid for again.
func TestKill9DuringTranslation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := binary(t)
	t.Setenv("DEPECHE_TEST_KEY", secretKey)

	const killAfter = 4 // translate answers received before the kill
	model := llmtest.Model().Handle
	var (
		mu       sync.Mutex
		killed   bool
		answered []string        // translate calls answered 200 before the kill
		accepted map[string]bool // set at the kill: calls the client had received
		after    []llmtest.Call  // calls after the kill
		proc     *os.Process
	)
	srv := llmtest.New(t, func(c llmtest.Call) llmtest.Reply {
		mu.Lock()
		defer mu.Unlock()
		if killed {
			after = append(after, c)
			return model(c)
		}
		// With --concurrency 1 a call arrives only after the client has read
		// the answer to the previous one.
		if c.Stage == "translate" {
			if len(answered) == killAfter && proc != nil {
				accepted = map[string]bool{}
				for _, h := range answered {
					accepted[h] = true
				}
				// Let the client store the previous chunk (an fsync) before the kill,
				// then kill while this request is in flight.
				p := proc
				time.AfterFunc(150*time.Millisecond, func() {
					mu.Lock()
					killed = true
					mu.Unlock()
					p.Kill()
				})
				return llmtest.Reply{Delay: time.Hour}
			}
			answered = append(answered, callHash(c))
		}
		r := model(c)
		r.Delay = 150 * time.Millisecond
		return r
	})

	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	// A small context cuts each seed into several chunks, so the kill lands
	// in the middle of an article.
	cfg := writeConfig(t, dir, "engine: llm\noutput: "+out+"\nglossary: testdata/glossary.yaml\nllm:\n  base_url: "+srv.URL()+
		"\n  model: fake-model\n  api_key_env: DEPECHE_TEST_KEY\n  max_tokens: 400\n  context_tokens: 900\n")

	run := func() (int, string) {
		// translate, not run: the stage under test, and a 900-token context
		// is too small for the fake briefer's reduce step.
		cmd := exec.Command(bin, "translate", seeds(t), "--config", cfg, "--concurrency", "1", "-q")
		var errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &errb, &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		proc = cmd.Process
		mu.Unlock()
		timer := time.AfterFunc(40*time.Second, func() { cmd.Process.Kill() })
		defer timer.Stop()
		err := cmd.Wait()
		code := cmd.ProcessState.ExitCode()
		if err != nil && code == 0 {
			code = -1
		}
		return code, errb.String()
	}

	code, stderr := run()
	mu.Lock()
	wasKilled := killed
	mu.Unlock()
	if !wasKilled {
		t.Fatalf("the run ended (exit %d) before the kill: fewer than %d chunks?\n%s", code, killAfter+1, stderr)
	}
	if code != -1 {
		t.Fatalf("first run: exit %d, want killed\n%s", code, stderr)
	}
	assertWholeFiles(t, out) // whatever the kill left must still read back

	code, stderr = run()
	if code != exitOK {
		t.Fatalf("rerun: exit %d\n%s", code, stderr)
	}
	// the killed run could not release its lock: the kernel did, and the
	// rerun says whose it took over
	if !strings.Contains(stderr, "took over the lock") {
		t.Errorf("the rerun does not say it took over the killed run's lock:\n%s", stderr)
	}
	for _, f := range contract(t, out) {
		if strings.HasPrefix(f, "clean/") || strings.HasPrefix(f, "translations/") || f == "manifest.json" {
			if _, err := os.Stat(filepath.Join(out, f)); err != nil {
				t.Errorf("after the rerun: %v", err)
			}
		}
	}
	if m := manifestOf(t, out); m.Status != "complete" || m.Totals.Files != 5 || m.Totals.Failed+m.Totals.Pending != 0 {
		t.Errorf("manifest after the rerun: %s %+v", m.Status, m.Totals)
	}
	assertWholeFiles(t, out)

	mu.Lock()
	defer mu.Unlock()
	translated := 0
	for _, c := range after {
		if c.Stage != "translate" {
			continue
		}
		translated++
		if accepted[callHash(c)] {
			t.Errorf("after the kill, a chunk answered before it was requested again:\n%.200s", c.User())
		}
	}
	if translated == 0 {
		t.Errorf("the rerun translated nothing: the kill did not land during translation")
	}
	t.Logf("%d chunks answered before the kill, %d translate calls after", len(accepted), translated)
}

// assertWholeFiles checks that every file under out reads back whole: JSON
// parses, translations have closed front matter, text is non-empty; the
// only other files allowed are store.WriteFile's hidden temporary files,
// which every reader skips.
func assertWholeFiles(t *testing.T, out string) {
	t.Helper()
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		if tempName.MatchString(name) || name == store.LockName {
			return nil // the lock file names its holder, or nothing once released
		}
		if strings.HasPrefix(name, ".") {
			t.Errorf("unexpected hidden file %s", p)
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		switch {
		case len(b) == 0:
			t.Errorf("%s is empty", rel)
		case strings.HasSuffix(name, ".json"):
			if !json.Valid(b) {
				t.Errorf("%s is not valid JSON (half-written?)", rel)
			}
		case strings.HasPrefix(rel, "translations"+string(filepath.Separator)):
			s := string(b)
			if !strings.HasPrefix(s, "---\n") || !strings.Contains(s[4:], "\n---\n") || !strings.HasSuffix(s, "\n") {
				t.Errorf("%s: front matter not closed or file cut", rel)
			}
		case !strings.HasSuffix(string(b), "\n"):
			t.Errorf("%s does not end with a newline (cut?)", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
