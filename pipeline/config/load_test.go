package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// env is an injected environment.
type env map[string]string

func (e env) getenv(k string) string { return e[k] }

func (e env) environ() []string {
	out := []string{"PATH=/usr/bin"} // never nil, so os.Environ() is not used
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}

// isolate keeps the real user config dir out of the test.
func isolate(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
}

var flagKeys = map[string]string{
	"model": "llm.model", "base-url": "llm.base_url", "concurrency": "llm.concurrency", "out": "output",
}

func newFlags(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	fs.String("model", "", "")
	fs.String("base-url", "", "")
	fs.Int("concurrency", 0, "")
	fs.String("out", "", "")
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs
}

func load(t *testing.T, file string, e env, flags *pflag.FlagSet) (*Config, *Sources, string, error) {
	t.Helper()
	var warn bytes.Buffer
	cfg, src, err := Load(Options{
		File: file, Flags: flags, FlagKeys: flagKeys,
		Getenv: e.getenv, Environ: e.environ(), Warn: &warn,
	})
	return cfg, src, warn.String(), err
}

// settingMap indexes Settings by key.
func settingMap(src *Sources, cfg *Config, e env) map[string]Setting {
	m := map[string]Setting{}
	for _, s := range src.Settings(cfg, e.getenv) {
		m[s.Key] = s
	}
	return m
}

