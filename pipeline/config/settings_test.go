package config

import (
	"errors"
	"strings"
	"testing"
)

// distinctiveKey is longer than the 40 characters an error message quotes,
// so a redaction applied after cutting would leak its start.
const distinctiveKey = "sk-test-DISTINCTIVE-7f3a9c1e5b-0123456789abcdefghijklmnopqrstuvwxyz"

func TestSettingsNeverShowTheKey(t *testing.T) {
	isolate(t)
	tests := []struct {
		name    string
		file    string
		env     env
		apiRow  string            // value of the llm.api_key row
		rows    map[string]string // other rows to check: key → value
		secrets []string          // strings no row may contain
	}{
		{
			name:   "key set",
			env:    env{"OPENAI_API_KEY": distinctiveKey},
			apiRow: "set (from OPENAI_API_KEY)",
			rows:   map[string]string{"llm.api_key_env": "OPENAI_API_KEY"},
		},
		{
			name:   "key unset",
			env:    env{},
			apiRow: "unset (OPENAI_API_KEY is empty)",
		},
		{
			name:   "key in another variable",
			env:    env{"DEPECHE_LLM_API_KEY_ENV": "MY_KEY", "MY_KEY": distinctiveKey, "OPENAI_API_KEY": "other"},
			apiRow: "set (from MY_KEY)",
		},
		{
			name:   "key pasted into other values",
			env:    env{"OPENAI_API_KEY": distinctiveKey, "DEPECHE_BRIEF_FOCUS": distinctiveKey, "DEPECHE_LLM_EXTRA": `{"api_key":"` + distinctiveKey + `"}`},
			apiRow: "set (from OPENAI_API_KEY)",
			rows:   map[string]string{"brief.focus": keyLike, "llm.extra": keyLike},
		},
		{
			name:    "key pasted into api_key_env",
			file:    "testdata/pasted-key.yaml",
			env:     env{"OPENAI_API_KEY": distinctiveKey},
			apiRow:  "unset (llm.api_key_env is not a variable name)",
			rows:    map[string]string{"llm.api_key_env": keyLike},
			secrets: []string{"sk-pasted-0123456789abcdef"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, src, warn, err := load(t, tt.file, tt.env, nil)
			if err != nil {
				t.Fatal(err)
			}
			secrets := append([]string{distinctiveKey}, tt.secrets...)
			settings := src.Settings(cfg, tt.env.getenv)
			got := map[string]string{}
			for _, s := range settings {
				got[s.Key] = s.Value
				for _, k := range secrets {
					if strings.Contains(s.Key+s.Value+s.Source, k) {
						t.Errorf("row %s shows a secret: %q (%s)", s.Key, s.Value, s.Source)
					}
				}
			}
			for _, k := range secrets {
				if strings.Contains(warn, k) {
					t.Errorf("warnings show a secret: %s", warn)
				}
				if err := cfg.Validate(false); err != nil && strings.Contains(err.Error(), k) {
					t.Errorf("Validate shows a secret: %v", err)
				}
			}
			if got["llm.api_key"] != tt.apiRow {
				t.Errorf("llm.api_key = %q, want %q", got["llm.api_key"], tt.apiRow)
			}
			for k, v := range tt.rows {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

// A key pasted where a number belongs must not come back in the error.
func TestLoadErrorRedactsKey(t *testing.T) {
	isolate(t)
	e := env{"OPENAI_API_KEY": distinctiveKey, "DEPECHE_LLM_TEMPERATURE": distinctiveKey}
	_, _, _, err := load(t, "", e, nil)
	var ce *Error
	if !errors.As(err, &ce) || !strings.Contains(ce.Msg, "llm.temperature") {
		t.Fatalf("err = %v, want an *Error naming llm.temperature", err)
	}
	if strings.Contains(ce.Msg, distinctiveKey[:20]) {
		t.Errorf("error shows the key: %s", ce.Msg)
	}
}

// Settings lists every key once, in config.yaml order, with the synthetic
// llm.api_key row right after llm.api_key_env.
func TestSettingsOrder(t *testing.T) {
	isolate(t)
	cfg, src, _, err := load(t, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, s := range src.Settings(cfg, env{}.getenv) {
		keys = append(keys, s.Key)
	}
	want := []string{
		"input", "output", "engine", "concurrency", "max_file_size", "follow_symlinks", "cache_dir", "glossary", "prompts.dir",
		"llm.base_url", "llm.model", "llm.api_key_env", "llm.api_key", "llm.timeout", "llm.temperature",
		"llm.max_tokens", "llm.token_param", "llm.concurrency", "llm.context_tokens", "llm.max_attempts",
		"llm.max_retry_wait", "llm.max_total_tokens", "llm.stream", "llm.server", "llm.extra", "llm.endpoints",
		"translate.model", "translate.max_attempts", "translate.review", "summarize.model",
		"brief.model", "brief.max_words", "brief.focus", "brief.max_stories", "brief.story_words", "brief.verify", "brief.unsupported", "brief.html", "clean.drop", "clean.keep", "clean.body",
		"offline.phrases", "offline.dictionaries",
	}
	if strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Errorf("keys:\n%v\nwant:\n%v", keys, want)
	}
}

func TestSettingsMaskURLPassword(t *testing.T) {
	isolate(t)
	e := env{"DEPECHE_LLM_BASE_URL": "https://user:hunter2@proxy.example/v1",
		"DEPECHE_LLM_ENDPOINTS": `[{"base_url":"http://u:hunter2@gpu1:8000/v1"}]`}
	cfg, src, _, err := load(t, "", e, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range src.Settings(cfg, e.getenv) {
		if strings.Contains(s.Value, "hunter2") {
			t.Errorf("%s shows the password: %s", s.Key, s.Value)
		}
	}
	if cfg.LLM.BaseURL != "https://user:hunter2@proxy.example/v1" {
		t.Errorf("the Config itself must keep the real URL, got %q", cfg.LLM.BaseURL)
	}
}
