package translate

import (
	"regexp"

	"strings"
	"unicode/utf8"

	"github.com/depeche-news/depeche/pipeline/llm"
)

var (
	fenceLine     = regexp.MustCompile("^```[\\w-]*\\s*$")
	ruleLine      = regexp.MustCompile(`^\s*(?:-\s*){3,}$|^\s*(?:\*\s*){3,}$|^\s*(?:_\s*){3,}$|^\s*(?:=\s*){3,}$`)
	preambleColon = regexp.MustCompile(`(?i)(translat|traduc|english|anglais|\bhere\b|voici|voilà)`)
	preambleAck   = regexp.MustCompile(`(?i)^(sure|certainly|of course|absolutely|okay|ok|alright|d'accord|bien sûr)[!.,]*(\s+(here|below|i|voici)\b.*)?$`)
	preambleHere  = regexp.MustCompile(`(?i)^(here(’s|'s| is| are)|below is)\b.*\b(translation|english)\b.*$`)
	preambleLead  = regexp.MustCompile(`(?i)^(?:(?:sure|certainly|of course)[!.,]*\s*)?(?:here(?:’s|'s| is)|below is) (?:the|my|your) (?:english )?translation(?: of [^:\n]{0,80})?:\s+`)
	signoff       = regexp.MustCompile(`(?i)^[(*\s]*(?:(?:translator(?:’s|'s)? )?notes?\s*[:：]|n\.\s?b\.?\s*[:：]|i hope (?:this|that) helps|hope (?:this|that) helps|(?:please )?let me know|feel free|if you (?:need|have|would|want)|i (?:have )?(?:kept|translated|preserved|maintained|left)\b|(?:the )?(?:above )?translation (?:above|keeps|preserves|maintains)|\(translated)`)
	noteSource    = regexp.MustCompile(`(?i)^[(*\s]*(note|nb|n\.b\.|ndlr|remarque|ps|p\.-s\.)\b`)
)

// quotePairs are the marks a model may wrap a whole answer in.
var quotePairs = map[rune]rune{'"': '"', '“': '”', '«': '»', '\'': '\'', '‘': '’'}

// strip removes what models wrap around a translation: <think> blocks,
// preambles ("Sure! Here is the translation:"), sign-offs ("I hope this
// helps", an added "Note: …"), code fences, horizontal rules and quotes
// around the whole answer. src is the chunk's source segments: a wrapper
// is only stripped when the source has no counterpart of its own. It
// returns the cleaned answer and a short description of each removal.
func strip(answer string, src []string) (string, []string) {
	var removed []string
	s := strings.ReplaceAll(answer, "\r\n", "\n")
	if t, thinking := llm.SplitThinking(s); thinking != "" {
		removed, s = append(removed, thinkingNote(thinking)), t
	}
	first, last := "", ""
	if len(src) > 0 {
		first, last = strings.TrimSpace(src[0]), strings.TrimSpace(src[len(src)-1])
	}
	for range 4 { // wrappers nest: a preamble, then a fence, then quotes
		before := s
		s = strings.TrimSpace(s)
		var what string
		if s, what = stripPreamble(s, first); what != "" {
			removed = append(removed, what)
		}
		if s, what = stripSignoff(s, last); what != "" {
			removed = append(removed, what)
		}
		if s, what = stripFence(s); what != "" {
			removed = append(removed, what)
		}
		if s, what = stripQuotes(s, first, last); what != "" {
			removed = append(removed, what)
		}
		if s == before {
			break
		}
	}
	return strings.TrimSpace(s), removed
}

