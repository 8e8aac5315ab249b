package llmtest

import (
	"encoding/json"
	"regexp"
	"strings"
)

var (
	questionsRe = regexp.MustCompile(`(?s)<questions>\s*(.*?)\s*</questions>`)
	digitsRe    = regexp.MustCompile(`\d+`)
)

// Judge is the fake model's citation check (stage brief-verify). It reads
// the numbered questions between <questions> tags ("## 1", "Claim: …",
// "Sentences:" then "- …" lines) and answers each: supported when every
// number of the claim is in the sentences and at least three fifths of its
// words of four letters or more are, by their first four letters. A crude
// reader, unlike the lexical check's weighing, as a model is another reader.
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
				out.Answers = append(out.Answers, answer{ID: i + 1, Supported: judged(claim, sents)})
			}
		}
		b, _ := json.Marshal(out)
		return Reply{Content: string(b)}
	}
}

func question(q string) (claim, sentences string) {
	var sents []string
	for _, line := range strings.Split(q, "\n") {
		switch {
		case strings.HasPrefix(line, "Claim: "):
			claim = strings.TrimPrefix(line, "Claim: ")
		case strings.HasPrefix(line, "- "):
			sents = append(sents, strings.TrimPrefix(line, "- "))
		}
	}
	return claim, strings.Join(sents, " ")
}

func judged(claim, sentences string) bool {
	have := strings.Join(digitsRe.FindAllString(strings.ReplaceAll(sentences, ",", ""), -1), " ") + " "
	for _, d := range digitsRe.FindAllString(strings.ReplaceAll(claim, ",", ""), -1) {
		if !strings.Contains(" "+have, " "+d+" ") {
			return false
		}
	}
	words := map[string]bool{}
	for _, w := range wordRe.FindAllString(strings.ToLower(sentences), -1) {
		if len(w) >= 4 {
			words[w[:4]] = true
		}
	}
	n, hit := 0, 0
	for _, w := range wordRe.FindAllString(strings.ToLower(claim), -1) {
		if len(w) < 4 {
			continue
		}
		n++
		if words[w[:4]] {
			hit++
		}
	}
	return n > 0 && 5*hit >= 3*n
}
