package config

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	isolate(t)
	tests := []struct {
		name  string
		edit  func(c *Config)
		input bool
		want  []string // substrings of the message; nil = valid
	}{
		{"defaults are valid", func(c *Config) {}, false, nil},
		{"negative concurrency", func(c *Config) { c.Concurrency = -1 }, false, []string{"concurrency", "-1"}},
		{"zero llm.concurrency", func(c *Config) { c.LLM.Concurrency = 0 }, false, []string{"llm.concurrency", "0"}},
		{"zero context_tokens", func(c *Config) { c.LLM.ContextTokens = 0 }, false, []string{"llm.context_tokens", "0"}},
		{"negative max_tokens", func(c *Config) { c.LLM.MaxTokens = -5 }, false, []string{"llm.max_tokens", "-5"}},
		{"unknown server family", func(c *Config) { c.LLM.Server = "tgi" }, false, []string{"llm.server", `"tgi"`}},
		{"server family", func(c *Config) { c.LLM.Server = "llama.cpp" }, false, nil},
		{"zero max_attempts", func(c *Config) { c.LLM.MaxAttempts = 0 }, false, []string{"llm.max_attempts"}},
		{"zero translate.max_attempts", func(c *Config) { c.Translate.MaxAttempts = 0 }, false, []string{"translate.max_attempts"}},
		{"zero file size", func(c *Config) { c.MaxFileSize = 0 }, false, []string{"max_file_size"}},
		{"negative budget", func(c *Config) { c.LLM.MaxTotalTokens = -1 }, false, []string{"llm.max_total_tokens", "-1"}},
		{"zero timeout", func(c *Config) { c.LLM.Timeout = 0 }, false, []string{"llm.timeout"}},
		{"context too small for max_tokens", func(c *Config) { c.LLM.ContextTokens = 2048 }, false,
			[]string{"llm.context_tokens (2048)", "llm.max_tokens (2048) + 256"}},
		{"context just large enough", func(c *Config) { c.LLM.ContextTokens = 2048 + 256 }, false, nil},
		{"unknown engine", func(c *Config) { c.Engine = "gpt" }, false, []string{"engine", `"gpt"`, "auto, llm or offline"}},
		{"unknown token_param", func(c *Config) { c.LLM.TokenParam = "max" }, false, []string{"llm.token_param", `"max"`}},
		{"base_url not a URL", func(c *Config) { c.LLM.BaseURL = "localhost:11434" }, false, []string{"llm.base_url", "http(s) URL"}},
		{"base_url relative", func(c *Config) { c.LLM.BaseURL = "/v1" }, false, []string{"llm.base_url", `"/v1"`}},
		{"base_url ftp", func(c *Config) { c.LLM.BaseURL = "ftp://host/v1" }, false, []string{"llm.base_url"}},
		{"base_url password masked", func(c *Config) { c.LLM.BaseURL = "ftp://u:hunter2@host/v1" }, false, []string{"llm.base_url", "u:xxxxx@host"}},
		{"https base_url", func(c *Config) { c.LLM.BaseURL = "https://api.openai.com/v1" }, false, nil},
		{"endpoint without base_url", func(c *Config) { c.LLM.Endpoints = []Endpoint{{Model: "m"}} }, false,
			[]string{"llm.endpoints[0]", "base_url is required"}},
		{"endpoint bad base_url", func(c *Config) {
			c.LLM.Endpoints = []Endpoint{{BaseURL: "http://a/v1"}, {BaseURL: "gpu2:8000"}}
		}, false, []string{"llm.endpoints[1].base_url"}},
		{"endpoint negative weight", func(c *Config) { c.LLM.Endpoints = []Endpoint{{BaseURL: "http://a/v1", Weight: -1}} }, false,
			[]string{"llm.endpoints[0].weight", "-1"}},
		{"endpoint negative concurrency", func(c *Config) {
			c.LLM.Endpoints = []Endpoint{{BaseURL: "http://a/v1", Concurrency: -2}}
		}, false, []string{"llm.endpoints[0].concurrency", "-2"}},
		{"temperature too high", func(c *Config) { c.LLM.Temperature = 2.5 }, false, []string{"llm.temperature", "2.5"}},
		{"temperature negative", func(c *Config) { c.LLM.Temperature = -0.1 }, false, []string{"llm.temperature"}},
		{"temperature 2 allowed", func(c *Config) { c.LLM.Temperature = 2 }, false, nil},
		{"max_words too low", func(c *Config) { c.Brief.MaxWords = 49 }, false, []string{"brief.max_words", "49"}},
		{"no story section", func(c *Config) { c.Brief.MaxStories = 0 }, false, []string{"brief.max_stories", "0"}},
		{"story_words too low", func(c *Config) { c.Brief.StoryWords = 20 }, false, []string{"brief.story_words", "20"}},
		{"unknown verify mode", func(c *Config) { c.Brief.Verify = "trust" }, false, []string{"brief.verify", "trust"}},
		{"unknown unsupported policy", func(c *Config) { c.Brief.Unsupported = "hide" }, false, []string{"brief.unsupported", "hide"}},
		{"bad drop regexp", func(c *Config) { c.Clean.Drop = []string{"^ok$", "Lire (aussi"} }, false,
			[]string{"clean.drop", `"Lire (aussi"`}},
		{"bad keep regexp", func(c *Config) { c.Clean.Keep = []string{"[a-"} }, false, []string{"clean.keep", `"[a-"`}},
		{"missing input checked", func(c *Config) { c.Input = "testdata/no-such-folder" }, true,
			[]string{"input testdata/no-such-folder", "no such file"}},
		{"missing input not checked", func(c *Config) { c.Input = "testdata/no-such-folder" }, false, nil},
		{"existing input", func(c *Config) { c.Input = "testdata" }, true, nil},
		{"missing prompts.dir", func(c *Config) { c.Prompts.Dir = "testdata/no-prompts" }, false, []string{"prompts.dir testdata/no-prompts"}},
		{"prompts.dir is a file", func(c *Config) { c.Prompts.Dir = "testdata/typo.yaml" }, false, []string{"prompts.dir", "not a folder"}},
		{"existing prompts.dir", func(c *Config) { c.Prompts.Dir = "testdata" }, false, nil},
		{"explicit glossary missing", func(c *Config) { c.Glossary = "testdata/none.csv" }, false, []string{"glossary testdata/none.csv"}},
		{"explicit glossary present", func(c *Config) { c.Glossary = "testdata/glossary.csv" }, false, nil},
		{"offline phrases missing", func(c *Config) { c.Offline.Phrases = "testdata/none.txt" }, false, []string{"offline.phrases testdata/none.txt"}},
		{"offline dictionary missing", func(c *Config) { c.Offline.Dictionaries = []string{"testdata/freedict-fra-eng"} }, false, []string{"offline.dictionaries testdata/freedict-fra-eng", "freedict-fra-eng.index"}},
		{"offline dictionary of another language", func(c *Config) { c.Offline.Dictionaries = []string{"testdata/fra-deu"} }, false, []string{"offline.dictionaries testdata/fra-deu", "-eng"}},
		{"default dictionaries may be absent", func(c *Config) { c.Offline.Dictionaries = DefaultDictionaries }, false, nil},
		{"api_key_env holds a key", func(c *Config) { c.LLM.APIKeyEnv = "sk-proj-abcdef0123456789" }, false,
			[]string{"llm.api_key_env", "NAME"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Defaults()
			c.Glossary = ""
			tt.edit(c)
			err := c.Validate(tt.input)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *Error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(ce.Msg, w) {
					t.Errorf("message %q lacks %q", ce.Msg, w)
				}
			}
			if strings.Contains(ce.Msg, "\n") || strings.Contains(ce.Msg, "sk-proj") || strings.Contains(ce.Msg, "hunter2") {
				t.Errorf("message is not one clean line: %q", ce.Msg)
			}
		})
	}
}

// TestValidateLoadedGlossary: the default glossary may be absent, a chosen
// one may not.
func TestValidateLoadedGlossary(t *testing.T) {
	isolate(t)
	cfg, _, _, err := load(t, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(false); err != nil {
		t.Errorf("default config without glossary.yaml: %v", err)
	}
	cfg, _, _, err = load(t, "testdata/glossary-missing.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(false); err == nil || !strings.Contains(err.Error(), "no-such-glossary.csv") {
		t.Errorf("explicit missing glossary: err = %v", err)
	}
}
