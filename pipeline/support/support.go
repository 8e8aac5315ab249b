// Package support decides, without a model, whether sentences support a
// claim: the claim's names, numbers and dates must be found in them, and
// most of its key terms, weighed by how rare each is in the batch (a word
// every article shares, such as the main actor's name, proves little). It
// serves the citation check (is this claim in the cited article?) and the
// summaries (which sentence does this key fact rest on?).
package support

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/lang"
)

// Tuning, set on the development fixtures (brief's testdata/seeds).
const (
	// Coverage is the share of a claim's key-term weight its supporting
	// sentences must hold.
	Coverage = 0.6
	// MaxSentences is how many sentences one claim may rest on.
	MaxSentences = 2
	prefixLen    = 5 // a word's first letters stand for it: plurals and tenses meet
	// unseenWeight weighs a term no article of the batch holds: it cannot
	// tell the right article from a wrong one, and is most often the
	// model's own paraphrase ("swapped seats" for "took turns driving").
	// Names and numbers are required whatever their weight.
	unseenWeight = 0.3
	hardBonus    = 10 // in picking sentences, a required term outweighs any other
)

// Matcher scores claims against sentences. Build one per briefing with the
// sentences of every article, so that term weights reflect the batch.
type Matcher struct {
	df      map[string]int
	named   map[string]bool // words the corpus capitalises mid-sentence
	n       int
	aliases map[string]string // folded name word → its English form
}

// New returns a Matcher weighing terms over corpus. aliases pairs name
// forms that are the same person or place (the glossary's French and
// English: "Poutine" → "Putin"), so a claim in English finds an article
// that kept the French form.
func New(corpus []string, aliases map[string]string) *Matcher {
	m := &Matcher{df: map[string]int{}, named: map[string]bool{}, n: len(corpus), aliases: map[string]string{}}
	for fr, en := range aliases {
		fw, ew := words(fr), words(en)
		if len(fw) != len(ew) {
			continue
		}
		for i := range fw {
			if fw[i] != ew[i] {
				m.aliases[fw[i]] = ew[i]
			}
		}
	}
	for _, s := range corpus {
		for t := range m.termsOf(s, false).all() {
			m.df[t]++
			if strings.HasPrefix(t, "@") {
				m.named[t[1:]] = true
			}
		}
	}
	return m
}

// Result is what Support found.
type Result struct {
	OK        bool
	Hard      bool     // every name and number of the claim was found
	Sentences []int    // indexes into the sentences given, in their order
	Coverage  float64  // share of the claim's term weight they hold
	Missing   []string // names and numbers of the claim not found, then key terms, as written
}

// Support picks, greedily, up to MaxSentences sentences that together hold
// the most of the claim's weight, and says whether they support it: every
// number and name of the claim is there, and at least Coverage of its
// weight. A claim with no term at all is supported by nothing.
func (m *Matcher) Support(claim string, sentences []string) Result {
	ct := m.termsOf(claim, true)
	if len(ct.weights) == 0 {
		return Result{}
	}
	w := map[string]float64{}
	total := 0.0
	for t := range ct.weights {
		w[t] = m.idf(t)
		total += w[t]
	}
	sts := make([]terms, len(sentences))
	for i, s := range sentences {
		sts[i] = m.termsOf(s, false)
	}
	covered := map[string]bool{}
	var picked []int
	for len(picked) < MaxSentences {
		best, gain := -1, 0.0
		for i, st := range sts {
			g := 0.0
			for t := range ct.weights {
				if !covered[t] && st.has(t) {
					g += w[t]
					if ct.hard[t] {
						g += hardBonus // a required name or number first
					}
				}
			}
			if g > gain+1e-9 {
				best, gain = i, g
			}
		}
		if best < 0 {
			break
		}
		picked = append(picked, best)
		for t := range ct.weights {
			if sts[best].has(t) {
				covered[t] = true
			}
		}
	}
	have := 0.0
	for t := range ct.weights {
		if covered[t] {
			have += w[t]
		}
	}
	r := Result{Sentences: sorted(picked), Coverage: have / total}
	hard := true
	for _, t := range ct.order {
		if ct.hard[t] && !covered[t] {
			hard = false
			r.Missing = append(r.Missing, ct.written[t])
		}
	}
	for _, t := range ct.order {
		if !ct.hard[t] && !covered[t] {
			r.Missing = append(r.Missing, ct.written[t])
		}
	}
	r.Hard = hard
	r.OK = hard && r.Coverage >= Coverage-1e-9
	return r
}

func (m *Matcher) idf(t string) float64 {
	if m.df[t] == 0 {
		return unseenWeight
	}
	return math.Log(1 + float64(m.n+1)/float64(m.df[t]+1))
}

