package llm

import (
	"context"
	"fmt"
	"io"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// The Files and Batches calls of batch mode, on the first endpoint. Like
// openai.go they go through go-openai and the transport, so their errors are
// classified and redacted the same way as a chat call's.

// BatchJob is a submitted batch as the server reports it.
type BatchJob struct {
	ID           string
	Status       string // validating, in_progress, finalizing, completed, failed, expired, cancelling, cancelled
	InputFileID  string
	OutputFileID string // "" until there is one
	ErrorFileID  string
	Total        int
	Completed    int
	Failed       int
	Errors       []string // why the batch as a whole failed (input validation), redacted
}

// Done reports whether the batch has stopped changing.
func (j BatchJob) Done() bool {
	switch j.Status {
	case "completed", "failed", "expired", "cancelled":
		return true
	}
	return false
}

// UploadBatchInput uploads a batch input file (purpose "batch") and returns
// its file id.
func (c *Client) UploadBatchInput(ctx context.Context, name string, jsonl []byte) (string, error) {
	var f openai.File
	err := c.batchCall(ctx, "upload batch input", func(ctx context.Context, oc *openai.Client) (err error) {
		f, err = oc.CreateFileBytes(ctx, openai.FileBytesRequest{Name: name, Bytes: jsonl, Purpose: openai.PurposeBatch})
		return err
	})
	return f.ID, err
}

// CreateBatch starts a batch of chat completions over an uploaded file,
// with the 24-hour completion window (the one OpenAI prices at half).
func (c *Client) CreateBatch(ctx context.Context, inputFileID string) (BatchJob, error) {
	var b openai.BatchResponse
	err := c.batchCall(ctx, "create batch", func(ctx context.Context, oc *openai.Client) (err error) {
		b, err = oc.CreateBatch(ctx, openai.CreateBatchRequest{
			InputFileID: inputFileID, Endpoint: openai.BatchEndpointChatCompletions, CompletionWindow: "24h",
		})
		return err
	})
	return c.batchJob(b.Batch), err
}

// GetBatch returns a batch's current state.
func (c *Client) GetBatch(ctx context.Context, id string) (BatchJob, error) {
	var b openai.BatchResponse
	err := c.batchCall(ctx, "get batch "+id, func(ctx context.Context, oc *openai.Client) (err error) {
		b, err = oc.RetrieveBatch(ctx, id)
		return err
	})
	return c.batchJob(b.Batch), err
}

// BatchFile downloads a file's content (a batch's output or error file).
func (c *Client) BatchFile(ctx context.Context, fileID string) ([]byte, error) {
	var data []byte
	err := c.batchCall(ctx, "download file "+fileID, func(ctx context.Context, oc *openai.Client) error {
		raw, err := oc.GetFileContent(ctx, fileID)
		if err != nil {
			return err
		}
		defer raw.Close()
		data, err = io.ReadAll(raw)
		return err
	})
	return data, err
}

func (c *Client) batchJob(b openai.Batch) BatchJob {
	j := BatchJob{ID: b.ID, Status: b.Status, InputFileID: b.InputFileID,
		Total: b.RequestCounts.Total, Completed: b.RequestCounts.Completed, Failed: b.RequestCounts.Failed}
	if b.OutputFileID != nil {
		j.OutputFileID = *b.OutputFileID
	}
	if b.ErrorFileID != nil {
		j.ErrorFileID = *b.ErrorFileID
	}
	if b.Errors != nil {
		for _, e := range b.Errors.Data {
			msg := e.Message
			if e.Line != nil {
				msg = fmt.Sprintf("line %d: %s", *e.Line, msg)
			}
			j.Errors = append(j.Errors, Redact(msg, c.cfg.APIKey))
		}
	}
	return j
}

// batchCall runs f against the first endpoint, retrying what a chat call
// would retry (429, 5xx, timeouts, resets) up to MaxAttempts times.
func (c *Client) batchCall(ctx context.Context, what string, f func(context.Context, *openai.Client) error) error {
	ep := c.eps[0]
	for n := 1; ; n++ {
		a := &attempt{}
		err := f(withAttempt(ctx, a), ep.api.plain)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", what, ctx.Err())
		}
		var fl failure
		if a.status >= 400 {
			fl = statusFailure(a, ep.name, c.cfg.APIKey)
		} else {
			fl = networkFailure(err, ep.name, c.cfg.APIKey)
		}
		if !fl.retry || n >= c.cfg.MaxAttempts {
			return fmt.Errorf("%s: %w", what, fl.err)
		}
		wait := fl.after
		if wait <= 0 {
			wait = backoff(n-1, c.cfg.Backoff, 30*time.Second)
		}
		c.log.Warn("llm batch call failed; retrying", "call", what, "endpoint", ep.name, "reason", fl.reason, "wait", wait)
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
}
