// Package briefing is the briefing's format, in one place: its types, the
// sentence ids its citations point at, the shape of a model's answer
// (Draft, draft.schema.json), the JSON schema of output/briefing.json, and
// its two renderings, briefing.md (Markdown) and briefing.html (one
// self-contained page an analyst audits). Both engines and the fake model
// produce a Briefing through these types; prompts/brief.tmpl asks a model
// for a Draft.
package briefing

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/news"
)

// Evidence names the sentences of one cited article that support a claim.
type Evidence struct {
	N         int               `json:"n"` // the article's citation number
	Sentences []news.SentenceID `json:"sentences"`
}

// Point is one claim of the briefing, the sources that support it, and for
// each of them the sentences it rests on.
type Point struct {
	Text     string     `json:"text"`
	Cites    []int      `json:"cites"`
	Evidence []Evidence `json:"evidence,omitempty"`
	Marked   string     `json:"marked,omitempty"` // why the check doubts this point
	// Attribution says what attribution of its sources the point dropped
	// ("attribution lost: the source says “according to KCNA”"): it states
	// as fact what they only report.
	Attribution string `json:"attribution_lost,omitempty"`
	New         bool   `json:"new,omitempty"` // only articles new since the last briefing support it
}

// Event is one dated line of the briefing's timeline.
type Event struct {
	Date        string     `json:"date"`
	Text        string     `json:"text"`
	Cites       []int      `json:"cites"`
	Evidence    []Evidence `json:"evidence,omitempty"`
	Marked      string     `json:"marked,omitempty"`
	Attribution string     `json:"attribution_lost,omitempty"`
	New         bool       `json:"new,omitempty"`
}

// Side is one position in a disagreement between sources.
type Side struct {
	Claim       string     `json:"claim"`
	Cites       []int      `json:"cites"`
	Evidence    []Evidence `json:"evidence,omitempty"`
	Marked      string     `json:"marked,omitempty"`
	Attribution string     `json:"attribution_lost,omitempty"`
	New         bool       `json:"new,omitempty"`
}

// Difference is a point on which sources disagree.
type Difference struct {
	Topic string `json:"topic"`
	Sides []Side `json:"sides"`
}

// CitationStats is what the citation check found; it goes to the manifest.
type CitationStats struct {
	Verify     string `json:"verify,omitempty"` // "lexical" or "model"
	Points     int    `json:"points"`
	Citations  int    `json:"citations"` // kept; a near-duplicate group counts once
	Checked    int    `json:"checked"`   // (claim, cited article) pairs verified
	Unresolved int    `json:"unresolved"`
	Removed    int    `json:"removed"` // citations whose article does not support the claim
	Moved      int    `json:"moved"`   // claims re-attributed to an article of the set that does
	Flagged    int    `json:"flagged"` // claims kept, marked, with no supported citation
	Dropped    int    `json:"dropped"` // claims removed: nothing supported was left
	// AttributionLost counts the claims kept that state as fact what
	// every article they cite attributes (Point.Attribution).
	AttributionLost int `json:"attribution_lost"`
	// With verify: model, the support questions asked, the requests they
	// took, and the requests answered from the cache.
	Judgments     int `json:"judgments,omitempty"`
	JudgeRequests int `json:"judge_requests,omitempty"`
	JudgeCached   int `json:"judge_cached,omitempty"`
	// CitedSources counts the articles some kept claim cites.
	CitedSources int   `json:"cited_sources"`
	Uncited      []int `json:"uncited,omitempty"` // listed under "Also covered"
}

// Briefing is the merged English briefing over all articles.
type Briefing struct {
	Banner      string        `json:"banner,omitempty"` // e.g. the offline-draft notice
	Title       string        `json:"title"`
	Overview    string        `json:"overview"`
	Points      []Point       `json:"key_points"`
	Timeline    []Event       `json:"timeline"`
	Differences []Difference  `json:"differences"`
	Sources     []news.Source `json:"sources"`
	AlsoCovered []int         `json:"also_covered"`
	Groups      [][]int       `json:"duplicate_groups,omitempty"` // near-duplicate articles, by n
	Focus       string        `json:"focus,omitempty"`
	Engine      string        `json:"engine"`
	Model       string        `json:"model,omitempty"`
	Citations   CitationStats `json:"citation_stats"`
	Stats       news.Stats    `json:"stats"`
	// NewSince is when the previous briefing of the output folder was
	// made, when there was one: Sources, key points, events and sides
	// marked New are what it did not hold.
	NewSince *time.Time `json:"new_since,omitempty"`
	// Stories are the stories the sources tell, ranked by distinct sources
	// then recency, when they tell more than one: the briefing's own key
	// points, timeline and differences are then empty, and each story
	// with a section has its own. Every source is in exactly one story.
	Stories []Story `json:"stories,omitempty"`
}

