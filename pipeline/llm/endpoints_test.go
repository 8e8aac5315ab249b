package llm

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

func TestFailover(t *testing.T) {
	bad := llmtest.New(t, llmtest.Always(llmtest.ServerError()))
	good := llmtest.New(t, llmtest.Text("ok"))
	var logs logBuffer
	c := newTestClient(t, good, func(c *Config) {
		c.Endpoints = []EndpointConfig{
			{BaseURL: bad.URL(), Model: "m", Weight: 1, Concurrency: 2},
			{BaseURL: good.URL(), Model: "m", Weight: 1, Concurrency: 2},
		}
		c.MaxAttempts = 2
		c.Backoff = time.Second // fail-over must not wait for it
		c.Logger = logs.logger()
	})
	start := time.Now()
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() {
			resp, err := c.Chat(context.Background(), Request{Messages: user("x")})
			if err != nil {
				t.Error(err)
				return
			}
			if resp.Endpoint != good.URL() {
				t.Errorf("answered by %s", resp.Endpoint)
			}
		})
	}
	wg.Wait()
	if good.Count() != 12 {
		t.Errorf("good endpoint saw %d calls, want 12", good.Count())
	}
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Errorf("fail-over waited: %s", d)
	}
	// Three failures in a row take the bad endpoint out for the cool-down:
	// later calls do not touch it.
	before := bad.Count()
	if before < failThreshold {
		t.Fatalf("bad endpoint saw only %d calls", before)
	}
	for range 10 {
		if _, err := c.Chat(context.Background(), Request{Messages: user("x")}); err != nil {
			t.Fatal(err)
		}
	}
	if bad.Count() != before || good.Count() != 22 {
		t.Errorf("after cool-down began: bad %d→%d calls, good %d", before, bad.Count(), good.Count())
	}
	if !(strings.Contains(logs.String(), "taken out") && strings.Contains(logs.String(), bad.URL())) {
		t.Errorf("no cool-down logged: %s", logs.String())
	}
}

func TestPickPrefersLeastLoadedByWeight(t *testing.T) {
	a := &endpoint{name: "a", weight: 1, lim: newLimiter(8)}
	b := &endpoint{name: "b", weight: 3, lim: newLimiter(8)}
	eps := []*endpoint{a, b}
	now := time.Now()
	counts := map[string]int{}
	for range 8 {
		e := pick(eps, nil, now)
		counts[e.name]++
		e.lim.acquire(context.Background())
	}
	if counts["a"] != 2 || counts["b"] != 6 {
		t.Errorf("spread %v, want a:2 b:6", counts)
	}
	if e := pick(eps, b, now); e != a {
		t.Errorf("avoid ignored: %s", e.name)
	}
	// Cooling down: skipped while another is healthy, used when none is.
	b.downUntil = now.Add(time.Minute)
	a.downUntil = now.Add(time.Second)
	if e := pick(eps, nil, now); e != a {
		t.Errorf("all down: got %s, want the one back first", e.name)
	}
}

func TestCooldownDoubles(t *testing.T) {
	e := &endpoint{}
	now := time.Now()
	var got []time.Duration
	for range 3 * failThreshold {
		if d, out := e.failed(now, time.Second); out {
			got = append(got, d)
		}
	}
	if len(got) != 3 || got[0] != time.Second || got[1] != 2*time.Second || got[2] != 4*time.Second {
		t.Errorf("cool-downs %v", got)
	}
	e.ok()
	for range failThreshold - 1 {
		if _, out := e.failed(now, time.Second); out {
			t.Error("taken out before the threshold after a success")
		}
	}
}
