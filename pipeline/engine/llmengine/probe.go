package llmengine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/depeche-news/depeche/pipeline/config"
	"github.com/depeche-news/depeche/pipeline/llm"
)

// ErrUnreachable means no endpoint answered the probe at all: nothing
// listens, or nothing answered in time. It is the only probe failure after
// which engine auto falls back to the offline engine; a server that answers
// and refuses (a wrong key, a wrong path, a model it does not serve) is a
// set-up mistake the user must hear about, not a reason for a draft.
var ErrUnreachable = errors.New("no model server")

// Report is what probing the endpoints found; `depeche models` prints it.
type Report struct {
	Endpoints []EndpointReport `json:"endpoints"`
	Notes     []string         `json:"notes,omitempty"`
}

// EndpointReport is one endpoint's answers.
type EndpointReport struct {
	URL    string       `json:"url"`
	Listed bool         `json:"listed"`          // GET /models answered
	Models []string     `json:"models"`          // what it listed
	Checks []ModelCheck `json:"checks"`          // the configured models sent to it
	Error  string       `json:"error,omitempty"` // why it could not be used
}

// ModelCheck is one configured model at one endpoint.
type ModelCheck struct {
	Keys   []string `json:"keys"` // the settings that name it: llm.model, translate.model, llm.endpoints[1].model
	Model  string   `json:"model"`
	Status string   `json:"status"` // listed, answered (unlisted, but served under that name), not served, not checked
	Near   string   `json:"did_you_mean,omitempty"`
}

// Model check statuses.
const (
	Listed     = "listed"
	Answered   = "answered"
	NotServed  = "not served"
	NotChecked = "not checked"
)

// Probe asks every endpoint of c, once, what it serves, before any file is
// sent: GET /models within listTimeout, then, for a configured model the
// list does not name (or an endpoint that lists nothing), one chat request
// of a single token. It returns ErrUnreachable when no endpoint answered;
// otherwise an error naming each set-up mistake found, one per line:
//
//   - 401/403: the endpoint refused the key: set OPENAI_API_KEY (llm.api_key_env)
//   - 404 on /models and on chat: is llm.base_url missing /v1?
//   - a model neither listed nor answering: model X is not served here; did you mean Y?
func Probe(ctx context.Context, c *llm.Client, cfg *config.Config, listTimeout time.Duration) (*Report, error) {
	rep := &Report{}
	var problems []error
	var down []string
	keyRefused := false
	for i, ep := range c.Endpoints() {
		er := EndpointReport{URL: ep.BaseURL}
		lctx, cancel := context.WithTimeout(ctx, listTimeout)
		ids, err := c.ModelsAt(lctx, i)
		cancel()
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		var ae *llm.APIError
		listStatus := 0
		switch {
		case err == nil:
			er.Listed, er.Models = true, ids
		case !errors.As(err, &ae):
			er.Error = reason(err, listTimeout)
			down = append(down, fmt.Sprintf("%s (%s)", ep.BaseURL, er.Error))
			rep.Endpoints = append(rep.Endpoints, er)
			continue
		case refusesKey(ae.Status):
			er.Error = ae.Error()
			rep.Endpoints = append(rep.Endpoints, er)
			if !keyRefused {
				problems, keyRefused = append(problems, keyError(cfg, ae)), true
			}
			continue
		default:
			listStatus = ae.Status
		}
		for _, m := range sentTo(cfg, i, ep) {
			chk := ModelCheck{Keys: m.keys, Model: m.model}
			if er.Listed && served(ids, m.model) {
				chk.Status = Listed
				er.Checks = append(er.Checks, chk)
				continue
			}
			tctx, cancel := context.WithTimeout(ctx, cfg.LLM.Timeout)
			terr := c.TryModel(tctx, i, m.model)
			cancel()
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			var te *llm.APIError
			switch {
			case terr == nil:
				chk.Status = Answered
			case !errors.As(terr, &te):
				chk.Status = NotChecked // slow to load the model, or gone: the requests will say
			case refusesKey(te.Status):
				chk.Status = NotChecked
				if !keyRefused {
					problems, keyRefused = append(problems, keyError(cfg, te)), true
				}
			case listStatus == http.StatusNotFound && te.Status == http.StatusNotFound && !modelNotFound(te.Message):
				er.Error = te.Error()
				problems = append(problems, fmt.Errorf("%s answered 404 to GET /models and to a chat request: %s", ep.BaseURL, pathHint(ep.BaseURL)))
			case te.Status == http.StatusTooManyRequests || te.Status >= 500:
				chk.Status = NotChecked // busy or failing now: the requests will retry
			case te.Status == http.StatusNotFound || modelNotFound(te.Message):
				chk.Status, chk.Near = NotServed, near(m.model, ids)
				msg := fmt.Sprintf("%s: model %s is not served here (%s)", strings.Join(m.keys, ", "), m.model, ep.BaseURL)
				if chk.Near != "" {
					msg += fmt.Sprintf("; did you mean %s?", chk.Near)
				}
				problems = append(problems, errors.New(msg))
			default:
				chk.Status = Answered // it knows the model; this request's own error is for the real ones to report
			}
			er.Checks = append(er.Checks, chk)
			if er.Error != "" {
				break
			}
		}
		if !er.Listed && er.Error == "" && listStatus != 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s does not list its models (GET /models: HTTP %d); model names checked by one request each", ep.BaseURL, listStatus))
		}
		rep.Endpoints = append(rep.Endpoints, er)
	}
	if len(down) == len(rep.Endpoints) && len(down) > 0 {
		return rep, fmt.Errorf("%w at %s", ErrUnreachable, strings.Join(down, ", "))
	}
	if len(down) > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("no answer from %s: the other endpoints take its share", strings.Join(down, ", ")))
	}
	return rep, errors.Join(problems...)
}

