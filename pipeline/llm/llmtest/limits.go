package llmtest

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Small is a server smaller than depeche was told, the way each family
// behaves at its limits. Token counts are the fake's own: a quarter of the
// bytes, as it reports usage.
type Small struct {
	// Context is the most tokens of prompt plus answer; 0 = no limit.
	Context int
	// AnswerCap is the most tokens of one answer whatever max_tokens asks
	// (llama.cpp's --n-predict, a gateway's cap); 0 = none.
	AnswerCap int
	// Family is how the server meets a prompt over its context:
	//   "vllm"      400 when prompt + max_tokens passes the context, with the numbers
	//   "openai"    the same, in OpenAI's words (code context_length_exceeded)
	//   "llama.cpp" 400 exceed_context_size_error when the prompt alone passes it;
	//               else the answer stops where the context is full
	//   "ollama"    no error: the prompt is cut from its start to fit, and
	//               usage.prompt_tokens says what was kept
	Family string
}

// Limited answers with h as a server with the limits of s would: it
// refuses, truncates the prompt or cuts the answer as s.Family does.
func Limited(s Small, h Handler) Handler {
	return func(c Call) Reply {
		prompt := promptTokens(c)
		maxTokens := requestedMax(c)
		if s.Context > 0 {
			switch s.Family {
			case "vllm", "openai":
				if prompt+maxTokens > s.Context {
					return refusal(s.Family, s.Context, prompt, maxTokens)
				}
			case "llama.cpp":
				if prompt > s.Context {
					return refusal(s.Family, s.Context, prompt, maxTokens)
				}
			case "ollama":
				if prompt > s.Context {
					c = truncate(c, s.Context)
					prompt = promptTokens(c)
				}
			default:
				panic(fmt.Sprintf("llmtest.Limited: unknown family %q", s.Family))
			}
		}
		rep := h(c)
		if rep.Status >= 400 || rep.Body != "" || rep.Drop {
			return rep
		}
		limit := s.AnswerCap
		if maxTokens > 0 && (limit == 0 || maxTokens < limit) {
			limit = maxTokens
		}
		if room := s.Context - prompt; s.Context > 0 && (limit == 0 || room < limit) {
			limit = max(room, 1)
		}
		if rep.PromptTokens == 0 {
			rep.PromptTokens = prompt
		}
		if limit > 0 && estimate(len(rep.Content)) > limit {
			rep.Content = cutBytes(rep.Content, limit*4)
			rep.FinishReason = "length"
			rep.CompletionTokens = limit
		}
		return rep
	}
}

// promptTokens is the prompt as the fake counts it in usage.
func promptTokens(c Call) int {
	n := 0
	for _, m := range c.Messages {
		n += len(m.Content)
	}
	return estimate(n)
}

// requestedMax is the answer limit the request asks for, 0 if none.
func requestedMax(c Call) int {
	for _, k := range []string{"max_tokens", "max_completion_tokens"} {
		if v, ok := c.Body[k].(float64); ok {
			return int(v)
		}
	}
	return 0
}

func refusal(family string, ctx, prompt, maxTokens int) Reply {
	var body string
	switch family {
	case "vllm":
		if prompt <= ctx {
			body = fmt.Sprintf(`{"object":"error","message":"'max_tokens' or 'max_completion_tokens' is too large: %d. This model's maximum context length is %d tokens and your request has %d input tokens (%d > %d - %d).","type":"BadRequestError","param":null,"code":400}`,
				maxTokens, ctx, prompt, maxTokens, ctx, prompt)
		} else {
			body = fmt.Sprintf(`{"object":"error","message":"This model's maximum context length is %d tokens. However, you requested %d tokens (%d in the messages, %d in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}`,
				ctx, prompt+maxTokens, prompt, maxTokens)
		}
	case "openai":
		body = fmt.Sprintf(`{"error":{"message":"This model's maximum context length is %d tokens. However, you requested %d tokens (%d in the messages, %d in the completion). Please reduce the length of the messages or completion.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}`,
			ctx, prompt+maxTokens, prompt, maxTokens)
	case "llama.cpp":
		body = fmt.Sprintf(`{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":%d,"n_ctx":%d}}`, prompt, ctx)
	}
	return Reply{Status: http.StatusBadRequest, Body: body}
}

// truncate cuts the call's last user message from its start until the
// prompt fits ctx, as Ollama keeps the end of an over-long prompt.
func truncate(c Call, ctx int) Call {
	msgs := append([]Message(nil), c.Messages...)
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role != "user" {
			continue
		}
		over := (promptTokens(Call{Messages: msgs}) - ctx) * 4
		content := msgs[i].Content
		if over >= len(content) {
			msgs[i].Content = ""
		} else {
			cut := over
			for cut < len(content) && !utf8.RuneStart(content[cut]) {
				cut++
			}
			msgs[i].Content = content[cut:]
		}
		break
	}
	c.Messages = msgs
	return c
}

// cutBytes keeps at most n bytes of s, ending on a whole rune.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimRight(s[:n], " ")
}
