package llm

import (
	"context"
	"errors"
	"sync"
)

// Parallel runs call(ctx, i) for i in [0, n), at most limit at a time (the
// client bounds the requests of the whole run; limit only bounds the
// goroutines of one caller). The first failure cancels the calls not yet
// done, except a deferral to a batch (ErrDeferred), since the siblings must
// be collected into the same batch round. It returns the error that caused
// the cancellation, not its echoes, preferring one that says the request
// was too big (Shrink), which the caller answers by sizing every call again.
func Parallel(ctx context.Context, n, limit int, call func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			errs[i] = call(ctx, i)
			if errs[i] != nil && !errors.Is(errs[i], ErrDeferred) {
				cancel()
			}
		}()
	}
	wg.Wait()
	return firstCause(errs)
}

// firstCause picks, among the errors of sibling calls, the one to report:
// a too-big request first, then any other real failure, then a deferral,
// then a cancellation.
func firstCause(errs []error) error {
	var real, deferred, cancelled error
	for _, err := range errs {
		switch {
		case err == nil:
		case Shrink(err):
			return err
		case errors.Is(err, ErrDeferred):
			if deferred == nil {
				deferred = err
			}
		case errors.Is(err, context.Canceled):
			if cancelled == nil {
				cancelled = err
			}
		case real == nil:
			real = err
		}
	}
	switch {
	case real != nil:
		return real
	case deferred != nil:
		return deferred
	}
	return cancelled
}
