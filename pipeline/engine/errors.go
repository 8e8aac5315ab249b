package engine

import "errors"

// The errors an engine returns that change what the runner does next. An
// engine whose own layers have errors of their own translates them with
// Mark, so that the runner never needs to know those layers.
var (
	// ErrBudget is returned when a request would take the run past its
	// token budget (llm.max_total_tokens). Nothing was sent: the runner
	// starts no more work and ends the run cleanly, and a rerun with a
	// larger budget resumes where it stopped.
	ErrBudget = errors.New("token budget reached")

	// ErrDeferred is returned in batch mode when a request was collected
	// for the next batch round instead of being sent. Nothing failed: the
	// runner leaves the file pending until a later pass finds the answer.
	ErrDeferred = errors.New("deferred to the next batch")
)

// Mark returns an error that reads exactly as err and also matches kind
// (ErrBudget, ErrDeferred) with errors.Is. err itself still matches too.
func Mark(err, kind error) error {
	if err == nil || errors.Is(err, kind) {
		return err
	}
	return &marked{err: err, kind: kind}
}

type marked struct{ err, kind error }

func (e *marked) Error() string   { return e.err.Error() }
func (e *marked) Unwrap() []error { return []error{e.err, e.kind} }
