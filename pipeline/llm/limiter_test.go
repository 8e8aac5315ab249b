package llm

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

func TestLimiterAIMD(t *testing.T) {
	l := newLimiter(8)
	ctx := context.Background()
	e, _ := l.acquire(ctx)
	l.release()
	l.throttled(e)
	if l.current() != 4 {
		t.Fatalf("after a 429: %d, want 4", l.current())
	}
	l.throttled(e) // same burst: no second halving
	if l.current() != 4 {
		t.Fatalf("same-epoch 429 halved again: %d", l.current())
	}
	for _, want := range []int{2, 1, 1} {
		e, _ = l.acquire(ctx)
		l.release()
		l.throttled(e)
		if l.current() != want {
			t.Fatalf("limit %d, want %d", l.current(), want)
		}
	}
	// Additive increase: +1 after as many successes as the current limit.
	steps := []struct{ successes, want int }{{1, 2}, {1, 2}, {1, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}, {7, 8}, {100, 8}}
	for _, s := range steps {
		for range s.successes {
			l.succeeded()
		}
		if l.current() != s.want {
			t.Fatalf("after %d more successes: %d, want %d", s.successes, l.current(), s.want)
		}
	}
}

func TestLimiterBlocksAndHonoursContext(t *testing.T) {
	l := newLimiter(1)
	if _, err := l.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := l.acquire(ctx); err == nil {
		t.Fatal("second acquire got a slot past the limit")
	}
	got := make(chan struct{})
	go func() {
		if _, err := l.acquire(context.Background()); err == nil {
			close(got)
		}
	}()
	l.release()
	select {
	case <-got:
	case <-time.After(2 * time.Second):
		t.Fatal("waiter not woken by release")
	}
	if l.load() != 1 {
		t.Errorf("load = %d", l.load())
	}
}

func TestConcurrencyBound(t *testing.T) {
	s := llmtest.New(t, llmtest.Slow(20*time.Millisecond, llmtest.Text("ok")))
	c := newTestClient(t, s, func(c *Config) { c.Endpoints[0].Concurrency = 3 })
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := c.Chat(context.Background(), Request{Messages: user("x")}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := s.PeakInFlight(); p > 3 || p < 2 {
		t.Errorf("server peak in flight %d, want 2..3", p)
	}
	if tot := c.Totals(); tot.PeakInFlight > 3 || tot.Requests != 20 {
		t.Errorf("totals %+v", tot)
	}
}

func TestAIMDOnServer429(t *testing.T) {
	s := llmtest.New(t, llmtest.Times(1, llmtest.RateLimited("0"), llmtest.Text("ok")))
	c := newTestClient(t, s, func(c *Config) { c.Endpoints[0].Concurrency = 8 })
	if _, err := c.Chat(context.Background(), Request{Messages: user("x")}); err != nil {
		t.Fatal(err)
	}
	lim := c.eps[0].lim
	// The 429 halved 8 to 4; the success that followed is one of the four
	// needed to grow back.
	if lim.current() != 4 {
		t.Fatalf("limit after 429 = %d, want 4", lim.current())
	}
	for range 3 + 5 + 6 + 7 {
		if _, err := c.Chat(context.Background(), Request{Messages: user("x")}); err != nil {
			t.Fatal(err)
		}
	}
	if lim.current() != 8 {
		t.Errorf("limit after recovery = %d, want 8", lim.current())
	}
}
