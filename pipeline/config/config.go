// Package config loads depeche's settings: built-in defaults, a YAML file,
// DEPECHE_* environment variables and command-line flags, in that order of
// increasing precedence. It warns about unknown keys, validates values with
// one-line messages, and lists the effective settings with where each came
// from — never showing the API key, only whether it is set.
package config

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"time"
)

// Config is the effective configuration of one invocation. It never holds
// the API key, only the name of the variable that does (LLM.APIKeyEnv).
type Config struct {
	Input       string `mapstructure:"input"`
	Output      string `mapstructure:"output"`
	Engine      string `mapstructure:"engine"`
	Concurrency int    `mapstructure:"concurrency"`
	MaxFileSize int64  `mapstructure:"max_file_size"`
	// FollowSymlinks reads links that lead outside the input folders;
	// off, they are skipped with a reason (with the llm engine their
	// files would go to the API).
	FollowSymlinks bool   `mapstructure:"follow_symlinks"`
	CacheDir       string `mapstructure:"cache_dir"`
	Glossary       string `mapstructure:"glossary"`
	Prompts        struct {
		Dir string `mapstructure:"dir"`
	} `mapstructure:"prompts"`
	LLM       LLM       `mapstructure:"llm"`
	Translate Translate `mapstructure:"translate"`
	Summarize Stage     `mapstructure:"summarize"`
	Brief     Brief     `mapstructure:"brief"`
	Clean     Clean     `mapstructure:"clean"`
	Offline   Offline   `mapstructure:"offline"`
}

// LLM configures the OpenAI-compatible client.
type LLM struct {
	BaseURL        string         `mapstructure:"base_url"`
	Model          string         `mapstructure:"model"`
	APIKeyEnv      string         `mapstructure:"api_key_env"`
	Timeout        time.Duration  `mapstructure:"timeout"`
	Temperature    float64        `mapstructure:"temperature"`
	MaxTokens      int            `mapstructure:"max_tokens"`
	TokenParam     string         `mapstructure:"token_param"`
	Concurrency    int            `mapstructure:"concurrency"`
	ContextTokens  int            `mapstructure:"context_tokens"`
	MaxAttempts    int            `mapstructure:"max_attempts"`
	MaxRetryWait   time.Duration  `mapstructure:"max_retry_wait"`
	MaxTotalTokens int64          `mapstructure:"max_total_tokens"`
	Stream         bool           `mapstructure:"stream"`
	Server         string         `mapstructure:"server"`
	Extra          map[string]any `mapstructure:"extra"`
	Endpoints      []Endpoint     `mapstructure:"endpoints"`
}

// Endpoint is one model server of several. Empty Model and zero Concurrency
// and Weight fall back to llm.model, llm.concurrency and 1.
type Endpoint struct {
	BaseURL     string `mapstructure:"base_url" json:"base_url"`
	Model       string `mapstructure:"model" json:"model,omitempty"`
	Weight      int    `mapstructure:"weight" json:"weight,omitempty"`
	Concurrency int    `mapstructure:"concurrency" json:"concurrency,omitempty"`
}

// Translate configures the translation stage.
type Translate struct {
	Model       string `mapstructure:"model"`
	MaxAttempts int    `mapstructure:"max_attempts"`
	Review      bool   `mapstructure:"review"`
}

// Stage configures a stage that only has a model override.
type Stage struct {
	Model string `mapstructure:"model"`
}

// Brief configures the merged briefing.
type Brief struct {
	Model      string `mapstructure:"model"`
	MaxWords   int    `mapstructure:"max_words"`
	Focus      string `mapstructure:"focus"`
	MaxStories int    `mapstructure:"max_stories"`
	StoryWords int    `mapstructure:"story_words"`
	// Verify is how citations are checked: "lexical" (no requests) or
	// "model" (yes/no support judgments through the endpoint).
	Verify string `mapstructure:"verify"`
	// Unsupported is what happens to a claim no cited article supports:
	// "flag" (kept, marked) or "drop".
	Unsupported string `mapstructure:"unsupported"`
	// HTML writes output/briefing.html beside briefing.md.
	HTML bool `mapstructure:"html"`
}

// Clean holds the user's extra line rules for the cleaning stage, and
// whether it looks for the article's body (false: the named rules alone,
// for inputs that hold nothing but the article).
type Clean struct {
	Drop []string `mapstructure:"drop"`
	Keep []string `mapstructure:"keep"`
	Body bool     `mapstructure:"body"`
}

