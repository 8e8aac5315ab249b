package extract

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// figure is a number with what it counts: "16,000 containers".
type figure struct {
	text  string  // as written, number plus unit
	value float64 // the number, scaled by million/billion
	unit  string  // stemmed head noun, the key figures are compared on
	at    int     // byte offset in the sentence
}

var (
	figNumberRe = regexp.MustCompile(`([$€£]\s?)?\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(st|nd|rd|th)?(%)?(?:\s+(million|billion|trillion|thousand)\b)?`)
	figWordRe   = regexp.MustCompile(`^[\s,]*([\p{L}][\p{L}'’-]*)`)
)

// unitSkip are words after a number that are not its unit.
var unitSkip = map[string]bool{"and": true, "or": true, "to": true, "in": true, "on": true, "at": true, "by": true, "of": true, "the": true, "a": true, "an": true, "for": true, "from": true, "with": true, "as": true, "is": true, "was": true, "were": true, "are": true, "that": true, "which": true, "when": true, "after": true, "before": true, "since": true}

// figures finds numbers with their units in a sentence. Bare years are
// dates, not figures, unless a noun follows ("2000 soldiers").
func figures(s string) []figure {
	var out []figure
	for _, m := range figNumberRe.FindAllStringSubmatchIndex(s, -1) {
		num := s[m[4]:m[5]]
		if m[0] > 0 && s[m[0]-1] == '-' {
			continue // part of a name: COVID-19, Su-57
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", ""), 64)
		if err != nil {
			continue
		}
		if m[10] >= 0 {
			v *= map[string]float64{"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}[s[m[10]:m[11]]]
		}
		end := m[1]
		var unit string
		switch {
		case m[2] >= 0:
			unit = strings.TrimSpace(s[m[2]:m[3]])
		case m[8] >= 0:
			unit = "%"
		}
		// up to three capitalised words, then the first lower-case noun
		rest := s[end:]
		var words []string
		for len(words) < 4 && unit == "" {
			w := figWordRe.FindStringSubmatchIndex(rest)
			if w == nil || w[0] != 0 {
				break
			}
			word := rest[w[2]:w[3]]
			lw := strings.ToLower(word)
			if unitSkip[lw] || enStop[lw] || strings.Contains(rest[:w[2]], ",") {
				break
			}
			words = append(words, word)
			rest = rest[w[1]:]
			if word == lw {
				unit = stemWord(lw)
				end = len(s) - len(rest)
				if lw == "year" || lw == "years" {
					if n := figWordRe.FindStringSubmatch(rest); n != nil && (n[1] == "old" || n[1] == "ago") {
						end += strings.Index(rest, n[1]) + len(n[1])
					}
				}
			}
		}
		if unit == "" {
			continue // a bare number or year says nothing comparable
		}
		if len(words) > 0 && m[6] < 0 && m[8] < 0 && m[2] < 0 && isYear(num) && words[0] != strings.ToLower(words[0]) {
			continue
		}
		out = append(out, figure{text: strings.TrimSpace(s[m[0]:end]), value: v, unit: unit, at: m[0]})
	}
	return out
}

func isYear(num string) bool {
	y, err := strconv.Atoi(num)
	return err == nil && len(num) == 4 && y >= 1800 && y <= 2100
}

// window is the content words around a figure, five either side: what a
// number counts is said next to it, and the rest of a long sentence would
// drown that out.
func window(s string, f figure) []string {
	before := contentTerms(s[:f.at])
	after := contentTerms(s[min(len(s), f.at+len(f.text)):])
	return append(before[max(0, len(before)-5):], after[:min(len(after), 5)]...)
}

// conflicts reports whether two sentences give different numbers for the
// same unit: the signal for "Where sources differ".
func conflicts(a, b []figure) bool {
	for _, x := range a {
		for _, y := range b {
			if x.unit == y.unit && x.value != y.value {
				return true
			}
		}
	}
	return false
}

var monthNumbers = map[string]int{"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12}

const monthAlt = `January|February|March|April|May|June|July|August|September|October|November|December`

var (
	dayMonthYearRe = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)? (` + monthAlt + `),? (\d{4})\b`)
	monthDayYearRe = regexp.MustCompile(`\b(` + monthAlt + `) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b`)
	monthYearRe    = regexp.MustCompile(`\b(` + monthAlt + `),? (\d{4})\b`)
	yearOnlyRe     = regexp.MustCompile(`(?:^|[^\d,.$€£])\b(1[89]\d\d|20\d\d)\b(?:[^\d]|$)`)
	monthNameRe    = regexp.MustCompile(`\b(?:(early|mid|late|last|next) )?(` + monthAlt + `)\b`)
	weekdayNameRe  = regexp.MustCompile(`\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`)
)

// when is the most precise date a sentence states. key sorts it: year,
// month and day, with zeros for what is unknown; a date without a year
// ("Tuesday", "September") has key 0 and cannot be placed on a timeline.
type when struct {
	label string
	key   int
}

// dateOf returns the most precise explicit date in s, if any.
func dateOf(s string) (when, bool) {
	if !mayHoldDate(s) {
		return when{}, false
	}
	if m := dayMonthYearRe.FindStringSubmatch(s); m != nil {
		return ymd(m[3], monthNumbers[strings.ToLower(m[2])], m[1]), true
	}
	if m := monthDayYearRe.FindStringSubmatch(s); m != nil {
		return ymd(m[3], monthNumbers[strings.ToLower(m[1])], m[2]), true
	}
	if m := monthYearRe.FindStringSubmatch(s); m != nil {
		return ymd(m[2], monthNumbers[strings.ToLower(m[1])], ""), true
	}
	for _, m := range yearOnlyRe.FindAllStringSubmatchIndex(s, -1) {
		y := s[m[2]:m[3]]
		// "2000 soldiers" is a figure, not a year
		if f := figures(s[m[2]:]); len(f) > 0 && strings.HasPrefix(f[0].text, y) {
			continue
		}
		return ymd(y, 0, ""), true
	}
	if m := monthNameRe.FindStringSubmatch(s); m != nil && (m[1] != "" || m[2] != "May") {
		return when{label: strings.TrimSpace(m[0])}, true
	}
	if m := weekdayNameRe.FindString(s); m != "" {
		return when{label: m}, true
	}
	return when{}, false
}

// mayHoldDate is a cheap first look, since most sentences carry no date and
// the patterns are costly to run on all of them.
func mayHoldDate(s string) bool {
	if strings.ContainsAny(s, "0123456789") {
		return true
	}
	for _, w := range []string{"day", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func ymd(year string, month int, day string) when {
	y, _ := strconv.Atoi(year)
	d, _ := strconv.Atoi(day)
	switch {
	case month == 0:
		return when{label: year, key: y * 10000}
	case d == 0:
		return when{label: fmt.Sprintf("%04d-%02d", y, month), key: y*10000 + month*100}
	}
	return when{label: fmt.Sprintf("%04d-%02d-%02d", y, month, d), key: y*10000 + month*100 + d}
}

// clip shortens a sentence for a "date: context" line.
func clipWords(s string, words int) string {
	f := strings.Fields(s)
	if len(f) <= words {
		return s
	}
	return strings.Join(f[:words], " ") + " …"
}
