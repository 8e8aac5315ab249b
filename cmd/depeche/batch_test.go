package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

// batchStages returns, per batch the fake ran, the sorted set of stages of
// its lines.
func batchStages(srv *llmtest.Server) map[string][]string {
	sets := map[string]map[string]bool{}
	for _, c := range srv.Calls() {
		if id := c.Batch(); id != "" {
			if sets[id] == nil {
				sets[id] = map[string]bool{}
			}
			sets[id][c.Stage] = true
		}
	}
	out := map[string][]string{}
	for id, set := range sets {
		for s := range set {
			out[id] = append(out[id], s)
		}
		sort.Strings(out[id])
	}
	return out
}

func checkContract(t *testing.T, out string) {
	t.Helper()
	for _, f := range contract(t, out) {
		st, err := os.Stat(filepath.Join(out, f))
		if err != nil || st.Size() == 0 {
			t.Errorf("contract file %s missing or empty: %v", f, err)
		}
	}
}

// checkJSONL asserts every line of every round file is a valid OpenAI
// batch input line, and returns the number of lines.
func checkJSONL(t *testing.T, out string) int {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(out, ".cache", "batches", "*.jsonl"))
	if len(paths) == 0 {
		t.Fatal("no batch input file written")
	}
	n := 0
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		sc := bufio.NewScanner(bytes.NewReader(raw))
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			n++
			var l map[string]json.RawMessage
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			var id, method, url string
			var body struct {
				Model    string `json:"model"`
				Messages []struct{ Role, Content string }
				Stream   bool `json:"stream"`
			}
			_ = json.Unmarshal(l["custom_id"], &id)
			_ = json.Unmarshal(l["method"], &method)
			_ = json.Unmarshal(l["url"], &url)
			if err := json.Unmarshal(l["body"], &body); err != nil || len(l) != 4 {
				t.Fatalf("%s: line %s: want exactly custom_id, method, url, body: %v", p, sc.Bytes(), err)
			}
			if id == "" || seen[id] || method != "POST" || url != "/v1/chat/completions" ||
				body.Model != "fake-model" || len(body.Messages) < 2 || body.Stream {
				t.Errorf("%s: bad batch line: id %q (dup %v) method %q url %q model %q %d messages stream %v",
					p, id, seen[id], method, url, body.Model, len(body.Messages), body.Stream)
			}
			seen[id] = true
		}
	}
	return n
}

