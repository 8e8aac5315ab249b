package main

// The reliability suite: issue 8's "Done when", run through the whole CLI
// against the fake server. Faults are injected by request counters, never by
// timing, so each test gives the same answer on a loaded machine.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

// relConfig is a config for a reliability run: llmSettings are extra lines
// under llm: (indented by two spaces), top are extra top-level lines.
func relConfig(t *testing.T, dir, url, out string, llmSettings map[string]string, top string) string {
	t.Helper()
	l := map[string]string{
		"base_url": url, "model": "fake-model", "api_key_env": "DEPECHE_TEST_KEY",
		"max_attempts": "4", "max_retry_wait": "3s", "timeout": "10s",
	}
	for k, v := range llmSettings {
		l[k] = v
	}
	var b strings.Builder
	b.WriteString("engine: llm\noutput: " + out + "\nglossary: testdata/glossary.yaml\n" + top + "llm:\n")
	for _, k := range []string{"base_url", "model", "api_key_env", "timeout", "max_attempts", "max_retry_wait",
		"max_total_tokens", "concurrency", "max_tokens", "context_tokens"} {
		if v, ok := l[k]; ok {
			fmt.Fprintf(&b, "  %s: %s\n", k, v)
		}
	}
	return writeConfig(t, dir, b.String())
}

// manifestOf reads out/manifest.json.
type fileRec struct {
	Source, Stem, Status, Stage, Reason string
	Outputs                             []string
}

type manifestDoc struct {
	Status string
	Notes  []string
	Files  []fileRec
	Totals struct{ Files, OK, Cached, Failed, Skipped, Pending, Requests int }
}

func manifestOf(t *testing.T, out string) manifestDoc {
	t.Helper()
	var m manifestDoc
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	return m
}

// record returns the manifest line of the file whose source ends in name.
func (m manifestDoc) record(name string) (fileRec, bool) {
	for _, f := range m.Files {
		if filepath.Base(f.Source) == name || strings.HasSuffix(f.Source, string(filepath.Separator)+name) {
			return f, true
		}
	}
	return fileRec{}, false
}

// assertContract checks every file the output contract promises for the
// seeds, and that the briefing cites all five.
func assertContract(t *testing.T, out string) {
	t.Helper()
	for _, f := range contract(t, out) {
		st, err := os.Stat(filepath.Join(out, f))
		if err != nil || st.Size() == 0 {
			t.Errorf("contract file %s missing or empty: %v", f, err)
		}
	}
	var b struct {
		Sources []struct{ N int }       `json:"sources"`
		Stats   struct{ Uncited []int } `json:"citation_stats"`
	}
	raw, _ := os.ReadFile(filepath.Join(out, "briefing.json"))
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatalf("briefing.json: %v", err)
	}
	if len(b.Sources) != 5 || len(b.Stats.Uncited) != 0 {
		t.Errorf("briefing: %d sources, uncited %v; want 5, none", len(b.Sources), b.Stats.Uncited)
	}
}

// callHash identifies a request by its messages: the same chunk asked twice
// hashes the same.
func callHash(c llmtest.Call) string {
	b, _ := json.Marshal(c.Messages)
	h := sha256.Sum256(append([]byte(c.Stage+"\x00"), b...))
	return hex.EncodeToString(h[:8])
}

