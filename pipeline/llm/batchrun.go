package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/depeche-news/depeche/pipeline/store"
)

// The batch-job lifecycle of a run in batch mode. Each pass of the runner
// collects what it could not answer (batch.go); what a pass collects is
// one round: written as an OpenAI Batch API input file, submitted
// (/v1/files, /v1/batches: batchapi.go), polled, and its output stored by
// request hash in <cache>/responses, where the next pass finds it. The
// state of the round in flight is kept in <cache>/batches/state.json, so a
// stopped run resumes by batch id instead of paying for the round twice.

// BatchRunOptions configure StartBatch.
type BatchRunOptions struct {
	CacheDir string        // responses/ and batches/ go below it
	Since    time.Time     // stored answers older than this are asked again (--force); zero takes them all
	Submit   bool          // submit each round and wait for it; false: write the round's JSONL and stop
	Poll     time.Duration // between status checks; 0 = 30s
	Ingest   string        // a Batch API output file (OpenAI, vLLM run_batch) to store first
	Notes    io.Writer     // one line per step; nil = discard
}

// BatchRun is the client in batch mode for the length of one run: from
// StartBatch to Close, Chat answers from the response store or collects.
type BatchRun struct {
	c   *Client
	b   *Batch
	opt BatchRunOptions
	dir string // <cache>/batches

	ids      []string // batches this run waited for
	answered int      // answers those batches and the ingested file stored
}

// batchState is <cache>/batches/state.json: the last round submitted.
type batchState struct {
	Round       string    `json:"round"`
	JSONL       string    `json:"jsonl"`
	Requests    int       `json:"requests"`
	InputFileID string    `json:"input_file_id,omitempty"`
	BatchID     string    `json:"batch_id,omitempty"`
	Status      string    `json:"status"` // uploading, then the server's, then ingested
	Submitted   time.Time `json:"submitted"`
	Answered    int       `json:"answered,omitempty"`
	Refused     int       `json:"refused,omitempty"`
}

// StartBatch puts the client in batch mode until Close. It first stores the
// answers of opt.Ingest, then, with opt.Submit, waits for the round an
// earlier run submitted and did not see end.
func (c *Client) StartBatch(ctx context.Context, opt BatchRunOptions) (*BatchRun, error) {
	if opt.Poll <= 0 {
		opt.Poll = 30 * time.Second
	}
	w := &BatchRun{c: c, opt: opt, dir: filepath.Join(opt.CacheDir, "batches"),
		b: NewBatch(filepath.Join(opt.CacheDir, "responses"), opt.Since)}
	c.SetBatch(w.b)
	if opt.Ingest != "" {
		if err := w.ingestFile(opt.Ingest); err != nil {
			c.SetBatch(nil)
			return nil, err
		}
	}
	if opt.Submit {
		if err := w.resume(ctx); err != nil {
			c.SetBatch(nil)
			return nil, err
		}
	}
	return w, nil
}

// Close puts the client back to sending live.
func (w *BatchRun) Close() error {
	w.c.SetBatch(nil)
	return nil
}

// Pending returns how many requests were collected since the last Send.
func (w *BatchRun) Pending() int { return w.b.Pending() }

// Send takes the requests collected so far as one round: written as
// <cache>/batches/<round>.jsonl, then, with Submit, submitted and waited for
// until its answers are stored (true). Without Submit it says where the
// file is and how to run it, and returns false.
func (w *BatchRun) Send(ctx context.Context, round int) (bool, error) {
	lines := w.b.Take()
	data, path, err := w.write(lines)
	if err != nil {
		return false, err
	}
	if !w.opt.Submit {
		w.note("batch: wrote %d requests to %s\n  run them, e.g. python -m vllm.entrypoints.openai.run_batch -i %s -o out.jsonl --model %s\n  then rerun this command with --batch-ingest out.jsonl instead of --batch-jsonl-only", len(lines), path, path, w.c.Model())
		return false, nil
	}
	return true, w.submit(ctx, round, data, path, len(lines))
}

// Summary says which batches this run used, so every answer can be traced
// to the batch that produced it; "" when none answered anything.
func (w *BatchRun) Summary() string {
	if len(w.ids) == 0 && w.answered == 0 {
		return ""
	}
	note := fmt.Sprintf("batch mode: %d answers from %d batches", w.answered, len(w.ids))
	if len(w.ids) > 0 {
		note += " (" + strings.Join(w.ids, ", ") + ")"
	}
	if w.opt.Ingest != "" {
		note += " and " + w.opt.Ingest
	}
	return note + fmt.Sprintf("; %d requests the batch refused were sent live", w.b.Counts().Live)
}

func (w *BatchRun) note(format string, args ...any) {
	if w.opt.Notes != nil {
		fmt.Fprintf(w.opt.Notes, format+"\n", args...)
	}
}

// write saves a round's input file as <cache>/batches/<round>.jsonl.
func (w *BatchRun) write(lines []BatchLine) ([]byte, string, error) {
	var buf bytes.Buffer
	ids := make([]string, len(lines))
	for i, l := range lines {
		raw, err := json.Marshal(l)
		if err != nil {
			return nil, "", fmt.Errorf("batch input: %w", err)
		}
		buf.Write(raw)
		buf.WriteByte('\n')
		ids[i] = l.CustomID
	}
	path := filepath.Join(w.dir, roundName(ids)+".jsonl")
	if err := store.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return nil, "", fmt.Errorf("batch input: %w", err)
	}
	return buf.Bytes(), path, nil
}