func stripPreamble(s, first string) (string, string) {
	line, rest, _ := strings.Cut(s, "\n")
	l := strings.TrimSpace(strings.Trim(strings.TrimSpace(line), "*#_ "))
	if l == "" && rest != "" && strings.TrimSpace(line) != "" { // a bare "**" or "#" line
		return rest, "empty heading"
	}
	if ruleLine.MatchString(line) {
		return rest, "horizontal rule"
	}
	if m := preambleLead.FindString(s); m != "" {
		return s[len(m):], quoteShort("preamble", strings.TrimSpace(m))
	}
	srcColon := strings.HasSuffix(strings.TrimRight(first, " \u00a0\u202f"), ":")
	switch {
	case strings.HasSuffix(l, ":") && utf8.RuneCountInString(l) < 150 && len(strings.Fields(l)) <= 20 &&
		preambleColon.MatchString(l) && !srcColon:
		return rest, quoteShort("preamble", l)
	case utf8.RuneCountInString(l) < 120 && (preambleAck.MatchString(l) || preambleHere.MatchString(l)) && rest != "":
		return rest, quoteShort("preamble", l)
	}
	return s, ""
}

func stripSignoff(s, last string) (string, string) {
	noteOK := !noteSource.MatchString(last)
	lines := strings.Split(s, "\n")
	end := len(lines)
	for end > 0 && strings.TrimSpace(lines[end-1]) == "" {
		end--
	}
	if end == 0 {
		return s, ""
	}
	l := strings.TrimSpace(lines[end-1])
	if ruleLine.MatchString(l) {
		return strings.Join(lines[:end-1], "\n"), "horizontal rule"
	}
	// The sign-off block starts after the last blank line; drop it whole
	// when its first line reads as one ("Notes:\n- …").
	start := end - 1
	for start > 0 && strings.TrimSpace(lines[start-1]) != "" {
		start--
	}
	if start > 0 && isSignoff(lines[start], noteOK) {
		return strings.Join(lines[:start], "\n"), quoteShort("sign-off", strings.TrimSpace(lines[start]))
	}
	if end-1 > 0 && isSignoff(l, noteOK) { // glued to the last paragraph
		return strings.Join(lines[:end-1], "\n"), quoteShort("sign-off", l)
	}
	return s, ""
}

func isSignoff(line string, noteOK bool) bool {
	l := strings.TrimSpace(line)
	if !signoff.MatchString(l) {
		return false
	}
	if !noteOK && noteSource.MatchString(l) {
		return false
	}
	return true
}

func stripFence(s string) (string, string) {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) < 2 || !fenceLine.MatchString(strings.TrimSpace(lines[0])) {
		return s, ""
	}
	lines = lines[1:]
	if n := len(lines); n > 0 && strings.TrimSpace(lines[n-1]) == "```" {
		lines = lines[:n-1]
	}
	return strings.Join(lines, "\n"), "code fence"
}

func stripQuotes(s, first, last string) (string, string) {
	open, size := utf8.DecodeRuneInString(s)
	closeWant, ok := quotePairs[open]
	if !ok || len(s) <= size {
		return s, ""
	}
	closeGot, csize := utf8.DecodeLastRuneInString(s)
	if closeGot != closeWant {
		return s, ""
	}
	// A source that itself opens or closes on a quote explains the marks.
	if r, _ := utf8.DecodeRuneInString(first); isQuote(r) {
		return s, ""
	}
	if r, _ := utf8.DecodeLastRuneInString(last); isQuote(r) {
		return s, ""
	}
	inner := s[size : len(s)-csize]
	if open == closeWant && strings.ContainsRune(inner, open) {
		return s, "" // "a" and "b": not one wrapped answer
	}
	return strings.TrimSpace(inner), "wrapping quotes"
}

func isQuote(r rune) bool {
	return strings.ContainsRune(`"“”«»'‘’`, r)
}

func quoteShort(kind, text string) string {
	if r := []rune(text); len(r) > 60 {
		text = string(r[:57]) + "…"
	}
	return kind + " " + `"` + text + `"`
}

// thinkingNote describes thinking removed from an answer, for the
// preamble_stripped warning.
func thinkingNote(thinking string) string {
	low := strings.ToLower(strings.TrimSpace(thinking))
	switch {
	case !strings.Contains(low, "</"):
		return "unclosed <think>: the model never reached its answer"
	case !strings.HasPrefix(low, "<"):
		return "reasoning before </think>"
	}
	return "<think> block"
}
