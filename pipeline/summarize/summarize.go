// Package summarize condenses one translated article into a structured
// summary (headline, key facts, who, where, when, figures, angle) through a
// model. The model is asked for JSON; what comes back is parsed tolerantly,
// repaired once, then refused with a clear error. The runner renders the
// summary, whichever engine made it.
//
// An article longer than one request can hold (the server's context, as
// the client knows it, less the instructions and the answer) is summarized
// in parts that are then merged, so that every paragraph can reach the
// summary. A request the server refuses, cuts or truncates makes the parts
// smaller and is asked again.
package summarize

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
	"github.com/depeche-news/depeche/prompts"
)

//go:embed summary.schema.json
var summarySchema []byte

//go:embed merge.schema.json
var mergeSchema []byte

// Options configure Summarize.
type Options struct {
	Model         string       // "" = the client's default model
	Prompts       *prompts.Set // nil = built-in prompts
	Cache         *store.Cache // nil = no cache
	CacheScope    string       // endpoint and request parameters, part of every cache key
	ContextTokens int          // the model's context; 0 = unknown (the article is sent whole unless the server says otherwise)
	MaxTokens     int          // room for the answer; 0 = the client's default
}

// fenceTags would let an article close its own fence and speak as the user.
var fenceTags = regexp.MustCompile(`(?i)</?\s*article\s*>`)

const (
	// answerRoom is the answer size assumed when MaxTokens is not set, and
	// the most a summary is given: a summary is a few hundred words
	// whatever the article's length.
	answerRoom = 1024
	// minAnswer: below this a summary cannot hold a headline and facts.
	minAnswer = 192
	// tokensPerWord converts the answer room into the words asked for, with
	// the JSON's quotes, keys and brackets.
	tokensPerWord = 2.3
	// framing is the chat template around two messages.
	framing = 16
	// maxShrinks bounds the times one article is sized again after the
	// server refused, cut or truncated a request.
	maxShrinks = 4
	// partParallel bounds the parts of one article in flight at once; the
	// client bounds the requests of the run.
	partParallel = 4
)

// job is one article's summary in progress.
type job struct {
	c       *llm.Client
	opt     Options
	model   string
	prompt  *prompts.Prompt // summarize.tmpl
	merge   *prompts.Prompt // summarize-merge.tmpl
	title   string
	roomCap int // a ceiling on a part's tokens after a refusal that taught no limit; 0 = none
	// ask and askMerge are the share of the answer room asked for, of a
	// part's summary and of a merge: lowered after a cut that the
	// server's cap does not explain (the model wrote more than asked).
	ask, askMerge float64

	mu    sync.Mutex
	sent  int // the tokens of text of the biggest request of the last attempt
	stats news.Stats
}

// Summarize asks the model for a structured summary of t. Only the English
// title and paragraphs are sent, fenced as untrusted data. Every accepted
// answer (of the whole article, of a part, of a merge) is cached under
// everything it depends on.
func Summarize(ctx context.Context, c *llm.Client, t news.Translation, opt Options) (news.Summary, error) {
	start := time.Now()
	j, err := newJob(c, t, opt)
	if err != nil {
		return news.Summary{}, fmt.Errorf("summarize %s: %w", t.Stem, err)
	}
	paras := sendable(t)
	var s news.Summary
	var parts int
	for shrink := 0; ; shrink++ {
		s, parts, err = j.whole(ctx, paras)
		if !llm.Shrink(err) || shrink == maxShrinks {
			break
		}
		j.resize(err)
	}
	if err != nil {
		return news.Summary{}, fmt.Errorf("summarize %s: %w", t.Stem, err)
	}
	if parts > 1 {
		j.warn(news.WarnSummaryInParts, fmt.Sprintf("the article (%d tokens) is longer than one request to this model holds: summarized in %d parts, then merged",
			j.count(strings.Join(paras, "\n\n")), parts))
	}
	s.Stem = t.Stem
	sents := sentencesOf(t)
	if err := j.keepAttribution(ctx, sents, &s); err != nil {
		return news.Summary{}, fmt.Errorf("summarize %s: %w", t.Stem, err)
	}
	s.FactSentences = factSentences(sents, s.KeyFacts)
	s.Stats = j.stats
	s.Stats.Duration = time.Since(start)
	return s, nil
}

func newJob(c *llm.Client, t news.Translation, opt Options) (*job, error) {
	j := &job{c: c, opt: opt, model: opt.Model, title: oneLine(fenceTags.ReplaceAllString(t.Title, "[article]")), ask: 1, askMerge: 1}
	if j.model == "" {
		j.model = c.Model()
	}
	var err error
	if j.prompt, err = opt.Prompts.Get("summarize"); err != nil {
		return nil, err
	}
	if j.merge, err = opt.Prompts.Get("summarize-merge"); err != nil {
		return nil, err
	}
	j.stats = news.Stats{Engine: news.EngineLLM, Model: j.model, Prompt: j.prompt.Version}
	return j, nil
}

