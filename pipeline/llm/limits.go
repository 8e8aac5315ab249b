package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/depeche-news/depeche/pipeline/store"
)

// Limits are what a server accepts, in tokens as CountTokens counts them:
// Context is the most prompt plus answer one request may hold, Answer the
// most one answer may hold. 0 means unknown.
type Limits struct {
	Context int `json:"context_tokens,omitempty"`
	Answer  int `json:"answer_tokens,omitempty"`
}

// Min returns the tighter of l and o, field by field, 0 counting as
// unknown rather than as zero.
func (l Limits) Min(o Limits) Limits {
	return Limits{Context: minKnown(l.Context, o.Context), Answer: minKnown(l.Answer, o.Answer)}
}

func minKnown(a, b int) int {
	switch {
	case a <= 0:
		return b
	case b <= 0:
		return a
	}
	return min(a, b)
}

// Limits returns the limits to plan a request for model ("" = each
// endpoint's own model) by: configured, tightened by what the servers
// have shown so far (their refusals, answer caps and silent truncations,
// this run or an earlier one). With several endpoints it is the tightest
// of them, since the request may go to any. A nil client knows nothing
// beyond configured.
func (c *Client) Limits(model string, configured Limits) Limits {
	out := configured
	if c == nil {
		return out
	}
	for _, ep := range c.eps {
		m := model
		if m == "" {
			m = ep.model
		}
		out = out.Min(c.book.get(ep.name, m))
	}
	return out
}

// Learning. A refusal that gives the numbers is exact; the margin absorbs
// the difference between the server's tokenizer and CountTokens from one
// text to the next.
const (
	limitMargin = 0.97
	// minLearned and minLearnedAnswer keep a server's odd report (a usage
	// of 3 prompt tokens, an answer cut after 5) from shrinking every later
	// request to nothing.
	minLearned       = 256
	minLearnedAnswer = 128
	// truncatedBelow: a server reporting fewer prompt tokens than this share
	// of what was sent has cut the prompt (Ollama does, silently, past
	// num_ctx).
	truncatedBelow = 0.6
	// cappedBelow: an answer cut at the token limit with fewer tokens than
	// this share of max_tokens met a cap of the server's own.
	cappedBelow = 0.95
	// contextFull: an answer cut when its prompt and itself reach this share
	// of the context learned stopped at the context, not at a cap.
	contextFull = 0.9
	// minTruncationCheck: prompts shorter than this are not judged for
	// silent truncation; the few tokens of chat framing each server counts
	// its own way weigh too much in them.
	minTruncationCheck = 100
)

// learnRefusal records the context a refusal states. est is our count of
// the refused prompt; the server's own count of it, when given, converts
// its context into our tokens. It returns the limits now known.
func (c *Client) learnRefusal(ep *endpoint, model string, est int, body string) Limits {
	ctx, prompt := refusalNumbers(body)
	if ctx <= 0 {
		return c.book.get(ep.name, model)
	}
	scale := 0.9 // the server's count of our prompt is unknown
	if prompt > 0 {
		scale = min(1, float64(est)/float64(prompt)) * limitMargin
	}
	return c.learn(ep, model, Limits{Context: int(float64(ctx) * scale)}, 0,
		fmt.Sprintf("refused a prompt of ~%d tokens: context of %d (its count of the prompt: %d)", est, ctx, prompt))
}

// learn tightens the limits known for ep and model, logs what changed and
// saves the book. total is, for a cap learned from a cut answer, the
// prompt and the answer that were cut (0 otherwise): a context learned
// later that total fills shows the cut was the context's, not a cap.
func (c *Client) learn(ep *endpoint, model string, l Limits, total int, why string) Limits {
	if l.Context > 0 {
		l.Context = max(l.Context, minLearned)
	}
	if l.Answer > 0 {
		l.Answer = max(l.Answer, minLearnedAnswer)
	}
	now, changed := c.book.tighten(ep.name, model, l, total)
	if changed {
		c.log.Warn("llm: learned a server limit", "endpoint", ep.name, "model", model,
			"context_tokens", now.Context, "answer_tokens", now.Answer, "because", why)
		if err := c.book.save(); err != nil {
			c.log.Warn("llm: limits not saved", "err", err)
		}
	}
	return now
}

