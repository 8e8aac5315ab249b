package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// failure is one failed attempt, classified.
type failure struct {
	err       error         // what Chat returns if this is the last attempt (redacted)
	retry     bool          // worth another attempt
	throttled bool          // 429: the endpoint asks us to slow down
	health    bool          // counts against the endpoint's health (not 4xx)
	after     time.Duration // server's Retry-After, 0 if none
	reason    string        // one line for Response.Retries
	status    int           // 0 for network errors
	body      string        // the error body, redacted
}

// retryableStatus lists the answers that may succeed if sent again: rate
// limits, timeouts, conflicts (some gateways answer 409 on overload) and
// every server-side error.
func retryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || code == http.StatusRequestTimeout ||
		code == http.StatusConflict || code >= 500
}

// statusFailure classifies an HTTP error answer from the body and headers
// the transport captured.
func statusFailure(a *attempt, endpoint, key string) failure {
	body := Redact(string(a.errBody), key)
	msg := Redact(serverMessage([]byte(body)), key)
	if msg == "" {
		msg = http.StatusText(a.status)
	}
	e := &APIError{Status: a.status, Message: msg, Endpoint: endpoint}
	f := failure{err: e, status: a.status, body: body, reason: fmt.Sprintf("%d %s", a.status, http.StatusText(a.status))}
	if refuses(a.status, body) {
		e.kind = ErrContextLength
		return f
	}
	if !retryableStatus(a.status) {
		return f
	}
	f.retry = true
	f.health = a.status != http.StatusTooManyRequests
	f.throttled = a.status == http.StatusTooManyRequests
	if d, ok := retryAfter(a.header.Get("Retry-After"), time.Now()); ok {
		f.after = d
		f.reason = fmt.Sprintf("%d (Retry-After %s)", a.status, d.Round(time.Second))
	}
	return f
}

// networkFailure classifies an error that came without an HTTP answer.
// Its message is redacted; only sentinels survive in its chain.
func networkFailure(err error, endpoint, key string) failure {
	msg := Redact(err.Error(), key)
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return failure{retry: true, health: true, reason: "timeout",
			err: &safeError{fmt.Sprintf("%s: timeout: %s", endpoint, msg), context.DeadlineExceeded}}
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.EPIPE):
		return failure{retry: true, health: true, reason: "connection reset",
			err: &safeError{fmt.Sprintf("%s: connection reset: %s", endpoint, msg), nil}}
	case errors.Is(err, syscall.ECONNREFUSED):
		return failure{retry: true, health: true, reason: "connection refused",
			err: &safeError{fmt.Sprintf("%s: connection refused: %s", endpoint, msg), nil}}
	}
	var op *net.OpError
	var dns *net.DNSError
	if errors.As(err, &op) || errors.As(err, &dns) {
		return failure{retry: true, health: true, reason: "network error",
			err: &safeError{fmt.Sprintf("%s: %s", endpoint, msg), nil}}
	}
	return failure{err: &safeError{fmt.Sprintf("%s: %s", endpoint, msg), nil}}
}

// retryAfter parses a Retry-After value: delay-seconds or an HTTP-date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s * float64(time.Second)), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	// HTTP-dates have one-second resolution: round up so we never come back
	// a fraction of a second too early.
	d := t.Sub(now).Truncate(time.Second) + time.Second
	if t.Sub(now) <= 0 {
		d = 0
	}
	return d, true
}

// backoff is "full jitter" exponential backoff: a uniform wait in
// [0, min(max, base·2^n)), which spreads retrying clients apart.
func backoff(n int, base, maxWait time.Duration) time.Duration {
	ceil := base
	for i := 0; i < n && ceil < maxWait; i++ {
		ceil *= 2
	}
	ceil = min(ceil, maxWait)
	if ceil <= 0 {
		return 0
	}
	return rand.N(ceil)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
