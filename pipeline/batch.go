package pipeline

import (
	"context"
	"errors"
	"time"

	"github.com/depeche-news/depeche/pipeline/engine"
	"github.com/depeche-news/depeche/pipeline/news"
)

// Batch mode (`depeche run --batch`) is the ordinary run in passes while
// the engine collects its model requests instead of sending them
// (engine.Batcher). What a pass collects is one round, which the engine
// gets answered as one Batch API job; the next pass finds those answers and
// gets further: translations unblock summaries, summaries the briefing. A
// pass that collects nothing is an ordinary complete run.

// BatchOptions turn a run into batch rounds.
type BatchOptions struct {
	Submit bool          // submit each round and wait for it; false: write the round's JSONL and stop
	Poll   time.Duration // between status checks; 0 = 30s
	Ingest string        // a Batch API output file (OpenAI, vLLM run_batch) to store before the first pass
}

// ErrNoBatch is returned by Run when batch mode is asked of an engine that
// has no batch API (one that does not implement engine.Batcher).
var ErrNoBatch = errors.New("batch mode needs the llm engine (engine: llm and llm.base_url): the offline engine has no batch API")

// reasonBatch is a pending file's reason while its requests are in a batch.
const reasonBatch = "waiting for batch"

// runRounds is a batch-mode run: passes over the files, each followed by
// the round of what it collected, until a pass collects nothing, the run
// is interrupted or its budget is spent, or a round is only written.
func runRounds(ctx context.Context, opt Options, e engine.Batcher) (*Result, error) {
	bo := *opt.Batch
	if bo.Poll <= 0 {
		bo.Poll = 30 * time.Second
	}
	b, err := e.StartBatch(ctx, engine.BatchOptions{CacheDir: cacheDir(opt), Force: opt.Force,
		Submit: bo.Submit, Poll: bo.Poll, Ingest: bo.Ingest, Notes: opt.Stderr})
	if err != nil {
		return nil, err
	}
	defer b.Close()
	carry := stageCarry{}
	for round := 1; ; round++ {
		res, err := runPass(ctx, opt, b)
		if res == nil {
			return nil, err
		}
		carry.add(res.Manifest)
		if b.Pending() == 0 || ctx.Err() != nil || errors.Is(err, ErrBudget) {
			carry.apply(res.Manifest)
			if note := b.Summary(); note != "" {
				m := res.Manifest
				_ = m.update(true, func() { m.Notes = append(m.Notes, note) })
			}
			return res, err
		}
		markWaiting(res.Manifest)
		answered, err := b.Send(ctx, round)
		if err != nil {
			if ctx.Err() != nil {
				_ = res.Manifest.update(true, func() { res.Manifest.Status = RunInterrupted })
			}
			return res, err
		}
		if !answered {
			return res, nil
		}
	}
}

// markWaiting marks a pass's manifest as waiting for a batch rather than
// complete. The stats of a stage that only deferred its requests are
// dropped: nothing was sent, nothing is owed yet.
func markWaiting(m *Manifest) {
	_ = m.update(true, func() {
		m.Status = RunWaitingForBatch
		for _, f := range m.Files {
			if f.Status == StatusPending && f.Reason == reasonBatch {
				delete(f.Stages, f.Stage)
			}
		}
	})
}

// stageCarry keeps, per file and stage, the stats of the pass that did the
// work, so that the final pass (where every stage comes from the cache)
// reports the requests and tokens the batches really cost.
type stageCarry map[string]map[news.Stage]*news.Stats

func fromCache(s *news.Stats) bool { return s != nil && s.Cached > 0 && s.Requests == 0 }

func (c stageCarry) add(m *Manifest) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, f := range m.Files {
		for stage, s := range f.Stages {
			// A pending file's stats for the stage it waits on are those
			// of requests deferred, not done.
			done := f.Status != StatusPending || stage.Order() < f.Stage.Order()
			if !done || s == nil || fromCache(s) {
				continue
			}
			if c[f.Stem] == nil {
				c[f.Stem] = map[news.Stage]*news.Stats{}
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