func roundName(ids []string) string { return store.Key("batch-round", ids)[:16] }

func (w *BatchRun) submit(ctx context.Context, round int, data []byte, path string, n int) error {
	st := batchState{Round: strings.TrimSuffix(filepath.Base(path), ".jsonl"), JSONL: path, Requests: n,
		Status: "uploading", Submitted: time.Now().UTC()}
	if err := w.save(st); err != nil {
		return err
	}
	fid, err := w.c.UploadBatchInput(ctx, filepath.Base(path), data)
	if err != nil {
		return fmt.Errorf("batch round %d: %w", round, err)
	}
	st.InputFileID = fid
	job, err := w.c.CreateBatch(ctx, fid)
	if err != nil {
		return fmt.Errorf("batch round %d: %w", round, err)
	}
	st.BatchID, st.Status = job.ID, job.Status
	if err := w.save(st); err != nil {
		return err
	}
	w.note("batch: round %d: %d requests submitted as %s (input file %s)", round, n, job.ID, fid)
	return w.wait(ctx, st)
}

// resume waits for the batch an earlier run submitted and did not see end.
func (w *BatchRun) resume(ctx context.Context) error {
	st, ok := w.load()
	if !ok || st.BatchID == "" || st.Status == "ingested" || st.Status == "gone" {
		if ok && st.BatchID == "" && st.Status == "uploading" {
			w.note("batch: an earlier run stopped before its batch was created; submitting again")
		}
		return nil
	}
	w.note("batch: resuming %s (%d requests, submitted %s, last seen %s)", st.BatchID, st.Requests,
		st.Submitted.Local().Format(time.DateTime), st.Status)
	return w.wait(ctx, st)
}

// wait polls the batch until it ends, then stores its answers. Interrupted,
// it leaves the state for the next run to resume.
func (w *BatchRun) wait(ctx context.Context, st batchState) error {
	last, fails := "", 0
	for {
		job, err := w.c.GetBatch(ctx, st.BatchID)
		var apiErr *APIError
		switch {
		case errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound:
			// Deleted, or another account's: its requests are simply
			// collected again by the next pass.
			w.note("batch %s: not found on the server (%s); its requests will be submitted again", st.BatchID, apiErr.Message)
			st.Status = "gone"
			return w.save(st)
		case err != nil && ctx.Err() == nil:
			fails++
			if fails >= 5 {
				return fmt.Errorf("batch %s: %w (it keeps running on the server: rerun with --batch to resume it)", st.BatchID, err)
			}
		case err == nil:
			fails = 0
			if seen := fmt.Sprintf("%s %d/%d", job.Status, job.Completed, job.Total); seen != last {
				w.note("batch %s: %s (%d of %d done, %d failed)", job.ID, job.Status, job.Completed, job.Total, job.Failed)
				last = seen
				if st.Status != job.Status {
					st.Status = job.Status
					if err := w.save(st); err != nil {
						return err
					}
				}
			}
			if job.Done() {
				return w.collect(ctx, st, job)
			}
		}
		if err := sleep(ctx, w.opt.Poll); err != nil {
			return fmt.Errorf("batch %s still running; rerun with --batch to resume it: %w", st.BatchID, err)
		}
	}
}

// collect downloads a finished batch's output and error files into the
// response store.
func (w *BatchRun) collect(ctx context.Context, st batchState, job BatchJob) error {
	var n IngestCounts
	for _, id := range []string{job.OutputFileID, job.ErrorFileID} {
		if id == "" {
			continue
		}
		data, err := w.c.BatchFile(ctx, id)
		if err != nil {
			return fmt.Errorf("batch %s: %w (rerun with --batch to try again)", job.ID, err)
		}
		got, err := w.b.Ingest(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("batch %s: %w", job.ID, err)
		}
		n.Answered += got.Answered
		n.Failed += got.Failed
	}
	st.Status, st.Answered, st.Refused = "ingested", n.Answered, n.Failed
	w.ids = append(w.ids, job.ID)
	w.answered += n.Answered
	if err := w.save(st); err != nil {
		return err
	}
	w.note("batch %s: %s: %d answers stored, %d refused (those are sent live)", job.ID, job.Status, n.Answered, n.Failed)
	if n.Answered+n.Failed == 0 {
		why := strings.Join(job.Errors, "; ")
		if why == "" {
			why = "no output"
		}
		return fmt.Errorf("batch %s ended %s without answering any of its %d requests: %s", job.ID, job.Status, st.Requests, why)
	}
	return nil
}

func (w *BatchRun) ingestFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("batch ingest: %w", err)
	}
	defer f.Close()
	n, err := w.b.Ingest(f)
	if err != nil {
		return fmt.Errorf("batch ingest %s: %w", path, err)
	}
	w.answered += n.Answered
	w.note("batch: stored %d answers and %d refusals from %s (%d lines not depeche's or already answered)", n.Answered, n.Failed, path, n.Skipped)
	return nil
}

func (w *BatchRun) statePath() string { return filepath.Join(w.dir, "state.json") }

func (w *BatchRun) save(st batchState) error {
	raw, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := store.WriteFile(w.statePath(), append(raw, '\n'), 0o644); err != nil {
		return fmt.Errorf("batch state: %w", err)
	}
	return nil
}

func (w *BatchRun) load() (batchState, bool) {
	var st batchState
	raw, err := os.ReadFile(w.statePath())
	if err != nil || json.Unmarshal(raw, &st) != nil {
		return st, false
	}
	return st, true
}
