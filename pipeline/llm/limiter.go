package llm

import (
	"context"
	"sync"
)

// limiter bounds the requests in flight to one endpoint and adapts the
// bound AIMD-style, the way TCP does: a 429 halves it, and it grows back by
// one after as many successes as the current limit, up to the configured
// concurrency. It never drops below 1.
type limiter struct {
	mu      sync.Mutex
	ceiling int // configured concurrency
	limit   int // current bound
	inUse   int
	waiting int
	wins    int // successes since the limit last grew
	// epoch counts decreases. A 429 only halves the limit if its request
	// was admitted in the current epoch, so one burst of 429s from requests
	// that were all in flight together halves once, not once per request.
	epoch int
	wake  chan struct{} // closed (and replaced) when a slot may have freed
}

func newLimiter(n int) *limiter {
	n = max(n, 1)
	return &limiter{ceiling: n, limit: n, wake: make(chan struct{})}
}

// acquire blocks until a slot is free or ctx is done. It returns the epoch
// to hand back to throttled.
func (l *limiter) acquire(ctx context.Context) (int, error) {
	l.mu.Lock()
	for l.inUse >= l.limit {
		ch := l.wake
		l.waiting++
		l.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			l.mu.Lock()
			l.waiting--
			l.mu.Unlock()
			return 0, ctx.Err()
		}
		l.mu.Lock()
		l.waiting--
	}
	l.inUse++
	e := l.epoch
	l.mu.Unlock()
	return e, nil
}

// release frees a slot taken by acquire.
func (l *limiter) release() {
	l.mu.Lock()
	l.inUse--
	l.broadcast()
	l.mu.Unlock()
}

// succeeded is the additive increase.
func (l *limiter) succeeded() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.limit >= l.ceiling {
		return
	}
	l.wins++
	if l.wins >= l.limit {
		l.limit++
		l.wins = 0
		l.broadcast()
	}
}

// throttled is the multiplicative decrease, for a request admitted in
// epoch.
func (l *limiter) throttled(epoch int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if epoch != l.epoch {
		return
	}
	l.epoch++
	l.limit = max(1, l.limit/2)
	l.wins = 0
}

// load is the requests in flight or queued.
func (l *limiter) load() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inUse + l.waiting
}

// current returns the current limit.
func (l *limiter) current() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limit
}

// broadcast wakes every waiter; callers hold l.mu.
func (l *limiter) broadcast() {
	close(l.wake)
	l.wake = make(chan struct{})
}
