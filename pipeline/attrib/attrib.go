// Package attrib finds how an English news sentence attributes what it
// says — to a source it names ("according to KCNA", "the prefect told
// reporters"), to hearsay ("reportedly", "allegedly", "is said to", the
// French conditional rendered "would have …"), or by quoting someone — and
// checks that a claim resting on such sentences keeps an attribution. A
// summary's key fact or a briefing's point that states as plain fact what
// its sources only report has lost what an analyst must know; Lost says
// so, for the summaries (package summarize) and the briefing (package
// cite) alike. It works from general English patterns, no model.
package attrib

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/lang"
)

// Kind is how a sentence attributes what it says.
type Kind int

// The kinds of attribution.
const (
	According Kind = iota // "according to X", "citing X", "as reported by X"
	Reporting             // a reporting verb: "X said", "X told", "X estimates", "said X"
	Hedge                 // hearsay or doubt: "reportedly", "allegedly", "is said to", "would have …"
	Quote                 // a direct quote of four words or more
)

// Mark is one attribution of a sentence.
type Mark struct {
	Kind Kind
	Text string // as written: "according to the prefecture", "reportedly", the quote's words
	// Source is who the sentence credits, as written ("the prefecture",
	// "Laurent Vasseur"), "" for hearsay, a quote, or a pronoun.
	Source string
	// scope is the part of the sentence the mark governs: all of it, the
	// relative clause it sits in ("…, who said he was delighted, …"), or
	// a quote's words.
	scope string
}

var (
	// accordingRe: a preposition that credits a source, and the source.
	accordingRe = regexp.MustCompile(`(?i)\b(according to|as reported by|as quoted by|quoted by|citing|in a statement from|in a statement by|sources? close to)\s+([^,;:.!?"“”«»()]+)`)
	// reportingRe: the verbs that report speech, thought or estimates.
	// "states", "notes", "announced" and "declared" report only before
	// "that" ("the minister announced a fund" is an act, not a report);
	// the plural-looking forms are checked by their neighbours (verbAt).
	reportingRe = regexp.MustCompile(`(?i)\b(said|says|say|saying|told|tells|tell|stated|states|claimed|claims|claiming|alleged|alleges|asserted|asserts|insisted|insists|argued|argues|maintained|maintains|warned|warns|added|adds|announced|declared|wrote|writes|reported|reports|confirmed|confirms|denied|denies|accused|accuses|estimated|estimates|believes|believed|described|describes|explained|explains|acknowledged|acknowledges|promised|promises|vowed|vows|noted|notes|informed|reckons|reckoned|quoted|cited)\b`)
	// hedgeRe: hearsay and doubt, whoever is credited.
	hedgeRe = regexp.MustCompile(`(?i)\b(?:reportedly|allegedly|purportedly|supposedly|apparently|presumably|possibly|probably|unconfirmed|rumou?red|suspected|presumed|purported|so-called|(?:is|are|was|were|being)\s+(?:said|believed|thought|understood|reported|alleged|rumou?red|suspected|claimed|presumed|estimated)\s+to|(?:may|might|could)\s+have\s+(?:been\s+)?\p{L}+|would\s+have\s+(?:been\s+)?\p{L}+(?:ed|en|wn|ne|t|d))\b`)
	// trueConditionalRe: a "would have" that is a plain conditional
	// ("it would have been impossible without…"), not hearsay.
	trueConditionalRe = regexp.MustCompile(`(?i)\b(?:if|unless|without|otherwise|had it not|but for)\b`)
)

var beForms = set("is are was were be been being")

// onlyBeforeThat report only when "that" follows: "the minister
// announced a fund" is an act, not a report.
var onlyBeforeThat = map[string]bool{"announced": true, "declared": true}

// nounToo are verb forms that are also nouns ("12,000 claims", "reports of
// shelling", "estimates vary", "the United States", "member states").
var nounToo = map[string]bool{"claims": true, "reports": true, "estimates": true, "promises": true, "vows": true,
	"tell": true, "say": true, "states": true, "notes": true}

// notVerbBefore are the words after which a form of nounToo is a noun.
var notVerbBefore = set(`the a an these those this that his her their its our my your of many several new some such no
	any more most first last other further recent and or with without by from in on for two three four few insurance
	member`)

// notVerbAfter are the words after which a form of nounToo is a noun.
var notVerbAfter = set(`of for from by to and or were are have had is was that's about against on in vary suggest
	show put range`)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// Find returns the attributions of one sentence, in order.
