// Package translate turns a French article into English through an
// OpenAI-compatible model, chunk by chunk, and checks every answer before
// accepting it.
//
// An article is cut into chunks by a token budget derived from the model's
// context (paragraph boundaries first, then sentence boundaries; never
// inside a sentence). Each chunk goes with the article's title and the
// glossary entries found in it, fenced as untrusted data. Answers are
// stripped of chatter (<think> blocks, preambles, sign-offs, fences) and
// validated: paragraph count, French left, length ratio, numbers; a failed
// check is a named warning and a retry with a corrective instruction, and
// after Options.MaxAttempts a per-file error naming the reason. An answer
// cut by max_tokens or a prompt over the context splits the chunk instead.
// Accepted chunks are cached, so a killed run resumes mid-article.
package translate

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
	"github.com/depeche-news/depeche/prompts"
)

// DefaultContextTokens is the context assumed when none is configured: safe
// for a small local model.
const DefaultContextTokens = 4096

// DefaultMaxAttempts is the number of requests one chunk gets (the first
// and its corrective re-asks) when Options.MaxAttempts is 0.
const DefaultMaxAttempts = 3

// maxTitleContext is how many characters of the title go with each chunk
// as context; a real title is far shorter.
const maxTitleContext = 300

// chunkParallel bounds the chunks of one article in flight at once; the
// llm client bounds the requests of the whole run.
const chunkParallel = 4

// Options are the settings of one article's translation.
type Options struct {
	Model         string // "" = client default
	ContextTokens int    // model context; the chunk budget is derived from it
	MaxTokens     int    // completion cap configured for the client
	// MaxAttempts is the number of requests a chunk gets at one size: the
	// first and its corrective re-asks. 0 means DefaultMaxAttempts.
	MaxAttempts int
	Review      bool // reflect-then-improve second pass
	Glossary    *glossary.Glossary
	Prompts     *prompts.Set
	Cache       *store.Cache // accepted chunk results; nil = none
	CacheScope  string       // endpoint + params identity, mixed into cache keys
}

// Error is a chunk that no attempt translated acceptably. Code names the
// check it failed last, as in the warnings ("paragraph_count", …).
type Error struct {
	Code     news.WarningCode
	Chunk    int // 1-based
	Attempts int
	Msg      string
}

func (e *Error) Error() string {
	return fmt.Sprintf("chunk %d: %s: %s (after %d attempts)", e.Chunk, e.Code, e.Msg, e.Attempts)
}

// job is one article's translation in progress.
type job struct {
	c       *llm.Client
	opt     Options
	model   string
	title   string
	prompt  *prompts.Prompt
	review  *prompts.Prompt // nil unless Options.Review
	version string          // prompt version(s), for the cache key and Stats
	count   func(string) int
	// overheadTokens is what a chunk's prompt costs besides the chunk.
	overheadTokens int

	mu          sync.Mutex
	stats       news.Stats
	reviewUsage news.Usage
	reviewCalls int
}

// Translate translates an article's title and paragraphs. The result has
// exactly one paragraph per source paragraph. On error the Translation
// still carries the Stats of the work done (requests and tokens spent).
func Translate(ctx context.Context, c *llm.Client, a news.Article, opt Options) (news.Translation, error) {
	start := time.Now()
	t := news.Translation{Stem: a.Stem, Source: a.Source, SHA256: a.SHA256, Meta: a.Meta}
	j, err := newJob(c, a, opt)
	if err != nil {
		return t, fmt.Errorf("translate %s: %w", a.Stem, err)
	}
	j.overheadTokens = j.overhead(a)
	budget, _ := j.plan()
	pieces, oversized := pack(articleSegments(a), budget, j.count)
	for _, s := range oversized {
		j.warn(news.WarnLongSentence, 0, fmt.Sprintf("a sentence of %d tokens is over the chunk budget of %d: cut at its commas, semicolons or words into %d parts: %q",
			s.tokens, budget, s.parts, clip(s.text, 60)))
	}
	outs, err := j.all(ctx, pieces)
	t.Paragraphs = make([]string, len(a.Paragraphs))
	for i, p := range pieces {
		for k, s := range p.segs {
			if outs[i] == nil {
				continue
			}
			if s.Para == titlePara {
				t.Title = joinSentences(t.Title, outs[i][k])
			} else {
				t.Paragraphs[s.Para] = joinSentences(t.Paragraphs[s.Para], outs[i][k])
			}
		}
	}
	if j.reviewCalls > 0 {
		j.warn(news.WarnReview, 0, fmt.Sprintf("review pass: %d requests, %d prompt + %d completion tokens",
			j.reviewCalls, j.reviewUsage.PromptTokens, j.reviewUsage.CompletionTokens))
	}
	j.stats.Duration = time.Since(start)
	t.Stats = j.stats
	if err != nil {
		return t, fmt.Errorf("translate %s: %w", a.Stem, err)
	}
	return t, nil
}

