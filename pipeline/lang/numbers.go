package lang

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Number is a figure found in a text: as written, and its value with any
// scale word applied ("2 milliards" and "2 billion" are both 2e9).
type Number struct {
	Text    string
	Value   float64
	Percent bool
}

// numberRe finds figures in either language's writing: French groups
// thousands with (narrow, non-breaking) spaces or dots and writes decimals
// with a comma (16 000, 21.930,54, 3,5); English groups with commas and
// writes decimals with a dot (16,000, 21,930.54, 3.5). A scale word or
// symbol may follow, and a percent sign.
var numberRe = regexp.MustCompile(`\b(\d{1,3}(?:[ \x{00a0}\x{202f}]\d{3})+(?:,\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)(?:(?:st|nd|rd|th|e|er|ème)\b)?` +
	`(?:[ \x{00a0}\x{202f}]?(%|pour ?cent|per ?cent|percent|thousand|mille|millions?|milliards?|billions?|trillions?|bn|Mds?|Md€|M€|M\$|k€|k\$)(?:\b|[^\p{L}]|$))?`)

// scales are the multipliers of scale words. "billion" is 1e9 in English
// and 1e12 in French; the caller says which language a text is in.
var scales = map[string]float64{
	"thousand": 1e3, "mille": 1e3, "k€": 1e3, "k$": 1e3,
	"million": 1e6, "millions": 1e6, "M€": 1e6, "M$": 1e6,
	"milliard": 1e9, "milliards": 1e9, "bn": 1e9, "Md": 1e9, "Mds": 1e9, "Md€": 1e9,
	"billion": 1e9, "billions": 1e9, "trillion": 1e12, "trillions": 1e12,
}

// smallWords are the numbers translators write out in words.
var smallWords = map[string]float64{
	"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "dozen": 12, "fifteen": 15, "twenty": 20, "fifty": 50, "hundred": 100,
	"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
	"onze": 11, "douze": 12, "douzaine": 12, "quinze": 15, "vingt": 20, "cinquante": 50, "cent": 100,
}

// NumberWord reports whether a word is part of how a figure is written —
// a number in words ("seven"), a scale ("thousand", "milliards") or
// "percent" — and so says nothing a figure's value does not: "16 thousand"
// and "16,000" are one figure.
func NumberWord(w string) bool {
	w = strings.ToLower(w)
	_, small := smallWords[w]
	_, scale := scales[w]
	return small || scale || w == "percent" || w == "cent"
}

// Numbers returns the figures of a text with their values, in order.
// french says how to read an ambiguous separator: "16.000" is 16000 in
// French and "3,5" is 3.5; in English "16,000" is 16000, and a comma not
// followed by exactly three digits ("3,5", left by a translator) is a
// decimal mark too. Numbers written as words (five, cinq) are included.
func Numbers(text string, french bool) []Number {
	var out []Number
	var ms [][]int
	// Every figure numberRe matches has an ASCII digit (\d is [0-9] in
	// RE2), and most sentences have none: the backtracking matcher was a
	// fifth of a big briefing's CPU.
	if strings.ContainsAny(text, "0123456789") {
		ms = numberRe.FindAllStringSubmatchIndex(text, -1)
	}
	for _, m := range ms {
		raw, scale := text[m[2]:m[3]], ""
		if m[4] >= 0 {
			scale = text[m[4]:m[5]]
		}
		v, ok := parseNumber(raw, french)
		if !ok {
			continue
		}
		n := Number{Text: strings.TrimSpace(text[m[0]:m[1]]), Value: v}
		switch s := strings.ReplaceAll(scale, " ", ""); {
		case s == "%" || strings.HasSuffix(s, "cent"):
			n.Percent = true
		case s != "":
			mul := scales[s]
			if french && strings.HasPrefix(s, "billion") {
				mul = 1e12
			}
			n.Value *= mul
		}
		out = append(out, n)
	}
	for _, w := range Words(text) {
		if v, ok := smallWords[strings.ToLower(w)]; ok {
			out = append(out, Number{Text: w, Value: v})
		}
	}
	return out
}

func parseNumber(raw string, french bool) (float64, bool) {
	s := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(raw)
	dot, comma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	group := func(sep string) { s = strings.ReplaceAll(s, sep, "") }
	switch {
	case dot >= 0 && comma >= 0: // both: the last one is the decimal mark
		if comma > dot {
			group(".")
			s = strings.Replace(s, ",", ".", 1)
		} else {
			group(",")
		}
	case comma >= 0:
		if !french && len(s)-comma-1 == 3 {
			group(",")
		} else {
			s = strings.Replace(s, ",", ".", 1)
			if strings.Count(s, ",") > 0 {
				return 0, false
			}
		}
	case dot >= 0:
		if french && len(s)-dot-1 == 3 || strings.Count(s, ".") > 1 {
			group(".")
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && !math.IsInf(v, 0)
}

// SameValue reports whether two figures are equal, allowing for the
// rounding of a translation ("2.46 billion" for 2 460 millions).
func SameValue(a, b float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= 1e-6*math.Max(math.Abs(a), math.Abs(b))
}
