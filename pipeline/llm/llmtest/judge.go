package llmtest

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/depeche-news/depeche/pipeline/lang"
)

var (
	questionsRe = regexp.MustCompile(`(?s)<questions>\s*(.*?)\s*</questions>`)
	digitsRe    = regexp.MustCompile(`\d+`)
)

// Judge is the fake model's citation check (stage brief-verify). It reads
// the numbered questions between <questions> tags ("## 1", "Claim: …",
// "Sentences:" then "- …" lines) and answers each: supported when every
// figure of the claim is in the sentences (by value: 16 000 is 16,000 is
// 16 thousand) and at least three fifths of its words of four letters or
// more are, by their first four letters, a synonym counting as the word
// (a model reads "dwellings" as "homes": the words Paraphrase swaps). A
// crude reader, unlike the lexical check's weighing, as a model is another
// reader.
func Judge() Handler {
	return func(c Call) Reply {
		m := questionsRe.FindStringSubmatch(c.User())
		type answer struct {
			ID        int  `json:"id"`
			Supported bool `json:"supported"`
		}
		out := struct {
			Answers []answer `json:"answers"`
		}{Answers: []answer{}}
		if m != nil {
			for i, q := range strings.Split(m[1], "\n## ")[0:] {
				claim, sents := question(q)
				if claim == "" {
					continue
				}
				out.Answers = append(out.Answers, answer{ID: i + 1, Supported: judged(claim, strings.Join(sents, " "))})
			}
		}
		b, _ := json.Marshal(out)
		return Reply{Content: string(b)}
	}
}

// question reads one numbered question of a prompt ("Claim: …", then
// "- …" lines): the claim and its sentences.
func question(q string) (claim string, sentences []string) {
	for _, line := range strings.Split(q, "\n") {
		switch {
		case strings.HasPrefix(line, "Claim: "):
			claim = strings.TrimPrefix(line, "Claim: ")
		case strings.HasPrefix(line, "- "):
			sentences = append(sentences, strings.TrimPrefix(line, "- "))
		}
	}
	return claim, sentences
}

func judged(claim, sentences string) bool {
	have := lang.Numbers(sentences, false)
	for _, n := range lang.Numbers(claim, false) {
		if n.Text[0] < '0' || n.Text[0] > '9' {
			continue // "five" may be written 5
		}
		if !slices.ContainsFunc(have, func(h lang.Number) bool { return lang.SameValue(h.Value, n.Value) }) {
			return false
		}
	}
	words := map[string]bool{}
	for _, w := range wordRe.FindAllString(strings.ToLower(sentences), -1) {
		if w = canonical(w); len(w) >= 4 {
			words[w[:4]] = true
		}
	}
	n, hit := 0, 0
	for _, w := range wordRe.FindAllString(strings.ToLower(claim), -1) {
		if w = canonical(w); len(w) < 4 {
			continue
		}
		n++
		if words[w[:4]] {
			hit++
		}
	}
	return n > 0 && 5*hit >= 3*n
}

// synonymOf maps each word of Paraphrase's table to one word of its
// synonyms (the first in order), so that chains ("houses" → "homes" →
// "dwellings") and swaps ("firm" ↔ "company") meet.
var synonymOf = func() map[string]string {
	root := map[string]string{}
	find := func(w string) string {
		for root[w] != "" && root[w] != w {
			w = root[w]
		}
		return w
	}
	for from, to := range synonymTable {
		if strings.Contains(to, " ") || strings.Contains(from, " ") {
			continue
		}
		a, b := find(from), find(to)
		if a == b {
			continue
		}
		if b < a {
			a, b = b, a
		}
		root[a], root[b] = a, a
	}
	m := map[string]string{}
	for w := range root {
		m[w] = find(w)
	}
	return m
}()

// canonical is a word as the judge compares it: one word for all its
// synonyms.
func canonical(w string) string {
	if c, ok := synonymOf[w]; ok {
		return c
	}
	return w
}