func Find(sentence string) []Mark {
	var out []Mark
	for _, m := range accordingRe.FindAllStringSubmatchIndex(sentence, -1) {
		src := clip(sentence[m[4]:m[5]], 8)
		out = append(out, Mark{Kind: According, Text: sentence[m[2]:m[3]] + " " + src, Source: src,
			scope: scopeAt(sentence, m[0])})
	}
	for _, m := range reportingRe.FindAllStringSubmatchIndex(sentence, -1) {
		verb := strings.ToLower(sentence[m[2]:m[3]])
		if verb == "according" || !verbAt(sentence, m[2], m[3], verb) {
			continue
		}
		if beForms[lastWord(sentence[:m[2]])] {
			// the passive: "is said to" is hearsay (hedgeRe), "it was
			// reported that" credits no one
			if firstWord(sentence[m[3]:]) != "to" {
				out = append(out, Mark{Kind: Hedge, Text: lastWord(sentence[:m[2]]) + " " + sentence[m[2]:m[3]], scope: scopeAt(sentence, m[2])})
			}
			continue
		}
		src := subject(sentence, m[2], m[3])
		text := sentence[m[2]:m[3]]
		if src != "" {
			text = src + " " + text
		}
		out = append(out, Mark{Kind: Reporting, Text: text, Source: named(src), scope: scopeAt(sentence, m[2])})
	}
	for _, m := range hedgeRe.FindAllStringIndex(sentence, -1) {
		h := sentence[m[0]:m[1]]
		if strings.HasPrefix(strings.ToLower(h), "would") && trueConditionalRe.MatchString(sentence) {
			continue
		}
		out = append(out, Mark{Kind: Hedge, Text: h, scope: scopeAt(sentence, m[0])})
	}
	for _, q := range quotes(sentence) {
		out = append(out, Mark{Kind: Quote, Text: q, scope: q})
	}
	return out
}

// Attributed reports whether a text attributes anything: a claim that
// does keeps its sources' attribution, whoever it credits.
func Attributed(text string) bool { return len(Find(text)) > 0 }

// verbAt decides whether a reporting word at text[i:j] is used as a verb.
func verbAt(text string, i, j int, verb string) bool {
	next := firstWord(text[j:])
	if onlyBeforeThat[verb] {
		return next == "that"
	}
	if !nounToo[verb] {
		return true
	}
	if next == "that" {
		return true
	}
	prev := lastWord(text[:i])
	if prev == "" || notVerbBefore[prev] || notVerbAfter[next] || startsWithDigit(prev) {
		return false
	}
	// "the United States", "Gulf States": a name, not a verb after its
	// subject (a subject is seldom one capitalised word before "states")
	w := lastWordAsWritten(text[:i])
	return verb != "states" || w == strings.ToLower(w)
}

// subject is who a reporting verb credits: the words before it in its
// clause ("the interior minister Hélène Caradec said"), the noun phrase
// and its apposition before a comma ("The prefect, Laurent Vasseur,
// told"), or the words after it in an inverted clause after a quote
// ("“…,” said Françoise Lemaire, a resident").
func subject(text string, i, j int) string {
	before := strings.TrimSpace(text[:i])
	switch {
	case strings.HasSuffix(before, ","):
		// "The prefect, Laurent Vasseur," or "Kim thanked Moscow,"
		segs := strings.Split(strings.TrimSuffix(before, ","), ",")
		keep := segs[len(segs)-1:]
		if len(segs) >= 2 && len(strings.Fields(segs[len(segs)-2])) <= 4 {
			keep = segs[len(segs)-2:]
		}
		return strings.Trim(lastWords(strings.Join(keep, ","), 6), " \"“”«»")
	case before == "" || strings.HasSuffix(before, "\"") || strings.HasSuffix(before, "”") || strings.HasSuffix(before, "»") ||
		strings.HasSuffix(before, ",\"") || strings.HasSuffix(before, ",”"):
		after := text[j:]
		if k := strings.IndexAny(after, ",;:.!?\"“”«»()"); k >= 0 {
			after = after[:k]
		}
		return clip(after, 6)
	}
	if k := strings.LastIndexAny(before, ",;:\"“”«»()"); k >= 0 {
		before = before[k+1:]
	}
	ws := strings.Fields(before)
	for k := len(ws) - 1; k >= 0; k-- {
		// the subject starts after "that" or a relative pronoun; a verb
		// after "and" shares the subject of the one before, unnamed here
		if lw := strings.ToLower(ws[k]); lw == "that" || lw == "who" || lw == "which" || lw == "and" || lw == "but" || lw == "or" {
			ws = ws[k+1:]
			break
		}
	}
	return lastWords(strings.Join(ws, " "), 6)
}

