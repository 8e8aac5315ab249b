package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/depeche-news/depeche/pipeline/config"
	"github.com/depeche-news/depeche/pipeline/engine"
	"github.com/depeche-news/depeche/pipeline/engine/llmengine"
	"github.com/depeche-news/depeche/pipeline/engine/offline"
	"github.com/depeche-news/depeche/pipeline/glossary"
	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/news"
)

// engineSettings are what building an engine needs besides the configuration.
type engineSettings struct {
	Config   *config.Config
	APIKey   string // from the environment variable named by llm.api_key_env
	Log      *slog.Logger
	CacheDir string
	Force    bool // ignore cached results (they are still refreshed)
	// NoProbe skips the reachability check (--dry-run sends nothing): auto
	// then assumes the LLM engine, the costlier case to estimate.
	NoProbe bool
	// OnProgress receives streamed completion tokens (progress bar).
	OnProgress func(stage string, tokens int)
	// OnEvent receives each request's attempts and retry waits (progress bar).
	OnEvent func(llm.Event)
}

// probeTimeout is how long auto waits for GET /models before going offline:
// long enough for a local server on a loaded machine, short enough that a
// first `make run` without one does not seem to hang.
const probeTimeout = 2 * time.Second

// selectEngine builds the engine the configuration asks for. For engine
// auto it returns a note to print once when it falls back to the offline
// engine.
func selectEngine(ctx context.Context, s engineSettings) (engine.Engine, string, error) {
	cfg := s.Config
	gl, err := glossary.Load(cfg.Glossary)
	if err != nil {
		return nil, "", &config.Error{Msg: err.Error()}
	}
	switch cfg.Engine {
	case news.EngineOffline:
		e, err := offline.New(offlineEngineConfig(cfg, gl))
		if err != nil {
			return nil, "", err
		}
		return e, e.Note(), nil
	case news.EngineLLM:
		c, err := newClient(cfg, s)
		if err != nil {
			return nil, "", err
		}
		note := ""
		if !s.NoProbe {
			rep, err := llmengine.Probe(ctx, c, cfg, 5*time.Second)
			if errors.Is(err, llmengine.ErrUnreachable) {
				return nil, "", fmt.Errorf("engine llm: %w", err)
			}
			if err != nil {
				return nil, "", err
			}
			note = strings.Join(rep.Notes, "; ")
		}
		e, err := newLLM(cfg, c, gl, s)
		return e, note, err
	}
	// auto
	c, err := newClient(cfg, s)
	if err != nil {
		return nil, "", err
	}
	if s.NoProbe {
		e, err := newLLM(cfg, c, gl, s)
		return e, "", err
	}
	rep, perr := llmengine.Probe(ctx, c, cfg, probeTimeout)
	if perr == nil {
		e, err := newLLM(cfg, c, gl, s)
		return e, strings.Join(rep.Notes, "; "), err
	}
	if ctx.Err() != nil {
		return nil, "", ctx.Err()
	}
	if !errors.Is(perr, llmengine.ErrUnreachable) {
		// The server is there and said no: falling back would hand the
		// user an offline draft for a mistake one line of config fixes.
		return nil, "", perr
	}
	e, err := offline.New(offlineEngineConfig(cfg, gl))
	if err != nil {
		return nil, "", fmt.Errorf("%v, and the offline engine is unavailable: %w", perr, err)
	}
	note := fmt.Sprintf("%v; using the offline engine — set llm.base_url or engine: llm", perr)
	if n := e.Note(); n != "" {
		note += "; " + n
	}
	return e, note, nil
}

// doctor probes the configured endpoints as selectEngine does before a
// run, with a longer wait, for `depeche models`.
func doctor(ctx context.Context, s engineSettings) (*llmengine.Report, error) {
	c, err := newClient(s.Config, s)
	if err != nil {
		return nil, err
	}
	return llmengine.Probe(ctx, c, s.Config, 10*time.Second)
}

func offlineEngineConfig(cfg *config.Config, gl *glossary.Glossary) offline.Config {
	return offline.Config{Glossary: gl, Workers: cfg.Concurrency, Phrases: cfg.Offline.Phrases, Dictionaries: cfg.Offline.Dictionaries}
}

func newClient(cfg *config.Config, s engineSettings) (*llm.Client, error) {
	eps := make([]llm.EndpointConfig, 0, len(cfg.LLM.Endpoints))
	for _, e := range cfg.LLM.Endpoints {
		eps = append(eps, llm.EndpointConfig{BaseURL: e.BaseURL, Model: e.Model, Weight: e.Weight, Concurrency: e.Concurrency})
	}
	if len(eps) == 0 {
		eps = append(eps, llm.EndpointConfig{BaseURL: cfg.LLM.BaseURL, Model: cfg.LLM.Model, Weight: 1, Concurrency: cfg.LLM.Concurrency})
	}
	for i := range eps {
		if eps[i].Model == "" {
			eps[i].Model = cfg.LLM.Model
		}
		if eps[i].Concurrency == 0 {
			eps[i].Concurrency = cfg.LLM.Concurrency
		}
		if eps[i].Weight == 0 {
			eps[i].Weight = 1
		}
	}
	temp := cfg.LLM.Temperature
	return llm.New(llm.Config{
		Endpoints: eps, APIKey: s.APIKey, Timeout: cfg.LLM.Timeout, Temperature: &temp,
		MaxTokens: cfg.LLM.MaxTokens, TokenParam: cfg.LLM.TokenParam, Extra: cfg.LLM.Extra,
		MaxAttempts: cfg.LLM.MaxAttempts, MaxRetryWait: cfg.LLM.MaxRetryWait,
		MaxTotalTokens: cfg.LLM.MaxTotalTokens, Stream: cfg.LLM.Stream, Logger: s.Log,
		OnProgress: s.OnProgress, OnEvent: s.OnEvent, Server: llm.Family(cfg.LLM.Server),
		LimitsFile: limitsFile(s.CacheDir), IgnoreStoredLimits: s.Force,
	})
}

// limitsFile is where the limits learned from the servers are kept between
// runs: beside the cached answers, so deleting the cache forgets them too.
func limitsFile(cacheDir string) string {
	if cacheDir == "" {
		return ""
	}
	return filepath.Join(cacheDir, "limits.json")
}

func newLLM(cfg *config.Config, c *llm.Client, gl *glossary.Glossary, s engineSettings) (*llmengine.Engine, error) {
	return llmengine.New(cfg, c, gl, s.CacheDir, s.Force)
}
