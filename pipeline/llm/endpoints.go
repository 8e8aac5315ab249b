package llm

import (
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Health policy: an endpoint that fails this many attempts in a row
// (timeouts, resets, 5xx — not 4xx, which are about the request) is taken
// out for a cool-down that doubles each time it is taken out again, up to
// maxCooldown; one success resets both.
const (
	failThreshold = 3
	maxCooldown   = 10 * time.Minute
)

// schema modes: how far an endpoint has made us fall back for structured
// output.
const (
	schemaJSONSchema = iota // response_format json_schema
	schemaJSONObject        // response_format json_object
	schemaNone              // no response_format
)

// endpoint is one configured server with its own limiter and health.
type endpoint struct {
	name   string // base URL without credentials, for logs and errors
	family Family
	model  string
	weight int
	lim    *limiter
	api    *api

	mu        sync.Mutex
	fails     int // consecutive failures counting against health
	downs     int // consecutive cool-downs
	downUntil time.Time
	schema    int
	// ratios are recent ratios of the prompt tokens the server reported to
	// our count, per model and stage (stages differ in language), from
	// answers that showed no truncation: what the server's tokenizer makes
	// of our count.
	ratios map[string][]float64
}

// How silent truncation is told from a tokenizer that merely counts
// differently: a prompt the server reports under truncatedBelow of our
// count was cut, whatever we know; once a few answers show how the
// server counts, one reported under calibratedBelow of what that predicts
// was cut too.
const (
	calibratedBelow = 0.85
	ratioSamples    = 15
	minSamples      = 3
)

// truncated reports whether a server that reported got prompt tokens for a
// prompt we counted as sent cut it, and otherwise learns from the pair.
func (e *endpoint) truncated(key string, got, sent int) bool {
	ratio := float64(got) / float64(max(sent, 1))
	if ratio < truncatedBelow {
		return true
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	rs := e.ratios[key]
	if len(rs) >= minSamples {
		sorted := slices.Clone(rs)
		slices.Sort(sorted)
		if ratio < calibratedBelow*sorted[len(sorted)/2] {
			return true
		}
	}
	if e.ratios == nil {
		e.ratios = map[string][]float64{}
	}
	if len(rs) == ratioSamples {
		rs = rs[1:]
	}
	e.ratios[key] = append(rs, ratio)
	return false
}

func (e *endpoint) healthy(now time.Time) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return !now.Before(e.downUntil)
}

// ok records a successful answer.
func (e *endpoint) ok() {
	e.mu.Lock()
	e.fails, e.downs = 0, 0
	e.mu.Unlock()
}

// failed records a failure that counts against health and reports whether
// the endpoint was just taken out, and for how long.
func (e *endpoint) failed(now time.Time, cooldown time.Duration) (time.Duration, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fails++
	if e.fails < failThreshold {
		return 0, false
	}
	d := cooldown
	for i := 0; i < e.downs && d < maxCooldown; i++ {
		d *= 2
	}
	d = min(d, maxCooldown)
	e.fails = 0
	e.downs++
	e.downUntil = now.Add(d)
	return d, true
}

func (e *endpoint) schemaMode() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.schema
}

// downgradeSchema remembers that the endpoint rejected mode; it returns
// false when there is nothing left to fall back to.
func (e *endpoint) downgradeSchema(mode int) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if mode >= schemaNone {
		return false
	}
	e.schema = max(e.schema, e.server().nextSchema(mode))
	return true
}

// server is the endpoint's row of the servers table.
func (e *endpoint) server() server {
	if s, ok := servers[e.family]; ok {
		return s
	}
	return servers[Generic]
}

// pick returns the endpoint for the next attempt: among the healthy ones,
// the least loaded relative to its weight, preferring any endpoint other
// than avoid (the one that just failed). When all are cooling down it
// returns the one that comes back first rather than failing the call.
func pick(eps []*endpoint, avoid *endpoint, now time.Time) *endpoint {
	var best *endpoint
	var bestScore float64
	for pass := 0; pass < 2 && best == nil; pass++ {
		for _, e := range eps {
			if !e.healthy(now) || (pass == 0 && e == avoid && len(eps) > 1) {
				continue
			}
			score := float64(e.lim.load()+1) / float64(e.weight)
			if best == nil || score < bestScore {
				best, bestScore = e, score
			}
		}
	}
	if best != nil {
		return best
	}
	var soonest time.Time
	for _, e := range eps {
		e.mu.Lock()
		until := e.downUntil
		e.mu.Unlock()
		if best == nil || until.Before(soonest) {
			best, soonest = e, until
		}
	}
	return best
}

// displayURL strips credentials and query from a base URL so it can be
// logged, cached on and written into front matter.
func displayURL(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return strings.TrimRight(base, "/")
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return strings.TrimRight(u.String(), "/")
}