func TestLoadPrecedence(t *testing.T) {
	isolate(t)
	const file = "testdata/override.yaml"
	type want struct{ value, source string }
	tests := []struct {
		name  string
		file  string
		env   env
		flags []string
		want  map[string]want
	}{
		{
			name: "defaults when no file",
			want: map[string]want{
				"input":              {"seeds", "default"},
				"llm.model":          {"mistral-small", "default"},
				"llm.concurrency":    {"4", "default"},
				"llm.timeout":        {"2m0s", "default"},
				"max_file_size":      {"10MB", "default"},
				"brief.max_words":    {"600", "default"},
				"llm.extra":          {"{}", "default"},
				"clean.drop":         {"[]", "default"},
				"glossary":           {`""`, "default (glossary.yaml not found, none used)"},
				"llm.max_retry_wait": {"5m0s", "default"},
			},
		},
		{
			name: "file overrides defaults",
			file: file,
			want: map[string]want{
				"input":           {"articles", "file " + file},
				"llm.model":       {"file-model", "file " + file},
				"llm.concurrency": {"2", "file " + file},
				"llm.timeout":     {"30s", "file " + file},
				"max_file_size":   {"512KB", "file " + file},
				"brief.focus":     {"économie", "file " + file},
				"brief.max_words": {"600", "default"},
				"llm.base_url":    {"http://localhost:11434/v1", "default"},
				"llm.extra":       {`{"options":{"num_ctx":8192},"topK":5}`, "file " + file},
				"llm.endpoints": {`[{"base_url":"http://gpu1:8000/v1","weight":2},{"base_url":"http://gpu2:8000/v1","model":"other","concurrency":8}]`,
					"file " + file},
				"clean.drop": {`["^Lire aussi","a{1,3}"]`, "file " + file},
			},
		},
		{
			name: "env overrides file, also for keys the file leaves out",
			file: file,
			env: env{
				"DEPECHE_LLM_MODEL":       "env-model",
				"DEPECHE_LLM_CONCURRENCY": "7",
				"DEPECHE_BRIEF_MAX_WORDS": "800",
				"DEPECHE_LLM_EXTRA":       `{"repeatPenalty": 1.1}`,
				"DEPECHE_CLEAN_KEEP":      `^Par [A-Z]\w{1,20},`,
				"DEPECHE_LLM_STREAM":      "true",
			},
			want: map[string]want{
				"llm.model":       {"env-model", "env DEPECHE_LLM_MODEL"},
				"llm.concurrency": {"7", "env DEPECHE_LLM_CONCURRENCY"},
				"brief.max_words": {"800", "env DEPECHE_BRIEF_MAX_WORDS"},
				"llm.extra":       {`{"repeatPenalty":1.1}`, "env DEPECHE_LLM_EXTRA"},
				"clean.keep":      {`["^Par [A-Z]\\w{1,20},"]`, "env DEPECHE_CLEAN_KEEP"},
				"llm.stream":      {"true", "env DEPECHE_LLM_STREAM"},
				"input":           {"articles", "file " + file},
			},
		},
		{
			name:  "changed flags override env; unchanged flags don't",
			file:  file,
			env:   env{"DEPECHE_LLM_MODEL": "env-model", "DEPECHE_LLM_CONCURRENCY": "7", "DEPECHE_OUTPUT": "env-out"},
			flags: []string{"--model", "flag-model", "--base-url", "http://flag:1234/v1"},
			want: map[string]want{
				"llm.model":       {"flag-model", "flag --model"},
				"llm.base_url":    {"http://flag:1234/v1", "flag --base-url"},
				"llm.concurrency": {"7", "env DEPECHE_LLM_CONCURRENCY"},
				"output":          {"env-out", "env DEPECHE_OUTPUT"},
			},
		},
		{
			name:  "a flag set to its zero value still wins",
			env:   env{"DEPECHE_LLM_CONCURRENCY": "7"},
			flags: []string{"--concurrency", "0"},
			want:  map[string]want{"llm.concurrency": {"0", "flag --concurrency"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, src, warn, err := load(t, tt.file, tt.env, newFlags(t, tt.flags...))
			if err != nil {
				t.Fatal(err)
			}
			if warn != "" {
				t.Errorf("unexpected warnings:\n%s", warn)
			}
			got := settingMap(src, cfg, tt.env)
			for key, w := range tt.want {
				if g := got[key]; g.Value != w.value || g.Source != w.source {
					t.Errorf("%s = %q (%s), want %q (%s)", key, g.Value, g.Source, w.value, w.source)
				}
			}
		})
	}
}

// TestLoadTypedFields checks the decoded Go values, not only their listing.
func TestLoadTypedFields(t *testing.T) {
	isolate(t)
	cfg, _, _, err := load(t, "testdata/override.yaml", env{"DEPECHE_LLM_MAX_RETRY_WAIT": "90s"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LLM.Timeout != 30*time.Second || cfg.LLM.MaxRetryWait != 90*time.Second {
		t.Errorf("durations: timeout %v, max_retry_wait %v", cfg.LLM.Timeout, cfg.LLM.MaxRetryWait)
	}
	if cfg.MaxFileSize != 512<<10 {
		t.Errorf("max_file_size = %d", cfg.MaxFileSize)
	}
	wantEps := []Endpoint{{BaseURL: "http://gpu1:8000/v1", Weight: 2}, {BaseURL: "http://gpu2:8000/v1", Model: "other", Concurrency: 8}}
	if !reflect.DeepEqual(cfg.LLM.Endpoints, wantEps) {
		t.Errorf("endpoints = %+v", cfg.LLM.Endpoints)
	}
	// extra keeps the case of its fields: servers' JSON fields are case-sensitive
	if _, ok := cfg.LLM.Extra["topK"]; !ok {
		t.Errorf("extra lost the case of topK: %v", cfg.LLM.Extra)
	}
	if got := cfg.StageModel("translate"); got != "file-model" {
		t.Errorf("StageModel(translate) = %q, want llm.model", got)
	}
	cfg.Brief.Model = "strong"
	if got := cfg.StageModel("brief"); got != "strong" {
		t.Errorf("StageModel(brief) = %q, want the override", got)
	}
}

func TestLoadWarnings(t *testing.T) {
	isolate(t)
	tests := []struct {
		name string
		file string
		env  env
		want []string
	}{
		{
			name: "unknown file keys name the nearest valid key",
			file: "testdata/typo.yaml",
			want: []string{
				`testdata/typo.yaml: unknown key "llm.modle" (did you mean "llm.model"?)`,
				`testdata/typo.yaml: "prompts" is a section, not a value (did you mean "prompts.dir"?)`,
				`testdata/typo.yaml: unknown key "translte.model" (did you mean "translate.model"?)`,
			},
		},
		{
			name: "unknown DEPECHE_ variables",
			env:  env{"DEPECHE_LLM_MODLE": "x", "DEPECHE_LLM_MODEL": "y"},
			want: []string{"environment: unknown variable DEPECHE_LLM_MODLE (did you mean DEPECHE_LLM_MODEL?)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, warn, err := load(t, tt.file, tt.env, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Split(strings.TrimSpace(warn), "\n")
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
	// keys are case-insensitive, like viper's
	cfg, _, _, err := load(t, "testdata/typo.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Brief.MaxWords != 700 {
		t.Errorf("Brief.Max_Words: got %d, want 700", cfg.Brief.MaxWords)
	}
}

func TestLoadErrors(t *testing.T) {
	isolate(t)
	tests := []struct {
		name string
		file string
		env  env
		want []string // substrings of the one-line message
	}{
		{"bad integer from env", "", env{"DEPECHE_LLM_CONCURRENCY": "four"},
			[]string{"llm.concurrency", "env DEPECHE_LLM_CONCURRENCY", `"four"`, "whole number"}},
		{"fractional integer", "", env{"DEPECHE_BRIEF_MAX_WORDS": "600.5"}, []string{"brief.max_words", "whole number"}},
		{"bare number as duration", "testdata/badtype.yaml", nil,
			[]string{"llm.timeout", "file testdata/badtype.yaml", "duration like 120s"}},
		{"bad size", "", env{"DEPECHE_MAX_FILE_SIZE": "10XB"}, []string{"max_file_size", "10MB"}},
		{"bad bool", "", env{"DEPECHE_LLM_STREAM": "maybe"}, []string{"llm.stream", "true or false"}},
		{"extra not an object", "", env{"DEPECHE_LLM_EXTRA": "num_ctx"}, []string{"DEPECHE_LLM_EXTRA", "JSON object"}},
		{"missing --config file", "testdata/nope.yaml", nil, []string{"config file testdata/nope.yaml", "no such file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := load(t, tt.file, tt.env, nil)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if strings.Contains(ce.Msg, "\n") {
				t.Errorf("message is not one line: %q", ce.Msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(ce.Msg, w) {
					t.Errorf("message %q lacks %q", ce.Msg, w)
				}
			}
		})
	}
}

func TestLoadUserConfigDir(t *testing.T) {
	isolate(t)
	dir := os.Getenv("XDG_CONFIG_HOME")
	p := filepath.Join(dir, "depeche", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("llm:\n  model: from-user-dir\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, src, _, err := load(t, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LLM.Model != "from-user-dir" || src.File() != p {
		t.Errorf("model %q from %q, want from-user-dir from %s", cfg.LLM.Model, src.File(), p)
	}
}

// TestShippedConfig keeps the documented config.yaml and Defaults in sync:
// it loads without warnings, sets every key, comments every value, and
// yields exactly the defaults.
func TestShippedConfig(t *testing.T) {
	isolate(t)
	const shipped = "../../config.yaml"
	cfg, src, warn, err := load(t, shipped, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if warn != "" {
		t.Errorf("%s warns:\n%s", shipped, warn)
	}
	def, _, _, err := load(t, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, def) {
		t.Errorf("%s differs from the defaults:\n got %+v\nwant %+v", shipped, cfg, def)
	}
	want := Defaults()
	want.Glossary = "" // the default glossary.yaml is absent from this package's folder
	if !reflect.DeepEqual(def, want) {
		t.Errorf("Load without a file differs from Defaults():\n got %+v\nwant %+v", def, want)
	}
	for _, s := range src.Settings(cfg, nil) {
		if s.Key != "llm.api_key" && !strings.HasPrefix(s.Source, "file "+shipped) {
			t.Errorf("%s is missing from %s (source %s)", s.Key, shipped, s.Source)
		}
	}
	data, err := os.ReadFile(shipped)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(data), "\n") {
		s := strings.TrimSpace(line)
		if s == "" || strings.HasPrefix(s, "#") || strings.HasSuffix(s, ":") {
			continue
		}
		if !strings.Contains(line, " # ") {
			t.Errorf("%s line %d has no comment: %s", shipped, i+1, line)
		}
	}
}
