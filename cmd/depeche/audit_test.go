package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/depeche-news/depeche/pipeline/apertium"
	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

// TestBriefingAudit runs the seeds through each engine and audits what an
// analyst relies on: every citation of briefing.md is a claim of
// briefing.json whose sentence ids exist in the cited translation, and in
// briefing.html, opened in headless Chromium, every citation link opens
// its English sentences and the French paragraph and leads to a
// highlighted sentence of the article, with no console error. A screenshot
// of each page lands in the test's artifact directory (go test -artifacts),
// and in $DEPECHE_SCREENSHOTS when set (docs/ holds the README's).
func TestBriefingAudit(t *testing.T) {
	for _, eng := range []string{"llm", "offline"} {
		t.Run(eng, func(t *testing.T) {
			out := auditRun(t, eng)
			auditEvidence(t, out)
			page := filepath.Join(out, "briefing.html")
			if _, err := os.Stat(page); err != nil {
				t.Fatalf("no briefing.html: %v", err)
			}
			auditInBrowser(t, page, eng)
		})
	}
}

func auditRun(t *testing.T, eng string) string {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	var cfg string
	if eng == "offline" {
		if err := apertium.Available("apertium"); err != nil {
			t.Skipf("apertium unavailable (make test installs it on Debian): %v", err)
		}
		cfg = writeConfig(t, dir, "engine: offline\noutput: "+out+"\nglossary: testdata/glossary.yaml\n")
	} else {
		srv := llmtest.New(t, llmtest.Model().Handle)
		cfg = writeConfig(t, dir, llmConfig(srv.URL(), out, ""))
	}
	if r := depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q"); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	return out
}

var citeRe = regexp.MustCompile(`\[(\d+)\]`)

// auditEvidence checks briefing.json's sentence ids against the
// translations and briefing.md's citations against briefing.json.
func auditEvidence(t *testing.T, out string) briefing.Briefing {
	t.Helper()
	var b briefing.Briefing
	data, err := os.ReadFile(filepath.Join(out, "briefing.json"))
	if err != nil || json.Unmarshal(data, &b) != nil {
		t.Fatalf("briefing.json: %v", err)
	}
	texts := map[int]briefing.Text{}
	for _, s := range b.Sources {
		texts[s.N] = translationText(t, filepath.Join(out, "translations", s.Stem+".md"))
	}
	cited := map[string]bool{} // "text [n]"
	ids := 0
	for _, c := range b.Claims() {
		for _, n := range *c.Cites {
			cited[briefing.OneLine(*c.Text)+" "+strconv.Itoa(n)] = true
			ev := briefing.EvidenceFor(*c.Evidence, n)
			if len(ev) == 0 && *c.Marked == "" {
				t.Errorf("%s %q: citation [%d] has no sentence id", c.Kind, *c.Text, n)
			}
			for _, id := range ev {
				ids++
				if _, ok := texts[n].Sentence(id); !ok {
					t.Errorf("%s %q: [%d] %s is no sentence of %s", c.Kind, *c.Text, n, id, b.Sources[n-1].Stem)
				}
			}
		}
	}
	if ids == 0 {
		t.Fatal("briefing.json names no sentence")
	}
	auditManifest(t, out, b, texts)
	md, _ := os.ReadFile(filepath.Join(out, "briefing.md"))
	body, _, _ := strings.Cut(string(md), "\n## Also covered")
	body, _, _ = strings.Cut(body, "\n## Sources")
	for _, line := range strings.Split(body, "\n") {
		text, ok := strings.CutPrefix(strings.TrimSpace(line), "- ")
		if !ok {
			continue
		}
		text, _, _ = strings.Cut(text, " ⚠")
		claim := strings.TrimSpace(citeRe.ReplaceAllString(text, ""))
		if i := strings.Index(claim, " — "); strings.HasPrefix(claim, "**") && i > 0 {
			claim = claim[i+len(" — "):] // a timeline line
		}
		for _, m := range citeRe.FindAllStringSubmatch(text, -1) {
			if !cited[claim+" "+m[1]] {
				t.Errorf("briefing.md cites [%s] for %q, which briefing.json does not", m[1], claim)
			}
		}
	}
	return b
}

