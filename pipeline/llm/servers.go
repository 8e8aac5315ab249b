package llm

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// This file is everything depeche knows about the servers it talks to: per
// family, how it refuses a prompt longer than its context (and which numbers
// it gives), how it says an answer was cut, whether it cuts a prompt
// silently instead, what it calls the answer's token limit, which
// structured-output modes it takes, and whether its models think aloud in
// the answer. The client reads this table; stages ask the client
// (Response.Cut, Response.Truncated, ErrContextLength, Client.Limits) and
// never look at a server's wording.

// Family is a kind of OpenAI-compatible server.
type Family string

// The server families depeche knows. Generic is any other server, or a
// gateway that may front any of them: it gets every refusal marker and
// the watchful defaults.
const (
	OpenAI   Family = "openai"
	Ollama   Family = "ollama"
	LlamaCpp Family = "llama.cpp"
	VLLM     Family = "vllm"
	LMStudio Family = "lmstudio"
	Generic  Family = "generic"
)

// Families lists the accepted values of llm.server besides "auto".
var Families = []Family{OpenAI, Ollama, LlamaCpp, VLLM, LMStudio, Generic}

// server is one row of the table.
type server struct {
	// refusal: lower-case markers in a 400/413/422 body that mean "the
	// prompt plus the answer do not fit the context".
	refusal []string
	// cutReasons are the finish reasons that mean the answer stopped at a
	// token limit and is incomplete.
	cutReasons []string
	// silentTruncation: the server may answer 200 after cutting the prompt
	// to its context, and only its usage.prompt_tokens tells.
	silentTruncation bool
	// completionParam names the answer's token limit for a model.
	completionParam func(model string) string
	// schemaStart is the structured-output mode tried first; schemaSkip
	// lists modes the server is known to reject, skipped when falling back.
	schemaStart int
	schemaSkip  []int
	// thinksAloud: its reasoning models may put <think>…</think> in the
	// answer's content rather than in a separate field.
	thinksAloud bool
}

// Refusal markers, by the server that words it so.
var (
	refusalVLLM   = []string{"maximum context length"}
	refusalLlama  = []string{"exceed_context_size_error", "exceeds the available context size"}
	refusalOpenAI = []string{"context_length_exceeded", "maximum context length", "context length exceeded"}
	refusalOllama = []string{"exceeds the context length", "input length exceeds"}
	refusalLMS    = []string{"context length of only", "context the overflows", "context overflow"}
)

func maxTokensParam(string) string { return "max_tokens" }

// openAIParam: OpenAI's o-series and gpt-5 models refuse max_tokens.
func openAIParam(model string) string {
	if reasoningModel(model) {
		return "max_completion_tokens"
	}
	return "max_tokens"
}

// servers is the table. Read it as documentation: each field says what the
// family does, and why the client behaves as it does with it.
var servers = map[Family]server{
	OpenAI: {
		refusal: refusalOpenAI, cutReasons: []string{"length"},
		completionParam: openAIParam, schemaStart: schemaJSONSchema,
	},
	Ollama: {
		// Ollama cuts an over-long prompt to num_ctx and answers 200.
		refusal: refusalOllama, cutReasons: []string{"length"}, silentTruncation: true,
		completionParam: maxTokensParam, schemaStart: schemaJSONSchema, thinksAloud: true,
	},
	LlamaCpp: {
		refusal: refusalLlama, cutReasons: []string{"length"},
		completionParam: maxTokensParam, schemaStart: schemaJSONSchema, thinksAloud: true,
	},
	VLLM: {
		// vLLM refuses any request whose prompt plus max_tokens passes
		// --max-model-len, even when the answer would have been short.
		refusal: refusalVLLM, cutReasons: []string{"length"},
		completionParam: maxTokensParam, schemaStart: schemaJSONSchema, thinksAloud: true,
	},
	LMStudio: {
		// LM Studio's default overflow policy truncates; "stop at limit"
		// refuses. It takes json_schema but rejects json_object.
		refusal: refusalLMS, cutReasons: []string{"length"}, silentTruncation: true,
		completionParam: maxTokensParam, schemaStart: schemaJSONSchema, schemaSkip: []int{schemaJSONObject},
		thinksAloud: true,
	},
	Generic: {
		refusal:    concat(refusalVLLM, refusalLlama, refusalOpenAI, refusalOllama, refusalLMS),
		cutReasons: []string{"length", "max_tokens"}, silentTruncation: true,
		completionParam: maxTokensParam, schemaStart: schemaJSONSchema, thinksAloud: true,
	},
}

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// detectFamily guesses a server's family from its base URL: OpenAI by its
// host, Ollama and LM Studio by their default ports, any family by a host
// named after it (vllm.models.svc). Anything else is Generic, which is
// watchful for every behaviour; llm.server overrides the guess.
func detectFamily(base string) Family {
	u, err := url.Parse(base)
	if err != nil {
		return Generic
	}
	h := strings.ToLower(u.Hostname())
	switch {
	case h == "api.openai.com":
		return OpenAI
	case strings.Contains(h, "ollama") || u.Port() == "11434":
		return Ollama
	case strings.Contains(h, "lmstudio") || strings.Contains(h, "lm-studio") || u.Port() == "1234":
		return LMStudio
	case strings.Contains(h, "vllm"):
		return VLLM
	case strings.Contains(h, "llamacpp") || strings.Contains(h, "llama-cpp") || strings.Contains(h, "llama-server"):
		return LlamaCpp
	}
	return Generic
}