// Story is one story of a briefing: the articles that tell the same event
// or developing topic, and, when it has a section, what the briefing says
// of it, cited like the rest.
type Story struct {
	Title    string `json:"title"`
	Overview string `json:"overview,omitempty"`
	Sources  []int  `json:"sources"`          // citation numbers
	Distinct int    `json:"distinct_sources"` // near-duplicates counted once
	First    string `json:"first,omitempty"`  // the earliest and latest dates of its articles
	Latest   string `json:"latest,omitempty"`
	// Section: the story has a section of its own; otherwise it is listed
	// under Also covered.
	Section     bool         `json:"section"`
	Points      []Point      `json:"key_points,omitempty"`
	Timeline    []Event      `json:"timeline,omitempty"`
	Differences []Difference `json:"differences,omitempty"`
	// New: every article of the story is new since the last briefing;
	// NewSources counts those that are.
	New        bool `json:"new,omitempty"`
	NewSources int  `json:"new_sources,omitempty"`
}

// Claim is a pointer to any citing line of a briefing: a key point, a
// timeline event or one side of a difference. Checks and renderings walk
// them alike.
type Claim struct {
	Kind     string // "point", "event" or "side"
	Path     string // where it is in briefing.json: "key_points[2]", "differences[0].sides[1]"
	Text     *string
	Cites    *[]int
	Evidence *[]Evidence
	Marked   *string
	// Attribution is what attribution the claim dropped, "" for none.
	Attribution *string
	New         *bool
	// Within lists the articles the claim may cite, nil for any: a story's
	// claims cite the story's own articles.
	Within []int
}

// Claims returns every citing line of b, in reading order: key points,
// timeline, differences, then the same of each story.
//
// When the briefing is told in stories, its opening's claims each stand
// for a story: they may cite the articles of the stories their citations
// are in, so a citation that fails is moved within its story, not sought
// among thousands of articles of other stories.
func (b *Briefing) Claims() []Claim {
	out := appendClaims(nil, "", nil, b.Points, b.Timeline, b.Differences)
	if len(b.Stories) > 0 {
		storyOf := map[int]int{}
		for i, st := range b.Stories {
			for _, n := range st.Sources {
				storyOf[n] = i
			}
		}
		for k := range out {
			var within []int
			seen := map[int]bool{}
			for _, n := range *out[k].Cites {
				if i, ok := storyOf[n]; ok && !seen[i] {
					seen[i] = true
					within = append(within, b.Stories[i].Sources...)
				}
			}
			if within != nil {
				slices.Sort(within)
				out[k].Within = within
			}
		}
	}
	for i := range b.Stories {
		st := &b.Stories[i]
		out = appendClaims(out, fmt.Sprintf("stories[%d].", i), st.Sources, st.Points, st.Timeline, st.Differences)
	}
	return out
}

// appendClaims adds the claims of one set of points, events and
// differences, their paths under prefix, citing within (nil: any article).
func appendClaims(out []Claim, prefix string, within []int, points []Point, events []Event, diffs []Difference) []Claim {
	for i := range points {
		p := &points[i]
		out = append(out, Claim{Kind: "point", Path: fmt.Sprintf("%skey_points[%d]", prefix, i),
			Text: &p.Text, Cites: &p.Cites, Evidence: &p.Evidence, Marked: &p.Marked, Attribution: &p.Attribution, New: &p.New, Within: within})
	}
	for i := range events {
		e := &events[i]
		out = append(out, Claim{Kind: "event", Path: fmt.Sprintf("%stimeline[%d]", prefix, i),
			Text: &e.Text, Cites: &e.Cites, Evidence: &e.Evidence, Marked: &e.Marked, Attribution: &e.Attribution, New: &e.New, Within: within})
	}
	for i := range diffs {
		for j := range diffs[i].Sides {
			s := &diffs[i].Sides[j]
			out = append(out, Claim{Kind: "side", Path: fmt.Sprintf("%sdifferences[%d].sides[%d]", prefix, i, j),
				Text: &s.Claim, Cites: &s.Cites, Evidence: &s.Evidence, Marked: &s.Marked, Attribution: &s.Attribution, New: &s.New, Within: within})
		}
	}
	return out
}