// auditManifest checks the manifest's provenance: one trace per claim of
// briefing.json, in order, each citation's line naming the same article
// and sentences, and every id a sentence of that article's translation.
func auditManifest(t *testing.T, out string, b briefing.Briefing, texts map[int]briefing.Text) {
	t.Helper()
	var m struct {
		Briefing struct {
			Citations  briefing.CitationStats `json:"citation_stats"`
			Provenance []briefing.Trace       `json:"provenance"`
		} `json:"briefing"`
	}
	data, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil || json.Unmarshal(data, &m) != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	claims := b.Claims()
	if len(m.Briefing.Provenance) != len(claims) || len(claims) == 0 {
		t.Fatalf("the manifest traces %d claims, briefing.json has %d", len(m.Briefing.Provenance), len(claims))
	}
	if m.Briefing.Citations.Checked == 0 {
		t.Error("the manifest counts no checked citation")
	}
	for i, tr := range m.Briefing.Provenance {
		c := claims[i]
		if tr.Claim != c.Path || len(tr.Evidence) != len(*c.Cites) {
			t.Errorf("trace %d is %q with %d citations; briefing.json has %s with %v", i, tr.Claim, len(tr.Evidence), c.Path, *c.Cites)
			continue
		}
		for k, line := range tr.Evidence {
			n, stem, ids, ok := briefing.ParseTraceLine(line)
			if !ok || n != (*c.Cites)[k] || stem != b.Sources[n-1].Stem {
				t.Errorf("%s: line %q, want citation [%d] of %s", tr.Claim, line, (*c.Cites)[k], b.Sources[(*c.Cites)[k]-1].Stem)
				continue
			}
			if len(ids) == 0 && !tr.Unsupported {
				t.Errorf("%s: %q names no sentence", tr.Claim, line)
			}
			for _, id := range ids {
				if _, ok := texts[n].Sentence(id); !ok {
					t.Errorf("%s: %s is no sentence of translations/%s.md", tr.Claim, id, stem)
				}
			}
		}
	}
}

// translationText reads a translation back as the briefing numbers its
// sentences: front matter, "# Title", then paragraphs.
func translationText(t *testing.T, path string) briefing.Text {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.SplitN(string(data), "\n---\n", 2)
	var title string
	var paras []string
	for _, block := range strings.Split(parts[len(parts)-1], "\n\n") {
		block = strings.TrimSpace(block)
		switch {
		case block == "":
		case title == "" && len(paras) == 0 && strings.HasPrefix(block, "# "):
			title = strings.TrimPrefix(block, "# ")
		default:
			paras = append(paras, block)
		}
	}
	return briefing.Split(title, paras)
}

// chromium finds Debian's browser, or says why the browser test skips.
func chromium(tb testing.TB) string {
	tb.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	tb.Skip("no chromium on PATH (make test installs Debian's chromium): briefing.html was checked for structure, not opened in a browser")
	return ""
}

// opened is what the page showed when one citation was opened.
type opened struct {
	Label, Panel, English, French, Target string
	Shown, Doubt, Highlighted             bool
}

// openEvery clicks every citation link in turn, as the page's script
// handles it, and reports what each showed.
const openEvery = `Array.from(document.querySelectorAll("a.cite")).map(function(a){
  a.click();
  var p=document.getElementById(a.getAttribute("data-panel"));
  var go=p&&p.querySelector("a.go");
  var target=go?document.getElementById(go.getAttribute("href").slice(1)):null;
  var r={Label:a.textContent,Panel:p?p.id:"",Shown:!!p&&!p.hidden&&p.offsetHeight>0,Doubt:!!p&&p.classList.contains("doubt"),
    English:p?Array.from(p.querySelectorAll(".en")).map(function(e){return e.textContent.trim();}).join(" "):"",
    French:p?Array.from(p.querySelectorAll(".fr")).map(function(e){return e.textContent.trim();}).join(" "):"",
    Target:target?target.id:"",Highlighted:!!target&&target.classList.contains("hl")};
  a.click();
  return r;
})`

// browser is a headless Chromium tab that records console errors.
type browser struct {
	ctx  context.Context
	mu   sync.Mutex
	errs []string
}

// newBrowser starts Chromium for the test (or skips it without one); it
// stops with the test.
func newBrowser(tb testing.TB) *browser {
	tb.Helper()
	exe := chromium(tb)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(tb.TempDir()), chromedp.WindowSize(1000, 1250))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	tb.Cleanup(cancel)
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	tb.Cleanup(cancelA)
	bctx, cancelB := chromedp.NewContext(actx)
	tb.Cleanup(cancelB)
	br := &browser{ctx: bctx}
	if err := chromedp.Listen(bctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = "exception: " + e.ExceptionDetails.Text
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				msg = "console." + string(e.Type)
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				msg = "log: " + e.Entry.Text
			}
		}
		if msg != "" {
			br.mu.Lock()
			br.errs = append(br.errs, msg)
			br.mu.Unlock()
		}
	}); err != nil {
		tb.Fatalf("chromium: %v", err)
	}
	if _, err := chromedp.Call(bctx, log.Enable, cdp.Empty{}); err != nil {
		tb.Fatalf("chromium: %v", err)
	}
	return br
}

// open loads a page and waits for its end.
func (br *browser) open(tb testing.TB, page string) {
	tb.Helper()
	if err := chromedp.Do(br.ctx, chromedp.Navigate("file://"+page), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		tb.Fatalf("chromium: %v", err)
	}
}

