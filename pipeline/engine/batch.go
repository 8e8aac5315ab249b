package engine

import (
	"context"
	"io"
	"time"
)

// Batcher is the optional interface of an engine that can send its model
// requests as OpenAI Batch API rounds (half price, answers within a day)
// instead of one by one. The runner finds it with a type assertion when a
// run asks for batch mode, and drives the rounds; an engine without it
// (the offline engine) simply cannot run in batch mode.
type Batcher interface {
	// StartBatch puts the engine in batch mode until the returned Batch is
	// closed: from then on, a request the engine holds no stored answer
	// for is collected for the next round and fails with ErrDeferred.
	// It first stores the answers of opt.Ingest and, with opt.Submit, waits
	// for a round an earlier run submitted and did not see end.
	StartBatch(ctx context.Context, opt BatchOptions) (Batch, error)
}

// BatchOptions configure batch mode.
type BatchOptions struct {
	// CacheDir holds what batch mode keeps between runs: the stored
	// answers and the state of the round in flight.
	CacheDir string
	// Force asks again what earlier runs' batches answered.
	Force bool
	// Submit sends each round and waits for it; false only writes the
	// round's Batch API input file for the user to run elsewhere.
	Submit bool
	// Poll is the time between status checks of a submitted round.
	Poll time.Duration
	// Ingest is a Batch API output file whose answers are stored first.
	Ingest string
	// Notes receives one line per step (submitted, progress, stored).
	Notes io.Writer
}

// Batch is an engine in batch mode, between the runner's passes.
type Batch interface {
	// Pending returns how many requests were collected since the last Send:
	// zero after a pass means the pass needed nothing more.
	Pending() int
	// Send gets the collected requests answered as one round. With Submit
	// it submits them as one batch job, waits for it and stores its
	// answers for the next pass, and returns true; without, it writes
	// them as an input file, says where, and returns false: the run stops
	// until the user brings the answers back (BatchOptions.Ingest).
	Send(ctx context.Context, round int) (answered bool, err error)
	// Summary says which batches answered how much, for the manifest; ""
	// when no batch answered anything.
	Summary() string
	// Close returns the engine to sending its requests live.
	Close() error
}
