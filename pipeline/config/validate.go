package config

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
)

// promptHeadroom is the least room context_tokens must leave beyond
// max_tokens for the system prompt, glossary and a useful chunk of source.
const promptHeadroom = 256

// Validate checks values that would otherwise fail later, mid-run and
// possibly after paid requests. The first problem is returned as an *Error
// naming the key. checkInput also requires the input folder to exist (only
// when no input was named on the command line).
func (c *Config) Validate(checkInput bool) error {
	for _, check := range []func() error{
		c.validateLimits, c.validateLLM, c.validateBrief, c.validateClean,
		func() error { return c.validateFiles(checkInput) },
	} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// validateLimits checks the counts, sizes and durations.
func (c *Config) validateLimits() error {
	for _, p := range []struct {
		key string
		n   int
	}{
		{"concurrency", c.Concurrency},
		{"llm.concurrency", c.LLM.Concurrency},
		{"llm.context_tokens", c.LLM.ContextTokens},
		{"llm.max_tokens", c.LLM.MaxTokens},
		{"llm.max_attempts", c.LLM.MaxAttempts},
		{"translate.max_attempts", c.Translate.MaxAttempts},
	} {
		if p.n <= 0 {
			return errorf("%s must be at least 1, not %d", p.key, p.n)
		}
	}
	if c.MaxFileSize <= 0 {
		return errorf("max_file_size must be positive, not %d (write e.g. 10MB)", c.MaxFileSize)
	}
	if c.LLM.MaxTotalTokens < 0 {
		return errorf("llm.max_total_tokens must be 0 (unlimited) or positive, not %d", c.LLM.MaxTotalTokens)
	}
	if c.LLM.Timeout <= 0 {
		return errorf("llm.timeout must be positive, not %s (write e.g. 120s)", c.LLM.Timeout)
	}
	if c.LLM.MaxRetryWait < 0 {
		return errorf("llm.max_retry_wait must not be negative, not %s", c.LLM.MaxRetryWait)
	}
	if c.LLM.ContextTokens < c.LLM.MaxTokens+promptHeadroom {
		return errorf("llm.context_tokens (%d) must be at least llm.max_tokens (%d) + %d: the context holds the prompt and the answer; set context_tokens to the model's real context size or lower max_tokens",
			c.LLM.ContextTokens, c.LLM.MaxTokens, promptHeadroom)
	}
	return nil
}

// validateLLM checks the engine and how the model servers are reached.
func (c *Config) validateLLM() error {
	switch c.Engine {
	case "auto", "llm", "offline":
	default:
		return errorf("engine must be auto, llm or offline, not %q", c.Engine)
	}
	switch c.LLM.TokenParam {
	case "auto", "max_tokens", "max_completion_tokens":
	default:
		return errorf("llm.token_param must be auto, max_tokens or max_completion_tokens, not %q", c.LLM.TokenParam)
	}
	switch c.LLM.Server {
	case "auto", "openai", "ollama", "llama.cpp", "vllm", "lmstudio", "generic":
	default:
		return errorf("llm.server must be auto, openai, ollama, llama.cpp, vllm, lmstudio or generic, not %q", c.LLM.Server)
	}
	if !envName.MatchString(c.LLM.APIKeyEnv) {
		// Never echo the value: it is most likely the key itself.
		return errorf("llm.api_key_env must be the NAME of the environment variable holding the key (like OPENAI_API_KEY), not the key itself")
	}
	if err := checkURL("llm.base_url", c.LLM.BaseURL); err != nil {
		return err
	}
	for i, e := range c.LLM.Endpoints {
		key := fmt.Sprintf("llm.endpoints[%d]", i)
		if e.BaseURL == "" {
			return errorf("%s: base_url is required", key)
		}
		if err := checkURL(key+".base_url", e.BaseURL); err != nil {
			return err
		}
		if e.Weight < 0 {
			return errorf("%s.weight must not be negative, not %d", key, e.Weight)
		}
		if e.Concurrency < 0 {
			return errorf("%s.concurrency must not be negative, not %d (0 = llm.concurrency)", key, e.Concurrency)
		}
	}
	if t := c.LLM.Temperature; t < 0 || t > 2 {
		return errorf("llm.temperature must be between 0 and 2, not %g", t)
	}
	return nil
}

func (c *Config) validateBrief() error {
	if c.Brief.MaxWords < 50 {
		return errorf("brief.max_words must be at least 50, not %d", c.Brief.MaxWords)
	}
	if c.Brief.MaxStories < 1 {
		return errorf("brief.max_stories must be at least 1, not %d", c.Brief.MaxStories)
	}
	if c.Brief.StoryWords < 50 {
		return errorf("brief.story_words must be at least 50, not %d", c.Brief.StoryWords)
	}
	if v := c.Brief.Verify; v != "lexical" && v != "model" {
		return errorf("brief.verify must be lexical or model, not %q", v)
	}
	if u := c.Brief.Unsupported; u != "flag" && u != "drop" {
		return errorf("brief.unsupported must be flag or drop, not %q", u)
	}
	return nil
}

// validateClean compiles the user's cleaning rules.
func (c *Config) validateClean() error {
	for _, p := range []struct {
		key  string
		list []string
	}{{"clean.drop", c.Clean.Drop}, {"clean.keep", c.Clean.Keep}} {
		for _, re := range p.list {
			if _, err := regexp.Compile(re); err != nil {
				return errorf("%s: bad regexp %q: %v", p.key, re, err)
			}
		}
	}
	return nil
}

// validateFiles checks that the files and folders the configuration names
// are there.
func (c *Config) validateFiles(checkInput bool) error {
	if checkInput {
		if _, err := os.Stat(c.Input); err != nil {
			return errorf("input %s: %v (name a folder on the command line or set input)", c.Input, unwrapPathErr(err))
		}
	}
	if c.Prompts.Dir != "" {
		st, err := os.Stat(c.Prompts.Dir)
		if err != nil {
			return errorf("prompts.dir %s: %v", c.Prompts.Dir, unwrapPathErr(err))
		}
		if !st.IsDir() {
			return errorf("prompts.dir %s: not a folder", c.Prompts.Dir)
		}
	}
	if c.Glossary != "" {
		if _, err := os.Stat(c.Glossary); err != nil {
			return errorf("glossary %s: %v (set glossary to \"\" for none)", c.Glossary, unwrapPathErr(err))
		}
	}
	if c.Offline.Phrases != "" {
		if _, err := os.Stat(c.Offline.Phrases); err != nil {
			return errorf("offline.phrases %s: %v (set offline.phrases to \"\" for the built-in table only)", c.Offline.Phrases, unwrapPathErr(err))
		}
	}
	for _, d := range c.Offline.Dictionaries {
		if IsDefaultDictionary(d) {
			continue
		}
		if !strings.HasSuffix(d, "-eng") && !strings.HasSuffix(d, "-spa") {
			return errorf("offline.dictionaries %s: want a French→English (…-eng) or French→Spanish (…-spa) dictd dictionary, named without .index", d)
		}
		if _, err := os.Stat(d + ".index"); err != nil {
			return errorf("offline.dictionaries %s: %v (want the dictd files %s.index and %s.dict.dz; [] for none)", d, unwrapPathErr(err), d, d)
		}
	}
	return nil
}

// checkURL requires an absolute http(s) URL. The message shows the URL with
// any password masked.
func checkURL(key, s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return errorf("%s must be an absolute http(s) URL like http://localhost:11434/v1, not %s", key, show(maskURL(s)))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errorf("%s must be an absolute http(s) URL like http://localhost:11434/v1, not %q", key, u.Redacted())
	}
	return nil
}