// sendable returns the paragraphs to send, none of which can close the fence.
func sendable(t news.Translation) []string {
	var out []string
	for _, p := range t.Paragraphs {
		if p = strings.TrimSpace(fenceTags.ReplaceAllString(p, "[article]")); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sizes returns, for the server's limits as the client knows them now,
// the answer room (the max_tokens sent), the words to ask a part's summary
// for, and the tokens of article text one request may carry besides its
// instructions and the title (0 = no limit known).
func (j *job) sizes() (answer, words, room int) {
	answer = j.answer()
	words = int(float64(answer) * j.ask / tokensPerWord)
	return answer, words, j.room(j.prompt, answer, words)
}

// answer is the answer room for the server's limits as known now.
func (j *job) answer() int {
	l := j.limits()
	answer := answerRoom
	if l.Answer > 0 {
		answer = min(answer, l.Answer)
	}
	if l.Context > 0 {
		answer = min(answer, max(minAnswer, l.Context/4))
	}
	return answer
}

// room is what a request made with p leaves for its text.
func (j *job) room(p *prompts.Prompt, answer, words int) int {
	room := 0
	if l := j.limits(); l.Context > 0 {
		room = max(1, l.Context-answer-j.overhead(p, words))
	}
	if j.roomCap > 0 && (room == 0 || j.roomCap < room) {
		room = j.roomCap
	}
	return room
}

func (j *job) limits() llm.Limits {
	return j.c.Limits(j.opt.Model, llm.Limits{Context: j.opt.ContextTokens, Answer: j.opt.MaxTokens})
}

// overhead is what a request costs besides its text: the instructions and
// the title, rendered with the longest numbers.
func (j *job) overhead(p *prompts.Prompt, words int) int {
	// The title is sent in Text (summarize) or in Title (merge).
	sys, user, err := p.Render(promptData{Title: j.title, Text: j.title, Part: 99, Parts: 99, Count: 99, Words: words})
	if err != nil {
		return 0 // the call renders it again and reports the error
	}
	return j.count(sys) + j.count(user) + framing
}

// resize answers a request that was too big: the client has learned the
// server's limit from most refusals, cuts and truncations, and sizes()
// follows it. When it has learned nothing new, requests shrink to two
// thirds of the biggest one sent (a refusal or a truncation) or the answer
// asked for does (a cut, of a part's summary or of the merge).
func (j *job) resize(err error) {
	code, what := news.WarnContextLength, "the server refused a request as longer than its context"
	switch {
	case errors.Is(err, llm.ErrCut):
		code, what = news.WarnFinishLength, "the server cut a summary at its token limit"
	case errors.Is(err, llm.ErrTruncated):
		code, what = news.WarnPromptTruncated, "the server silently cut a request to its context (Ollama: raise options.num_ctx in llm.extra)"
	}
	j.mu.Lock()
	before := j.sent
	j.mu.Unlock()
	_, _, room := j.sizes()
	var me *mergeError
	switch {
	case code == news.WarnFinishLength && errors.As(err, &me):
		j.askMerge *= 2.0 / 3
	case code == news.WarnFinishLength:
		j.ask *= 2.0 / 3
	case room == 0 || room >= before:
		j.roomCap = max(64, before*2/3)
	}
	answer, words, room := j.sizes()
	j.warn(code, fmt.Sprintf("%s; summarizing again with requests of at most %d tokens of text and answers of %d words (%d tokens)", what, room, words, answer))
}

func (j *job) count(s string) int { return llm.CountTokens(j.model, s) }

func (j *job) warn(code news.WarningCode, msg string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.stats.Warnings = append(j.stats.Warnings, news.Warning{Code: code, Message: msg})
}

// promptData is what prompts/summarize.tmpl and summarize-merge.tmpl see.
// A user's override in prompts.dir may use the same fields.
type promptData struct {
	Title       string // the article's title
	Text        string // summarize: the title, then the article's (or the part's) paragraphs
	Part, Parts int    // summarize: this is part Part of Parts; 0 when the article is sent whole
	Count       int    // merge: how many part summaries
	Digests     string // merge: the part summaries
	Words       int    // the answer's length, in words; 0 = none asked
}

// call sends one request, or takes its accepted answer from the cache.
func (j *job) call(ctx context.Context, p *prompts.Prompt, stage string, schema []byte, data promptData) (news.Summary, error) {
	system, user, err := p.Render(data)
	if err != nil {
		return news.Summary{}, err
	}
	key := store.Key(stage, j.opt.CacheScope, j.model, p.Version, system, user)
	var s news.Summary
	if j.opt.Cache.Get(key, &s) {
		j.mu.Lock()
		j.stats.Cached++
		if s.Stats.Model != "" {
			j.stats.Model = s.Stats.Model
		}
		j.stats.Warnings = append(j.stats.Warnings, s.Stats.Warnings...)
		j.mu.Unlock()
		return s, nil
	}
	req := llm.Request{
		Stage: stage, Model: j.opt.Model, MaxTokens: j.answer(),
		Messages:   []llm.Message{{Role: "system", Content: system}, {Role: "user", Content: user}},
		JSONSchema: &llm.Schema{Name: "article_summary", Schema: schema},
	}
	var st news.Stats
	s, err = llm.ChatJSON(ctx, j.c, req, &st, Parse)
	j.mu.Lock()
	j.stats.AddCalls(st)
	j.stats.Warnings = append(j.stats.Warnings, s.Stats.Warnings...)
	j.mu.Unlock()
	if err != nil {
		return news.Summary{}, err
	}
	s.Stats = news.Stats{Model: st.Model, Warnings: s.Stats.Warnings}
	if err := j.opt.Cache.Put(key, s); err != nil {
		j.warn(news.WarnCacheWrite, err.Error())
	}
	return s, nil
}