// refuses reports whether an error answer says the prompt does not fit.
// Every family's markers count: a proxy in front of vLLM is still vLLM.
func refuses(status int, body string) bool {
	if status != 400 && status != 413 && status != 422 {
		return false
	}
	low := strings.ToLower(body)
	for _, m := range servers[Generic].refusal {
		if strings.Contains(low, m) {
			return true
		}
	}
	return false
}

// The numbers servers give when they refuse, in their own tokens.
var (
	ctxNumRe = []*regexp.Regexp{
		regexp.MustCompile(`(?i)maximum context length is (\d+)`),                  // vLLM, OpenAI
		regexp.MustCompile(`"n_ctx"\s*:\s*(\d+)`),                                  // llama.cpp
		regexp.MustCompile(`(?i)context length of only (\d+)`),                     // LM Studio
		regexp.MustCompile(`(?i)context (?:length|size|window) (?:is |of )?(\d+)`), // others
	}
	promptNumRe = []*regexp.Regexp{
		regexp.MustCompile(`(?i)\((\d+) in the messages`),           // vLLM, OpenAI
		regexp.MustCompile(`(?i)request has (\d+) input tokens`),    // vLLM ≥ 0.6
		regexp.MustCompile(`(?i)messages resulted in (\d+) tokens`), // OpenAI
		regexp.MustCompile(`"n_prompt_tokens"\s*:\s*(\d+)`),         // llama.cpp
		regexp.MustCompile(`(?i)keep the first (\d+) tokens`),       // LM Studio
	}
)

// refusalNumbers reads the context size and the prompt's size, as the
// server counted them, out of a refusal; 0 for what it does not say.
func refusalNumbers(body string) (context, prompt int) {
	return firstNumber(ctxNumRe, body), firstNumber(promptNumRe, body)
}

func firstNumber(res []*regexp.Regexp, s string) int {
	for _, re := range res {
		if m := re.FindStringSubmatch(s); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
				return n
			}
		}
	}
	return 0
}

// rejectsResponseFormat reports whether a 400 says the server does not
// accept our response_format (json_schema, or json_object after that).
func rejectsResponseFormat(status int, body string) bool {
	if status != 400 && status != 422 {
		return false
	}
	low := strings.ToLower(body)
	return strings.Contains(low, "response_format") || strings.Contains(low, "json_schema") ||
		strings.Contains(low, "json_object") || strings.Contains(low, "response format")
}

// cut reports whether a finish reason means the answer stopped at a token
// limit.
func (s server) cut(finish string) bool {
	for _, r := range s.cutReasons {
		if finish == r {
			return true
		}
	}
	return false
}

// nextSchema is the structured-output mode after mode, skipping what the
// server is known to reject; schemaNone when there is nothing left.
func (s server) nextSchema(mode int) int {
	for next := mode + 1; next < schemaNone; next++ {
		skip := false
		for _, m := range s.schemaSkip {
			skip = skip || m == next
		}
		if !skip {
			return next
		}
	}
	return schemaNone
}

var (
	thinkBlockRe = regexp.MustCompile(`(?is)<(think|thinking|reasoning)>.*?</(?:think|thinking|reasoning)>`)
	thinkCloseRe = regexp.MustCompile(`(?is)^.*?</(?:think|thinking|reasoning)>`)
	thinkOpenRe  = regexp.MustCompile(`(?is)<(?:think|thinking|reasoning)>.*$`)
)

// SplitThinking separates a reasoning model's thinking from its answer:
// whole <think>…</think> blocks (also <thinking>, <reasoning>), reasoning
// whose opening tag the chat template ate (everything before a lone
// </think>), and an unclosed <think> (the model never reached its answer,
// which is then empty). It returns the answer and the thinking removed.
func SplitThinking(s string) (answer, thinking string) {
	var removed []string
	for _, m := range thinkBlockRe.FindAllString(s, -1) {
		removed = append(removed, m)
	}
	s = thinkBlockRe.ReplaceAllString(s, "")
	if m := thinkCloseRe.FindString(s); m != "" {
		removed = append(removed, m)
		s = s[len(m):]
	}
	if m := thinkOpenRe.FindString(s); m != "" {
		removed = append(removed, m)
		s = strings.TrimSuffix(s, m)
	}
	if len(removed) == 0 {
		return s, ""
	}
	return strings.TrimSpace(s), strings.Join(removed, "\n")
}
