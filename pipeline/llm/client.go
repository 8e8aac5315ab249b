// Package llm is depeche's client for OpenAI-compatible chat endpoints. It
// wraps go-openai and adds what a batch of thousands of calls against paid
// or home-grown servers needs: a real per-request timeout, temperature 0
// actually sent, retries with backoff that honour Retry-After, AIMD
// concurrency per endpoint, fail-over between several endpoints, a token
// budget, structured-output fallback, usage totals, and an API key that
// never appears in an error or a log line.
package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/depeche-news/depeche/pipeline/news"
)

// Message is one chat message. Role is "system", "user" or "assistant".
type Message struct{ Role, Content string }

// Schema asks for structured output matching a JSON schema.
type Schema struct {
	Name   string          // e.g. "article_summary"
	Schema json.RawMessage // a JSON schema object
}

// Request is one chat call.
type Request struct {
	Stage      string // "translate", "review", "summarize", "brief-map", "brief-reduce": logs, stats, header X-Depeche-Stage
	Model      string // per-stage override; "" = the endpoint's configured model
	Messages   []Message
	MaxTokens  int     // 0 = Config.MaxTokens
	JSONSchema *Schema // structured output; falls back to json_object, then plain, on endpoints that reject it
}

// Response is the answer to a Request. The client reads the server's
// signals for the stages (servers.go): Cut and Truncated say, whatever the
// server's wording, that the answer cannot be trusted whole; the limits the
// client learned from them are in Client.Limits.
type Response struct {
	Content      string // assistant text as returned, minus thinking aloud (see Reasoning)
	Reasoning    string // <think>…</think> blocks the model put in its answer, removed from Content
	FinishReason string // "stop", "length", ...
	// Cut: the answer stopped at a token limit (the request's max_tokens or
	// a cap of the server's own) and is incomplete.
	Cut bool
	// Truncated: the server reported far fewer prompt tokens than were sent,
	// so it silently cut the prompt to its context (Ollama does).
	Truncated bool
	Usage     news.Usage // as reported by the server (0s if it reported none)
	Model     string     // model that answered
	Endpoint  string     // base URL that answered (never contains the key)
	Attempts  int        // 1 + retries
	Retries   []string   // one line per retry and why
}

// EndpointConfig is one server. Weight spreads load between endpoints;
// Concurrency is the most requests in flight to it at once.
type EndpointConfig struct {
	BaseURL, Model      string
	Weight, Concurrency int
}

// Config configures a Client. Zero durations and counts take the defaults
// noted; Temperature nil leaves the server's default.
type Config struct {
	Endpoints      []EndpointConfig // at least one
	APIKey         string           // may be "" for local servers
	Timeout        time.Duration    // per HTTP request (streaming: longest silence); 0 = 2m
	Temperature    *float64         // non-nil is always sent, including 0
	MaxTokens      int              // 0 = not sent
	TokenParam     string           // "auto" (or "") | "max_tokens" | "max_completion_tokens"
	Extra          map[string]any   // merged into every request body; wins over the fields above
	MaxAttempts    int              // per call, including the first; 0 = 5
	MaxRetryWait   time.Duration    // cap on total waiting between retries of one call; 0 = 2m
	MaxTotalTokens int64            // 0 = unlimited
	Stream         bool
	// Server is the servers' family ("" or "auto" = guessed from each base
	// URL): what the client expects of their limits (servers.go).
	Server Family
	// LimitsFile keeps the limits learned from the servers (refusals,
	// answer caps, silent truncation) for the next run; "" = this run only.
	// IgnoreStoredLimits starts from none (they are still saved).
	LimitsFile         string
	IgnoreStoredLimits bool
	Logger             *slog.Logger // one line per HTTP request; nil = silent
	// OnProgress reports streaming progress: the completion tokens of each
	// streamed delta (estimated), so a caller can sum them across requests
	// for a tokens/s display. It runs on the goroutine that called Chat, so
	// it is called concurrently when Chat is. May be nil.
	OnProgress func(stage string, completionTokens int)
	// OnEvent reports each attempt and each wait before a retry (events.go),
	// for a progress display; called concurrently. May be nil.
	OnEvent func(Event)

	Backoff  time.Duration // ceiling of the first retry's jittered wait, doubling after; 0 = 1s
	Cooldown time.Duration // first time an endpoint is taken out after failing; 0 = 30s
}

// Totals are the client's counters since New.
type Totals struct {
	Requests     int // HTTP requests sent
	Retries      int
	Usage        news.Usage
	PeakInFlight int
}

// Client sends chat requests. It is safe for concurrent use.
type Client struct {
	cfg Config
	eps []*endpoint
	log *slog.Logger

	mu       sync.Mutex
	totals   Totals
	inFlight int
	spent    int64  // tokens counted against MaxTotalTokens
	reserved int64  // tokens of requests in flight, not yet settled
	batch    *Batch // non-nil: batch mode (SetBatch)

	book *limitBook // limits learned per endpoint and model
}