func TestBatchRunSeeds(t *testing.T) {
	t.Setenv("DEPECHE_TEST_KEY", secretKey)
	srv := llmtest.New(t, llmtest.Model().Handle)
	dir, out, cfg := fakeRun(t, srv)
	// A batch an earlier run left, since deleted on the server.
	state := filepath.Join(out, ".cache", "batches", "state.json")
	if err := os.MkdirAll(filepath.Dir(state), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(state, []byte(`{"batch_id":"batch_gone","status":"in_progress","requests":3}`), 0o644); err != nil {
		t.Fatal(err)
	}

	r := depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q", "--batch", "--batch-poll", "1ms")
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "batch batch_gone: not found on the server") {
		t.Errorf("the vanished batch was not reported:\n%s", r.stderr)
	}
	checkContract(t, out)
	if n := srv.LiveCount(); n != 0 {
		t.Errorf("%d chat requests sent live; want all through batches", n)
	}
	rounds := batchStages(srv)
	want := map[string][]string{
		"batch_llmtest_1": {"translate"},
		"batch_llmtest_2": {"summarize"},
		"batch_llmtest_3": {"brief-map"},    // the default context splits the briefing:
		"batch_llmtest_4": {"brief-reduce"}, // map, then reduce, each a round
	}
	if fmt.Sprint(rounds) != fmt.Sprint(want) {
		t.Errorf("batches and their stages = %v, want %v", rounds, want)
	}
	if n := len(srv.Batches()); n != 4 {
		t.Errorf("%d batches created, want 4", n)
	}
	lines := checkJSONL(t, out)
	if lines != srv.Count() {
		t.Errorf("%d JSONL lines but the fake ran %d batched calls", lines, srv.Count())
	}
	for _, s := range []string{"submitted as batch_llmtest_1", "batch batch_llmtest_4: completed"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
	var m struct {
		Status string
		Notes  []string
		Files  []struct{ Status string }
		Totals struct{ Pending int }
	}
	raw, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	note := fmt.Sprintf("batch mode: %d answers from 4 batches (batch_llmtest_1, batch_llmtest_2, batch_llmtest_3, batch_llmtest_4); 0 requests the batch refused were sent live", srv.Count())
	if m.Status != "complete" || m.Totals.Pending != 0 || !strings.Contains(strings.Join(m.Notes, "\n"), note) {
		t.Errorf("manifest: status %s, %d pending, notes %q; want complete, 0, %q", m.Status, m.Totals.Pending, m.Notes, note)
	}
	for _, f := range m.Files {
		if f.Status != "ok" {
			t.Errorf("file status %s, want ok (done by this run's batches)", f.Status)
		}
	}
	assertNoKey(t, out, r.stdout+r.stderr)

	// A rerun finds everything cached: no batch, no call.
	before := srv.Count()
	r = depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q", "--batch", "--batch-poll", "1ms")
	if r.code != 0 || srv.Count() != before || len(srv.Batches()) != 4 {
		t.Errorf("rerun: exit %d, %d new calls, %d batches; want 0, 0, 4\n%s", r.code, srv.Count()-before, len(srv.Batches()), r.stderr)
	}
}

// A corrective re-ask (the translation of a chunk failed validation) is
// simply collected in the next round.
func TestBatchCorrectiveReask(t *testing.T) {
	t.Setenv("DEPECHE_TEST_KEY", secretKey)
	model := llmtest.Model()
	translator := model["translate"]
	var refused atomic.Bool
	model["translate"] = func(c llmtest.Call) llmtest.Reply {
		if refused.CompareAndSwap(false, true) {
			return llmtest.Reply{Content: "Sorry, I cannot help with that."}
		}
		return translator(c)
	}
	srv := llmtest.New(t, model.Handle)
	dir, out, cfg := fakeRun(t, srv)
	r := depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q", "--batch", "--batch-poll", "1ms")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	checkContract(t, out)
	rounds := batchStages(srv)
	if len(rounds) != 5 || fmt.Sprint(rounds["batch_llmtest_2"]) != "[summarize translate]" || srv.LiveCount() != 0 {
		t.Errorf("batches %v, %d live; want the re-ask in round 2 beside the summaries, none live", rounds, srv.LiveCount())
	}
}

func TestBatchResumeAfterRestart(t *testing.T) {
	t.Setenv("DEPECHE_TEST_KEY", secretKey)
	srv := llmtest.New(t, llmtest.Model().Handle)
	srv.SetBatchPolls(1 << 30) // the first batch never ends while the first run watches it
	dir, out, cfg := fakeRun(t, srv)
	args := []string{"run", seeds(t), "--config", cfg, "-q", "--batch", "--batch-poll", "1ms"}

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer cancel()
		for ctx.Err() == nil {
			if b := srv.Batches(); len(b) == 1 && b[0].Polls >= 3 {
				return // created and polled: stop the run like Ctrl-C would
			}
			time.Sleep(time.Millisecond)
		}
	}()
	var o, e bytes.Buffer
	code := run(ctx, args, strings.NewReader(""), &o, &e)
	cancel()
	if code == 0 {
		t.Fatalf("interrupted run exited 0:\n%s", e.String())
	}
	raw, err := os.ReadFile(filepath.Join(out, ".cache", "batches", "state.json"))
	if err != nil || !strings.Contains(string(raw), `"batch_id": "batch_llmtest_1"`) {
		t.Fatalf("state after the interruption: %s, %v", raw, err)
	}

	srv.SetBatchPolls(srv.Batches()[0].Polls + 2)
	r := depeche(t, dir, "", args...)
	if r.code != 0 {
		t.Fatalf("resumed run: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "resuming batch_llmtest_1") {
		t.Errorf("the rerun did not say it resumed the batch:\n%s", r.stderr)
	}
	checkContract(t, out)
	rounds := batchStages(srv)
	if n := len(srv.Batches()); n != 4 || fmt.Sprint(rounds["batch_llmtest_1"]) != "[translate]" ||
		fmt.Sprint(rounds["batch_llmtest_2"]) != "[summarize]" || srv.LiveCount() != 0 {
		t.Errorf("%d batches %v, %d live; want one batch per round (4), the first resumed, none live", n, rounds, srv.LiveCount())
	}
}

var wroteRe = regexp.MustCompile(`wrote (\d+) requests to (\S+)`)

// TestBatchJSONLOnlyAndIngest walks the offline path: depeche writes a
// round, something else runs it (here a stand-in for vLLM's run_batch that
// posts each body to the fake and writes vLLM-shaped output lines), and
// --batch-ingest stores the answers and writes the next round.
func TestBatchJSONLOnlyAndIngest(t *testing.T) {
	t.Setenv("DEPECHE_TEST_KEY", secretKey)
	srv := llmtest.New(t, llmtest.Model().Handle)
	dir, out, cfg := fakeRun(t, srv)

	r := depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q", "--batch-jsonl-only")
	for round := 1; ; round++ {
		if r.code != 0 {
			t.Fatalf("round %d: exit %d\n%s", round, r.code, r.stderr)
		}
		m := wroteRe.FindStringSubmatch(r.stderr)
		if m == nil {
			break
		}
		if round > 4 {
			t.Fatalf("still writing rounds after %d:\n%s", round, r.stderr)
		}
		if srv.Count() != 0 && round == 1 {
			t.Fatalf("--batch-jsonl-only sent %d requests", srv.Count())
		}
		res := filepath.Join(dir, fmt.Sprintf("out-%d.jsonl", round))
		runBatchLikeVLLM(t, srv.URL(), m[2], res)
		r = depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q", "--batch-ingest", res)
		if !strings.Contains(r.stderr, "stored "+m[1]+" answers") {
			t.Fatalf("round %d: ingest did not store %s answers:\n%s", round, m[1], r.stderr)
		}
	}
	checkContract(t, out)
	checkJSONL(t, out)
	if len(srv.Batches()) != 0 {
		t.Errorf("the offline path created %d batches through the API", len(srv.Batches()))
	}
}

// runBatchLikeVLLM answers every line of in through the server and writes
// the output file as vLLM's run_batch does.
func runBatchLikeVLLM(t *testing.T, base, in, out string) {
	t.Helper()
	raw, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	for i, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		var l struct {
			CustomID string          `json:"custom_id"`
			Body     json.RawMessage `json:"body"`
		}
		if err := json.Unmarshal(line, &l); err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, base+"/chat/completions", bytes.NewReader(l.Body))
		req.Header.Set("Content-Type", "application/json")
		// vLLM needs no stage; the fake routes on it.
		req.Header.Set("X-Depeche-Stage", l.CustomID[:strings.LastIndexByte(l.CustomID, '-')])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		o, _ := json.Marshal(map[string]any{
			"id": fmt.Sprintf("vllm-%d", i), "custom_id": l.CustomID,
			"response": map[string]any{"status_code": resp.StatusCode, "request_id": fmt.Sprintf("vllm-batch-%d", i), "body": json.RawMessage(body)},
			"error":    nil,
		})
		buf.Write(o)
		buf.WriteByte('\n')
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
