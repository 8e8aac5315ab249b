package summarize

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
)

// maxLevels bounds the merge of merges; each level at least halves.
const maxLevels = 8

// mergeError is a failure of the merge step, told apart so that a cut
// merge answer asks the merge, not the parts, for less.
type mergeError struct{ err error }

func (e *mergeError) Error() string { return "merging the parts' summaries: " + e.err.Error() }
func (e *mergeError) Unwrap() error { return e.err }

// whole summarizes the article: in one request when it fits, else in parts
// merged into one. It returns the number of parts.
func (j *job) whole(ctx context.Context, paras []string) (news.Summary, int, error) {
	_, words, room := j.sizes()
	parts := split(paras, room, j.count)
	j.mu.Lock()
	j.sent = 0
	for _, p := range parts {
		j.sent = max(j.sent, j.count(strings.Join(p, "\n\n")))
	}
	j.mu.Unlock()
	if len(parts) == 1 {
		s, err := j.call(ctx, j.prompt, "summarize", summarySchema, promptData{Title: j.title, Text: j.text(parts[0]), Words: words})
		return s, 1, err
	}
	sums := make([]news.Summary, len(parts))
	err := llm.Parallel(ctx, len(parts), partParallel, func(ctx context.Context, i int) error {
		var err error
		sums[i], err = j.call(ctx, j.prompt, "summarize", summarySchema,
			promptData{Title: j.title, Text: j.text(parts[i]), Part: i + 1, Parts: len(parts), Words: words})
		return err
	})
	if err != nil {
		return news.Summary{}, len(parts), err
	}
	s, err := j.mergeAll(ctx, sums, len(parts), 0)
	if err != nil && !errors.Is(err, llm.ErrDeferred) && !errors.Is(err, context.Canceled) {
		err = &mergeError{err}
	}
	return s, len(parts), err
}

// text is what a request carries: the title, then the paragraphs.
func (j *job) text(paras []string) string {
	return strings.TrimSpace(j.title + "\n\n" + strings.Join(paras, "\n\n"))
}

// mergeAll merges the summaries of consecutive parts (of parts in all) into
// one: in one request when their digests fit, else batch by batch and the
// batches' merges merged again.
func (j *job) mergeAll(ctx context.Context, sums []news.Summary, parts, level int) (news.Summary, error) {
	answer := j.answer()
	words := int(float64(answer) * j.askMerge / tokensPerWord)
	room := j.room(j.merge, answer, words)
	digests := make([]string, len(sums))
	for i, s := range sums {
		digests[i] = digest(i+1, len(sums), s)
	}
	batches := batch(digests, room, j.count)
	j.mu.Lock()
	for _, b := range batches {
		j.sent = max(j.sent, j.count(strings.Join(b, "\n")))
	}
	j.mu.Unlock()
	if len(batches) == 1 || level == maxLevels {
		m, err := j.call(ctx, j.merge, "summarize-merge", mergeSchema,
			promptData{Title: j.title, Count: len(batches[0]), Digests: strings.Join(batches[0], "\n"), Words: words})
		if err != nil {
			return news.Summary{}, err
		}
		return combine(m, sums), nil
	}
	merged := make([]news.Summary, len(batches))
	first := make([]int, len(batches)) // index in sums of each batch's first summary
	for i := 1; i < len(batches); i++ {
		first[i] = first[i-1] + len(batches[i-1])
	}
	err := llm.Parallel(ctx, len(batches), partParallel, func(ctx context.Context, i int) error {
		b := batches[i]
		m, err := j.call(ctx, j.merge, "summarize-merge", mergeSchema,
			promptData{Title: j.title, Count: len(b), Digests: strings.Join(b, "\n"), Words: words})
		merged[i] = combine(m, sums[first[i]:first[i]+len(b)])
		return err
	})
	if err != nil {
		return news.Summary{}, err
	}
	return j.mergeAll(ctx, merged, parts, level+1)
}

// combine is the merge's answer with the lists of every part merged in:
// names, places, dates and figures are copied, not rewritten, so none is
// lost to the merge's length.
func combine(m news.Summary, parts []news.Summary) news.Summary {
	out := news.Summary{Headline: m.Headline, KeyFacts: m.KeyFacts, Angle: m.Angle, Stats: m.Stats}
	lists := []struct {
		dst *[]string
		get func(news.Summary) []string
	}{
		{&out.People, func(s news.Summary) []string { return s.People }},
		{&out.Organizations, func(s news.Summary) []string { return s.Organizations }},
		{&out.Places, func(s news.Summary) []string { return s.Places }},
		{&out.Dates, func(s news.Summary) []string { return s.Dates }},
		{&out.Figures, func(s news.Summary) []string { return s.Figures }},
	}
	for _, l := range lists {
		seen := map[string]bool{}
		*l.dst = []string{}
		for _, s := range append([]news.Summary{m}, parts...) {
			for _, x := range l.get(s) {
				if k := strings.ToLower(oneLine(x)); k != "" && !seen[k] {
					seen[k] = true
					*l.dst = append(*l.dst, oneLine(x))
				}
			}
		}
	}
	return out
}

