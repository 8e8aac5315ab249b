package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/depeche-news/depeche/pipeline/clean"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
)

// The output contract: these folder and file names are relied on by users
// and by later stages; extend, never rename.
const (
	dirClean        = "clean"
	dirTranslations = "translations"
	dirSummaries    = "summaries"
	fileBriefingMD  = "briefing.md"
	fileBriefingJS  = "briefing.json"
)

// CleanReport is output/clean/<stem>.json: what was removed and why, and the
// metadata found, so a user can argue with every decision.
type CleanReport struct {
	Source     string          `json:"source"`
	SHA256     string          `json:"sha256"`
	Encoding   string          `json:"encoding"`
	Format     string          `json:"format"`
	Lang       string          `json:"lang"`
	Title      string          `json:"title"`
	Meta       news.Meta       `json:"meta"`
	Paragraphs int             `json:"paragraphs"`
	Removed    []clean.Removal `json:"removed"`
	Sections   []clean.Section `json:"sections,omitempty"` // the body's boundaries and the sections removed whole
	Warnings   []string        `json:"warnings,omitempty"` // what reading the file had to guess (ingest.Doc.Warnings)
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return writeOutput(path, append(b, '\n'))
}

// writeOutput writes an output file atomically, unless it already holds
// exactly data. A rerun over unchanged articles then creates no files: each
// atomic write creates a temporary file, which costs about a millisecond of
// CPU on some filesystems (the ext4 volume of the README benchmarks), and
// unchanged outputs keep their modification times for sync tools.
func writeOutput(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return store.WriteFile(path, data, 0o644)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// articleText renders title and paragraphs the way every text output does:
// title first, paragraphs separated by blank lines.
func articleText(title string, paras []string) string {
	var b strings.Builder
	if title != "" {
		b.WriteString(title)
		b.WriteString("\n\n")
	}
	for i, p := range paras {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p)
	}
	b.WriteByte('\n')
	return b.String()
}

func writeClean(out string, a news.Article, rep CleanReport) ([]string, error) {
	txt := filepath.Join(out, dirClean, a.Stem+".txt")
	js := filepath.Join(out, dirClean, a.Stem+".json")
	if err := writeOutput(txt, []byte(articleText(a.Title, a.Paragraphs))); err != nil {
		return nil, err
	}
	if err := writeJSON(js, rep); err != nil {
		return nil, err
	}
	return []string{txt, js}, nil
}

// readClean loads an article back from output/clean, for `depeche translate`
// run alone.
func readClean(txtPath string) (news.Article, error) {
	stem := strings.TrimSuffix(filepath.Base(txtPath), ".txt")
	b, err := os.ReadFile(txtPath)
	if err != nil {
		return news.Article{}, err
	}
	var rep CleanReport
	if err := readJSON(strings.TrimSuffix(txtPath, ".txt")+".json", &rep); err != nil {
		return news.Article{}, fmt.Errorf("%s: its report is missing or broken (rerun `depeche clean`): %w", txtPath, err)
	}
	blocks := splitBlocks(string(b))
	a := news.Article{Stem: stem, Source: rep.Source, SHA256: rep.SHA256, Lang: rep.Lang, Meta: rep.Meta}
	if rep.Title != "" && len(blocks) > 0 {
		a.Title, blocks = blocks[0], blocks[1:]
	}
	a.Paragraphs = blocks
	return a, nil
}

func splitBlocks(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out []string
	for _, b := range strings.Split(s, "\n\n") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

// frontMatter is the YAML header of output/translations/<stem>.md.
type frontMatter struct {
	Source        string    `yaml:"source"`
	SourceSHA256  string    `yaml:"source_sha256"`
	Engine        string    `yaml:"engine"`
	Model         string    `yaml:"model"`
	PromptVersion string    `yaml:"prompt_version,omitempty"`
	Date          time.Time `yaml:"date"`
	Draft         string    `yaml:"draft,omitempty"`
	Passthrough   bool      `yaml:"passthrough,omitempty"`
	Published     string    `yaml:"published,omitempty"`
	Author        string    `yaml:"author,omitempty"`
	URL           string    `yaml:"url,omitempty"`
	Warnings      []string  `yaml:"warnings,omitempty"`
}

const offlineDraft = "offline machine translation (Apertium, French→Spanish→English), not reviewed by a language model"

func translationMarkdown(t news.Translation, now time.Time) ([]byte, error) {
	fm := frontMatter{
		Source: t.Source, SourceSHA256: t.SHA256, Engine: t.Stats.Engine, Model: t.Stats.Model,
		PromptVersion: t.Stats.Prompt, Date: now.UTC().Truncate(time.Second), Passthrough: t.Passthrough,
		Published: t.Meta.Date, Author: t.Meta.Author, URL: t.Meta.URL,
	}
	if t.Stats.Engine == news.EngineOffline && !t.Passthrough {
		fm.Draft = offlineDraft
	}
	for _, w := range t.Stats.Warnings {
		fm.Warnings = append(fm.Warnings, string(w.Code)+": "+w.Message)
	}
	y, err := yaml.Marshal(fm)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	b.Write(y)
	b.WriteString("---\n\n")
	if t.Title != "" {
		b.WriteString("# " + t.Title + "\n\n")
	}
	for i, p := range t.Paragraphs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func writeTranslation(out string, t news.Translation, now time.Time) ([]string, error) {
	b, err := translationMarkdown(t, now)
	if err != nil {
		return nil, fmt.Errorf("translation %s: %w", t.Stem, err)
	}
	p := filepath.Join(out, dirTranslations, t.Stem+".md")
	return []string{p}, store.WriteFile(p, b, 0o644)
}

// readTranslation parses output/translations/<stem>.md back, for
// `depeche summarize` and `depeche brief` run alone.
func readTranslation(path string) (news.Translation, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return news.Translation{}, err
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	if !strings.HasPrefix(s, "---\n") {
		return news.Translation{}, fmt.Errorf("%s: no front matter", path)
	}
	end := strings.Index(s[4:], "\n---\n")
	if end < 0 {
		return news.Translation{}, fmt.Errorf("%s: unterminated front matter", path)
	}
	var fm frontMatter
	if err := yaml.Unmarshal([]byte(s[4:4+end]), &fm); err != nil {
		return news.Translation{}, fmt.Errorf("%s: front matter: %w", path, err)
	}
	t := news.Translation{
		Stem: strings.TrimSuffix(filepath.Base(path), ".md"), Source: fm.Source, SHA256: fm.SourceSHA256,
		Passthrough: fm.Passthrough, Meta: news.Meta{Date: fm.Published, Author: fm.Author, URL: fm.URL},
		Stats: news.Stats{Engine: fm.Engine, Model: fm.Model, Prompt: fm.PromptVersion},
	}
	blocks := splitBlocks(s[4+end+5:])
	if len(blocks) > 0 && strings.HasPrefix(blocks[0], "# ") {
		t.Title = strings.TrimPrefix(blocks[0], "# ")
		blocks = blocks[1:]
	}
	t.Meta.Title = t.Title
	t.Paragraphs = blocks
	return t, nil
}

// SummaryRecord is output/summaries/<stem>.json: the structured summary and
// what the briefing needs to cite the article, so `depeche brief` can merge
// the summaries of several output folders (shards) without anything else.
type SummaryRecord struct {
	Stem    string       `json:"stem"`
	Source  string       `json:"source"`
	Title   string       `json:"title"`
	Meta    news.Meta    `json:"meta"`
	Summary news.Summary `json:"summary"`
}

func listFiles(dir, ext string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ext) && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}