// MarkNew marks what is new since the briefing made at since, from the
// sources already marked New: a claim is new when every article it cites
// is (a claim that an earlier article also supports was known before).
func MarkNew(b *Briefing, since time.Time) {
	t := since.UTC()
	b.NewSince = &t
	fresh := map[int]bool{}
	for _, s := range b.Sources {
		fresh[s.N] = s.New
	}
	for _, c := range b.Claims() {
		isNew := len(*c.Cites) > 0
		for _, n := range *c.Cites {
			isNew = isNew && fresh[n]
		}
		*c.New = isNew
	}
	for i := range b.Stories {
		st := &b.Stories[i]
		st.NewSources = 0
		for _, n := range st.Sources {
			if fresh[n] {
				st.NewSources++
			}
		}
		st.New = len(st.Sources) > 0 && st.NewSources == len(st.Sources)
	}
}

// NewSources counts the sources marked New.
func NewSources(b Briefing) int {
	n := 0
	for _, s := range b.Sources {
		if s.New {
			n++
		}
	}
	return n
}

// Since formats a NewSince time the way the renderings show it.
func Since(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// EvidenceFor returns the sentences an evidence list names for article n.
func EvidenceFor(ev []Evidence, n int) []news.SentenceID {
	for _, e := range ev {
		if e.N == n {
			return e.Sentences
		}
	}
	return nil
}

// Text is a translation split into sentences, the unit citations point at:
// Sentence(id) answers what "p3.s2" says. Paragraphs are the translation's
// (one for one with the French original's); sentences are lang.Sentences'.
// The title is "p0.s1", one sentence however it is punctuated.
type Text struct {
	Title string
	Paras [][]string
}

// Split cuts paragraphs into sentences. It is the one definition of a
// sentence id: every producer and reader of ids goes through it.
func Split(title string, paragraphs []string) Text {
	t := Text{Title: strings.TrimSpace(title), Paras: make([][]string, len(paragraphs))}
	for i, p := range paragraphs {
		for _, s := range lang.Sentences(p) {
			if s = strings.TrimSpace(s); s != "" {
				t.Paras[i] = append(t.Paras[i], s)
			}
		}
	}
	return t
}

// TitleID is the id of a translation's title.
const TitleID news.SentenceID = "p0.s1"

// SourceText splits a source's English text (paragraphs joined by blank
// lines, as the runner loads it).
func SourceText(s news.Source) Text {
	var paras []string
	if strings.TrimSpace(s.Text) != "" {
		paras = strings.Split(s.Text, "\n\n")
	}
	return Split(s.Title, paras)
}

// Sentence returns the sentence id names, if there is one.
func (t Text) Sentence(id news.SentenceID) (string, bool) {
	if id == TitleID {
		return t.Title, t.Title != ""
	}
	p, s, ok := id.Position()
	if !ok || p < 1 || p > len(t.Paras) || s > len(t.Paras[p-1]) {
		return "", false
	}
	return t.Paras[p-1][s-1], true
}

// Each calls f for every sentence of the body in order (not the title).
func (t Text) Each(f func(id news.SentenceID, sentence string)) {
	for p, ss := range t.Paras {
		for s, sent := range ss {
			f(news.SentenceAt(p+1, s+1), sent)
		}
	}
}

// Marked renders paragraphs with each sentence preceded by its id, as a
// model reads an article it must cite by sentence: "[p1.s1] First. [p1.s2]
// Second." Paragraphs stay separated by blank lines.
func (t Text) Marked() string {
	var w strings.Builder
	for p, ss := range t.Paras {
		if p > 0 {
			w.WriteString("\n\n")
		}
		for s, sent := range ss {
			if s > 0 {
				w.WriteByte(' ')
			}
			w.WriteString("[" + string(news.SentenceAt(p+1, s+1)) + "] ")
			w.WriteString(sent)
		}
	}
	return w.String()
}
