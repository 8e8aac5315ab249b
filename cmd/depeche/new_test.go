package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

// moreArticles returns the five articles of testdata/more, by name.
func moreArticles(t *testing.T) map[string]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "more", "*.txt"))
	if err != nil || len(paths) != 5 {
		t.Fatalf("testdata/more: %v (%d files)", err, len(paths))
	}
	out := map[string]string{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = string(b)
	}
	return out
}

// perFile returns the hashes of the translate and summarize requests among
// calls, sorted, and how many calls were the briefing's.
func perFile(calls []llmtest.Call) (hashes []string, briefing int) {
	for _, c := range calls {
		switch {
		case strings.HasPrefix(c.Stage, "brief"):
			briefing++
		default:
			hashes = append(hashes, callHash(c))
		}
	}
	slices.Sort(hashes)
	return hashes, briefing
}

type newDoc struct {
	NewSince *time.Time `json:"new_since"`
	Points   []struct {
		Text  string `json:"text"`
		Cites []int  `json:"cites"`
		New   bool   `json:"new"`
	} `json:"key_points"`
	Sources []struct {
		N    int    `json:"n"`
		File string `json:"file"`
		New  bool   `json:"new"`
	} `json:"sources"`
}

// TestWhatIsNew is issue 14's "Done when" for daily runs: a second run over
// a folder that gained five articles sends exactly the requests a run over
// those five alone sends, plus the briefing's, and the briefing marks the
// new articles and the points only they support as new since the first
// run's briefing; a third run over the same folder has nothing new.
func TestWhatIsNew(t *testing.T) {
	t.Setenv("DEPECHE_TEST_KEY", secretKey)
	srv := llmtest.New(t, llmtest.Model().Handle)
	dir := t.TempDir()
	in := seedsWith(t, dir, seedNames(t), nil)
	out := filepath.Join(dir, "out")
	cfg := relConfig(t, dir, srv.URL(), out, nil, "")
	if r := depeche(t, dir, "", "run", in, "--config", cfg, "-q"); r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, lastLines(r.stderr, 10))
	}
	var first struct {
		Briefed struct{ Last time.Time } `json:"briefed"`
	}
	raw, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err := json.Unmarshal(raw, &first); err != nil || first.Briefed.Last.IsZero() {
		t.Fatalf("the first manifest keeps no briefing history: %v\n%.500s", err, raw)
	}

	more := moreArticles(t)
	for name, text := range more {
		os.WriteFile(filepath.Join(in, name), []byte(text), 0o644)
	}
	before := srv.Count()
	if r := depeche(t, dir, "", "run", in, "--config", cfg, "-q"); r.code != 0 {
		t.Fatalf("second run: exit %d\n%s", r.code, lastLines(r.stderr, 10))
	}
	second, briefCalls := perFile(srv.Calls()[before:])

	alone := llmtest.New(t, llmtest.Model().Handle)
	dir5 := t.TempDir()
	in5 := seedsWith(t, dir5, nil, more)
	if r := depeche(t, dir5, "", "run", in5, "--config", relConfig(t, dir5, alone.URL(), filepath.Join(dir5, "out"), nil, ""), "-q"); r.code != 0 {
		t.Fatalf("run over the five: exit %d\n%s", r.code, lastLines(r.stderr, 10))
	}
	five, _ := perFile(alone.Calls())
	if !slices.Equal(second, five) || briefCalls == 0 {
		t.Errorf("second run: %d per-file requests and %d for the briefing; a run over the five new articles alone sends %d per-file requests: want the same ones",
			len(second), briefCalls, len(five))
	}

	var b newDoc
	raw, _ = os.ReadFile(filepath.Join(out, "briefing.json"))
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	if b.NewSince == nil || !b.NewSince.Equal(first.Briefed.Last) {
		t.Fatalf("new_since = %v, want the first briefing's time %v", b.NewSince, first.Briefed.Last)
	}
	fresh := map[int]bool{}
	for _, s := range b.Sources {
		if _, added := more[s.File]; s.New != added {
			t.Errorf("source [%d] %s: new = %v", s.N, s.File, s.New)
		}
		fresh[s.N] = s.New
	}
	newPoints := 0
	for _, p := range b.Points {
		onlyNew := len(p.Cites) > 0
		for _, n := range p.Cites {
			onlyNew = onlyNew && fresh[n]
		}
		if p.New != onlyNew {
			t.Errorf("point %q citing %v: new = %v", p.Text, p.Cites, p.New)
		}
		if p.New {
			newPoints++
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "briefing.md"))
	since := "new since " + first.Briefed.Last.UTC().Format("2006-01-02 15:04") + " UTC"
	if marks := strings.Count(string(md), "**new**"); newPoints == 0 || marks < newPoints+5 || !strings.Contains(string(md), "5 of 10 articles are "+since) {
		t.Errorf("%d new points; briefing.md has %d marks and should say %q:\n%s", newPoints, marks, since, md)
	}

	before = srv.Count()
	if r := depeche(t, dir, "", "run", in, "--config", cfg, "-q"); r.code != 0 {
		t.Fatalf("third run: exit %d\n%s", r.code, lastLines(r.stderr, 10))
	}
	md, _ = os.ReadFile(filepath.Join(out, "briefing.md"))
	if srv.Count() != before || !strings.Contains(string(md), "Nothing new since") || strings.Contains(string(md), "**new**") {
		t.Errorf("third run over the same folder: %d requests, briefing:\n%s", srv.Count()-before, md)
	}
}
