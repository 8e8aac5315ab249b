package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
)

// Batch mode (`depeche run --batch`) runs the stages in passes with a client
// that collects its requests instead of sending them. What a pass collects
// is one round: written as an OpenAI Batch API input file, submitted
// (/v1/files, /v1/batches), polled, and its output stored by request hash in
// <cache>/responses. The next pass finds those answers and gets further:
// translations unblock summaries, summaries the briefing. A pass that
// collects nothing is an ordinary complete run. The state of the round in
// flight is kept in <cache>/batches/state.json, so a stopped run resumes by
// batch id instead of paying for the round twice.

// BatchOptions turn a run into batch rounds.
type BatchOptions struct {
	Client *llm.Client   // the LLM engine's client
	Submit bool          // submit each round and wait for it; false: write the round's JSONL and stop
	Poll   time.Duration // between status checks; 0 = 30s
	Ingest string        // a Batch API output file (OpenAI, vLLM run_batch) to store before the first pass

	collector *llm.Batch // set by runBatch for the passes
}

// reasonBatch is a pending file's reason while its requests are in a batch.
const reasonBatch = "waiting for batch"

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

type batchRun struct {
	opt Options
	bo  BatchOptions
	b   *llm.Batch
	dir string // <cache>/batches

	ids      []string // batches this run waited for
	answered int      // answers those batches and ingested files stored
}

// waitingForBatch reports whether this pass deferred requests: the briefing
// then waits for a later pass rather than brief a partial set.
func (r *runner) waitingForBatch() bool {
	return r.opt.Batch != nil && r.opt.Batch.collector != nil && r.opt.Batch.collector.Pending() > 0
}

func runBatch(ctx context.Context, opt Options) (*Result, error) {
	bo := *opt.Batch
	if opt.DryRun {
		opt.Batch = nil
		return Run(ctx, opt)
	}
	if bo.Client == nil {
		return nil, errors.New("batch mode needs the llm engine: the offline engine has no batch API")
	}
	if bo.Poll <= 0 {
		bo.Poll = 30 * time.Second
	}
	cacheDir := opt.CacheDir
	if cacheDir == "" {
		cacheDir = filepath.Join(opt.Out, ".cache")
	}
	var since time.Time
	if opt.Force {
		since = time.Now() // answers stored by earlier runs are asked again
	}
	w := &batchRun{opt: opt, bo: bo, dir: filepath.Join(cacheDir, "batches"),
		b: llm.NewBatch(filepath.Join(cacheDir, "responses"), since)}
	bo.collector = w.b
	opt.Batch = &bo
	bo.Client.SetBatch(w.b)
	defer bo.Client.SetBatch(nil)

	if bo.Ingest != "" {
		if err := w.ingestFile(bo.Ingest); err != nil {
			return nil, err
		}
	}
	if bo.Submit {
		if err := w.resume(ctx); err != nil {
			return nil, err
		}
	}
	carry := stageCarry{}
	for round := 1; ; round++ {
		res, err := Run(ctx, opt)
		if res == nil {
			return nil, err
		}
		carry.add(res.Manifest)
		lines := w.b.Take()
		if len(lines) == 0 || ctx.Err() != nil || errors.Is(err, ErrBudget) {
			carry.apply(res.Manifest)
			w.record(res.Manifest)
			return res, err
		}
		w.waiting(res.Manifest)
		data, path, err := w.write(lines)
		if err != nil {
			return res, err
		}
		if !bo.Submit {
			w.note("batch: wrote %d requests to %s\n  run them, e.g. python -m vllm.entrypoints.openai.run_batch -i %s -o out.jsonl --model %s\n  then rerun this command with --batch-ingest out.jsonl instead of --batch-jsonl-only", len(lines), path, path, bo.Client.Model())
			return res, nil
		}
		if err := w.submit(ctx, round, data, path, len(lines)); err != nil {
			if ctx.Err() != nil {
				_ = res.Manifest.update(true, func() { res.Manifest.Status = "interrupted" })
			}
			return res, err
		}
	}
}

// record notes in the manifest which batches this run used, so every
// answer can be traced to the batch that produced it.
func (w *batchRun) record(m *Manifest) {
	if len(w.ids) == 0 && w.answered == 0 {
		return
	}
	note := fmt.Sprintf("batch mode: %d answers from %d batches", w.answered, len(w.ids))
	if len(w.ids) > 0 {
		note += " (" + strings.Join(w.ids, ", ") + ")"
	}
	if w.bo.Ingest != "" {
		note += " and " + w.bo.Ingest
	}
	note += fmt.Sprintf("; %d requests the batch refused were sent live", w.b.Counts().Live)
	_ = m.update(true, func() { m.Notes = append(m.Notes, note) })
}

