package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

// smallRun runs the seeds plus a 6,000-word article against a fake server
// with a 1,500-token context and a 300-token answer cap, with llmSettings
// under llm:, and returns the requests it took.
func smallRun(t *testing.T, family string, llmSettings map[string]string) (int, string) {
	t.Helper()
	t.Setenv("DEPECHE_TEST_KEY", secretKey)
	srv := llmtest.New(t, llmtest.Limited(llmtest.Small{Context: 1500, AnswerCap: 300, Family: family}, llmtest.Model().Handle))
	dir := t.TempDir()
	long, err := os.ReadFile(filepath.Join("testdata", "long", "vilnieres.txt"))
	if err != nil {
		t.Fatal(err)
	}
	in := seedsWith(t, dir, seedNames(t), map[string]string{"vilnieres.txt": string(long)})
	out := filepath.Join(dir, "out")
	r := depeche(t, dir, "", "run", in, "--config", relConfig(t, dir, srv.URL(), out, llmSettings, ""), "-q")
	if r.code != 0 {
		t.Fatalf("%s %v: exit %d\n%s", family, llmSettings, r.code, lastLines(r.stderr, 15))
	}
	m := manifestOf(t, out)
	// A sibling request cancelled in flight (its chunk was refused) counts
	// as sent, though the server may not have seen it arrive.
	if d := m.Totals.Requests - srv.Count(); d < 0 || d > 3 {
		t.Errorf("manifest counts %d requests, the server saw %d", m.Totals.Requests, srv.Count())
	}
	sum, err := os.ReadFile(filepath.Join(out, "summaries", "vilnieres.json"))
	if err != nil {
		t.Fatal(err)
	}
	stages := map[string]int{}
	for _, c := range srv.Calls() {
		stages[c.Stage]++
	}
	t.Logf("%s %v: %v", family, llmSettings, stages)
	return srv.Count(), string(sum)
}

func seedNames(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(seeds(t))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestSmallServerLearnsItsLimits is issue 14's "Done when": under the
// default configuration (a 4,096-token context, 2,048-token answers) a
// server that has a 1,500-token context and cuts answers at 300 tokens
// still gets the whole run done, and learning its limits from its first
// refusals costs at most 1.3× the requests of a run told them.
func TestSmallServerLearnsItsLimits(t *testing.T) {
	for _, family := range []string{"vllm", "llama.cpp", "ollama"} {
		t.Run(family, func(t *testing.T) {
			told, _ := smallRun(t, family, map[string]string{"context_tokens": "1500", "max_tokens": "300"})
			learned, summary := smallRun(t, family, nil)
			ratio := float64(learned) / float64(told)
			t.Logf("%s: %d requests told the limits, %d learning them: %.2f×", family, told, learned, ratio)
			if ratio > 1.3 {
				t.Errorf("learning the limits took %d requests, %.2f× the %d of a run told them; want at most 1.3×", learned, ratio, told)
			}
			if !strings.Contains(summary, "summary_in_parts") || strings.Contains(summary, "summary_input_truncated") {
				t.Errorf("the long article was not summarized in parts:\n%s", summary)
			}
		})
	}
}