func lastWords(s string, n int) string {
	ws := strings.Fields(s)
	if len(ws) > n {
		ws = ws[len(ws)-n:]
	}
	return strings.Join(ws, " ")
}

// named returns a source worth naming: not a pronoun.
func named(src string) string {
	switch strings.ToLower(strings.TrimSpace(src)) {
	case "", "he", "she", "they", "it", "we", "i", "you", "one", "who", "which":
		return ""
	}
	return src
}

// scopeAt is what a mark at text[i] governs: the relative clause it sits
// in — a comma-delimited stretch opening on who, which or whose, or the
// stretch from a who, which or that at most three words before it to the
// next comma ("cars … which would have been smuggled in") — else the whole
// sentence.
func scopeAt(text string, i int) string {
	start := strings.LastIndex(text[:i], ",")
	ws := strings.Fields(text[start+1 : i])
	for k := len(ws) - 1; k >= 0 && k >= len(ws)-3; k-- {
		if w := strings.ToLower(ws[k]); w == "who" || w == "which" || w == "that" || w == "whose" {
			from := start + 1 + strings.LastIndex(text[start+1:i], ws[k])
			if end := strings.Index(text[i:], ","); end >= 0 {
				return text[from : i+end]
			}
			return text[from:]
		}
	}
	if start < 0 {
		return text
	}
	opening := firstWord(text[start+1:])
	if opening != "who" && opening != "which" && opening != "whose" {
		return text
	}
	end := strings.Index(text[i:], ",")
	if end < 0 {
		return text[start+1:]
	}
	return text[start+1 : i+end]
}

// quotes returns the direct quotes of four words or more. A quote that
// runs over several sentences leaves one sentence with only its opening
// mark, or only its closing one: the rest of that sentence, or what comes
// before, is the quote.
func quotes(s string) []string {
	var out []string
	add := func(q string) {
		if q = strings.TrimSpace(q); len(strings.Fields(q)) >= 4 {
			out = append(out, q)
		}
	}
	for _, pair := range [][2]string{{"«", "»"}, {"“", "”"}, {`"`, `"`}} {
		open, close := pair[0], pair[1]
		if open != close {
			// a closing mark before any opening one ends a quote begun
			// in an earlier sentence
			if j := strings.Index(s, close); j >= 0 && !strings.Contains(s[:j], open) {
				add(s[:j])
			}
		} else if strings.Count(s, open)%2 == 1 {
			// an odd straight quote closes a quote begun in an earlier
			// sentence when it follows the words (`…ammunition," he
			// said`), else it opens one that goes on after
			j := strings.Index(s, open)
			if j > 0 && s[j-1] != ' ' {
				add(s[:j])
				s = s[j+1:]
			}
		}
		rest := s
		for {
			i := strings.Index(rest, open)
			if i < 0 {
				break
			}
			rest = rest[i+len(open):]
			j := strings.Index(rest, close)
			if j < 0 {
				add(rest) // goes on in the next sentence
				break
			}
			add(rest[:j])
			rest = rest[j+len(close):]
		}
	}
	return out
}

// unquoted is s without its quotes (and their marks).
func unquoted(s string) string {
	for _, q := range quotes(s) {
		s = strings.Replace(s, q, " ", 1)
	}
	return s
}

func clip(s string, words int) string {
	ws := strings.Fields(s)
	if len(ws) > words {
		ws = ws[:words]
	}
	return strings.Join(ws, " ")
}

func firstWord(s string) string {
	if ws := lang.Words(s); len(ws) > 0 {
		return strings.ToLower(ws[0])
	}
	return ""
}

func lastWord(s string) string {
	ws := strings.Fields(s)
	if len(ws) == 0 {
		return ""
	}
	return strings.ToLower(strings.Trim(ws[len(ws)-1], ".,;:!?\"“”«»()"))
}

func lastWordAsWritten(s string) string {
	ws := strings.Fields(s)
	if len(ws) == 0 {
		return ""
	}
	return strings.Trim(ws[len(ws)-1], ".,;:!?\"“”«»()")
}

func startsWithDigit(w string) bool {
	return w != "" && unicode.IsDigit([]rune(w)[0])
}
