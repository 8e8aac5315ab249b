package translate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/news"
)

// Thresholds of the output checks.
const (
	// frenchMax is the French stop-word share above which a paragraph is
	// taken as untranslated: French news scores 0.3–0.45, English < 0.05.
	frenchMax = 0.2
	// frenchMinWords: shorter paragraphs (names, datelines) cannot be judged.
	frenchMinWords = 8
	// A chunk's answer must be within [ratioMin, ratioMax] × its source
	// length in characters, for chunks of at least ratioMinChars.
	ratioMin, ratioMax = 0.5, 2.0
	ratioMinChars      = 200
)

var (
	blankLines = regexp.MustCompile(`\n[ \t\x{00a0}]*\n\s*`)
	numberMark = regexp.MustCompile(`(?m)^[ \t*]*\[(\d+)\][ \t*]*`)
	// A number as written in either language: 16 000, 16 000, 16,000,
	// 16.000, 2,5, 1.5. Grouping separators and the decimal mark are
	// dropped before comparing, so "2,5" matches "2.5" and "16 000"
	// matches "16,000".
	numberRE = regexp.MustCompile(`\d+(?:[ \x{00a0}\x{202f},.]\d{3})*(?:[.,]\d+)?`)
)

// problem is one reason to reject an answer, and what to tell the model.
type problem struct {
	Code news.WarningCode
	Msg  string // for the manifest
	Fix  string // corrective instruction for the next attempt
}

// paragraphs splits an answer into paragraphs. Numbered answers are read
// by their "[n]" marks; others by blank lines, or by single line breaks when
// that gives exactly the expected count and the source had none of its own
// (some models separate paragraphs by one newline).
func paragraphs(answer string, numbered bool, src []string) []string {
	if numbered || numberMark.MatchString(answer) && len(src) > 1 {
		if out, ok := parseNumbered(answer, len(src)); ok {
			return out
		}
	}
	out := splitNonEmpty(blankLines.Split(answer, -1))
	if len(out) != len(src) {
		srcBreaks := false
		for _, s := range src {
			srcBreaks = srcBreaks || strings.Contains(s, "\n")
		}
		if alt := splitNonEmpty(strings.Split(answer, "\n")); !srcBreaks && len(alt) == len(src) {
			return alt
		}
	}
	return out
}

// parseNumbered reads "[1] …\n\n[2] …" back into paragraphs. It succeeds
// only when the marks run 1..want in order.
func parseNumbered(answer string, want int) ([]string, bool) {
	locs := numberMark.FindAllStringSubmatchIndex(answer, -1)
	if len(locs) != want {
		return nil, false
	}
	out := make([]string, 0, want)
	for i, loc := range locs {
		n, _ := strconv.Atoi(answer[loc[2]:loc[3]])
		if n != i+1 {
			return nil, false
		}
		end := len(answer)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		out = append(out, strings.TrimSpace(answer[loc[1]:end]))
	}
	return out, true
}

func splitNonEmpty(parts []string) []string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// check runs the checks that reject an answer, in order of what the retry
// can best repair: the paragraph count, then French left, then length.
func check(src, out []string) *problem {
	if len(out) != len(src) {
		return countProblem(len(out), len(src))
	}
	for i, o := range out {
		if isFrench(o) {
			return &problem{
				Code: news.WarnStillFrench,
				Msg:  fmt.Sprintf("paragraph %d is still French (stop-word ratio %.2f)", i+1, lang.FrenchRatio(o)),
				Fix:  "Your previous answer was still in French. Answer in English: translate every paragraph into English.",
			}
		}
	}
	var sc, oc int
	for i := range src {
		sc += utf8.RuneCountInString(src[i])
		oc += utf8.RuneCountInString(out[i])
	}
	if sc >= ratioMinChars {
		r := float64(oc) / float64(sc)
		switch {
		case r < ratioMin:
			return &problem{
				Code: news.WarnLengthRatio,
				Msg:  fmt.Sprintf("answer is %.2f× the source length", r),
				Fix:  "Your previous answer was much shorter than the document. Translate every sentence completely; leave nothing out.",
			}
		case r > ratioMax:
			return &problem{
				Code: news.WarnLengthRatio,
				Msg:  fmt.Sprintf("answer is %.2f× the source length", r),
				Fix:  "Your previous answer was much longer than the document. Give only the translation, adding nothing.",
			}
		}
	}
	return nil
}

