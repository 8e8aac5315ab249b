package llmtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/depeche-news/depeche/pipeline/briefing"
)

var (
	sourcesRe  = regexp.MustCompile(`(?s)<sources>\s*(.*?)\s*</sources>`)
	partialsRe = regexp.MustCompile(`(?s)<partials>\s*(.*?)\s*</partials>`)
	digestRe   = regexp.MustCompile(`^((?:\[\d+\])+)(?: \(same wire story\))? (.*)$`)
	citesRe    = regexp.MustCompile(`\s*\[(\d+)\]`)
	countRe    = regexp.MustCompile(`\b(\d[\d,]*)\s+(\p{Ll}[\p{L}-]*)`)
	lengthRe   = regexp.MustCompile(`at most (\d+) key points, (\d+) timeline events and (\d+) differences, each of at most (\d+) words`)
)

// bAnswer is the fake model's answer: the briefing format's own Draft.
type bAnswer briefing.Draft

// Briefer is the fake model's briefing stages (brief-map and brief-reduce).
// It reads what the brief package's prompts carry — source digests between
// <sources> tags ("[2][5] (same wire story) Title", "Headline:", "Figures:",
// "Dates:" lines) or partial briefings between <partials> tags ("- text
// [1][3]" under "Key points:", "Timeline:", "Differences:") — and answers
// with valid briefing JSON that cites only numbers found there: one point
// per source headline (near-identical points merged with both citations),
// a timeline from the dates, and one difference when two sources give
// different numbers of the same thing. Like an obedient model it keeps
// within the length the prompt asks for ("at most 4 key points, 2 timeline
// events and 0 differences, each of at most 30 words"): it drops the points
// cited by the fewest sources, the latest events, and cuts long points.
func Briefer() Handler { return BrieferWith(BrieferOptions{}) }

// BrieferOptions make the fake briefer write more points, or cite wrongly.
type BrieferOptions struct {
	// PerFact writes one point per key fact of each digest ("Facts:"
	// lines) besides its headline, so a briefing has many claims to check.
	PerFact bool
	// SwapEvery > 0 cites the wrong article for one point in SwapEvery,
	// starting at point SwapOffset: the point's first citation is replaced
	// by the source SwapShift places further in the set's numbers (wrapping,
	// skipping sources the point already cites). This is a model citing
	// another article about the same event, which the check must catch.
	SwapEvery, SwapOffset, SwapShift int
	// Paraphrase rewrites every claim as a model that does not copy its
	// sources would (Paraphrase): clauses reordered, synonyms, no
	// articles, figures written another way.
	Paraphrase bool
	// DropAttribution states every claim as plain fact
	// (StripAttribution), the briefing a restate request must correct.
	DropAttribution bool
}

// BrieferWith is Briefer with options.
func BrieferWith(opt BrieferOptions) Handler {
	return func(c Call) Reply {
		var a bAnswer
		var nums []int // every source number the prompt carries
		for _, m := range c.Messages {
			if m.Role != "user" {
				continue // the instructions name the tags too
			}
			if sm := sourcesRe.FindStringSubmatch(m.Content); sm != nil {
				a = fromDigests(sm[1], opt.PerFact)
				nums = citedIn(sm[1])
			} else if sm := partialsRe.FindStringSubmatch(m.Content); sm != nil {
				a = fromPartials(sm[1])
			} else {
				continue
			}
			if lm := lengthRe.FindStringSubmatch(m.Content); lm != nil {
				a.limit(atoi(lm[1]), atoi(lm[2]), atoi(lm[3]), atoi(lm[4]))
			}
			break
		}
		if opt.SwapEvery > 0 {
			a.swap(opt, nums)
		}
		if opt.DropAttribution {
			a.rewrite(func(s string, _ int) string { return StripAttribution(s) })
		}
		if opt.Paraphrase {
			a.rewrite(Paraphrase)
		}
		if len(a.Points) > 0 {
			a.Title = "Briefing: " + shorten(a.Points[0].Text, 8)
			var ov []string
			for _, p := range a.Points[:min(2, len(a.Points))] {
				ov = append(ov, p.Text)
			}
			a.Overview = strings.Join(ov, " ")
		}
		sort.SliceStable(a.Timeline, func(i, j int) bool { return a.Timeline[i].Date < a.Timeline[j].Date })
		b, _ := json.Marshal(a)
		return Reply{Content: string(b)}
	}
}