// openAll opens every citation of the page and checks what each showed:
// its panel, the English sentences and the French paragraph of a
// supported claim, a highlighted sentence to go to; no console error.
func (br *browser) openAll(tb testing.TB) int {
	tb.Helper()
	results, err := chromedp.Run(br.ctx, chromedp.Evaluate[[]opened](openEvery))
	if err != nil {
		tb.Fatalf("chromium: %v", err)
	}
	if len(results) == 0 {
		tb.Fatal("the page has no citation link")
	}
	supported := 0
	for _, r := range results {
		switch {
		case !r.Shown:
			tb.Errorf("citation %s: its panel %q did not open", r.Label, r.Panel)
		case r.Doubt:
			// a flagged claim: the panel says so and shows the nearest sentences
		case r.English == "" || r.French == "":
			tb.Errorf("citation %s: English %q, French %q: the panel must show both", r.Label, r.English, r.French)
		case r.Target == "" || !r.Highlighted:
			tb.Errorf("citation %s: its sentence %q is missing or not highlighted", r.Label, r.Target)
		default:
			supported++
		}
	}
	if supported == 0 {
		tb.Error("no citation opened a supported, highlighted sentence")
	}
	br.mu.Lock()
	if len(br.errs) > 0 {
		tb.Errorf("console errors: %v", br.errs)
	}
	br.mu.Unlock()
	return len(results)
}

func auditInBrowser(t *testing.T, page, eng string) {
	br := newBrowser(t)
	start := time.Now()
	br.open(t, page)
	n := br.openAll(t)
	// A person's way: a real click on the first citation, then on its
	// "read it in the article" link, which scrolls to the sentence.
	if err := chromedp.Do(br.ctx, chromedp.Click(chromedp.CSS("a.cite")), chromedp.WaitVisible(chromedp.CSS(".panel:not([hidden])"))); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	shot, err := chromedp.Run(br.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	if err := chromedp.Do(br.ctx, chromedp.Click(chromedp.CSS(".panel:not([hidden]) a.go"))); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	target, err := chromedp.Run(br.ctx, chromedp.Evaluate[string](`(document.querySelector(":target")||{}).id||""`))
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	t.Logf("%s engine: %d citations opened in %v", eng, n, time.Since(start).Round(time.Millisecond))
	if target == "" || !strings.Contains(target, "-s") {
		t.Errorf("following the first citation into its article reached %q, not a sentence", target)
	}
	name := "briefing-" + eng + ".png"
	if err := os.WriteFile(filepath.Join(t.ArtifactDir(), name), shot, 0o644); err != nil {
		t.Error(err)
	}
	if dir := os.Getenv("DEPECHE_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), shot, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// BenchmarkBriefingPage200 opens the briefing.html of a 200-article run
// (genArticles through the fake model) in headless Chromium: an op is one
// load, from navigation to the page's end being ready; before timing,
// every citation is opened and checked as TestBriefingAudit does.
func BenchmarkBriefingPage200(b *testing.B) {
	br := newBrowser(b)
	dir := b.TempDir()
	src, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	genArticles(b, src, 200)
	srv := llmtest.New(b, llmtest.Model().Handle)
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(llmConfig(srv.URL(), out, "  concurrency: 8\n  context_tokens: 16384\n")), 0o644); err != nil {
		b.Fatal(err)
	}
	depecheRun(b, "run", src, "--config", cfg, "-q")
	page := filepath.Join(out, "briefing.html")
	info, err := os.Stat(page)
	if err != nil {
		b.Fatal(err)
	}
	br.open(b, page)
	cites := br.openAll(b)
	b.ResetTimer()
	for b.Loop() {
		br.open(b, page)
	}
	b.ReportMetric(float64(info.Size())/1e6, "MB")
	b.ReportMetric(float64(cites), "citations")
}

// TestBriefVerifyModel: with brief.verify: model the run asks the endpoint
// its support questions (stage brief-verify), counts them in the manifest,
// and a rerun takes them from the cache; brief.html: false writes no page.
func TestBriefVerifyModel(t *testing.T) {
	srv := llmtest.New(t, llmtest.Model().Handle)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cfg := writeConfig(t, dir, llmConfig(srv.URL(), out, "")+"brief:\n  verify: model\n  html: false\n")
	stats := func() briefing.CitationStats {
		t.Helper()
		if r := depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q"); r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		var m struct {
			Briefing struct {
				Citations briefing.CitationStats `json:"citation_stats"`
			}
		}
		data, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		return m.Briefing.Citations
	}
	first := stats()
	asked := 0
	for _, c := range srv.Calls() {
		if c.Stage == "brief-verify" {
			asked++
		}
	}
	if first.Verify != "model" || first.Judgments == 0 || first.JudgeRequests != asked || asked == 0 {
		t.Errorf("citation stats %+v, %d brief-verify requests seen", first, asked)
	}
	if _, err := os.Stat(filepath.Join(out, "briefing.html")); err == nil {
		t.Error("brief.html: false, and briefing.html was written")
	}
	again := stats()
	if again.JudgeRequests != 0 || again.JudgeCached == 0 || again.Judgments != first.Judgments {
		t.Errorf("rerun: %+v: want every judgment from the cache", again)
	}
}