// countProblem is the paragraph-count failure; its retry numbers the
// paragraphs so that the answer can be read back by number.
func countProblem(got, want int) *problem {
	return &problem{
		Code: news.WarnParagraphCount,
		Msg:  fmt.Sprintf("answer had %d paragraphs for %d", got, want),
		Fix: fmt.Sprintf("Your previous answer had %d paragraphs instead of %d. Translate each numbered paragraph "+
			"and give exactly %d paragraphs, each starting with its number in brackets like [1], in the same order.",
			got, want, want),
	}
}

// isFrench reports whether a paragraph is long enough to judge and reads as
// French.
func isFrench(text string) bool {
	return len(lang.Words(text)) >= frenchMinWords && lang.FrenchRatio(text) > frenchMax
}

// smallNumbers are the numbers a translator may write out in words.
var smallNumbers = map[string][]string{
	"0": {"zero", "no"}, "1": {"one", "a", "an", "first", "single"}, "2": {"two", "second", "both", "pair", "twice"},
	"3": {"three", "third"}, "4": {"four", "fourth"}, "5": {"five", "fifth"}, "6": {"six", "sixth"},
	"7": {"seven", "seventh"}, "8": {"eight", "eighth"}, "9": {"nine", "ninth"}, "10": {"ten", "tenth"},
	"11": {"eleven"}, "12": {"twelve", "dozen"}, "13": {"thirteen"}, "14": {"fourteen"}, "15": {"fifteen"},
	"16": {"sixteen"}, "17": {"seventeen"}, "18": {"eighteen"}, "19": {"nineteen"}, "20": {"twenty"},
	"30": {"thirty"}, "40": {"forty"}, "50": {"fifty", "half"}, "60": {"sixty"}, "70": {"seventy"},
	"80": {"eighty"}, "90": {"ninety"}, "100": {"hundred"}, "1000": {"thousand"},
}

// missingNumbers returns the numbers of the source that the translation
// lacks, as written in the source, each once.
func missingNumbers(src, out []string) []string {
	have := map[string]bool{}
	words := map[string]bool{}
	for _, o := range out {
		for _, n := range numberRE.FindAllString(o, -1) {
			have[digits(n)] = true
		}
		for _, w := range lang.Words(o) {
			words[strings.ToLower(w)] = true
		}
	}
	var missing []string
	seen := map[string]bool{}
	for _, s := range src {
		for _, n := range numberRE.FindAllString(s, -1) {
			d := digits(n)
			if have[d] || seen[d] {
				continue
			}
			seen[d] = true
			if written(d, words) || have[strings.TrimSuffix(d, "000")] && words["thousand"] {
				continue
			}
			missing = append(missing, n)
		}
	}
	return missing
}