// digest renders one part's summary for the merge prompt.
func digest(n, of int, s news.Summary) string {
	var w strings.Builder
	fmt.Fprintf(&w, "Part %d of %d:\n", n, of)
	if h := oneLine(s.Headline); h != "" {
		fmt.Fprintf(&w, "Headline: %s\n", h)
	}
	if len(s.KeyFacts) > 0 {
		w.WriteString("Facts:\n")
		for _, f := range s.KeyFacts {
			fmt.Fprintf(&w, "- %s\n", oneLine(f))
		}
	}
	if len(s.Figures) > 0 {
		fmt.Fprintf(&w, "Figures: %s\n", joinLine(s.Figures))
	}
	if len(s.Dates) > 0 {
		fmt.Fprintf(&w, "Dates: %s\n", joinLine(s.Dates))
	}
	return w.String()
}

func joinLine(items []string) string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		if it = oneLine(it); it != "" {
			out = append(out, it)
		}
	}
	return strings.Join(out, "; ")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// split cuts paragraphs into parts of at most room tokens (0 = one part),
// of about equal size, at paragraph boundaries, else between sentences for
// a paragraph bigger than a part, else (one huge sentence) by characters.
// A paragraph cut across parts keeps its sentences together in each.
func split(paras []string, room int, count func(string) int) [][]string {
	if room <= 0 || len(paras) == 0 {
		return [][]string{paras}
	}
	type unit struct {
		para   int
		text   string
		tokens int
	}
	var units []unit
	total := 0
	for i, p := range paras {
		n := count(p) + 2
		if n <= room {
			units = append(units, unit{i, p, n})
			total += n
			continue
		}
		for _, s := range lang.Sentences(p) {
			for _, piece := range cutToFit(s, room, count) {
				m := count(piece) + 1
				units = append(units, unit{i, piece, m})
				total += m
			}
		}
	}
	if total <= room {
		return [][]string{paras}
	}
	n := (total + room - 1) / room
	target := (total + n - 1) / n
	var parts [][]string
	var cur []string
	used, last := 0, -1
	for _, u := range units {
		if len(cur) > 0 && (used+u.tokens > room || (used >= target && len(parts) < n-1)) {
			parts = append(parts, cur)
			cur, used, last = nil, 0, -1
		}
		if u.para == last {
			cur[len(cur)-1] += " " + u.text
		} else {
			cur = append(cur, u.text)
		}
		used += u.tokens
		last = u.para
	}
	if len(cur) > 0 {
		parts = append(parts, cur)
	}
	return parts
}

// cutToFit returns s whole when it fits in room tokens, else in pieces of
// about room tokens cut between words.
func cutToFit(s string, room int, count func(string) int) []string {
	n := count(s) + 1
	if n <= room {
		return []string{s}
	}
	words := strings.Fields(s)
	k := (n + room - 1) / room
	per := max(1, (len(words)+k-1)/k)
	var out []string
	for i := 0; i < len(words); i += per {
		out = append(out, strings.Join(words[i:min(i+per, len(words))], " "))
	}
	return out
}

// batch packs digests, in order, into batches of at most room tokens (0 =
// one batch). A digest too big for any batch is cut to fit, line by line
// from its end; every batch but a lone last one holds at least two, so
// that each level of merges at least halves.
func batch(digests []string, room int, count func(string) int) [][]string {
	if room <= 0 {
		return [][]string{digests}
	}
	each := max(room/2, 1)
	var out [][]string
	var cur []string
	used := 0
	for _, d := range digests {
		n := count(d) + 1
		for n > each {
			lines := strings.Split(strings.TrimRight(d, "\n"), "\n")
			if len(lines) <= 2 {
				break
			}
			d = strings.Join(lines[:len(lines)-1], "\n") + "\n"
			n = count(d) + 1
		}
		if used+n > room && len(cur) >= 2 {
			out = append(out, cur)
			cur, used = nil, 0
		}
		cur = append(cur, d)
		used += n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}