func newJob(c *llm.Client, a news.Article, opt Options) (*job, error) {
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = DefaultMaxAttempts
	}
	// The title goes with every chunk as context: a "title" that is a whole
	// page run together must not fill every prompt.
	j := &job{c: c, opt: opt, model: opt.Model, title: clip(strings.TrimSpace(a.Title), maxTitleContext)}
	if j.model == "" {
		j.model = c.Model()
	}
	j.count = func(s string) int { return llm.CountTokens(j.model, s) }
	var err error
	if j.prompt, err = opt.Prompts.Get("translate"); err != nil {
		return nil, err
	}
	j.version = j.prompt.Version
	if opt.Review {
		if j.review, err = opt.Prompts.Get("review"); err != nil {
			return nil, err
		}
		j.version += "+" + j.review.Version
	}
	j.stats = news.Stats{Engine: news.EngineLLM, Model: j.model, Prompt: j.version}
	return j, nil
}

// plan returns the chunk budget and the answer room (the max_tokens to
// send) for the server's limits as the client knows them now: configured,
// tightened by what the server has refused, cut or truncated so far.
func (j *job) plan() (budget, answer int) {
	l := j.c.Limits(j.opt.Model, llm.Limits{Context: j.opt.ContextTokens, Answer: j.opt.MaxTokens})
	budget, answer = Plan(l, j.overheadTokens)
	if j.opt.Review {
		// the review prompt holds the source and the draft, and its answer
		// a critique and the translation: about 3.3× the chunk, not 2.2×.
		budget = max(budget*2/3, minBudget)
	}
	return budget, answer
}

// overhead is what a chunk's prompt costs besides the chunk: the system
// prompt, the title, every glossary entry the article could send, and the
// longest corrective instruction, numbered.
func (j *job) overhead(a news.Article) int {
	gl := j.opt.Glossary.Find(a.Title + "\n" + strings.Join(a.Paragraphs, "\n"))
	fix := countProblem(99, 100).Fix
	sys, user, err := j.prompt.Render(promptData{Title: j.title, Glossary: gl, Fix: fix, Numbered: true})
	if err != nil {
		return 0 // the same Render fails again on the first chunk, with the reason
	}
	const framing = 16 // role markers and the chat template around two messages
	return j.count(sys) + j.count(user) + framing
}

// all translates the pieces, a few at a time, and returns their outputs in
// order. The first error cancels the rest, except a batch deferral: every
// chunk of the article must be collected into the same batch round.
func (j *job) all(ctx context.Context, pieces []piece) ([][]string, error) {
	outs := make([][]string, len(pieces))
	err := llm.Parallel(ctx, len(pieces), chunkParallel, func(ctx context.Context, i int) error {
		var err error
		outs[i], err = j.piece(ctx, pieces[i], i+1)
		return err
	})
	return outs, err
}

// joinSentences puts back together the runs of sentences of a paragraph
// that was cut across chunks.
func joinSentences(have, next string) string {
	if have == "" {
		return next
	}
	return have + " " + next
}

func (j *job) warn(code news.WarningCode, chunk int, msg string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.stats.Warnings = append(j.stats.Warnings, news.Warning{Code: code, Message: msg, Chunk: chunk})
}

func (j *job) retry(chunk int, why string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.stats.Retries = append(j.stats.Retries, fmt.Sprintf("chunk %d: %s", chunk, why))
}

// record counts a call, answered or failed, into the stats.
func (j *job) record(chunk int, resp llm.Response, review bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	// Every HTTP attempt counts, answered or not; none when nothing was sent
	// (a budget refusal, a deferral to a batch, a cancellation in the queue).
	j.stats.Requests += resp.Attempts
	j.stats.Usage = j.stats.Usage.Add(resp.Usage)
	for _, r := range resp.Retries {
		j.stats.Retries = append(j.stats.Retries, fmt.Sprintf("chunk %d: %s", chunk, r))
	}
	if review {
		j.reviewCalls++
		j.reviewUsage = j.reviewUsage.Add(resp.Usage)
	}
}

func clip(s string, n int) string {
	cut, i := 0, 0
	for at := range s { // without converting a 5 MB sentence to runes
		switch i {
		case n - 1:
			cut = at
		case n:
			return s[:cut] + "…"
		}
		i++
	}
	return s
}
