package main

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkBriefingScale is issue 14's measure of a briefing as the pile
// grows: 2,000 and 5,000 generated French articles telling 80 and 200
// stories (genStories: Zipf-like sizes, shared places and people) go
// through the whole pipeline (`depeche run`) against the fake server (64
// slots, 1 ms per request), then the briefing alone is made again from the
// written summaries (`depeche brief --force`). For each it reports the
// requests, the wall time and the binary's peak resident set, the stories
// the briefing found (and how many got a section), and their adjusted Rand
// index against the generator's labels. The target: 5,000 articles under
// 150 MB.
func BenchmarkBriefingScale(b *testing.B) {
	bin := buildDepeche(b)
	sizes := []struct{ n, stories int }{{2000, 80}, {5000, 200}}
	type result struct {
		run, brief       measured
		runReq, briefReq int
		found, sections  int
		ari              float64
	}
	results := make([]result, len(sizes))
	dir := b.TempDir()
	labels := make([]map[string]string, len(sizes))
	for i, sz := range sizes {
		labels[i] = genStories(b, filepath.Join(dir, fmt.Sprint(sz.n)), sz.n, sz.stories)
	}
	for b.Loop() {
		for i, sz := range sizes {
			src := filepath.Join(dir, fmt.Sprint(sz.n))
			srv := newSlotServer(b, 64, time.Millisecond)
			out, cfg := benchOutput(b, srv)
			var r result
			r.run = runDepeche(b, bin, "run", src, "--config", cfg, "-q")
			r.runReq = srv.Count()
			r.brief = runDepeche(b, bin, "brief", out, "--config", cfg, "--force", "-q")
			r.briefReq = srv.Count() - r.runReq
			d := readStories(b, out)
			r.found = len(d.Stories)
			for _, st := range d.Stories {
				if st.Section {
					r.sections++
				}
			}
			r.ari = ari(b, d, labels[i])
			results[i] = r
			b.Logf("%d articles, %d stories: run %v, %d requests, %.1f MB; brief %v, %d requests, %.1f MB; %d stories found (%d with a section), ARI %.3f",
				sz.n, sz.stories, r.run.took.Round(time.Millisecond), r.runReq, r.run.rssMB,
				r.brief.took.Round(time.Millisecond), r.briefReq, r.brief.rssMB, r.found, r.sections, r.ari)
		}
	}
	for i, sz := range sizes {
		r := results[i]
		for _, m := range []struct {
			v    float64
			unit string
		}{
			{r.run.rssMB, "MB_rss_run"}, {r.run.took.Seconds(), "s_run"}, {float64(r.runReq), "req_run"},
			{r.brief.rssMB, "MB_rss_brief"}, {r.brief.took.Seconds(), "s_brief"}, {float64(r.briefReq), "req_brief"},
			{float64(r.found), "stories"}, {r.ari, "ari"},
		} {
			b.ReportMetric(m.v, fmt.Sprintf("%s_%d", m.unit, sz.n))
		}
	}
}
