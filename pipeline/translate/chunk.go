package translate

import (
	"strings"

	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
)

// titlePara marks the segment that holds the article's title.
const titlePara = -1

// minBudget keeps a tiny or misconfigured context from producing chunks of
// a word or two; the server's own context error then drives the splitting.
const minBudget = 16

// segment is one paragraph, or a run of whole sentences of one, as sent to
// the model: the model answers with one paragraph per segment.
type segment struct {
	Para int // index into Article.Paragraphs; titlePara for the title
	Text string
}

// piece is one chunk: the segments sent in one request and their tokens.
type piece struct {
	segs   []segment
	tokens int
}

// Budget returns how many source tokens one chunk may hold. The prompt
// (overhead plus the chunk) and the answer must both fit in the context,
// and an English answer runs 0.9–1.1× the French, so the chunk gets
// (context − overhead) / 2.2. With a completion cap, the answer must come
// back within maxTokens (chunk ≤ maxTokens / 1.1), and since vLLM rejects
// any request whose prompt plus max_tokens exceeds the context, the prompt
// must leave maxTokens free.
func Budget(contextTokens, maxTokens, overhead int) int {
	if contextTokens <= 0 {
		contextTokens = DefaultContextTokens
	}
	b := (contextTokens - overhead) * 10 / 22
	if maxTokens > 0 {
		b = min(b, maxTokens*10/11, contextTokens-overhead-maxTokens)
	}
	return max(b, minBudget)
}

// Plan returns the chunk budget and the answer room (max_tokens) for a
// server's limits: the answer may take what a chunk filling the rest of
// the context needs (1.1× the chunk), never more than the server answers
// at once, and the chunk is what fits beside it.
func Plan(l llm.Limits, overhead int) (budget, answer int) {
	ctx := l.Context
	if ctx <= 0 {
		ctx = DefaultContextTokens
	}
	answer = (ctx - overhead) * 11 / 21
	if l.Answer > 0 && l.Answer < answer {
		answer = l.Answer
	}
	answer = max(answer, 1)
	return Budget(ctx, answer, overhead), answer
}

// Chunks cuts an article into chunks of at most budget tokens (by count),
// as Translate sends them: on paragraph boundaries, then on sentence
// boundaries for a paragraph bigger than the budget, never inside a
// sentence. The title, if any, is the first text of the first chunk.
func Chunks(a news.Article, budget int, count func(string) int) [][]string {
	pieces, _ := pack(articleSegments(a), budget, count)
	out := make([][]string, len(pieces))
	for i, p := range pieces {
		for _, s := range p.segs {
			out[i] = append(out[i], s.Text)
		}
	}
	return out
}

// articleSegments lists the title and the non-empty paragraphs. Empty
// paragraphs are not sent; they come back empty.
func articleSegments(a news.Article) []segment {
	var segs []segment
	if t := strings.TrimSpace(a.Title); t != "" {
		segs = append(segs, segment{titlePara, t})
	}
	for i, p := range a.Paragraphs {
		if p = strings.TrimSpace(p); p != "" {
			segs = append(segs, segment{i, p})
		}
	}
	return segs
}

// pack groups segments into pieces of at most budget tokens. A segment over
// the budget is cut into its sentences; a single sentence over the budget
// goes alone in its piece and is returned in oversized. Consecutive runs
// of one paragraph inside a piece are merged back into one segment, so a
// piece never asks the model to keep two halves of a paragraph apart.
func pack(segs []segment, budget int, count func(string) int) (pieces []piece, oversized []string) {
	budget = max(budget, 1)
	var cur piece
	flush := func() {
		if len(cur.segs) > 0 {
			pieces = append(pieces, cur)
			cur = piece{}
		}
	}
	add := func(s segment, n int) {
		if len(cur.segs) > 0 && cur.tokens+n > budget {
			flush()
		}
		if k := len(cur.segs); k > 0 && cur.segs[k-1].Para == s.Para {
			cur.segs[k-1].Text += " " + s.Text
		} else {
			cur.segs = append(cur.segs, s)
		}
		cur.tokens += n
	}
	alone := func(s segment, n int) {
		oversized = append(oversized, s.Text)
		flush()
		cur = piece{segs: []segment{s}, tokens: n}
		flush()
	}
	for _, s := range segs {
		n := count(s.Text)
		if n <= budget {
			add(s, n)
			continue
		}
		sents := lang.Sentences(s.Text)
		if len(sents) <= 1 {
			alone(s, n)
			continue
		}
		for _, t := range sents {
			m := count(t)
			if m > budget {
				alone(segment{s.Para, t}, m)
				continue
			}
			add(segment{s.Para, t}, m)
		}
	}
	flush()
	return pieces, oversized
}

// split cuts a piece in two (or a few) smaller ones, for an answer cut by
// max_tokens or a prompt over the context. ok is false when the piece is a
// single sentence and cannot be cut without breaking it.
func split(p piece, count func(string) int) (halves []piece, ok bool) {
	halves, _ = pack(p.segs, (p.tokens+1)/2, count)
	return halves, len(halves) > 1
}

// texts returns the texts of a piece's segments.
func (p piece) texts() []string {
	out := make([]string, len(p.segs))
	for i, s := range p.segs {
		out[i] = s.Text
	}
	return out
}

// hasTitle reports whether the piece carries the title to translate.
func (p piece) hasTitle() bool {
	return len(p.segs) > 0 && p.segs[0].Para == titlePara
}
