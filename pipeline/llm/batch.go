package llm

// Batch mode. A client given a Batch by SetBatch does not send chat
// requests: it answers each from a response store when the store holds the
// answer to that exact request body, and otherwise records the request as
// one line of an OpenAI Batch API input file and returns ErrDeferred. The
// runner runs the stages, submits what was collected, stores the batch's
// output, and runs the stages again, until a pass collects nothing. The
// stages never know: they see answers, or an error they pass up.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
)

// ErrDeferred means the request was collected for the next batch instead of
// being sent: nothing was sent, nothing failed, the caller should stop and
// pass the error up.
var ErrDeferred = errors.New("deferred to the next batch")

// BatchEndpoint is the URL every line of a batch input file names.
const BatchEndpoint = "/v1/chat/completions"

// BatchLine is one line of an OpenAI Batch API input file (also what vLLM's
// run_batch reads). CustomID is "<stage>-<hash of Body>".
type BatchLine struct {
	CustomID string          `json:"custom_id"`
	Method   string          `json:"method"`
	URL      string          `json:"url"`
	Body     json.RawMessage `json:"body"`
}

// BatchCounts say how the requests of a batch-mode client were served.
type BatchCounts struct {
	Answered int // from the response store
	Deferred int // collected for the next batch
	Live     int // sent live because the batch could not answer them
}

// Batch is a collector of deferred requests plus the response store that
// answers them once a batch has run. It is safe for concurrent use.
type Batch struct {
	dir   string    // response store: one file per request hash
	since time.Time // entries written before are ignored (--force)

	mu      sync.Mutex
	pending map[string]BatchLine
	counts  BatchCounts
}

// NewBatch returns a Batch whose response store is dir. Stored answers
// older than since are ignored, so that --force asks again; the zero time
// takes them all.
func NewBatch(dir string, since time.Time) *Batch {
	return &Batch{dir: dir, since: since, pending: map[string]BatchLine{}}
}

// SetBatch puts the client in batch mode (nil: back to sending live).
func (c *Client) SetBatch(b *Batch) {
	c.mu.Lock()
	c.batch = b
	c.mu.Unlock()
}

func (c *Client) batchMode(ctx context.Context) *Batch {
	if ctx.Value(liveKey{}) != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.batch
}

// liveKey marks a call batch mode hands to the live path.
type liveKey struct{}

// Take returns the requests collected since the last Take, sorted by
// custom_id so that the same requests always make the same file.
func (b *Batch) Take() []BatchLine {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]BatchLine, 0, len(b.pending))
	for _, l := range b.pending {
		out = append(out, l)
	}
	b.pending = map[string]BatchLine{}
	sort.Slice(out, func(i, j int) bool { return out[i].CustomID < out[j].CustomID })
	return out
}

// Pending returns how many requests were collected since the last Take.
func (b *Batch) Pending() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pending)
}

// Counts returns how requests were served so far.
func (b *Batch) Counts() BatchCounts {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.counts
}

// chatBatch is Chat in batch mode.
func (c *Client) chatBatch(ctx context.Context, b *Batch, r Request) (Response, error) {
	if len(r.Messages) == 0 {
		return Response{}, errors.New("llm: request has no messages")
	}
	ep := c.eps[0]
	model := r.Model
	if model == "" {
		model = ep.model
	}
	prompt := promptTokens(model, r.Messages)
	maxTokens := c.maxTokens(ep, model, r.MaxTokens, prompt)
	body, err := c.batchBody(ep, model, r, maxTokens)
	if err != nil {
		return Response{}, fmt.Errorf("llm: batch body: %w", err)
	}
	id := customID(r.Stage, body)
	ans, found, err := b.lookup(id)
	if err != nil {
		return Response{}, fmt.Errorf("llm: %w", err)
	}
	switch {
	case found && ans.failure != "":
		// The batch refused it (a context-length 400, an unsupported
		// response_format...). The live path has the fallbacks for those.
		b.count(func(n *BatchCounts) { n.Live++ })
		reason := Redact(ans.failure, c.cfg.APIKey)
		c.log.Info("llm batch request failed; sending it live", "stage", r.Stage, "custom_id", id, "reason", reason)
		resp, err := c.Chat(context.WithValue(ctx, liveKey{}, true), r)
		resp.Retries = append([]string{"batch: " + reason + "; sent live"}, resp.Retries...)
		return resp, err
	case found:
		b.count(func(n *BatchCounts) { n.Answered++ })
		used := int64(ans.usage.PromptTokens + ans.usage.CompletionTokens)
		c.mu.Lock()
		c.totals.Requests++
		c.totals.Usage = c.totals.Usage.Add(ans.usage)
		c.spent += used
		c.mu.Unlock()
		resp := Response{Attempts: 1}
		c.answer(ep, model, r.Stage, prompt, maxTokens, chatResult{content: ans.content, finish: ans.finish, model: ans.model, usage: ans.usage}, &resp)
		return resp, nil
	}
	b.mu.Lock()
	if _, dup := b.pending[id]; !dup {
		b.pending[id] = BatchLine{CustomID: id, Method: "POST", URL: BatchEndpoint, Body: body}
		b.counts.Deferred++
	}
	b.mu.Unlock()
	return Response{}, fmt.Errorf("%s request %s: %w", r.Stage, id, ErrDeferred)
}