func refusesKey(status int) bool {
	return status == http.StatusUnauthorized || status == http.StatusForbidden
}

// keyError names the variable to set, never the key.
func keyError(cfg *config.Config, ae *llm.APIError) error {
	state := "it holds a key the endpoint does not accept"
	if cfg.APIKey(os.Getenv) == "" {
		state = "it is not set"
	}
	return fmt.Errorf("the endpoint refused the key: set %s (llm.api_key_env); %s (%s)", cfg.LLM.APIKeyEnv, state, ae.Error())
}

func pathHint(base string) string {
	if strings.HasSuffix(strings.TrimRight(base, "/"), "/v1") {
		return "is llm.base_url the server's OpenAI-compatible path?"
	}
	return "is llm.base_url missing /v1?"
}

// modelNotFoundRe is how servers word "no such model" when they do not
// answer 404: LM Studio, llama.cpp's router, LiteLLM and others.
var modelNotFoundRe = regexp.MustCompile(`(?i)model.{0,200}(not found|does not exist|not available|no such)|(unknown|invalid) model`)

func modelNotFound(msg string) bool { return modelNotFoundRe.MatchString(msg) }

// served reports whether a listed model answers to name; Ollama lists
// "mistral-small:latest" and serves it as "mistral-small".
func served(ids []string, name string) bool {
	return slices.Contains(ids, name) || slices.Contains(ids, name+":latest") ||
		(strings.HasSuffix(name, ":latest") && slices.Contains(ids, strings.TrimSuffix(name, ":latest")))
}

// near suggests the listed model closest to name.
func near(name string, ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	low := make([]string, len(ids))
	for i, id := range ids {
		low[i] = strings.ToLower(id)
	}
	best := config.Nearest(strings.ToLower(name), low)
	return ids[slices.Index(low, best)]
}

type sent struct {
	model string
	keys  []string
}

// sentTo lists the distinct models requests to endpoint i will name, with
// the settings that name them: each stage's own model, else the endpoint's.
func sentTo(cfg *config.Config, i int, ep llm.EndpointConfig) []sent {
	own := "llm.model"
	if len(cfg.LLM.Endpoints) > 0 && cfg.LLM.Endpoints[i].Model != "" {
		own = fmt.Sprintf("llm.endpoints[%d].model", i)
	}
	var out []sent
	add := func(model, key string) {
		for k := range out {
			if out[k].model == model {
				if !slices.Contains(out[k].keys, key) {
					out[k].keys = append(out[k].keys, key)
				}
				return
			}
		}
		out = append(out, sent{model, []string{key}})
	}
	for _, st := range []struct{ key, model string }{
		{"translate.model", cfg.Translate.Model}, {"summarize.model", cfg.Summarize.Model}, {"brief.model", cfg.Brief.Model},
	} {
		if st.model != "" {
			add(st.model, st.key)
		} else {
			add(ep.Model, own)
		}
	}
	return out
}

// reason says in a few words why nothing answered.
func reason(err error, timeout time.Duration) string {
	if errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "timeout") {
		return fmt.Sprintf("no answer within %s", timeout)
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}
