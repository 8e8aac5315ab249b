package translate

import (
	"strings"
	"unicode/utf8"

	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
)

// titlePara marks the segment that holds the article's title.
const titlePara = -1

// minBudget keeps a tiny or misconfigured context from producing chunks of
// a word or two; the server's own context error then drives the splitting.
const minBudget = 16

// minSplit is the smallest chunk a refused or cut answer splits further:
// below it, halving again would multiply requests without helping.
const minSplit = 4 * minBudget

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
// boundaries for a paragraph bigger than the budget; a sentence bigger
// than the budget (a 5 MB line with no full stop, a list of thousands of
// names) is cut at its clause boundaries, then between words (cut). No
// chunk is ever over the budget. The title, if any, is the first text of
// the first chunk.
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

// longSentence is a sentence over the budget, and the parts it was cut into.
type longSentence struct {
	text          string
	tokens, parts int
}

// pack groups segments into pieces of at most budget tokens. A segment over
// the budget is cut into its sentences; a sentence over the budget is cut
// by cut and returned in oversized. Consecutive runs of one paragraph
// inside a piece are merged back into one segment, so a piece never asks
// the model to keep two halves of a paragraph apart.
func pack(segs []segment, budget int, count func(string) int) (pieces []piece, oversized []longSentence) {
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
	for _, s := range segs {
		n := count(s.Text)
		if n <= budget {
			add(s, n)
			continue
		}
		sents := lang.Sentences(s.Text)
		if len(sents) == 0 {
			sents = []string{s.Text}
		}
		for _, t := range sents {
			m := count(t)
			if m <= budget {
				add(segment{s.Para, t}, m)
				continue
			}
			parts := cut(t, budget, count)
			oversized = append(oversized, longSentence{t, m, len(parts)})
			for _, part := range parts {
				add(segment{s.Para, part}, count(part))
			}
		}
	}
	flush()
	return pieces, oversized
}

// split cuts a piece in two (or a few) smaller ones, for an answer cut by
// max_tokens or a prompt over the context: between paragraphs and
// sentences when the piece has several, else by cutting its sentence. ok
// is false when the piece is a single character and cannot be cut at all.
func split(p piece, count func(string) int) (halves []piece, ok bool) {
	half := (p.tokens + 1) / 2
	whole := half // a budget that keeps every sentence of p whole
	for _, s := range p.segs {
		for _, t := range lang.Sentences(s.Text) {
			whole = max(whole, count(t))
		}
	}
	if whole < p.tokens {
		if halves, _ = pack(p.segs, whole, count); len(halves) > 1 {
			return halves, true
		}
	}
	halves, _ = pack(p.segs, half, count)
	return halves, len(halves) > 1
}

// cut splits one sentence over the budget into parts of at most budget
// tokens, each as full as it can be: at a clause boundary (after a comma,
// a semicolon, a colon, a dash or a list separator) when one falls in the
// part's second half, else between words, else between characters (a
// "word" longer than the budget: a base64 blob, a URL run together). The
// parts keep every character; joined with spaces they are the sentence.
func cut(text string, budget int, count func(string) int) []string {
	budget = max(budget, 1)
	var parts []string
	for {
		text = strings.TrimSpace(text)
		if text == "" {
			return parts
		}
		n := count(text)
		if n <= budget {
			return append(parts, text)
		}
		head := fitHead(text, budget, n, count)
		parts = append(parts, strings.TrimSpace(head))
		text = text[len(head):]
	}
}

// fitHead returns the longest prefix of text, cut where head says, that
// it finds within budget tokens: it guesses the length from the token
// density and corrects the guess a few times. It is never empty.
func fitHead(text string, budget, n int, count func(string) int) string {
	best := ""
	limit := max(1, int(int64(len(text))*int64(budget)/int64(n)))
	for range 8 {
		h := head(text, min(max(limit, 1), len(text)), budget, count)
		m := count(h)
		switch {
		case m > budget:
			limit = int(int64(len(h))*int64(budget)/int64(m)) - 1
		case len(h) > len(best):
			best = h
			if m*10 >= budget*9 {
				return best // full enough: a few tokens short is not worth more counting
			}
			limit = len(h) + int(int64(len(h))*int64(budget-m)/int64(max(m, 1))) + 1
		default:
			// the guess fell back to the same cut: try one more word
			next := len(best) + 1
			for next < len(text) && isSpaceByte(text[next]) {
				next++
			}
			end := strings.IndexAny(text[next:], " \t\n")
			if end < 0 || count(text[:next+end]) > budget {
				return best
			}
			best = text[:next+end]
			limit = len(best) + 1
		}
	}
	for limit = len(best); best == ""; limit /= 2 {
		limit = max(limit, 1)
		if h := head(text, limit, budget, count); limit == 1 || count(h) <= budget {
			best = h
		}
	}
	return best
}

// head is the prefix of text to cut at or near byte limit: after the last
// clause mark followed by a space in the second half, else at the last
// space in it, else at the last space before it, else through the word
// limit falls in when that word fits the budget, else between the
// characters at limit (a word longer than the budget). It is never empty.
func head(text string, limit, budget int, count func(string) int) string {
	if limit >= len(text) {
		return text
	}
	for limit > 0 && !utf8.RuneStart(text[limit]) {
		limit--
	}
	if limit == 0 {
		_, n := utf8.DecodeRuneInString(text)
		return text[:n]
	}
	lastSpace := -1
	for i := limit; i > limit/2; i-- {
		if !isSpaceByte(text[i]) {
			continue
		}
		if lastSpace < 0 {
			lastSpace = i
		}
		if r, _ := utf8.DecodeLastRuneInString(text[:i]); strings.ContainsRune(clauseMarks, r) {
			return text[:i]
		}
	}
	if lastSpace < 0 {
		lastSpace = strings.LastIndexAny(text[:limit], " \t\n")
	}
	if lastSpace > 0 {
		return text[:lastSpace]
	}
	if end := strings.IndexAny(text[limit:], " \t\n"); end > 0 && count(text[:limit+end]) <= budget {
		return text[:limit+end] // the first word fits whole
	}
	return text[:limit]
}

// clauseMarks end a clause or a list item: what a long sentence is cut
// after before it is cut between words.
const clauseMarks = ",;:|•·–—-/)»"

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\n' }

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