func (b *Batch) count(f func(*BatchCounts)) {
	b.mu.Lock()
	f(&b.counts)
	b.mu.Unlock()
}

// batchBody is the JSON body Chat would send to ep, never streamed: what
// go-openai writes, patched exactly as the transport patches it.
func (c *Client) batchBody(ep *endpoint, model string, r Request, maxTokens int) ([]byte, error) {
	req := ep.api.request(chatParams{model: model, messages: r.Messages, schema: r.JSONSchema, mode: ep.schemaMode()})
	raw, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	return patchBody(io.NopCloser(bytes.NewReader(raw)), c.bodyFields(ep, model, maxTokens))
}

// customID names a request by its stage (for people and for the fake
// server) and the hash of its body (for the response store).
func customID(stage string, body []byte) string {
	sum := sha256.Sum256(body)
	h := hex.EncodeToString(sum[:16])
	if stage == "" {
		return h
	}
	return stage + "-" + h
}

// requestHash is the store key in a custom_id: what follows the last "-".
func requestHash(id string) string {
	if i := strings.LastIndexByte(id, '-'); i >= 0 {
		return id[i+1:]
	}
	return id
}

// OutputLine is one line of a Batch API output or error file, as OpenAI and
// vLLM's run_batch write them.
type OutputLine struct {
	ID       string `json:"id"`
	CustomID string `json:"custom_id"`
	Response *struct {
		StatusCode int             `json:"status_code"`
		Body       json.RawMessage `json:"body"`
	} `json:"response"`
	Error json.RawMessage `json:"error"`
}

// answer is a stored line, read back.
type answer struct {
	content, finish, model string
	usage                  news.Usage
	failure                string // why the batch could not answer; "" = answered
}

func (b *Batch) path(id string) (string, bool) {
	h := requestHash(id)
	if len(h) != 32 || strings.Trim(h, "0123456789abcdef") != "" {
		return "", false // not one of ours: never a path outside the store
	}
	return filepath.Join(b.dir, h[:2], h+".json"), true
}

// lookup reads the stored line for id, if any.
func (b *Batch) lookup(id string) (answer, bool, error) {
	p, _ := b.path(id)
	st, err := os.Stat(p)
	if err != nil || (!b.since.IsZero() && st.ModTime().Before(b.since)) {
		return answer{}, false, nil
	}
	raw, err := os.ReadFile(p)
	if err != nil {
		return answer{}, false, nil
	}
	var l OutputLine
	if err := json.Unmarshal(raw, &l); err != nil {
		return answer{}, false, nil // a damaged entry is asked again
	}
	return readAnswer(l), true, nil
}

func readAnswer(l OutputLine) answer {
	if l.Response == nil || l.Response.StatusCode != 200 {
		msg := ""
		status := 0
		if l.Response != nil {
			status = l.Response.StatusCode
			msg = serverMessage(l.Response.Body)
		}
		if msg == "" && len(l.Error) > 0 && string(l.Error) != "null" {
			msg = serverMessage(append(append([]byte(`{"error":`), l.Error...), '}'))
		}
		if msg == "" {
			msg = "no answer"
		}
		if status != 0 {
			msg = fmt.Sprintf("HTTP %d: %s", status, msg)
		}
		return answer{failure: msg}
	}
	var cc struct {
		Model   string `json:"model"`
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
			FinishReason string `json:"finish_reason"`
		} `json:"choices"`
		Usage struct {
			PromptTokens     int `json:"prompt_tokens"`
			CompletionTokens int `json:"completion_tokens"`
		} `json:"usage"`
	}
	if err := json.Unmarshal(l.Response.Body, &cc); err != nil {
		return answer{failure: "unreadable chat completion: " + err.Error()}
	}
	if len(cc.Choices) == 0 {
		return answer{failure: errEmpty.Error()}
	}
	return answer{content: cc.Choices[0].Message.Content, finish: cc.Choices[0].FinishReason, model: cc.Model,
		usage: news.Usage{PromptTokens: cc.Usage.PromptTokens, CompletionTokens: cc.Usage.CompletionTokens}}
}

// IngestCounts say what an output file held.
type IngestCounts struct {
	Answered int // status 200 with a completion, stored
	Failed   int // refused by the batch, stored (they will be sent live)
	Skipped  int // not a depeche request, or a failure where an answer is already stored
}

// Ingest stores every line of a Batch API output or error file (OpenAI, or
// vLLM's run_batch) in the response store, one atomically written file per
// request. A failure never replaces an answer already stored.
func (b *Batch) Ingest(r io.Reader) (IngestCounts, error) {
	var n IngestCounts
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var l OutputLine
		if err := json.Unmarshal(raw, &l); err != nil {
			return n, fmt.Errorf("batch output line %d: %w", line, err)
		}
		p, ok := b.path(l.CustomID)
		if !ok {
			n.Skipped++
			continue
		}
		a := readAnswer(l)
		if a.failure != "" {
			if old, found, _ := b.lookup(l.CustomID); found && old.failure == "" {
				n.Skipped++
				continue
			}
		}
		if err := store.WriteFile(p, append(bytes.Clone(raw), '\n'), 0o644); err != nil {
			return n, fmt.Errorf("store batch answer: %w", err)
		}
		if a.failure != "" {
			n.Failed++
		} else {
			n.Answered++
		}
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("batch output line %d: %w", line+1, err)
	}
	return n, nil
}