// terms are a text's key terms: "#" + value for numbers, "@" + word for
// name words, a prefix for other content words. hard marks the names and
// numbers a supporting sentence must hold.
type terms struct {
	weights map[string]bool
	hard    map[string]bool
	written map[string]string
	order   []string
	names   map[string]bool // name words also count as plain words in a sentence
}

func (t terms) all() map[string]bool { return t.weights }

// has reports whether a sentence's terms hold a claim's term: a name word
// of the claim is found in any case in the sentence ("Aurus" in "aurus").
func (t terms) has(term string) bool {
	if t.weights[term] {
		return true
	}
	if strings.HasPrefix(term, "@") {
		return t.names[term[1:]]
	}
	return false
}

func (m *Matcher) termsOf(text string, claim bool) terms {
	t := terms{weights: map[string]bool{}, hard: map[string]bool{}, written: map[string]string{}, names: map[string]bool{}}
	add := func(key, written string, hard bool) {
		if !t.weights[key] {
			t.weights[key] = true
			t.written[key] = written
			t.order = append(t.order, key)
		}
		t.hard[key] = t.hard[key] || hard
	}
	for _, n := range lang.Numbers(text, false) {
		// "two leaders" need not be written "2 leaders": only figures
		// written in digits are required.
		add("#"+formatValue(n.Value), n.Text, n.Text[0] >= '0' && n.Text[0] <= '9')
	}
	for i, raw := range lang.Words(text) {
		word := strings.TrimSuffix(strings.TrimSuffix(raw, "’s"), "'s")
		for _, part := range strings.Split(word, "-") {
			f := m.alias(fold(part))
			if f == "" || isDigits(f) || lang.NumberWord(f) {
				continue // figures are matched by value, however written
			}
			t.names[f] = true
			r := []rune(part)
			// The claim's first word is capitalised as any sentence's is: it
			// is a name when the articles use it as one.
			name := unicode.IsUpper(r[0]) && (i > 0 || m.named[f]) && !stop[f]
			if name {
				add("@"+f, part, len(r) >= 3)
			}
			// In a sentence a name is also a plain word, so that it meets
			// the claim's lower-case or sentence-initial use of it.
			if (!name || !claim) && len(r) >= 4 && !stop[f] {
				add(prefix(f), part, false)
			}
		}
	}
	return t
}

// Keys returns a text's content words as the matcher compares them:
// folded (case and French accents), cut to their first letters, without
// stop words, short words and the words that write figures. Two texts that
// share keys share content words, whatever their endings.
func Keys(text string) []string {
	var out []string
	for _, raw := range lang.Words(text) {
		for _, part := range strings.Split(raw, "-") {
			f := fold(part)
			if len([]rune(f)) < 4 || stop[f] || isDigits(f) || lang.NumberWord(f) {
				continue
			}
			out = append(out, prefix(f))
		}
	}
	return out
}

// Fold lower-cases a word and strips its French accents.
func Fold(w string) string { return fold(w) }

func (m *Matcher) alias(f string) string {
	if a, ok := m.aliases[f]; ok {
		return a
	}
	return f
}

// words folds a name into its words, for the alias table.
func words(s string) []string {
	var out []string
	for _, w := range lang.Words(s) {
		for _, p := range strings.Split(w, "-") {
			if f := fold(p); f != "" {
				out = append(out, f)
			}
		}
	}
	return out
}

func prefix(f string) string {
	if r := []rune(f); len(r) > prefixLen {
		return string(r[:prefixLen])
	}
	return f
}

// fold lower-cases a word and strips French accents, so that "Sergueï"
// and "Serguei" meet.
func fold(w string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(w) {
		if a, ok := accents[r]; ok {
			r = a
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var accents = map[rune]rune{'à': 'a', 'â': 'a', 'ä': 'a', 'ç': 'c', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'î': 'i', 'ï': 'i', 'ô': 'o', 'ö': 'o', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ÿ': 'y', 'œ': 'o'}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func formatValue(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

func sorted(xs []int) []int {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

// stop are frequent words of four letters or more, and reporting verbs,
// that carry no content; and the capitalised words that open clauses.
var stop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`about above after again against also among been before being below between both
		could does doing down during each from further have having here into itself just more most much must only other
		over said same says should some such than that their them then there these they this those through under until
		very were what when where which while will with would your year years according since another however
		the and for but its his her she him they was are has had not who how why all any can did our out may
		reportedly allegedly told tells saying report reported reports state states stated also well even still
		in on at of to as by an a he it we is be or if so no i`) {
		m[w] = true
	}
	return m
}()