// digits keeps the digits of a number and drops leading zeros ("09" → "9").
func digits(n string) string {
	var b strings.Builder
	for _, r := range n {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := strings.TrimLeft(b.String(), "0")
	if d == "" {
		return "0"
	}
	return d
}

func written(d string, words map[string]bool) bool {
	for _, w := range smallNumbers[d] {
		if words[w] {
			return true
		}
	}
	return false
}

// fidelity runs the checks on what a translation says rather than its
// shape: a figure whose value changed ("16 000" → "1,600", "2 milliards" →
// "2 million"), reported speech turned into plain fact (the French
// conditional of attribution, "aurait", "selon …", rendered without
// "reportedly", "allegedly", "according to"…), and a direct quotation no
// longer quoted. Each is asked again with a corrective instruction; the
// last attempt's answer is kept with a warning, since these checks can be
// wrong where the paragraph-count check cannot.
func fidelity(src, out []string) *problem {
	if ch := changedNumbers(src, out); len(ch) > 0 {
		return &problem{
			Code: news.WarnNumberChanged,
			Msg:  "figures changed value in translation: " + strings.Join(ch, ", "),
			Fix: "Your previous answer changed the value of figures (" + strings.Join(ch, ", ") + "). Keep every number's value " +
				"exactly: French writes 16 000 for 16,000, 3,5 for 3.5, 2 milliards for 2 billion, 12 M€ for €12 million.",
		}
	}
	for i := range src {
		if i >= len(out) {
			break
		}
		if cue := attribution(src[i]); cue != "" && !hedged(out[i]) {
			return &problem{
				Code: news.WarnHedgeLost,
				Msg:  fmt.Sprintf("paragraph %d reports a claim (%q) that the translation states as fact", i+1, cue),
				Fix: "Your previous answer stated as fact what the French only reports or alleges (the conditional \"" + cue + "\"). " +
					"Keep the hedge: translate it with \"reportedly\", \"allegedly\", \"according to …\" or \"is said to\", never as a plain fact.",
			}
		}
		if quoted(src[i]) && !quoted(out[i]) {
			return &problem{
				Code: news.WarnQuoteLost,
				Msg:  fmt.Sprintf("paragraph %d quotes someone directly; the translation does not", i+1),
				Fix:  "Your previous answer turned a direct quotation into reported speech. Keep direct quotes as quotes, in quotation marks.",
			}
		}
	}
	return nil
}

// changedNumbers pairs, paragraph by paragraph, the source figures whose
// value the translation lacks with the translation's figures the source
// lacks: "16 000 → 1,600". A figure only missing, or only added, is not a
// change (numbers_missing reports the first).
func changedNumbers(src, out []string) []string {
	var changed []string
	for i := range src {
		if i >= len(out) {
			break
		}
		s, o := lang.Numbers(src[i], true), lang.Numbers(out[i], false)
		lost, added := unmatched(s, o), unmatched(o, s)
		for k := 0; k < len(lost) && k < len(added); k++ {
			changed = append(changed, lost[k].Text+" → "+added[k].Text)
		}
	}
	return changed
}

// unmatched returns the figures of a written in digits whose value b does
// not have.
func unmatched(a, b []lang.Number) []lang.Number {
	var out []lang.Number
	for _, x := range a {
		if x.Text == "" || x.Text[0] < '0' || x.Text[0] > '9' {
			continue
		}
		found := false
		for _, y := range b {
			found = found || lang.SameValue(x.Value, y.Value)
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}

// attributionRe finds the French marks of a reported claim: the
// conditional of the auxiliaries that carry it ("aurait livré", "serait
// mort", "auraient été tués") and "selon …" / "d'après …" / "présumé".
var attributionRe = regexp.MustCompile(`(?i)\b(?:aurai(?:t|ent)|serai(?:t|ent)|devrai(?:t|ent) avoir|selon|d['’]après|présumée?s?|prétendu(?:e|es|s)?|prétendument)\b`)

// hedgeRe finds the English that keeps a claim reported.
var hedgeRe = regexp.MustCompile(`(?i)\b(?:reportedly|allegedly|alleged|according to|said to|is said|are said|was said|were said|reported|reports?|claim(?:s|ed)?|purported(?:ly)?|supposedly|apparently|believed to|thought to|would|could|may have|might have|said|says|presumed|suspected|so-called|cited)\b`)

func attribution(fr string) string {
	return attributionRe.FindString(fr)
}

func hedged(en string) bool { return hedgeRe.MatchString(en) }

// quoted reports whether a paragraph holds a quotation of some length, in
// guillemets or quotation marks (a quoted word or title does not count).
func quoted(s string) bool {
	for _, pair := range [][2]string{{"«", "»"}, {"“", "”"}, {`"`, `"`}} {
		if i := strings.Index(s, pair[0]); i >= 0 {
			rest := s[i+len(pair[0]):]
			if j := strings.Index(rest, pair[1]); j >= 0 && len(strings.Fields(rest[:j])) >= 4 {
				return true
			}
		}
	}
	return false
}