// Offline holds the offline engine's data files.
type Offline struct {
	Phrases string `mapstructure:"phrases"` // extra French expressions; "" = the built-in table only
	// dictd dictionaries (.index, .dict.dz) named without extension,
	// French→English (…-eng) or French→Spanish (…-spa), first match wins
	Dictionaries []string `mapstructure:"dictionaries"`
}

// DefaultDictionaries are Debian's dict-freedict-fra-eng and
// dict-freedict-fra-spa, which scripts/deps.sh installs; unlike a path the
// user chose, their absence is not an error.
var DefaultDictionaries = []string{"/usr/share/dictd/freedict-fra-eng", "/usr/share/dictd/freedict-fra-spa"}

// IsDefaultDictionary reports whether path is one of DefaultDictionaries.
func IsDefaultDictionary(path string) bool {
	for _, d := range DefaultDictionaries {
		if d == path {
			return true
		}
	}
	return false
}

// Error is a configuration or usage error: the CLI prints Msg as one line
// and exits 2.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errorf(format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// defaultGlossary is the glossary path used when none is configured; unlike
// a path the user chose, its absence is not an error.
const defaultGlossary = "glossary.yaml"

// Defaults returns the built-in configuration. /work/main/config.yaml
// documents exactly these values (a test keeps the two in sync).
func Defaults() *Config {
	c := &Config{
		Input:       "seeds",
		Output:      "output",
		Engine:      "auto",
		Concurrency: 4,
		MaxFileSize: 10 << 20,
		Glossary:    defaultGlossary,
		LLM: LLM{
			BaseURL:       "http://localhost:11434/v1",
			Model:         "mistral-small",
			APIKeyEnv:     "OPENAI_API_KEY",
			Timeout:       120 * time.Second,
			MaxTokens:     2048,
			TokenParam:    "auto",
			Concurrency:   4,
			ContextTokens: 4096,
			MaxAttempts:   6,
			MaxRetryWait:  5 * time.Minute,
			Server:        "auto",
		},
		Translate: Translate{MaxAttempts: 3},
		Brief:     Brief{MaxWords: 600, MaxStories: 8, StoryWords: 220, Verify: "lexical", Unsupported: "flag", HTML: true},
		Clean:     Clean{Body: true},
		Offline:   Offline{Dictionaries: append([]string(nil), DefaultDictionaries...)},
	}
	return c
}

// envName matches what a shell accepts as a variable name; llm.api_key_env
// must look like one, which also catches a key pasted there by mistake.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// APIKey returns the value of the environment variable named by
// llm.api_key_env ("" when unset, or when the setting is not a name).
func (c *Config) APIKey(getenv func(string) string) string {
	if !envName.MatchString(c.LLM.APIKeyEnv) {
		return ""
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	return getenv(c.LLM.APIKeyEnv)
}

// StageModel returns the model for a stage ("translate", "summarize",
// "brief"): its own override when set, else llm.model.
func (c *Config) StageModel(stage string) string {
	var m string
	switch stage {
	case "translate":
		m = c.Translate.Model
	case "summarize":
		m = c.Summarize.Model
	case "brief":
		m = c.Brief.Model
	}
	if m == "" {
		return c.LLM.Model
	}
	return m
}

// leaf is one settable key: its dotted name, the path to its field in
// Config, and the field's type.
type leaf struct {
	key   string
	index []int
	typ   reflect.Type
}

var durationType = reflect.TypeFor[time.Duration]()

// leaves lists every key in declaration order (the order of config.yaml and
// of `depeche config`). Structs are sections except inside lists and maps,
// which are single free-form values.
func leaves() []leaf {
	var out []leaf
	var walk func(t reflect.Type, prefix string, index []int)
	walk = func(t reflect.Type, prefix string, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			key := prefix + f.Tag.Get("mapstructure")
			idx := append(append([]int(nil), index...), i)
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type, key+".", idx)
				continue
			}
			out = append(out, leaf{key: key, index: idx, typ: f.Type})
		}
	}
	walk(reflect.TypeFor[Config](), "", nil)
	return out
}

// field returns the addressable field of c that l names.
func (l leaf) field(c *Config) reflect.Value {
	return reflect.ValueOf(c).Elem().FieldByIndex(l.index)
}

// envVar is the environment variable that sets key: DEPECHE_LLM_MODEL for
// llm.model.
func envVar(key string) string {
	return "DEPECHE_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}