func (w *batchRun) note(format string, args ...any) {
	if w.opt.Stderr != nil {
		fmt.Fprintf(w.opt.Stderr, format+"\n", args...)
	}
}

// waiting marks a pass's manifest as waiting for a batch rather than
// complete, and a deferred briefing as pending rather than failed. The
// stats of a stage that only deferred its requests are dropped: nothing
// was sent, nothing is owed yet.
func (w *batchRun) waiting(m *Manifest) {
	_ = m.update(true, func() {
		m.Status = "waiting_for_batch"
		for _, f := range m.Files {
			if f.Status == StatusPending && f.Reason == reasonBatch {
				delete(f.Stages, f.Stage)
			}
		}
		if b := m.Briefing; b != nil && b.Status == StatusFailed && strings.Contains(b.Reason, llm.ErrDeferred.Error()) {
			b.Status, b.Reason = StatusPending, reasonBatch
		}
	})
}

// write saves a round's input file as <cache>/batches/<round>.jsonl.
func (w *batchRun) write(lines []llm.BatchLine) ([]byte, string, error) {
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

func (w *batchRun) submit(ctx context.Context, round int, data []byte, path string, n int) error {
	st := batchState{Round: strings.TrimSuffix(filepath.Base(path), ".jsonl"), JSONL: path, Requests: n,
		Status: "uploading", Submitted: time.Now().UTC()}
	if err := w.save(st); err != nil {
		return err
	}
	fid, err := w.bo.Client.UploadBatchInput(ctx, filepath.Base(path), data)
	if err != nil {
		return fmt.Errorf("batch round %d: %w", round, err)
	}
	st.InputFileID = fid
	job, err := w.bo.Client.CreateBatch(ctx, fid)
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
func (w *batchRun) resume(ctx context.Context) error {
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
func (w *batchRun) wait(ctx context.Context, st batchState) error {
	last, fails := "", 0
	for {
		job, err := w.bo.Client.GetBatch(ctx, st.BatchID)
		var apiErr *llm.APIError
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
		if err := sleep(ctx, w.bo.Poll); err != nil {
			return fmt.Errorf("batch %s still running; rerun with --batch to resume it: %w", st.BatchID, err)
		}
	}
}

// collect downloads a finished batch's output and error files into the
// response store.
func (w *batchRun) collect(ctx context.Context, st batchState, job llm.BatchJob) error {
	var n llm.IngestCounts
	for _, id := range []string{job.OutputFileID, job.ErrorFileID} {
		if id == "" {
			continue
		}
		data, err := w.bo.Client.BatchFile(ctx, id)
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

func (w *batchRun) ingestFile(path string) error {
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

func (w *batchRun) statePath() string { return filepath.Join(w.dir, "state.json") }

func (w *batchRun) save(st batchState) error {
	raw, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := store.WriteFile(w.statePath(), append(raw, '\n'), 0o644); err != nil {
		return fmt.Errorf("batch state: %w", err)
	}
	return nil
}

func (w *batchRun) load() (batchState, bool) {
	var st batchState
	raw, err := os.ReadFile(w.statePath())
	if err != nil || json.Unmarshal(raw, &st) != nil {
		return st, false
	}
	return st, true
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stageCarry keeps, per file and stage, the stats of the pass that did the
// work, so that the final pass (where every stage comes from the cache)
// reports the requests and tokens the batches really cost.
type stageCarry map[string]map[string]*news.Stats

func fromCache(s *news.Stats) bool { return s != nil && s.Cached > 0 && s.Requests == 0 }

func (c stageCarry) add(m *Manifest) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, f := range m.Files {
		for stage, s := range f.Stages {
			// A pending file's stats for the stage it waits on are those
			// of requests deferred, not done.
			done := f.Status != StatusPending || stageOrder[stage] < stageOrder[f.Stage]
			if !done || s == nil || fromCache(s) {
				continue
			}
			if c[f.Stem] == nil {
				c[f.Stem] = map[string]*news.Stats{}
			}
			c[f.Stem][stage] = s
		}
	}
}

func (c stageCarry) apply(m *Manifest) {
	_ = m.update(true, func() {
		for _, f := range m.Files {
			changed := false
			for stage, s := range f.Stages {
				if p := c[f.Stem][stage]; p != nil && fromCache(s) {
					f.Stages[stage], changed = p, true
				}
			}
			if changed && f.Status == StatusCached {
				f.Status = StatusOK
			}
		}
	})
}
