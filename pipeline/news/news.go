// Package news holds depeche's domain types, the plain data that flows between
// the stages: a cleaned article, its translation, its summary and the briefing.
// It imports nothing of depeche's own, so every stage and both engines can
// share it without import cycles.
package news

import "time"

// Meta is what the cleaner could tell about an article besides its text.
type Meta struct {
	Title  string `json:"title,omitempty"`
	Date   string `json:"date,omitempty"`
	Author string `json:"author,omitempty"`
	URL    string `json:"url,omitempty"`
}

// Article is a cleaned source article: the input of the translate stage.
type Article struct {
	Stem       string   `json:"stem"`   // output file stem, unique in the batch
	Source     string   `json:"source"` // path of the original file, as discovered
	SHA256     string   `json:"sha256"` // of the original file's bytes
	Title      string   `json:"title"`
	Paragraphs []string `json:"paragraphs"` // article body, title excluded
	Lang       string   `json:"lang"`       // "fr", "en" or "" when unknown
	Meta       Meta     `json:"meta"`
}

// Usage counts the tokens of one or more model calls.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// Add returns the sum of two usages.
func (u Usage) Add(o Usage) Usage {
	return Usage{u.PromptTokens + o.PromptTokens, u.CompletionTokens + o.CompletionTokens}
}

// Warning is a named, non-fatal finding about one file, kept in the manifest.
type Warning struct {
	Code    string `json:"code"` // stable name, e.g. "numbers_missing", "retry_still_french"
	Message string `json:"message"`
	Chunk   int    `json:"chunk,omitempty"` // 1-based chunk number when it concerns one
}

// Stats describes the model work behind one stage of one file.
type Stats struct {
	Engine   string        `json:"engine"`
	Model    string        `json:"model,omitempty"`
	Prompt   string        `json:"prompt_version,omitempty"`
	Chunks   int           `json:"chunks,omitempty"`
	Requests int           `json:"requests"`          // calls actually sent
	Cached   int           `json:"cached"`            // calls answered by the cache
	Retries  []string      `json:"retries,omitempty"` // one line per retry: why
	Usage    Usage         `json:"usage"`
	Duration time.Duration `json:"duration_ns"`
	Warnings []Warning     `json:"warnings,omitempty"`
}

// Translation is the English rendering of an Article, paragraph for paragraph.
type Translation struct {
	Stem       string   `json:"stem"`
	Source     string   `json:"source"`
	SHA256     string   `json:"sha256"`
	Title      string   `json:"title"`
	Paragraphs []string `json:"paragraphs"`
	Meta       Meta     `json:"meta"`
	// Passthrough is set when the source was already English and was not sent
	// for translation.
	Passthrough bool  `json:"passthrough,omitempty"`
	Stats       Stats `json:"stats"`
}

// Summary is the structured summary of one translated article.
type Summary struct {
	Stem          string   `json:"stem"`
	Headline      string   `json:"headline"`
	KeyFacts      []string `json:"key_facts"`
	People        []string `json:"people"`
	Organizations []string `json:"organizations"`
	Places        []string `json:"places"`
	Dates         []string `json:"dates"`   // "2024-06-19: Putin lands in Pyongyang"
	Figures       []string `json:"figures"` // "16,000 containers of munitions"
	Angle         string   `json:"angle"`
	Stats         Stats    `json:"stats"`
}

// Source is one article as the briefing sees it: its number in the
// citations, where it came from, and what was said about it.
type Source struct {
	N       int     `json:"n"` // citation number, 1-based
	Stem    string  `json:"stem"`
	File    string  `json:"file"` // original file name
	Title   string  `json:"title"`
	Meta    Meta    `json:"meta"`
	Group   int     `json:"group,omitempty"` // near-duplicate group id; 0 when alone
	Summary Summary `json:"-"`
	// Text is the English translation, paragraphs joined by blank lines.
	// The offline briefing extracts from it; the LLM briefing does not send it.
	Text string `json:"-"`
}

// Point is one claim of the briefing and the sources that support it.
type Point struct {
	Text   string `json:"text"`
	Cites  []int  `json:"cites"`
	Marked string `json:"marked,omitempty"` // why the check doubts this point
}

// Event is one dated line of the briefing's timeline.
type Event struct {
	Date  string `json:"date"`
	Text  string `json:"text"`
	Cites []int  `json:"cites"`
}

// Side is one position in a disagreement between sources.
type Side struct {
	Claim string `json:"claim"`
	Cites []int  `json:"cites"`
}

// Difference is a point on which sources disagree.
type Difference struct {
	Topic string `json:"topic"`
	Sides []Side `json:"sides"`
}

// CitationStats is what the citation check found; it goes to the manifest.
type CitationStats struct {
	Points       int   `json:"points"`
	Citations    int   `json:"citations"`
	Unresolved   int   `json:"unresolved"`  // [n] with no such source: removed
	Unsupported  int   `json:"unsupported"` // cited source lacks the point's key terms
	Dropped      int   `json:"dropped"`     // points removed because nothing valid was left
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
	Sources     []Source      `json:"sources"`
	AlsoCovered []int         `json:"also_covered"`
	Groups      [][]int       `json:"duplicate_groups,omitempty"` // near-duplicate articles, by n
	Focus       string        `json:"focus,omitempty"`
	Engine      string        `json:"engine"`
	Model       string        `json:"model,omitempty"`
	Citations   CitationStats `json:"citation_stats"`
	Stats       Stats         `json:"stats"`
}

// BriefOptions shape the merged briefing.
type BriefOptions struct {
	MaxWords int    // soft cap on the briefing's length
	Focus    string // free text, e.g. "economic consequences"; empty for none
}
