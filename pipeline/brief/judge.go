package brief

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/cite"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
	"github.com/depeche-news/depeche/prompts"
)

// judgeBatch is how many support questions one request asks: enough to
// pay for the instructions once, few enough that a small model keeps count.
const judgeBatch = 12

// judgeSchema is the structured-output schema of a judge's answer.
var judgeSchema = []byte(`{"type":"object","properties":{"answers":{"type":"array","items":{"type":"object",` +
	`"properties":{"id":{"type":"integer"},"supported":{"type":"boolean"}},"required":["id","supported"],` +
	`"additionalProperties":false}}},"required":["answers"],"additionalProperties":false}`)

// ModelJudge asks a model, in batches, whether sentences support claims
// (brief.verify: model). Accepted answers are cached like every other call.
type ModelJudge struct {
	c   *llm.Client
	opt Options // Model, Prompts, Cache, CacheScope, MaxTokens
}

// NewJudge returns a judge that sends its questions through c.
func NewJudge(c *llm.Client, opt Options) *ModelJudge { return &ModelJudge{c: c, opt: opt} }

// Judge implements Judge: the questions go out judgeBatch at a time, all
// batches at once (the client keeps its slots full).
func (j *ModelJudge) Judge(ctx context.Context, qs []cite.Question) ([]bool, news.Stats, error) {
	p, err := j.opt.Prompts.Get("brief-verify")
	if err != nil {
		return nil, news.Stats{}, err
	}
	model := j.opt.Model
	if model == "" {
		model = j.c.Model()
	}
	out := make([]bool, len(qs))
	var mu sync.Mutex
	st := news.Stats{Engine: news.EngineLLM, Model: model, Prompt: p.Version}
	var wg sync.WaitGroup
	var errs []error
	for start := 0; start < len(qs); start += judgeBatch {
		batch := qs[start:min(len(qs), start+judgeBatch)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers, bst, err := j.ask(ctx, p, model, batch)
			mu.Lock()
			defer mu.Unlock()
			st.Requests += bst.Requests
			st.Cached += bst.Cached
			st.Usage = st.Usage.Add(bst.Usage)
			if err != nil {
				errs = append(errs, err)
				return
			}
			copy(out[start:], answers)
		}()
	}
	wg.Wait()
	return out, st, errors.Join(errs...)
}

// ask sends one batch, or takes its answer from the cache.
func (j *ModelJudge) ask(ctx context.Context, p *prompts.Prompt, model string, qs []cite.Question) ([]bool, news.Stats, error) {
	var st news.Stats
	system, user, err := p.Render(struct {
		Count     int
		Questions string
	}{len(qs), renderQuestions(qs)})
	if err != nil {
		return nil, st, err
	}
	key := store.Key("brief-verify", j.opt.CacheScope, model, p.Version, system, user)
	var cached []bool
	if j.opt.Cache.Get(key, &cached) && len(cached) == len(qs) {
		st.Cached = 1
		return cached, st, nil
	}
	req := llm.Request{
		Stage: "brief-verify", Model: j.opt.Model, MaxTokens: j.opt.MaxTokens,
		Messages:   []llm.Message{{Role: "system", Content: system}, {Role: "user", Content: user}},
		JSONSchema: &llm.Schema{Name: "support_judgments", Schema: judgeSchema},
	}
	answers, err := llm.ChatJSON(ctx, j.c, req, &st, func(raw string) ([]bool, error) { return parseAnswers(raw, len(qs)) })
	if err != nil {
		return nil, st, fmt.Errorf("brief-verify: %w", err)
	}
	_ = j.opt.Cache.Put(key, answers) // a lost entry costs a rerun, not this answer
	return answers, st, nil
}

// renderQuestions writes a batch as the prompt carries it.
func renderQuestions(qs []cite.Question) string {
	var w strings.Builder
	for i, q := range qs {
		fmt.Fprintf(&w, "## %d\nClaim: %s\nSentences:\n", i+1, briefing.OneLine(q.Claim))
		for _, s := range q.Sentences {
			fmt.Fprintf(&w, "- %s\n", briefing.OneLine(s))
		}
		w.WriteString("\n")
	}
	return strings.TrimRight(w.String(), "\n")
}

// parseAnswers reads {"answers": [{"id": 1, "supported": true}, …]}, also
// with "yes"/"no" strings or a bare list of booleans; want answers are
// needed, in order or by id.
func parseAnswers(raw string, want int) ([]bool, error) {
	items, err := llm.List(raw, want, "answers", "judgments", "results")
	if err != nil {
		return nil, err
	}
	out := make([]bool, want)
	for i, it := range items {
		id, yes, ok := answer(it)
		if !ok {
			return nil, fmt.Errorf("answer %d is neither yes nor no: %s", i+1, it)
		}
		if id < 1 || id > want {
			id = i + 1
		}
		out[id-1] = yes
	}
	return out, nil
}

func answer(v json.RawMessage) (id int, yes, ok bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(v, &m) != nil {
		yes, ok = truth(v)
		return 0, yes, ok
	}
	if raw, has := m["id"]; has {
		var f float64
		if json.Unmarshal(raw, &f) == nil {
			id = int(f)
		} else {
			var s string
			_ = json.Unmarshal(raw, &s)
			id, _ = strconv.Atoi(s)
		}
	}
	for _, k := range []string{"supported", "support", "answer", "verdict"} {
		if raw, has := m[k]; has {
			yes, ok = truth(raw)
			return id, yes, ok
		}
	}
	return id, false, false
}

func truth(v json.RawMessage) (yes, ok bool) {
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return b, true
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true", "supported":
		return true, true
	case "no", "false", "unsupported", "not supported":
		return false, true
	}
	return false, false
}
