package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

func echoHandler(c llmtest.Call) llmtest.Reply {
	if strings.Contains(c.User(), "too long") {
		return llmtest.ContextLengthVLLM()
	}
	return llmtest.Reply{Content: "echo: " + c.User(), PromptTokens: 10, CompletionTokens: 3}
}

// jsonl renders collected lines as a batch input file.
func jsonl(t *testing.T, lines []BatchLine) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, l := range lines {
		raw, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(raw)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// runBatch submits lines to the fake's Batches API and ingests the result.
func runBatch(t *testing.T, c *Client, b *Batch, lines []BatchLine) IngestCounts {
	t.Helper()
	ctx := context.Background()
	fid, err := c.UploadBatchInput(ctx, "in.jsonl", jsonl(t, lines))
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.CreateBatch(ctx, fid)
	if err != nil {
		t.Fatal(err)
	}
	for !job.Done() {
		if job, err = c.GetBatch(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
	}
	var total IngestCounts
	for _, id := range []string{job.OutputFileID, job.ErrorFileID} {
		if id == "" {
			continue
		}
		data, err := c.BatchFile(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		n, err := b.Ingest(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		total.Answered += n.Answered
		total.Failed += n.Failed
	}
	return total
}

func TestBatchCollectSubmitAnswer(t *testing.T) {
	s := llmtest.New(t, echoHandler)
	temp := 0.0
	c := newTestClient(t, s, func(cfg *Config) { cfg.Temperature = &temp; cfg.MaxTokens = 77 })
	b := NewBatch(t.TempDir(), time.Time{})
	c.SetBatch(b)
	ctx := context.Background()
	reqs := []Request{
		{Stage: "translate", Messages: user("un")},
		{Stage: "translate", Messages: user("deux")},
		{Stage: "summarize", Messages: user("trois"), JSONSchema: &Schema{Name: "s", Schema: json.RawMessage(`{"type":"object"}`)}},
		{Stage: "translate", Messages: user("un")}, // the same request twice is one line
		{Stage: "translate", Messages: user("too long")},
	}
	for _, r := range reqs {
		if _, err := c.Chat(ctx, r); !errors.Is(err, ErrDeferred) {
			t.Fatalf("Chat in batch mode = %v, want ErrDeferred", err)
		}
	}
	if s.Count() != 0 {
		t.Fatalf("batch mode sent %d live requests while collecting", s.Count())
	}
	lines := b.Take()
	if len(lines) != 4 {
		t.Fatalf("collected %d lines, want 4 (duplicates merged)", len(lines))
	}
	for _, l := range lines {
		var body map[string]any
		if err := json.Unmarshal(l.Body, &body); err != nil {
			t.Fatal(err)
		}
		if l.Method != "POST" || l.URL != "/v1/chat/completions" || body["model"] != "fake-model" ||
			body["temperature"] != 0.0 || body["max_tokens"] != 77.0 || body["stream"] == true {
			t.Errorf("line %s: method %s url %s body %v", l.CustomID, l.Method, l.URL, body)
		}
		if strings.HasPrefix(l.CustomID, "summarize-") && body["response_format"] == nil {
			t.Errorf("summarize line lost its response_format: %s", l.Body)
		}
	}
	if got := b.Take(); len(got) != 0 {
		t.Fatalf("second Take returned %d lines", len(got))
	}

	n := runBatch(t, c, b, lines)
	if n.Answered != 3 || n.Failed != 1 {
		t.Fatalf("ingested %+v, want 3 answered and 1 failed", n)
	}
	batched := s.Count()
	if batched != 4 || s.LiveCount() != 0 {
		t.Fatalf("server saw %d calls, %d live; want 4 batched", batched, s.LiveCount())
	}

	resp, err := c.Chat(ctx, reqs[1])
	if err != nil || resp.Content != "echo: deux" || resp.Usage.PromptTokens != 10 || resp.Attempts != 1 {
		t.Fatalf("answer from the store: %+v, %v", resp, err)
	}
	// The request the batch refused goes live, where the usual
	// classification applies.
	_, err = c.Chat(ctx, reqs[4])
	if !errors.Is(err, ErrContextLength) {
		t.Fatalf("refused request sent live: %v, want ErrContextLength", err)
	}
	if s.LiveCount() != 1 {
		t.Fatalf("live calls = %d, want 1", s.LiveCount())
	}
	if got := b.Counts(); got.Answered != 1 || got.Live != 1 || got.Deferred != 4 {
		t.Fatalf("counts %+v", got)
	}
	if tot := c.Totals(); tot.Requests != 2 || tot.Usage.PromptTokens < 10 {
		t.Fatalf("totals %+v: want the stored answer and the live call counted", tot)
	}
	// A changed request is a different line.
	if _, err := c.Chat(ctx, Request{Stage: "translate", Messages: user("deux"), MaxTokens: 5}); !errors.Is(err, ErrDeferred) {
		t.Fatalf("changed request: %v, want ErrDeferred", err)
	}
}

func TestBatchIngestVLLMOutput(t *testing.T) {
	b := NewBatch(t.TempDir(), time.Time{})
	id := "translate-" + strings.Repeat("ab", 16)
	// vLLM's run_batch output: same shape as OpenAI's, ids of its own.
	out := `{"id":"vllm-1","custom_id":"` + id + `","response":{"status_code":200,"request_id":"vllm-batch-1","body":{"id":"x","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}},"error":null}
{"id":"vllm-2","custom_id":"not-ours","response":null,"error":{"message":"x"}}
{"id":"vllm-3","custom_id":"` + id + `","response":null,"error":{"code":"expired","message":"expired"}}
`
	n, err := b.Ingest(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if n.Answered != 1 || n.Failed != 0 || n.Skipped != 2 {
		t.Fatalf("ingest %+v: want 1 answered, the foreign line and the late failure skipped", n)
	}
	a, ok, err := b.lookup(id)
	if err != nil || !ok || a.content != "Hello" || a.usage.PromptTokens != 5 || a.failure != "" {
		t.Fatalf("lookup: %+v %v %v", a, ok, err)
	}
	if _, err := b.Ingest(strings.NewReader("{not json\n")); err == nil {
		t.Fatal("a broken output file ingested without error")
	}
}

func TestBatchForceIgnoresOlderAnswers(t *testing.T) {
	dir := t.TempDir()
	id := "summarize-" + strings.Repeat("cd", 16)
	line := `{"custom_id":"` + id + `","response":{"status_code":200,"body":{"choices":[{"message":{"content":"old"},"finish_reason":"stop"}]}}}`
	if _, err := NewBatch(dir, time.Time{}).Ingest(strings.NewReader(line)); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := NewBatch(dir, time.Now().Add(time.Hour)).lookup(id); ok {
		t.Fatal("an answer stored before since was used")
	}
	if _, ok, _ := NewBatch(dir, time.Time{}).lookup(id); !ok {
		t.Fatal("stored answer not found")
	}
}
