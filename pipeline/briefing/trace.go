package briefing

import (
	"strconv"
	"strings"

	"github.com/depeche-news/depeche/pipeline/news"
)

// Trace is where one claim of a checked briefing comes from, as the
// manifest records it: the claim's place in briefing.json and, per cited
// article, one line "[n] stem p1.s1 p4.s2" (the citation number, the
// article's stem, which names translations/<stem>.md, and the ids of the
// sentences the claim rests on there). A line a person can read and grep,
// one per citation, so that the manifest of a large run stays small.
type Trace struct {
	Claim       string   `json:"claim"`
	Evidence    []string `json:"evidence"`
	Unsupported bool     `json:"unsupported,omitempty"` // kept, flagged: its sentences are the nearest, not support
	// AttributionLost: it states as fact what its sources only report.
	AttributionLost bool `json:"attribution_lost,omitempty"`
}

// Traces lists every claim of b with its evidence, in reading order.
func Traces(b *Briefing) []Trace {
	stems := map[int]string{}
	for _, s := range b.Sources {
		stems[s.N] = s.Stem
	}
	out := []Trace{}
	for _, c := range b.Claims() {
		t := Trace{Claim: c.Path, Evidence: []string{}, Unsupported: *c.Marked != "", AttributionLost: *c.Attribution != ""}
		for _, n := range *c.Cites {
			t.Evidence = append(t.Evidence, TraceLine(n, stems[n], EvidenceFor(*c.Evidence, n)))
		}
		out = append(out, t)
	}
	return out
}

// TraceLine writes one citation's evidence as Trace holds it.
func TraceLine(n int, stem string, ids []news.SentenceID) string {
	if stem == "" {
		stem = "-" // a source known by its number only; the line still parses
	}
	var w strings.Builder
	w.WriteString("[" + strconv.Itoa(n) + "] " + stem)
	for _, id := range ids {
		w.WriteString(" " + string(id))
	}
	return w.String()
}

// ParseTraceLine reads a TraceLine back.
func ParseTraceLine(line string) (n int, stem string, ids []news.SentenceID, ok bool) {
	f := strings.Fields(line)
	if len(f) < 2 || !strings.HasPrefix(f[0], "[") || !strings.HasSuffix(f[0], "]") {
		return 0, "", nil, false
	}
	n, err := strconv.Atoi(f[0][1 : len(f[0])-1])
	if err != nil {
		return 0, "", nil, false
	}
	for _, id := range f[2:] {
		ids = append(ids, news.SentenceID(id))
	}
	return n, f[1], ids, true
}
