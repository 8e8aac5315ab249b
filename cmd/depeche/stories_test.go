package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/apertium"
	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
	"github.com/depeche-news/depeche/pipeline/story"
)

// labels reads testdata/stories/<split>-labels.tsv: file → story.
func labels(t *testing.T, split string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "stories", split+"-labels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		file, label, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%s-labels.tsv: bad line %q", split, line)
		}
		out[file] = label
	}
	return out
}

// storiesDoc is what the tests read of briefing.json's stories.
type storiesDoc struct {
	Sources []struct {
		N    int    `json:"n"`
		File string `json:"file"`
	} `json:"sources"`
	Stories []struct {
		Title    string `json:"title"`
		Sources  []int  `json:"sources"`
		Section  bool   `json:"section"`
		Distinct int    `json:"distinct_sources"`
		Points   []struct {
			Cites []int `json:"cites"`
		} `json:"key_points"`
	} `json:"stories"`
	AlsoCovered []int `json:"also_covered"`
}

func readStories(t testing.TB, out string) storiesDoc {
	t.Helper()
	var d storiesDoc
	raw, err := os.ReadFile(filepath.Join(out, "briefing.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// ari is the adjusted Rand index of the briefing's stories against the
// labels, over every source.
func ari(t testing.TB, d storiesDoc, want map[string]string) float64 {
	t.Helper()
	storyOf := map[int]string{}
	for i, st := range d.Stories {
		for _, n := range st.Sources {
			if _, dup := storyOf[n]; dup {
				t.Fatalf("source [%d] is in two stories", n)
			}
			storyOf[n] = fmt.Sprint(i)
		}
	}
	var truth, got []string
	for _, s := range d.Sources {
		label, ok := want[s.File]
		if !ok {
			t.Fatalf("source %s has no label", s.File)
		}
		g, ok := storyOf[s.N]
		if !ok {
			t.Fatalf("source [%d] %s is in no story", s.N, s.File)
		}
		truth, got = append(truth, label), append(got, g)
	}
	if len(truth) != len(want) {
		t.Fatalf("%d sources briefed, %d labelled", len(truth), len(want))
	}
	return story.AdjustedRand(truth, got)
}

// TestStoriesARI is issue 14's measure of the story grouping with the
// offline signals alone: the offline engine runs the whole pipeline on the
// labelled corpus of testdata/stories (143 French articles of 13 stories,
// some sharing people and places: four visits of Vladimir Putin, two
// strikes of transport workers and two protests, Gabriel Attal in three
// stories), and the stories of briefing.json are compared with the labels
// by adjusted Rand index. The grouping was tuned on dev/ (8 stories);
// heldout/ (5 stories) was not looked at while tuning; both together are
// also grouped at once. README reports the three figures.
func TestStoriesARI(t *testing.T) {
	if err := apertium.Available("apertium"); err != nil {
		t.Skipf("apertium unavailable (make test installs it on Debian): %v", err)
	}
	dir := t.TempDir()
	dev, held := labels(t, "dev"), labels(t, "heldout")
	all := map[string]string{}
	for _, m := range []map[string]string{dev, held} {
		for k, v := range m {
			all[k] = v
		}
	}
	run := func(name string, splits ...string) storiesDoc {
		out := filepath.Join(dir, name)
		var in []string
		for _, s := range splits {
			in = append(in, filepath.Join("testdata", "stories", s))
		}
		args := append([]string{"run"}, in...)
		r := depeche(t, dir, "", append(args, "--config", offlineConfig(t, dir, out), "-q")...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d\n%s", name, r.code, lastLines(r.stderr, 10))
		}
		return readStories(t, out)
	}
	results := []struct {
		name  string
		doc   storiesDoc
		want  map[string]string
		floor float64
	}{
		{"dev", run("dev", "dev"), dev, 0.90},
		{"held-out", run("heldout", "heldout"), held, 0.85},
		{"all", run("all", "dev", "heldout"), all, 0.90},
	}
	for _, r := range results {
		got := ari(t, r.doc, r.want)
		t.Logf("%s: %d articles, %d stories found (%d labelled): ARI %.3f", r.name, len(r.doc.Sources), len(r.doc.Stories), distinctLabels(r.want), got)
		if got < r.floor {
			t.Errorf("%s: ARI %.3f, want at least %.2f", r.name, got, r.floor)
		}
	}
}

func distinctLabels(m map[string]string) int {
	seen := map[string]bool{}
	for _, v := range m {
		seen[v] = true
	}
	return len(seen)
}

// TestStoriesLLM: the LLM engine briefs story by story (map-reduce per
// story, then one request for the opening over the sections), cites as
// ever, and writes stories that briefing.json's schema describes; copies
// of one wire story stay in one story; stories past brief.max_stories go
// to Also covered.
func TestStoriesLLM(t *testing.T) {
	t.Setenv("DEPECHE_TEST_KEY", secretKey)
	srv := llmtest.New(t, llmtest.Model().Handle)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cfg := relConfig(t, dir, srv.URL(), out, nil, "brief:\n  max_stories: 5\n")
	r := depeche(t, dir, "", "run", filepath.Join("testdata", "stories", "dev"), "--config", cfg, "-q")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, lastLines(r.stderr, 10))
	}
	overviews := 0
	for _, c := range srv.Calls() {
		if c.Stage == "brief-overview" {
			overviews++
		}
	}
	if overviews != 1 {
		t.Errorf("%d brief-overview requests, want 1", overviews)
	}
	raw, _ := os.ReadFile(filepath.Join(out, "briefing.json"))
	var b briefing.Briefing
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	if err := briefing.Validate(b); err != nil {
		t.Errorf("briefing.json does not validate: %v", err)
	}
	sections := 0
	storyOf := map[int]int{}
	for i, st := range b.Stories {
		for _, n := range st.Sources {
			storyOf[n] = i
		}
		if !st.Section {
			continue
		}
		sections++
		if len(st.Points) == 0 || st.Title == "" {
			t.Errorf("story %d has a section but no title or key point: %+v", i+1, st)
		}
		for _, p := range st.Points {
			for _, n := range p.Cites {
				if !slices.Contains(st.Sources, n) {
					t.Errorf("story %d's point %q cites [%d], an article of another story", i+1, p.Text, n)
				}
			}
		}
	}
	if sections != 5 || len(b.Stories) <= 5 || len(b.Points) != 5 {
		t.Errorf("%d stories, %d with a section, %d opening points; want 5 sections (brief.max_stories) of more stories, one opening point each", len(b.Stories), sections, len(b.Points))
	}
	for _, g := range b.Groups {
		for _, n := range g[1:] {
			if storyOf[n] != storyOf[g[0]] {
				t.Errorf("near-duplicates %v are in different stories", g)
			}
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "briefing.md"))
	for _, want := range []string{"## The stories", "## 1. ", "### Key points", "## Also covered"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("briefing.md lacks %q", want)
		}
	}
}
