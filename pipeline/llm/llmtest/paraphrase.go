package llmtest

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Paraphrase rewrites a sentence as a model that does not copy its
// sources would: a leading phrase moves to the end and a trailing
// reporting clause to the front ("According to the prefecture, 7,800
// homes…" → "7,800 homes…, according to the prefecture"; "…, the minister
// said." → "The minister said that …"), common words give way to
// synonyms, articles go (headline style), and figures change their
// writing by turn — 16,000, 16 000, 16 thousand; 3.5 million, 3,500,000;
// 33% and 33 per cent — with their values unchanged. k varies the turns
// between calls. The words are general English, not those of any fixture:
// the citation check is measured against it (TestCitationCatchRate).
func Paraphrase(s string, k int) string {
	s = strings.TrimSpace(s)
	end := ""
	if n := len(s); n > 0 && strings.ContainsRune(".!?", rune(s[n-1])) {
		s, end = s[:n-1], s[n-1:]
	}
	s = reorder(s)
	s = synonyms(s)
	s = dropArticles(s)
	s = renumber(s, k)
	return upperFirst(s) + end
}

var (
	// leadRe is an opening phrase before the first comma, of at most six
	// words, that the sentence can do without at its head.
	leadRe = regexp.MustCompile(`^((?:According to|On|In|At|Last|After|Before|Under|Since|During|Despite|Visiting|For|With|By|From)\b[^,]{0,60}), (.+)$`)
	// trailRe is a closing reporting clause: ", the minister said", ", she told reporters".
	trailRe = regexp.MustCompile(`^(.{20,}?), ((?:[^\s,]+ ){0,6}?(?:said|says|told|added|stated|announced|explained|insisted|warned|argued)(?: [^,]{0,40})?)$`)
)

func reorder(s string) string {
	if m := leadRe.FindStringSubmatch(s); m != nil && len(strings.Fields(m[1])) <= 6 {
		return m[2] + ", " + lowerFirst(m[1])
	}
	if m := trailRe.FindStringSubmatch(s); m != nil && !strings.ContainsAny(m[1], "\"“”") {
		return upperFirst(m[2]) + " that " + lowerFirst(m[1])
	}
	return s
}

// synonymTable pairs common news words with a word a paraphrase uses
// instead; "_" joins the words of a phrase.
var synonymTable = func() map[string]string {
	pairs := `said:stated says:states told:informed announced:declared asked:requested gave:handed
		received:got receive:get began:started started:began start:begin help:assist helped:assisted
		affected:hit reached:hit forced:compelled sentenced:condemned estimates:reckons estimated:reckoned
		showed:revealed shows:reveals visited:toured visiting:touring arrived:came won:secured
		used:employed built:constructed bought:purchased sent:dispatched supply:provide provided:supplied
		discuss:debate expected:forecast increase:rise increased:rose decided:chose
		cancelled:scrapped cancel:scrap killed:left_dead died:perished injured:hurt damaged:harmed
		car:vehicle house:home houses:homes homes:dwellings town:city people:persons company:firm
		firm:company meeting:talks weapons:arms munitions:ammunition attack:assault fund:package
		cost:bill damage:losses strike:walkout rain:rainfall prison:jail court:tribunal
		victims:casualties residents:inhabitants country:nation leader:head leaders:heads gift:present
		talks:negotiations agreement:deal plan:scheme project:scheme law:legislation bill:draft
		large:big big:large new:fresh main:chief famous:renowned latest:most_recent former:ex
		serious:grave strong:sharp total:overall several:a_number_of many:numerous about:around
		around:about more_than:over also:too before:prior_to after:following
		children:kids job:post jobs:posts workers:employees staff:personnel police:officers
		army:military soldiers:troops sister:sibling trip:journey week:seven_days month:four_weeks`
	m := map[string]string{}
	for _, pair := range strings.Fields(pairs) {
		from, to, _ := strings.Cut(pair, ":")
		m[strings.ReplaceAll(from, "_", " ")] = strings.ReplaceAll(to, "_", " ")
	}
	return m
}()

var wordTokRe = regexp.MustCompile(`\p{L}[\p{L}'’-]*`)

func synonyms(s string) string {
	for from, to := range synonymTable {
		if strings.Contains(from, " ") {
			s = strings.ReplaceAll(s, from, to)
		}
	}
	return wordTokRe.ReplaceAllStringFunc(s, func(w string) string {
		to, ok := synonymTable[strings.ToLower(w)]
		if !ok {
			return w
		}
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
			return upperFirst(to)
		}
		return to
	})
}

var determinerRe = regexp.MustCompile(`(?i)\b(?:the|a|an) `)

func dropArticles(s string) string {
	return determinerRe.ReplaceAllStringFunc(s, func(a string) string {
		if a == "A " || a == "An " || a == "The " {
			return "" // a sentence's first word; upperFirst capitalises the next
		}
		if strings.ToLower(a) != a {
			return a // "The Hague", "A-Team": part of a name, kept
		}
		return ""
	})
}

// writtenFigureRe finds a figure the paraphrase rewrites: grouped thousands,
// a decimal with a scale word, a percentage.
var writtenFigureRe = regexp.MustCompile(`\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)? (?:thousand|million|billion)|\d+(?:\.\d+)?%)`)

func renumber(s string, k int) string {
	i := 0
	return writtenFigureRe.ReplaceAllStringFunc(s, func(f string) string {
		i++
		turn := (k + i) % 3
		switch {
		case strings.HasSuffix(f, "%"):
			if turn == 0 {
				return f
			}
			return strings.TrimSuffix(f, "%") + " per cent"
		case strings.Contains(f, " "):
			num, scale, _ := strings.Cut(f, " ")
			v, _ := strconv.ParseFloat(num, 64)
			mul := map[string]float64{"thousand": 1e3, "million": 1e6, "billion": 1e9}[scale]
			if turn == 0 || v*mul != math.Trunc(v*mul) {
				return f
			}
			return group(int64(v*mul), []string{",", ",", " "}[turn])
		}
		v, _ := strconv.ParseInt(strings.ReplaceAll(f, ",", ""), 10, 64)
		switch {
		case turn == 1:
			return group(v, " ")
		case turn == 2 && v%1000 == 0 && v < 1e6:
			return strconv.FormatInt(v/1000, 10) + " thousand"
		case turn == 2 && v%100 == 0 && v < 1e6:
			return strconv.FormatFloat(float64(v)/1000, 'f', -1, 64) + " thousand"
		}
		return f
	})
}

// group writes v with sep between groups of three digits.
func group(v int64, sep string) string {
	d := strconv.FormatInt(v, 10)
	var out []string
	for len(d) > 3 {
		out = append([]string{d[len(d)-3:]}, out...)
		d = d[:len(d)-3]
	}
	return strings.Join(append([]string{d}, out...), sep)
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// lowerFirst lowers a phrase's first letter unless its first word is a
// name or an acronym ("The minister" → "the minister", "KCNA" stays).
func lowerFirst(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if first == "" || !map[string]bool{"The": true, "A": true, "An": true, "According": true, "On": true, "In": true,
		"At": true, "Last": true, "After": true, "Before": true, "Under": true, "Since": true, "During": true,
		"Despite": true, "Visiting": true, "For": true, "With": true, "By": true, "From": true, "She": true, "He": true,
		"They": true, "Its": true, "His": true, "Her": true, "Their": true}[first] {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
