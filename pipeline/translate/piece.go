package translate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
)

// promptData is what prompts/translate.tmpl and prompts/review.tmpl see.
// A user's override in prompts.dir may use the same fields.
type promptData struct {
	Title    string           // the article's title as read-only context; "" when the chunk translates it
	Glossary []glossary.Entry // the entries found in this chunk only
	Fix      string           // corrective instruction after a rejected answer
	Numbered bool             // paragraphs are marked [1], [2], …
	Text     string           // the chunk: paragraphs separated by blank lines
	Draft    string           // review only: the accepted translation, same layout
}

// document lays out paragraphs for the prompt: blank-line separated, and
// marked "[n] " when numbered.
func document(paras []string, numbered bool) string {
	if !numbered {
		return strings.Join(paras, "\n\n")
	}
	out := make([]string, len(paras))
	for i, p := range paras {
		out[i] = fmt.Sprintf("[%d] %s", i+1, p)
	}
	return strings.Join(out, "\n\n")
}

// cacheEntry is an accepted chunk result as stored.
type cacheEntry struct {
	Paragraphs []string `json:"paragraphs"`
}

// piece translates one chunk: from the cache, else by asking the model
// until an answer passes the checks. A chunk bigger than the server's
// limits now allow (learned since the article was cut) is cut smaller
// before it is sent; an answer cut at a token limit, a prompt over the
// context and a prompt the server silently truncated cut it smaller after.
// The result has one paragraph per segment of p.
func (j *job) piece(ctx context.Context, p piece, n int) ([]string, error) {
	src, title, gl, key := j.request(p)
	var hit cacheEntry
	if j.opt.Cache.Get(key, &hit) && len(hit.Paragraphs) == len(src) {
		j.mu.Lock()
		j.stats.Cached++
		j.stats.Chunks++
		j.mu.Unlock()
		j.checkNumbers(src, hit.Paragraphs, n)
		return hit.Paragraphs, nil
	}
	if parts, ok := j.smaller(p); ok {
		return j.parts(ctx, p, n, parts)
	}

	var last *problem
	var fix string
	numbered := false
	unplanned := false // the chunk is as small as it gets: sent with the answer room the server leaves
	for attempt := 1; attempt <= j.opt.MaxAttempts; attempt++ {
		if attempt > 1 {
			// The server may have shown smaller limits meanwhile (to a
			// sibling chunk or another article): a re-ask fits them.
			if parts, ok := j.smaller(p); ok {
				j.retry(n, fmt.Sprintf("re-asked in %d smaller chunks: the server's limits are smaller than planned", len(parts)))
				return j.parts(ctx, p, n, parts)
			}
		}
		data := promptData{Title: title, Glossary: gl, Fix: fix, Numbered: numbered, Text: document(src, numbered)}
		sys, user, err := j.prompt.Render(data)
		if err != nil {
			return nil, err
		}
		_, answer := j.plan()
		if unplanned {
			answer = 0
		}
		resp, err := j.c.Chat(ctx, llm.Request{
			Stage: "translate", Model: j.opt.Model, MaxTokens: answer,
			Messages: []llm.Message{{Role: "system", Content: sys}, {Role: "user", Content: user}},
		})
		j.record(n, resp, false)
		switch {
		case errors.Is(err, llm.ErrReplan) && !unplanned:
			// Planned before the server showed smaller limits; nothing was sent.
			if parts, ok := j.smaller(p); ok {
				return j.parts(ctx, p, n, parts)
			}
			unplanned = true
			attempt--
			continue
		case errors.Is(err, llm.ErrContextLength), errors.Is(err, llm.ErrReplan):
			j.warn(news.WarnContextLength, n, fmt.Sprintf("the server rejected a prompt of ~%d tokens as over its context; "+
				"cutting the chunk smaller (set llm.context_tokens to the server's context to avoid the round trip)", j.count(sys)+j.count(user)))
			return j.shrink(ctx, p, n, news.WarnContextLength, fmt.Sprintf("the server refused a prompt of ~%d tokens as over its context: "+
				"set llm.context_tokens to the model's context (now %d)", j.count(sys)+j.count(user), j.opt.ContextTokens))
		case err != nil:
			return nil, fmt.Errorf("chunk %d: %w", n, err)
		case resp.Cut:
			j.warn(news.WarnFinishLength, n, fmt.Sprintf("the answer was cut at the completion limit (%d tokens); "+
				"splitting the chunk, never keeping cut text", resp.Usage.CompletionTokens))
			return j.shrink(ctx, p, n, news.WarnFinishLength, "the answer was cut at max_tokens: raise llm.max_tokens")
		}
		if resp.Truncated {
			sent := j.count(sys) + j.count(user)
			j.warn(news.WarnPromptTruncated, n, fmt.Sprintf("server saw only %d of ~%d prompt tokens: raise the context "+
				"(Ollama: options.num_ctx in llm.extra) or lower llm.context_tokens", resp.Usage.PromptTokens, sent))
			if parts, ok := j.smaller(p); ok {
				j.retry(n, fmt.Sprintf("prompt_truncated: split into %d smaller chunks", len(parts)))
				return j.parts(ctx, p, n, parts)
			}
			// The chunk is as small as the server's context allows: what it
			// answered is judged by the checks like any answer.
		}
		text, removed := strip(resp.Content, src)
		if resp.Reasoning != "" {
			removed = append([]string{thinkingNote(resp.Reasoning)}, removed...)
		}
		if len(removed) > 0 {
			j.warn(news.WarnPreambleStripped, n, "removed from the answer: "+strings.Join(removed, "; "))
		}
		out := paragraphs(text, numbered, src)
		if last = check(src, out); last != nil {
			j.warn(last.Code, n, last.Msg)
			if attempt < j.opt.MaxAttempts {
				how := "retrying with a corrective instruction"
				if last.Code == news.WarnParagraphCount {
					how = "retrying with numbered paragraphs"
					numbered = true
				}
				j.retry(n, fmt.Sprintf("%s: %s; %s", last.Code, last.Msg, how))
			}
			fix = last.Fix
			continue
		}
		if f := fidelity(src, out); f != nil {
			if attempt < j.opt.MaxAttempts {
				j.warn(f.Code, n, f.Msg)
				j.retry(n, fmt.Sprintf("%s: %s; retrying with a corrective instruction", f.Code, f.Msg))
				last, fix = f, f.Fix
				continue
			}
			j.warn(f.Code, n, f.Msg+fmt.Sprintf(" (kept after %d attempts: check this paragraph)", attempt))
		}
		j.checkNumbers(src, out, n)
		if j.review != nil {
			if out, err = j.reviewPiece(ctx, n, src, out, gl, title); err != nil {
				return nil, err
			}
		}
		j.accept(key, out)
		return out, nil
	}
	return nil, &Error{Code: last.Code, Chunk: n, Attempts: j.opt.MaxAttempts, Msg: last.Msg}
}