// limit keeps the points cited by the most sources, in their order, the
// earliest events and the first differences, and cuts texts to words.
func (a *bAnswer) limit(points, events, diffs, words int) {
	sort.SliceStable(a.Timeline, func(i, j int) bool { return a.Timeline[i].Date < a.Timeline[j].Date })
	if len(a.Points) > points {
		rank := make([]int, len(a.Points))
		for i := range rank {
			rank[i] = i
		}
		sort.SliceStable(rank, func(i, j int) bool { return len(a.Points[rank[i]].Cites) > len(a.Points[rank[j]].Cites) })
		keep := map[int]bool{}
		for _, i := range rank[:points] {
			keep[i] = true
		}
		var kept []briefing.Point
		for i, p := range a.Points {
			if keep[i] {
				kept = append(kept, p)
			}
		}
		a.Points = kept
	}
	a.Timeline = a.Timeline[:min(events, len(a.Timeline))]
	a.Differences = a.Differences[:min(diffs, len(a.Differences))]
	for i := range a.Points {
		if w := strings.Fields(a.Points[i].Text); len(w) > words {
			a.Points[i].Text = strings.Join(w[:words], " ")
		}
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// swap cites the wrong source for one point in opt.SwapEvery.
func (a *bAnswer) swap(opt BrieferOptions, nums []int) {
	if len(nums) < 2 {
		return
	}
	for i := range a.Points {
		p := &a.Points[i]
		if i < opt.SwapOffset || (i-opt.SwapOffset)%opt.SwapEvery != 0 || len(p.Cites) == 0 {
			continue
		}
		at := sort.SearchInts(nums, p.Cites[0])
		for k := 0; k < len(nums); k++ {
			n := nums[(at+max(1, opt.SwapShift)+k)%len(nums)]
			if !slices.Contains(p.Cites, n) {
				p.Cites[0] = n
				sort.Ints(p.Cites)
				break
			}
		}
	}
}

// rewrite rewrites every claim's text with f (given the claim's place).
func (a *bAnswer) rewrite(f func(string, int) string) {
	for i := range a.Points {
		a.Points[i].Text = f(a.Points[i].Text, i)
	}
	for i := range a.Timeline {
		a.Timeline[i].Text = f(a.Timeline[i].Text, i)
	}
	for i := range a.Differences {
		for j := range a.Differences[i].Sides {
			a.Differences[i].Sides[j].Claim = f(a.Differences[i].Sides[j].Claim, i+j)
		}
	}
}

// citedIn lists, sorted, the numbers of every digest in a prompt.
func citedIn(text string) []int {
	var out []int
	for _, line := range strings.Split(text, "\n") {
		if m := digestRe.FindStringSubmatch(line); m != nil {
			out = append(out, numbers(m[1])...)
		}
	}
	sort.Ints(out)
	return out
}

func fromDigests(text string, perFact bool) bAnswer {
	var a bAnswer
	type count struct {
		n     string
		cites []int
	}
	counts := map[string][]count{}
	var nouns []string
	var cites []int
	title := "" // a source's title, its point when it has no headline
	flush := func() {
		if title != "" {
			a.Points = addPoint(a.Points, title, cites)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if m := digestRe.FindStringSubmatch(line); m != nil {
			flush()
			cites, title = numbers(m[1]), m[2]
			continue
		}
		if cites == nil {
			continue
		}
		if perFact && strings.HasPrefix(line, "- ") {
			a.Points = addPoint(a.Points, strings.TrimPrefix(line, "- "), cites)
			continue
		}
		switch k, v, _ := strings.Cut(line, ": "); k {
		case "Headline":
			a.Points = addPoint(a.Points, v, cites)
			title = ""
		case "Dates":
			for _, d := range strings.Split(v, "; ") {
				if date, what, ok := strings.Cut(d, ": "); ok {
					a.Timeline = addEvent(a.Timeline, date, what, cites)
				}
			}
		case "Figures":
			for _, f := range strings.Split(v, "; ") {
				if m := countRe.FindStringSubmatch(f); m != nil {
					if counts[m[2]] == nil {
						nouns = append(nouns, m[2])
					}
					counts[m[2]] = append(counts[m[2]], count{m[1], cites})
				}
			}
		}
	}
	flush()
	for _, noun := range nouns {
		cs := counts[noun]
		for _, other := range cs[1:] {
			if other.n != cs[0].n && !equalInts(other.cites, cs[0].cites) {
				a.Differences = []briefing.Difference{{Topic: "Number of " + noun, Sides: []briefing.Side{
					{Claim: cs[0].n + " " + noun, Cites: cs[0].cites}, {Claim: other.n + " " + noun, Cites: other.cites}}}}
				return a
			}
		}
	}
	return a
}

func fromPartials(text string) bAnswer {
	var a bAnswer
	section := ""
	for _, line := range strings.Split(text, "\n") {
		switch {
		case line == "Key points:" || line == "Timeline:" || line == "Differences:":
			section = line
		case strings.HasPrefix(line, "  - ") && section == "Differences:" && len(a.Differences) > 0:
			t, cs := splitCites(strings.TrimPrefix(line, "  - "))
			d := &a.Differences[len(a.Differences)-1]
			d.Sides = append(d.Sides, briefing.Side{Claim: t, Cites: cs})
		case strings.HasPrefix(line, "- "):
			t, cs := splitCites(strings.TrimPrefix(line, "- "))
			switch section {
			case "Key points:":
				a.Points = addPoint(a.Points, t, cs)
			case "Timeline:":
				if date, what, ok := strings.Cut(t, ": "); ok {
					a.Timeline = addEvent(a.Timeline, date, what, cs)
				}
			case "Differences:":
				a.Differences = append(a.Differences, briefing.Difference{Topic: t})
			}
		default:
			section = ""
		}
	}
	return a
}

// addPoint merges text into a near-identical point, or appends it.
func addPoint(ps []briefing.Point, text string, cites []int) []briefing.Point {
	for i := range ps {
		if similar(ps[i].Text, text) {
			ps[i].Cites = mergeInts(ps[i].Cites, cites)
			return ps
		}
	}
	return append(ps, briefing.Point{Text: text, Cites: append([]int(nil), cites...)})
}

func addEvent(es []briefing.Event, date, text string, cites []int) []briefing.Event {
	for i := range es {
		if es[i].Date == date && similar(es[i].Text, text) {
			es[i].Cites = mergeInts(es[i].Cites, cites)
			return es
		}
	}
	return append(es, briefing.Event{Date: date, Text: text, Cites: append([]int(nil), cites...)})
}

// similar: word-set Jaccard of at least 0.6.
func similar(a, b string) bool {
	wa, wb := map[string]bool{}, map[string]bool{}
	for _, w := range strings.Fields(strings.ToLower(a)) {
		wa[strings.Trim(w, ".,;:\"'")] = true
	}
	for _, w := range strings.Fields(strings.ToLower(b)) {
		wb[strings.Trim(w, ".,;:\"'")] = true
	}
	inter := 0
	for w := range wa {
		if wb[w] {
			inter++
		}
	}
	union := len(wa) + len(wb) - inter
	return union > 0 && float64(inter)/float64(union) >= 0.6
}

func splitCites(s string) (string, []int) {
	var cs []int
	for _, m := range citesRe.FindAllStringSubmatch(s, -1) {
		n, _ := strconv.Atoi(m[1])
		cs = append(cs, n)
	}
	return strings.TrimSpace(citesRe.ReplaceAllString(s, "")), cs
}

func numbers(s string) []int {
	_, cs := splitCites(s)
	return cs
}

func mergeInts(a, b []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, n := range append(append([]int(nil), a...), b...) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out
}

func equalInts(a, b []int) bool { return fmt.Sprint(a) == fmt.Sprint(b) }
