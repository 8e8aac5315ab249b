package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/news"
)

// A batch-mode run is passes and rounds: translations first, then the
// summaries they unblock, then the briefing; the last pass asks nothing.
func TestRunBatchRounds(t *testing.T) {
	e := &fakeBatcher{fakeEngine: &fakeEngine{}}
	opt := options(t, e)
	opt.Batch = &BatchOptions{Submit: true}
	res, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if e.sends != 3 {
		t.Errorf("%d rounds, want 3 (translations, summaries, briefing)", e.sends)
	}
	m := res.Manifest
	if m.Status != RunComplete || m.Briefing == nil || m.Briefing.Status != StatusOK {
		t.Fatalf("status %s, briefing %+v", m.Status, m.Briefing)
	}
	for _, stem := range frenchStems {
		f := records(m)[stem]
		// The last pass took every stage from the cache; the manifest
		// still says what the rounds cost.
		if f.Status != StatusOK {
			t.Errorf("%s: %s, want ok (its work was done by the batches)", stem, f.Status)
		}
		if s := f.Stages[news.StageTranslate]; s == nil || s.Requests != 1 {
			t.Errorf("%s: translate stats %+v, want the request the round answered", stem, s)
		}
	}
	if !strings.Contains(strings.Join(m.Notes, "\n"), "fake batch: ") {
		t.Errorf("notes %q lack the batch summary", m.Notes)
	}
	if e.open {
		t.Error("the batch was left open")
	}
}

// Write-only: the first round is written and the run stops, its files
// waiting for the batch; nothing was sent, so no stats are owed.
func TestRunBatchWriteOnly(t *testing.T) {
	e := &fakeBatcher{fakeEngine: &fakeEngine{}}
	opt := options(t, e)
	opt.Batch = &BatchOptions{}
	res, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Manifest
	if e.sends != 1 || m.Status != RunWaitingForBatch {
		t.Fatalf("%d rounds, status %s; want 1, waiting_for_batch", e.sends, m.Status)
	}
	for _, stem := range frenchStems {
		f := records(m)[stem]
		if f.Status != StatusPending || f.Reason != reasonBatch || f.Stage != news.StageTranslate {
			t.Errorf("%s: %s at %s (%s), want pending at translate: %s", stem, f.Status, f.Stage, f.Reason, reasonBatch)
		}
		if f.Stages[news.StageTranslate] != nil {
			t.Errorf("%s: stats kept for a deferred translation", stem)
		}
	}
	if m.Briefing != nil {
		t.Errorf("briefed a partial set: %+v", m.Briefing)
	}
	if e.count("translate ") != 0 {
		t.Error("a deferred request reached the engine")
	}
}

// --dry-run in batch mode is one ordinary dry pass.
func TestRunBatchDryRun(t *testing.T) {
	e := &fakeBatcher{fakeEngine: &fakeEngine{}}
	opt := options(t, e)
	opt.Batch, opt.DryRun = &BatchOptions{Submit: true}, true
	res, err := Run(context.Background(), opt)
	if err != nil || res.DryRun == nil || e.sends != 0 || e.open {
		t.Fatalf("dry run: %v, report %v, %d rounds, open %v", err, res.DryRun, e.sends, e.open)
	}
}
