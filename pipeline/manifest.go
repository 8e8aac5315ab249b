package pipeline

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
)

// Status is a file's (or the briefing's) outcome in the manifest.
type Status string

// The outcomes.
const (
	StatusOK      Status = "ok"      // produced in this run
	StatusCached  Status = "cached"  // every stage answered from the cache
	StatusFailed  Status = "failed"  // Reason says why; the batch went on
	StatusSkipped Status = "skipped" // not processed on purpose (English, empty after cleaning, budget, shard)
	StatusPending Status = "pending" // not reached yet: the run was interrupted, or waits for a batch
)

// RunStatus is the whole run's state in the manifest.
type RunStatus string

// The states of a run.
const (
	RunRunning         RunStatus = "running"           // still going, or killed without a word
	RunComplete        RunStatus = "complete"          // every file went as far as it could
	RunInterrupted     RunStatus = "interrupted"       // stopped by Ctrl-C or a signal; rerun to resume
	RunBudgetExhausted RunStatus = "budget_exhausted"  // stopped at llm.max_total_tokens; rerun to resume
	RunFailed          RunStatus = "failed"            // the briefing (or the run itself) failed
	RunWaitingForBatch RunStatus = "waiting_for_batch" // a batch round was written or is in flight
)

// FileRecord is one file's line in the manifest.
type FileRecord struct {
	Source   string                     `json:"source"`
	Stem     string                     `json:"stem,omitempty"`
	SHA256   string                     `json:"sha256,omitempty"`
	Encoding string                     `json:"encoding,omitempty"`
	Format   string                     `json:"format,omitempty"`
	Lang     string                     `json:"lang,omitempty"`
	Status   Status                     `json:"status"`
	Stage    news.Stage                 `json:"stage,omitempty"` // stage that failed or skipped it
	Reason   string                     `json:"reason,omitempty"`
	Removed  int                        `json:"removed_lines,omitempty"`
	Stages   map[news.Stage]*news.Stats `json:"stages,omitempty"`
	Outputs  []string                   `json:"outputs,omitempty"`
}

// Totals sums the model work of a run.
type Totals struct {
	Files     int        `json:"files"`
	OK        int        `json:"ok"`
	Cached    int        `json:"cached"`
	Failed    int        `json:"failed"`
	Skipped   int        `json:"skipped"`
	Pending   int        `json:"pending"`
	Requests  int        `json:"requests"`
	CacheHits int        `json:"cache_hits"`
	Retries   int        `json:"retries"`
	Usage     news.Usage `json:"usage"`
	// offline translations: English words written, and how many the pivot
	// left in French (or Spanish)
	Words        int `json:"words,omitempty"`
	Untranslated int `json:"untranslated_words,omitempty"`
}

// BriefRecord is the briefing's line in the manifest.
type BriefRecord struct {
	Status    Status                 `json:"status"`
	Reason    string                 `json:"reason,omitempty"`
	Sources   int                    `json:"sources"`
	Groups    [][]int                `json:"duplicate_groups,omitempty"`
	Citations briefing.CitationStats `json:"citation_stats"`
	// Provenance is, per claim of briefing.json, the sentences of each
	// cited article it rests on: an audit of the briefing reads it without
	// the briefing.
	Provenance []briefing.Trace `json:"provenance,omitempty"`
	Stats      *news.Stats      `json:"stats,omitempty"`
}

// Manifest is the run record (output/manifest.json). It is rewritten
// atomically each time a file finishes, so a killed run leaves an accurate
// record of what was done. It never holds the API key: nothing that reaches
// it comes from the key.
type Manifest struct {
	mu    sync.Mutex
	path  string
	saved time.Time

	Version  int                   `json:"version"`
	Tool     string                `json:"tool"`
	Command  string                `json:"command"`
	Status   RunStatus             `json:"status"`
	Started  time.Time             `json:"started"`
	Finished *time.Time            `json:"finished,omitempty"`
	Engine   string                `json:"engine"`
	Models   map[news.Stage]string `json:"models,omitempty"`   // stage → model
	Prompts  map[string]string     `json:"prompts,omitempty"`  // prompt name → version
	Settings map[string]string     `json:"settings,omitempty"` // non-secret settings that shaped the run
	Notes    []string              `json:"notes,omitempty"`    // e.g. "no model server at …; used the offline engine"
	Shard    string                `json:"shard,omitempty"`
	Files    []*FileRecord         `json:"files"`
	Briefing *BriefRecord          `json:"briefing,omitempty"`
	Totals   Totals                `json:"totals"`
	// Briefed is what the briefings made in this output folder covered,
	// this run's included once it briefed: read from the previous
	// manifest and carried on, so that a briefing can say what is new.
	Briefed *BriefHistory `json:"briefed,omitempty"`
}

