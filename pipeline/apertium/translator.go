// Package apertium translates French to English without a language model:
// through Apertium's fr→es and es→en pairs, in long-lived pipelines, with
// names, glossary terms, numbers and dates protected through both legs.
package apertium

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/news"
)

// TranslatorConfig sets up a Translator.
type TranslatorConfig struct {
	Workers  int                // long-lived pipes; default runtime.NumCPU()
	Glossary *glossary.Glossary // terms substituted and protected; may be nil
	Phrases  *Phrases           // French expressions protected; nil = DefaultPhrases()
	// Dictionaries render the words Apertium does not know, the first that
	// has a word wins; none: they stay in French, counted in
	// Report.Untranslated.
	Dictionaries []*Dictionary
	// Command is the pivot: "apertium" (the default) runs the installed
	// fr-es and spa-eng modes; anything else is a shell command run as is
	// that must speak the same NUL-delimited stream protocol (for tests).
	Command string
}

// Translator renders French in English with Apertium, pivoting through
// Spanish. It keeps Workers pipes running, each serving one request at a
// time, so the 0.2 s start-up is paid once per pipe and not per file. It is
// safe for concurrent use.
type Translator struct {
	rules   rules
	shell   string // the pivot pipeline, see pivotCommand
	workers chan *worker

	mu     sync.Mutex
	closed bool
	all    []*worker
}

// worker owns at most one pipe; nil until first use or after it died.
type worker struct{ p *pipe }

