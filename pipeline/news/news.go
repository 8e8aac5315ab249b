// Package news holds depeche's domain types, the plain data that flows between
// the stages: a cleaned article, its translation, its summary, and the
// sources a briefing cites (the briefing itself is package briefing's).
// It imports nothing of depeche's own, so every stage and both engines can
// share it without import cycles.
package news

import (
	"strconv"
	"strings"
	"time"
)

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

// AddCalls adds o's calls to s: requests, cache hits, retries and usage;
// o's model, when it names one, is the one that answered last.
func (s *Stats) AddCalls(o Stats) {
	s.Requests += o.Requests
	s.Cached += o.Cached
	s.Retries = append(s.Retries, o.Retries...)
	s.Usage = s.Usage.Add(o.Usage)
	if o.Model != "" {
		s.Model = o.Model
	}
}

// Warning is a named, non-fatal finding about one file, kept in the manifest.
type Warning struct {
	Code    WarningCode `json:"code"` // stable name: one of the Warn… constants
	Message string      `json:"message"`
	Chunk   int         `json:"chunk,omitempty"` // 1-based chunk number when it concerns one
}

// Stats describes the model work behind one stage of one file.
type Stats struct {
	Engine   string   `json:"engine"`
	Model    string   `json:"model,omitempty"`
	Prompt   string   `json:"prompt_version,omitempty"`
	Chunks   int      `json:"chunks,omitempty"`
	Requests int      `json:"requests"`          // calls actually sent
	Cached   int      `json:"cached"`            // calls answered by the cache
	Retries  []string `json:"retries,omitempty"` // one line per retry: why
	Usage    Usage    `json:"usage"`
	// Words and Untranslated: the offline translation's English words, and
	// how many of them the pivot left in French (or Spanish).
	Words        int           `json:"words,omitempty"`
	Untranslated int           `json:"untranslated_words,omitempty"`
	Duration     time.Duration `json:"duration_ns"`
	Warnings     []Warning     `json:"warnings,omitempty"`
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

// SentenceID names one sentence of a translation: "p3.s2" is the second
// sentence of its third paragraph, both 1-based; "p0.s1" is the title. A translation's paragraphs
// are those of the French original, one for one, so the id also points into
// the French; the split into sentences is package briefing's.
type SentenceID string

// SentenceAt returns the id of sentence sent of paragraph para (1-based).
func SentenceAt(para, sent int) SentenceID {
	return SentenceID("p" + strconv.Itoa(para) + ".s" + strconv.Itoa(sent))
}

// Position returns the paragraph and sentence an id names, 1-based.
func (id SentenceID) Position() (para, sent int, ok bool) {
	ps, ss, found := strings.Cut(strings.TrimPrefix(string(id), "p"), ".s")
	if !found || !strings.HasPrefix(string(id), "p") {
		return 0, 0, false
	}
	p, err1 := strconv.Atoi(ps)
	s, err2 := strconv.Atoi(ss)
	if err1 != nil || err2 != nil || p < 0 || s < 1 {
		return 0, 0, false
	}
	return p, s, true
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
	// FactSentences says, for each key fact in order, the sentences of the
	// translation it rests on.
	FactSentences [][]SentenceID `json:"key_fact_sentences,omitempty"`
	Stats         Stats          `json:"stats"`
}

// Source is one article as the briefing sees it: its number in the
// citations, where it came from, and what was said about it.
type Source struct {
	N     int    `json:"n"` // citation number, 1-based
	Stem  string `json:"stem"`
	File  string `json:"file"` // original file name
	Title string `json:"title"`
	Meta  Meta   `json:"meta"`
	Group int    `json:"group,omitempty"` // near-duplicate group id; 0 when alone
	Story int    `json:"story,omitempty"` // the story it belongs to (pipeline/story), 1-based in ranking order; 0 when not grouped
	// New is set when no earlier briefing of the output folder held the
	// article.
	New     bool    `json:"new,omitempty"`
	Summary Summary `json:"-"`
	// Text is the English translation, paragraphs joined by blank lines.
	// The offline briefing extracts from it; the LLM briefing does not send it.
	Text string `json:"-"`
}

// BriefOptions shape the merged briefing.
type BriefOptions struct {
	MaxWords int    // soft cap on the briefing's length
	Focus    string // free text, e.g. "economic consequences"; empty for none
	// MaxStories is how many stories get a section of their own when the
	// sources tell several (Source.Story); the others go to Also covered.
	MaxStories int
	// StoryWords is each story section's soft length.
	StoryWords int
}