// smaller cuts p to the chunk budget the server's limits allow now, when
// that is less than p holds.
func (j *job) smaller(p piece) ([]piece, bool) {
	budget, _ := j.plan()
	if p.tokens <= budget {
		return nil, false
	}
	parts, _ := pack(p.segs, budget, j.count)
	return parts, len(parts) > 1
}

// shrink translates p in smaller chunks after the server refused it or
// cut its answer: cut to what the server's limits now allow when the
// refusal taught them, else in halves.
func (j *job) shrink(ctx context.Context, p piece, n int, code news.WarningCode, cannot string) ([]string, error) {
	parts, ok := j.smaller(p)
	if !ok && p.tokens >= minSplit {
		// below minSplit a server that still refuses refuses the prompt,
		// not the chunk: halving again would multiply requests for nothing
		parts, ok = split(p, j.count)
	}
	if !ok {
		return nil, &Error{Code: code, Chunk: n, Attempts: 1,
			Msg: fmt.Sprintf("%s, and the chunk cannot be split further (%d tokens)", cannot, p.tokens)}
	}
	j.retry(n, fmt.Sprintf("%s: split into %d smaller chunks", code, len(parts)))
	return j.parts(ctx, p, n, parts)
}

// parts translates the pieces p was cut into, one after the other, then
// puts their paragraphs back in p's segments (a paragraph cut into
// sentences comes back as one) and caches the whole under p's own key as
// well.
func (j *job) parts(ctx context.Context, p piece, n int, parts []piece) ([]string, error) {
	byPara := map[int]string{}
	for _, h := range parts {
		out, err := j.piece(ctx, h, n)
		if err != nil {
			return nil, err
		}
		for k, s := range h.segs {
			byPara[s.Para] = joinSentences(byPara[s.Para], out[k])
		}
	}
	out := make([]string, len(p.segs))
	for k, s := range p.segs {
		out[k] = byPara[s.Para]
	}
	_, _, _, key := j.request(p)
	j.store(key, out)
	return out, nil
}

// request returns what a piece's prompt holds besides the instructions:
// its texts, the title as context (none when the piece translates it), the
// glossary entries found in it; and the cache key of its result.
func (j *job) request(p piece) (src []string, title string, gl []glossary.Entry, key string) {
	src = p.texts()
	if !p.hasTitle() {
		title = j.title
	}
	gl = j.opt.Glossary.Find(strings.Join(src, "\n"))
	key = store.Key("translate", j.opt.CacheScope, j.model, j.version, gl, title, src)
	return src, title, gl, key
}

// accept counts a chunk translated by the model and caches its result.
func (j *job) accept(key string, out []string) {
	j.mu.Lock()
	j.stats.Chunks++
	j.mu.Unlock()
	j.store(key, out)
}

// store caches an accepted result. A cache that cannot be written costs a
// rerun, not this translation: it is a warning.
func (j *job) store(key string, out []string) {
	if err := j.opt.Cache.Put(key, cacheEntry{Paragraphs: out}); err != nil {
		j.warn(news.WarnCache, 0, err.Error())
	}
}

func (j *job) checkNumbers(src, out []string, n int) {
	if missing := missingNumbers(src, out); len(missing) > 0 {
		j.warn(news.WarnNumbersMissing, n, "numbers of the source not found in the translation: "+strings.Join(missing, ", "))
	}
}
