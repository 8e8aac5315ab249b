package pipeline

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/depeche-news/depeche/pipeline/news"
)

// TestProgressTellsRetries: a run whose last files wait on a 429 shows
// the stage, the retry and its reason, and no ETA, instead of "96%, ETA
// 0s"; without a terminal the wait is one plain line.
func TestProgressTellsRetries(t *testing.T) {
	m := &Meter{}
	var buf bytes.Buffer
	p := newProgress(&buf, true, 25, "translate", m)
	defer p.finish()
	for range 24 {
		p.fileDone(&FileRecord{Source: "a.txt", Status: StatusOK}, 100)
	}
	m.Event("translate", "sent", "", time.Time{})
	m.Event("translate", "done", "", time.Time{})
	until := time.Now().Add(30 * time.Second)
	m.Event("translate", "wait", "429 (Retry-After 30s)", until)
	f := p.track() // the last file, summarizing
	f.move(news.StageTranslate)
	f.move(news.StageSummarize)
	time.Sleep(150 * time.Millisecond) // past the bar's redraw throttle
	buf.Reset()
	p.refresh()
	out := buf.String()
	for _, want := range []string{"summarize 1 ·", "retrying 1: 429 (Retry-After 30s), next in 30s", "ETA: waiting on the server"} {
		if !strings.Contains(out, want) {
			t.Errorf("the bar does not say %q:\n%q", want, out)
		}
	}
	if strings.Contains(out, "ETA 0s") || strings.Contains(out, "translate 1") {
		t.Errorf("the bar claims ETA 0s while a retry waits:\n%q", out)
	}
	m.Event("translate", "resume", "", until)
	buf.Reset()
	time.Sleep(150 * time.Millisecond)
	p.refresh()
	if strings.Contains(buf.String(), "retrying") {
		t.Errorf("the bar still says retrying after the wait ended:\n%q", buf.String())
	}

	var plain bytes.Buffer
	q := newProgress(&plain, false, 5, "translate", m)
	defer q.finish()
	m.Event("translate", "wait", "503 Service Unavailable", time.Now().Add(4*time.Second))
	q.refresh()
	if got := plain.String(); !strings.Contains(got, "waiting 4s before retrying a translate request: 503 Service Unavailable") {
		t.Errorf("no plain line for the wait: %q", got)
	}
}

// The briefing has its own progress: its requests and its waits, not the
// files'.
func TestBriefProgress(t *testing.T) {
	m := &Meter{}
	var buf bytes.Buffer
	p := newProgress(&buf, true, -1, "brief: merging 12 articles (llm engine)", m, "brief")
	defer p.finish()
	m.Event("translate", "sent", "", time.Time{})
	m.Event("brief-map", "sent", "", time.Time{})
	m.Event("brief-map", "sent", "", time.Time{})
	m.Event("brief-map", "done", "", time.Time{})
	time.Sleep(150 * time.Millisecond)
	p.refresh()
	out := buf.String()
	if !strings.Contains(out, "brief: merging 12 articles") || !strings.Contains(out, "brief-map 1") || !strings.Contains(out, "1 requests done") {
		t.Errorf("the briefing's spinner: %q", out)
	}
	if strings.Contains(out, "translate 1") {
		t.Errorf("the briefing's progress shows another stage's requests: %q", out)
	}
}