// limitBook holds the limits learned per endpoint and model, and keeps
// them in a file so the next run starts knowing them.
type limitBook struct {
	path   string     // "" = not kept
	saveMu sync.Mutex // one save at a time, so an older snapshot never lands last

	mu sync.Mutex
	m  map[string]bookEntry
}

type bookEntry struct {
	Endpoint string `json:"endpoint"` // base URL, never with credentials
	Model    string `json:"model"`
	Limits   Limits `json:"limits"`
	// Cuts are the answers cut below the max_tokens asked that taught the
	// cap: their length and, with their prompt, the tokens they filled.
	// Limits.Answer is the longest not explained by the context.
	Cuts    []cut     `json:"cuts,omitempty"`
	Learned time.Time `json:"learned"`
}

// cut is an answer cut below the max_tokens asked.
type cut struct {
	Answer int `json:"answer"`
	Total  int `json:"total,omitempty"` // prompt plus answer; 0 when unknown
}

// maxCuts bounds the cuts an entry remembers.
const maxCuts = 16

type bookFile struct {
	Version int         `json:"version"`
	Entries []bookEntry `json:"entries"`
}

// openBook reads the limits kept at path (none when ignore is set, or the
// file is missing or unreadable: limits are learned again, not trusted
// half-read).
func openBook(path string, ignore bool, log *slog.Logger) *limitBook {
	b := &limitBook{path: path, m: map[string]bookEntry{}}
	if path == "" || ignore {
		return b
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			log.Warn("llm: learned limits not read", "err", err)
		}
		return b
	}
	var f bookFile
	if err := json.Unmarshal(raw, &f); err != nil {
		log.Warn("llm: learned limits not read", "file", path, "err", err)
		return b
	}
	for _, e := range f.Entries {
		b.m[e.Endpoint+"\x00"+e.Model] = e
	}
	return b
}

func (b *limitBook) get(endpoint, model string) Limits {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.m[endpoint+"\x00"+model].Limits
}

// tighten lowers the entry's context to l's where l's is tighter, adds
// l.Answer to the cuts seen (total: the prompt and the cut answer), and
// returns the limits now known and whether they changed. The answer cap is
// the longest cut that the context now known does not explain: requests
// planned in the first moments of a run, before the context was learned,
// see their answers stop where the context fills (llama.cpp, Ollama) and
// look capped, shorter than the real cap.
func (b *limitBook) tighten(endpoint, model string, l Limits, total int) (Limits, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	k := endpoint + "\x00" + model
	e := b.m[k]
	before := e.Limits
	e.Limits.Context = minKnown(e.Limits.Context, l.Context)
	if l.Answer > 0 {
		e.Cuts = append(e.Cuts, cut{Answer: l.Answer, Total: total})
		if len(e.Cuts) > maxCuts {
			e.Cuts = e.Cuts[len(e.Cuts)-maxCuts:]
		}
	}
	if len(e.Cuts) > 0 || l.Answer > 0 {
		// Each cut answer is no longer than the cap, and one cut by the
		// filling context is shorter still: the cap is the longest cut seen
		// that the context does not explain.
		e.Limits.Answer = 0
		for _, c := range e.Cuts {
			if e.Limits.Context > 0 && c.Total > 0 && float64(c.Total) >= contextFull*float64(e.Limits.Context) {
				continue
			}
			e.Limits.Answer = max(e.Limits.Answer, c.Answer)
		}
	}
	if e.Limits == before && l.Answer == 0 {
		return before, false
	}
	e.Endpoint, e.Model, e.Learned = endpoint, model, time.Now().UTC()
	b.m[k] = e
	return e.Limits, e.Limits != before
}

func (b *limitBook) save() error {
	if b.path == "" {
		return nil
	}
	b.saveMu.Lock()
	defer b.saveMu.Unlock()
	b.mu.Lock()
	f := bookFile{Version: 1}
	for _, e := range b.m {
		f.Entries = append(f.Entries, e)
	}
	b.mu.Unlock()
	sort.Slice(f.Entries, func(i, j int) bool {
		if f.Entries[i].Endpoint != f.Entries[j].Endpoint {
			return f.Entries[i].Endpoint < f.Entries[j].Endpoint
		}
		return f.Entries[i].Model < f.Entries[j].Model
	})
	raw, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return store.WriteFile(b.path, append(raw, '\n'), 0o644)
}