// NewTranslator checks that Apertium and both legs are installed and
// prepares the workers; pipes start on first use.
func NewTranslator(cfg TranslatorConfig) (*Translator, error) {
	if cfg.Command == "" {
		cfg.Command = "apertium"
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.Glossary == nil {
		cfg.Glossary = glossary.New(nil)
	}
	if cfg.Phrases == nil {
		cfg.Phrases = DefaultPhrases()
	}
	if err := Available(cfg.Command); err != nil {
		return nil, err
	}
	shell, err := pivotCommand(cfg.Command)
	if err != nil {
		return nil, err
	}
	t := &Translator{rules: rules{glossary: cfg.Glossary, phrases: cfg.Phrases, dictionaries: cfg.Dictionaries, possessives: true, kinds: cfg.Glossary.Kinds(), postEdit: true, extended: true}, shell: shell, workers: make(chan *worker, cfg.Workers)}
	for i := 0; i < cfg.Workers; i++ {
		w := &worker{}
		t.all = append(t.all, w)
		t.workers <- w
	}
	return t, nil
}

// errClosed is returned by Translate after Close.
var errClosed = errors.New("offline translator closed")

// Report is what a translation noticed besides its text.
type Report struct {
	Warnings     []news.Warning
	Words        int // words of English written
	Untranslated int // of which left in French (or in Spanish) by the pivot
}

// Translate returns the English title and exactly len(paragraphs)
// paragraphs. Blank paragraphs stay blank without a trip through the pipe.
func (t *Translator) Translate(ctx context.Context, title string, paragraphs []string) (string, []string, Report, error) {
	segs := append([]string{title}, paragraphs...)
	next := 0
	art := &article{}
	prot := make([]protected, len(segs))
	var send []string
	var idx []int // segment index of each sent request
	for i, s := range segs {
		if strings.TrimSpace(s) == "" {
			continue
		}
		prot[i] = protect(t.rules, s, &next, art)
		send = append(send, prot[i].stream)
		idx = append(idx, i)
	}
	out := make([]string, len(segs))
	var rep Report
	if len(send) > 0 {
		res, err := t.request(ctx, send)
		if err != nil {
			return "", nil, Report{}, err
		}
		f := &filler{dicts: t.rules.dictionaries}
		us := make([]unmarked, len(res))
		for k := range res {
			us[k] = unmark(res[k], f)
		}
		english := t.translatePending(ctx, f.pending)
		for k, i := range idx {
			text, done := f.fillPending(us[k].text, english)
			out[i] = restore(text, prot[i])
			rep.Untranslated += us[k].untranslated - done
			rep.Words += len(lang.Words(out[i]))
		}
	}
	rep.Warnings = check(segs, out, prot)
	return out[0], out[1:], rep, nil
}

// translatePending sends the Spanish renderings of the words fr-es did not
// know through the pivot, where fr-es passes them on untouched and spa-eng
// translates them: one small request for the whole article. A word that
// comes back unknown, or a failed request, leaves "" (the French stays).
func (t *Translator) translatePending(ctx context.Context, words []pendingWord) []string {
	if len(words) == 0 {
		return nil
	}
	streams := make([]string, len(words))
	for i, w := range words {
		var b strings.Builder
		escape(&b, w.spanish)
		// a sentence each, or the transfer swaps a noun and the adjective
		// of the next request across the marker between them
		b.WriteString(".[]")
		streams[i] = b.String()
	}
	res, err := t.request(ctx, streams)
	if err != nil {
		return nil
	}
	out := make([]string, len(words))
	for i, r := range res {
		r = strings.TrimSpace(r)
		if strings.HasPrefix(r, "**") || strings.Contains(r, "[") && strings.Count(r, "[") > 1 {
			continue // spa-eng does not know it either
		}
		eng := strings.TrimSuffix(strings.TrimSpace(unmark(r, nil).text), ".")
		if eng != "" && unicode.IsLower(firstRune(words[i].french)) {
			// spa-eng capitalises a request's first word
			eng = strings.ToLower(eng[:1]) + eng[1:]
		}
		out[i] = eng
	}
	return out
}

// request translates the streams as one joined unit, or, if the markers
// did not come back in order, one NUL-flushed unit per stream.
func (t *Translator) request(ctx context.Context, streams []string) ([]string, error) {
	res, err := t.run(ctx, []string{joinSegments(streams)})
	if err != nil {
		return nil, err
	}
	if parts, ok := splitOutput(res[0], len(streams)); ok {
		return parts, nil
	}
	return t.run(ctx, streams)
}

// run sends a request through a free worker, restarting its pipe when it
// died and retrying once on a fresh pipe.
func (t *Translator) run(ctx context.Context, segments []string) ([]string, error) {
	var w *worker
	select {
	case w = <-t.workers:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { t.workers <- w }()
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		if w.p == nil {
			if w.p, err = t.start(); err != nil {
				return nil, err
			}
		}
		var res []string
		res, err = w.p.do(ctx, segments)
		if err == nil {
			return res, nil
		}
		w.p.close()
		w.p = nil
		if ctx.Err() != nil || !errors.Is(err, errPipeDead) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("apertium: %w", err)
}

func (t *Translator) start() (*pipe, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, errClosed
	}
	return startPipe(t.shell)
}

// Close waits for requests in flight and stops every pipe, letting each
// finish on end of input for up to two seconds; later calls to Translate
// fail. Safe to call twice.
func (t *Translator) Close() error {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	var wg sync.WaitGroup
	for i := 0; i < len(t.all); i++ {
		w := <-t.workers
		if p := w.p; p != nil {
			wg.Go(func() { p.shutdown(2 * time.Second) })
			w.p = nil
		}
		defer func() { t.workers <- w }()
	}
	wg.Wait()
	return nil
}

// check returns warnings about what the pivot lost: protected names that
// did not come back, and paragraphs that still read as French.
func check(src, out []string, prot []protected) []news.Warning {
	var ws []news.Warning
	for i := range src {
		if out[i] == "" {
			continue
		}
		for _, tok := range prot[i].order {
			sp := prot[i].tokens[tok]
			if sp.pronoun {
				continue
			}
			if !strings.Contains(out[i], strings.TrimPrefix(strings.TrimPrefix(sp.english, "on "), "On ")) {
				ws = append(ws, news.Warning{Code: news.WarnNameMissing, Message: fmt.Sprintf("paragraph %d: %q lost in the pivot", i, sp.english)})
			}
		}
		if len(lang.Words(out[i])) >= 8 && lang.FrenchRatio(out[i]) > 0.2 {
			ws = append(ws, news.Warning{Code: news.WarnStillFrench, Message: fmt.Sprintf("paragraph %d still reads as French", i)})
		}
	}
	return ws
}