// TestFlakyServerRunCompletes: every fifth request is a 500 and another
// fifth a 429 with Retry-After: 1; the retries absorb both.
func TestFlakyServerRunCompletes(t *testing.T) {
	t.Setenv("DEPECHE_TEST_KEY", secretKey)
	model := llmtest.Model().Handle
	var mu sync.Mutex
	n := 0
	faults := map[int]int{}
	srv := llmtest.New(t, func(c llmtest.Call) llmtest.Reply {
		mu.Lock()
		n++
		k := n
		mu.Unlock()
		var r llmtest.Reply
		switch k % 5 {
		case 0:
			r = llmtest.ServerError()
		case 2:
			r = llmtest.RateLimited("1")
		default:
			return model(c)
		}
		mu.Lock()
		faults[r.Status]++
		mu.Unlock()
		return r
	})
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cfg := relConfig(t, dir, srv.URL(), out, map[string]string{"max_attempts": "6", "max_retry_wait": "5s"}, "")
	start := time.Now()
	r := depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q")
	if r.code != exitOK {
		t.Fatalf("exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	t.Logf("%d requests, faults %v, %s", srv.Count(), faults, time.Since(start).Round(time.Millisecond))
	if faults[500] == 0 || faults[429] == 0 {
		t.Fatalf("no fault injected (%v): the test tested nothing", faults)
	}
	assertContract(t, out)
	m := manifestOf(t, out)
	if m.Status != "complete" || m.Totals.OK != 5 {
		t.Errorf("manifest: status %s, totals %+v; want complete, 5 ok", m.Status, m.Totals)
	}
}

// TestHangingServerFailsClearly: a server that never answers costs each
// request llm.timeout and its retries, then each file fails naming the
// timeout; the run ends with exit 3 instead of hanging.
func TestHangingServerFailsClearly(t *testing.T) {
	srv := llmtest.New(t, llmtest.Always(llmtest.Hang()))
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	for _, name := range []string{"000_ab2097d8a47941ba.txt", "001_0f2cf2a9d1bc2be9.txt"} {
		b, _ := os.ReadFile(filepath.Join(seeds(t), name))
		os.WriteFile(filepath.Join(in, name), b, 0o644)
	}
	out := filepath.Join(dir, "out")
	cfg := relConfig(t, dir, srv.URL(), out, map[string]string{"timeout": "300ms", "max_attempts": "3", "max_retry_wait": "1s"}, "")
	r := depecheWithin(t, 30*time.Second, "against a hanging server", dir, "run", in, "--config", cfg, "-q")
	if r.code != exitFailed {
		t.Fatalf("exit %d, want 3\nstderr:\n%s", r.code, r.stderr)
	}
	m := manifestOf(t, out)
	for _, name := range []string{"000_ab2097d8a47941ba.txt", "001_0f2cf2a9d1bc2be9.txt"} {
		f, ok := m.record(name)
		if !ok || f.Status != "failed" || !strings.Contains(f.Reason, "timeout") {
			t.Errorf("%s: %+v; want failed naming the timeout", name, f)
		}
		if !strings.Contains(r.stderr, name) {
			t.Errorf("stderr does not name %s:\n%s", name, r.stderr)
		}
	}
	if c := srv.Count(); c < 3 {
		t.Errorf("%d requests: the timeouts were not retried", c)
	}
	// The attempts of a failed file were paid for: the totals count them.
	if m.Totals.Requests != srv.Count() {
		t.Errorf("manifest counts %d requests, the server saw %d", m.Totals.Requests, srv.Count())
	}
	if strings.Contains(r.stderr, "translate 000_ab2097d8a47941ba: translate 000_ab2097d8a47941ba") {
		t.Errorf("the step is named twice in the reason:\n%s", r.stderr)
	}
}

// seedsWith copies the named seeds into a new input folder and adds extra
// files (name → content).
// TestBudgetStopsCleanly: a small llm.max_total_tokens stops the run with
// exit 3 and a message about the budget, files left pending; a rerun with
// the budget raised completes without asking again for anything answered.
func TestBudgetStopsCleanly(t *testing.T) {
	var mu sync.Mutex
	first := true
	answered := map[string]bool{} // calls answered in the first run
	var again []string
	model := llmtest.Model().Handle
	srv := llmtest.New(t, func(c llmtest.Call) llmtest.Reply {
		h := callHash(c)
		mu.Lock()
		if first {
			answered[h] = true
		} else if answered[h] {
			again = append(again, c.Stage)
		}
		mu.Unlock()
		return model(c)
	})
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	// Each request reserves its prompt plus max_tokens (2048): 9000 tokens
	// admit about three requests of the run's dozen.
	cfg := relConfig(t, dir, srv.URL(), out, map[string]string{"max_total_tokens": "9000", "concurrency": "1"}, "")
	r := depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q")
	if r.code != exitFailed {
		t.Fatalf("exit %d, want 3\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "budget") || !strings.Contains(r.stderr, "max_total_tokens") {
		t.Errorf("stderr does not explain the budget stop:\n%s", r.stderr)
	}
	m := manifestOf(t, out)
	if m.Status != "budget_exhausted" || m.Totals.Pending == 0 || m.Totals.Failed != 0 {
		t.Errorf("manifest: %s %+v; want budget_exhausted with files pending and none failed", m.Status, m.Totals)
	}
	if _, err := os.Stat(filepath.Join(out, "briefing.md")); err == nil {
		t.Errorf("a briefing was written from an incomplete run")
	}
	firstCount := srv.Count()
	if firstCount == 0 {
		t.Fatal("the budget admitted no request: the test tested nothing")
	}

	mu.Lock()
	first = false
	mu.Unlock()
	cfg = relConfig(t, dir, srv.URL(), out, map[string]string{"max_total_tokens": "0", "concurrency": "1"}, "")
	r = depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q")
	if r.code != exitOK {
		t.Fatalf("rerun: exit %d\n%s", r.code, r.stderr)
	}
	assertContract(t, out)
	mu.Lock()
	defer mu.Unlock()
	if len(again) > 0 {
		t.Errorf("the rerun asked again for %d requests answered before the budget stop (%v)", len(again), again)
	}
	t.Logf("%d requests before the stop, %d after", firstCount, srv.Count()-firstCount)
}

// TestRateLimitedKeyAdapts: a server that answers 429 to any request
// beyond two in flight, while the client starts at four. AIMD halves the
// client's limit on a 429 and grows it back by one after as many successes
// as the limit, so it probes the server's limit about once every few
// successes; a client that kept four in flight would be refused about as
// often as it is served. The run (translation cut small: ~50 requests, many
// of them ready at once) must finish, refused less than half as often as
// served.
func TestRateLimitedKeyAdapts(t *testing.T) {
	model := llmtest.Model().Handle
	var mu sync.Mutex
	inFlight := 0
	var arrivals []int // requests in flight at each arrival, itself included
	srv := llmtest.New(t, func(c llmtest.Call) llmtest.Reply {
		mu.Lock()
		inFlight++
		n := inFlight
		arrivals = append(arrivals, n)
		mu.Unlock()
		defer func() {
			mu.Lock()
			inFlight--
			mu.Unlock()
		}()
		if n > 2 {
			return llmtest.RateLimited("")
		}
		// Held here rather than with Reply.Delay, so the accounting above
		// covers the whole request.
		time.Sleep(30 * time.Millisecond)
		return model(c)
	})
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cfg := relConfig(t, dir, srv.URL(), out, map[string]string{"concurrency": "4", "max_attempts": "10", "max_retry_wait": "20s",
		"max_tokens": "400", "context_tokens": "900"}, "")
	r := depeche(t, dir, "", "translate", seeds(t), "--config", cfg, "-q")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if m := manifestOf(t, out); m.Totals.OK != 5 {
		t.Errorf("manifest totals %+v; want 5 ok", m.Totals)
	}
	mu.Lock()
	defer mu.Unlock()
	served, refused, firstPeak := 0, 0, 0
	for i, n := range arrivals {
		if i < 4 {
			firstPeak = max(firstPeak, n)
		}
		if n > 2 {
			refused++
		} else {
			served++
		}
	}
	t.Logf("%d served, %d refused; in flight at each arrival: %v", served, refused, arrivals)
	if refused == 0 {
		t.Fatalf("no request ever found more than 2 in flight: the test tested nothing")
	}
	if firstPeak < 3 {
		t.Errorf("the first requests peaked at %d in flight; want the configured 4 to overshoot", firstPeak)
	}
	if refused*2 >= served {
		t.Errorf("%d requests refused for %d served: the client did not adapt", refused, served)
	}
}

// TestOneRunPerOutputFolder: a second run on an output folder another run
// is writing says who holds it and exits 1 before sending anything, so the
// batch is paid once (two unlocked runs paid 108 requests for 56); with
// --wait it waits for the first to finish and then finds everything done.
func TestOneRunPerOutputFolder(t *testing.T) {
	t.Setenv("DEPECHE_TEST_KEY", secretKey)
	ref := llmtest.New(t, llmtest.Model().Handle)
	refDir := t.TempDir()
	if r := depeche(t, refDir, "", "run", seeds(t), "--config", relConfig(t, refDir, ref.URL(), filepath.Join(refDir, "out"), nil, ""), "-q"); r.code != exitOK {
		t.Fatalf("reference run: exit %d\n%s", r.code, r.stderr)
	}
	single := ref.Count()

	for _, wait := range []bool{false, true} {
		t.Run(fmt.Sprintf("wait=%v", wait), func(t *testing.T) {
			model := llmtest.Model().Handle
			var once sync.Once
			second := make(chan result, 1)
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			cfg := relConfig(t, dir, "URL", out, nil, "")
			args := []string{"run", seeds(t), "--config", cfg, "-q"}
			if wait {
				args = append(args, "--wait")
			}
			srv := llmtest.New(t, func(c llmtest.Call) llmtest.Reply {
				if c.Stage == "translate" {
					once.Do(func() {
						if wait {
							// it must still be waiting when the first run ends
							go func() { second <- depeche(t, dir, "", args...) }()
							time.Sleep(300 * time.Millisecond)
						} else {
							second <- depeche(t, dir, "", args...)
						}
					})
				}
				return model(c)
			})
			b, _ := os.ReadFile(cfg)
			os.WriteFile(cfg, []byte(strings.Replace(string(b), "URL", srv.URL(), 1)), 0o644)
			first := depeche(t, dir, "", args...)
			if first.code != exitOK {
				t.Fatalf("first run: exit %d\n%s", first.code, first.stderr)
			}
			var r result
			select {
			case r = <-second:
			case <-time.After(60 * time.Second):
				t.Fatal("the second run never ended")
			}
			if n := srv.Count(); n != single {
				t.Errorf("%d requests for two runs on one folder, want %d (one run's)", n, single)
			}
			if !wait {
				if r.code != exitFatal || !strings.Contains(r.stderr, "is in use by depeche pid") ||
					!strings.Contains(r.stderr, "depeche run "+seeds(t)) || !strings.Contains(r.stderr, "--wait") {
					t.Errorf("second run: exit %d, want 1 naming the holder\n%s", r.code, r.stderr)
				}
				return
			}
			if r.code != exitOK || !strings.Contains(r.stderr, "waiting for it to finish") {
				t.Errorf("second run with --wait: exit %d\n%s", r.code, r.stderr)
			}
			if m := manifestOf(t, out); m.Totals.Cached != 5 {
				t.Errorf("the waiting run did not find the first one's work: %+v", m.Totals)
			}
		})
	}
}

// A lock left by a run that died (kill -9) is taken over with a note.
func TestStaleLockTakenOver(t *testing.T) {
	srv := llmtest.New(t, llmtest.Model().Handle)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, ".depeche.lock"), []byte(`{"pid": 4194304, "started": "2026-01-02T03:04:05Z", "command": "depeche run old"}`+"\n"), 0o644)
	r := depeche(t, dir, "", "run", seeds(t), "--config", relConfig(t, dir, srv.URL(), out, nil, ""), "-q")
	if r.code != exitOK || !strings.Contains(r.stderr, "took over the lock") || !strings.Contains(r.stderr, "pid 4194304") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
	if m := manifestOf(t, out); !strings.Contains(strings.Join(m.Notes, "\n"), "took over the lock") {
		t.Errorf("manifest notes %q", m.Notes)
	}
}

// TestRetryWaitsAreTold: without a terminal (-q), a retry that waits on a
// 429 is one line saying how long and why, and the briefing phase says
// when it starts and ends, so a run that waits on the server never looks
// stuck.
func TestRetryWaitsAreTold(t *testing.T) {
	model := llmtest.Model().Handle
	var mu sync.Mutex
	limited := 0
	srv := llmtest.New(t, func(c llmtest.Call) llmtest.Reply {
		mu.Lock()
		defer mu.Unlock()
		if c.Stage == "translate" && limited < 1 {
			limited++
			return llmtest.RateLimited("1")
		}
		return model(c)
	})
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	r := depeche(t, dir, "", "run", seeds(t), "--config", relConfig(t, dir, srv.URL(), out, nil, ""), "-q")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"waiting 1s before retrying a translate request: 429 (Retry-After 1s)",
		"brief: merging 5 articles (llm engine)…", "brief: merged in"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
		}
	}
}