// New checks cfg and builds a Client.
func New(cfg Config) (*Client, error) {
	if len(cfg.Endpoints) == 0 {
		return nil, errors.New("llm: no endpoint configured (llm.base_url)")
	}
	switch cfg.TokenParam {
	case "":
		cfg.TokenParam = "auto"
	case "auto", "max_tokens", "max_completion_tokens":
	default:
		return nil, fmt.Errorf("llm: token_param %q: want auto, max_tokens or max_completion_tokens", cfg.TokenParam)
	}
	setDefault(&cfg.Timeout, 2*time.Minute)
	setDefault(&cfg.MaxRetryWait, 2*time.Minute)
	setDefault(&cfg.Backoff, time.Second)
	setDefault(&cfg.Cooldown, 30*time.Second)
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 5
	}
	switch cfg.Server {
	case "", "auto":
		cfg.Server = ""
	default:
		if _, ok := servers[cfg.Server]; !ok {
			return nil, fmt.Errorf("llm: server %q: want auto or one of %v", cfg.Server, Families)
		}
	}
	c := &Client{cfg: cfg, log: cfg.Logger}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.book = openBook(cfg.LimitsFile, cfg.IgnoreStoredLimits, c.log)
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 64
	rt := &transport{base: base}
	for i, e := range cfg.Endpoints {
		u, err := url.Parse(e.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("llm: endpoint %d: base URL %q: want http(s)://host[:port]/path", i+1, displayURL(e.BaseURL))
		}
		family := cfg.Server
		if family == "" {
			family = detectFamily(e.BaseURL)
		}
		ep := &endpoint{
			name:   displayURL(e.BaseURL),
			family: family,
			model:  e.Model,
			weight: max(e.Weight, 1),
			lim:    newLimiter(defaultInt(e.Concurrency, 4)),
			api:    newAPI(strings.TrimRight(e.BaseURL, "/"), cfg.APIKey, cfg.Timeout, rt),
		}
		ep.schema = ep.server().schemaStart
		c.eps = append(c.eps, ep)
	}
	return c, nil
}

func setDefault(d *time.Duration, v time.Duration) {
	if *d <= 0 {
		*d = v
	}
}

func defaultInt(n, v int) int {
	if n <= 0 {
		return v
	}
	return n
}

// Model returns the default model of the first endpoint.
func (c *Client) Model() string { return c.eps[0].model }

// Endpoint returns the base URL of the first endpoint, without credentials.
func (c *Client) Endpoint() string { return c.eps[0].name }

// Totals returns the counters so far.
func (c *Client) Totals() Totals {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.totals
}

// Models lists the models the first endpoint serves (GET {base_url}/models).
func (c *Client) Models(ctx context.Context) ([]string, error) { return c.ModelsAt(ctx, 0) }

// tokenParam names the body field for the completion limit, as the
// endpoint's family wants it unless llm.token_param says otherwise.
func (c *Client) tokenParam(ep *endpoint, model string) string {
	if c.cfg.TokenParam != "auto" {
		return c.cfg.TokenParam
	}
	return ep.server().completionParam(model)
}

func reasoningModel(m string) bool {
	if strings.HasPrefix(m, "gpt-5") {
		return true
	}
	return len(m) >= 2 && m[0] == 'o' && m[1] >= '1' && m[1] <= '9'
}

// bodyFields are the fields the transport writes over go-openai's body.
func (c *Client) bodyFields(ep *endpoint, model string, maxTokens int) map[string]any {
	set := map[string]any{}
	if c.cfg.Temperature != nil {
		set["temperature"] = *c.cfg.Temperature
	}
	if maxTokens > 0 {
		set[c.tokenParam(ep, model)] = maxTokens
	}
	merge(set, c.cfg.Extra)
	return set
}

// reserve books n tokens against the budget before a request is sent.
func (c *Client) reserve(n int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cfg.MaxTotalTokens > 0 && c.spent+c.reserved+n > c.cfg.MaxTotalTokens {
		return fmt.Errorf("%w: %d tokens used or in flight, this request may need %d more, limit %d",
			ErrBudget, c.spent+c.reserved, n, c.cfg.MaxTotalTokens)
	}
	c.reserved += n
	return nil
}

// settle replaces a reservation by what the request actually cost.
func (c *Client) settle(reserved, used int64) {
	c.mu.Lock()
	c.reserved -= reserved
	c.spent += used
	c.mu.Unlock()
}

func (c *Client) enter() {
	c.mu.Lock()
	c.inFlight++
	c.totals.Requests++
	c.totals.PeakInFlight = max(c.totals.PeakInFlight, c.inFlight)
	c.mu.Unlock()
}

func (c *Client) leave(u news.Usage) {
	c.mu.Lock()
	c.inFlight--
	c.totals.Usage = c.totals.Usage.Add(u)
	c.mu.Unlock()
}

func (c *Client) retried() {
	c.mu.Lock()
	c.totals.Retries++
	c.mu.Unlock()
}