// BriefHistory is what the briefings of an output folder covered: when the
// last one was made, and for each article (by stem) when it was first
// briefed. An article the history does not hold is new in the next one.
type BriefHistory struct {
	Last     time.Time            `json:"last"`
	Articles map[string]time.Time `json:"articles"`
}

// covers reports whether an earlier briefing held the article stem.
func (h *BriefHistory) covers(stem string) bool {
	if h == nil {
		return false
	}
	_, ok := h.Articles[stem]
	return ok
}

// after returns the history once a briefing made at t covered stems.
func (h *BriefHistory) after(t time.Time, stems []string) *BriefHistory {
	next := &BriefHistory{Last: t, Articles: map[string]time.Time{}}
	if h != nil {
		for k, v := range h.Articles {
			next.Articles[k] = v
		}
	}
	for _, s := range stems {
		if _, ok := next.Articles[s]; !ok {
			next.Articles[s] = t
		}
	}
	return next
}

// readHistory returns the briefing history of the manifest at path, nil
// when there is none to read: a first run, or a manifest from before
// depeche kept one (then nothing is marked new, rather than everything).
func readHistory(path string) *BriefHistory {
	var prev struct {
		Briefed *BriefHistory `json:"briefed"`
	}
	if path == "" || readJSON(path, &prev) != nil || prev.Briefed == nil || prev.Briefed.Last.IsZero() {
		return nil
	}
	return prev.Briefed
}

func newManifest(path, tool, command string) *Manifest {
	return &Manifest{path: path, Version: 1, Tool: tool, Command: command, Status: RunRunning, Started: time.Now().UTC()}
}

// update runs f under the lock and saves the manifest, at most a few times a
// second unless force is set: thousands of files must not mean thousands of
// fsyncs, and a crash loses at most the last fraction of a second of record
// (the outputs themselves are already on disk).
func (m *Manifest) update(force bool, f func()) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f != nil {
		f()
	}
	if !force && time.Since(m.saved) < 200*time.Millisecond {
		return nil
	}
	return m.saveLocked()
}

func (m *Manifest) saveLocked() error {
	m.Totals = m.totalsLocked()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	m.saved = time.Now()
	if m.path == "" {
		return nil
	}
	return store.WriteFile(m.path, append(b, '\n'), 0o644)
}

func (m *Manifest) totalsLocked() Totals {
	t := Totals{Files: len(m.Files)}
	for _, f := range m.Files {
		switch f.Status {
		case StatusOK:
			t.OK++
		case StatusCached:
			t.Cached++
		case StatusFailed:
			t.Failed++
		case StatusSkipped:
			t.Skipped++
		default:
			t.Pending++
		}
		for _, s := range f.Stages {
			t.Requests += s.Requests
			t.CacheHits += s.Cached
			t.Retries += len(s.Retries)
			t.Usage = t.Usage.Add(s.Usage)
			t.Words += s.Words
			t.Untranslated += s.Untranslated
		}
	}
	if m.Briefing != nil && m.Briefing.Stats != nil {
		s := m.Briefing.Stats
		t.Requests += s.Requests
		t.CacheHits += s.Cached
		t.Retries += len(s.Retries)
		t.Usage = t.Usage.Add(s.Usage)
	}
	return t
}

// snapshot returns the totals under the lock.
func (m *Manifest) snapshot() Totals {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.totalsLocked()
}

func (m *Manifest) sortFiles() {
	m.mu.Lock()
	defer m.mu.Unlock()
	sort.SliceStable(m.Files, func(i, j int) bool { return m.Files[i].Source < m.Files[j].Source })
}

func manifestPath(out string) string { return filepath.Join(out, "manifest.json") }
