package llmtest

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// ContextLengthVLLM is vLLM's answer to a prompt longer than the model's
// context: a 400 whose body is not OpenAI-shaped (no "error" object).
func ContextLengthVLLM() Reply {
	return Reply{Status: http.StatusBadRequest, Body: `{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5120 tokens (4096 in the messages, 1024 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}`}
}

// ContextLengthLlamaCpp is llama.cpp server's answer to a prompt longer than
// its n_ctx.
func ContextLengthLlamaCpp() Reply {
	return Reply{Status: http.StatusBadRequest, Body: `{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":5120,"n_ctx":4096}}`}
}

// ContextLengthOpenAI is OpenAI's answer to a prompt longer than the
// model's context window.
func ContextLengthOpenAI() Reply {
	return Reply{Status: http.StatusBadRequest, Body: `{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}`}
}

// ContextLengthLMStudio is LM Studio's answer when its overflow policy is
// "stop at limit" and the prompt does not fit the loaded context.
func ContextLengthLMStudio() Reply {
	return Reply{Status: http.StatusBadRequest, Body: `{"error":"Trying to keep the first 5369 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input"}`}
}

// RateLimited is a 429 with the given Retry-After value (seconds or an
// HTTP-date); "" sends no Retry-After header.
func RateLimited(retryAfter string) Reply {
	r := Reply{Status: http.StatusTooManyRequests, Body: `{"error":{"message":"Rate limit reached, please try again later.","type":"rate_limit_error","code":"rate_limit_exceeded"}}`}
	if retryAfter != "" {
		r.Header = map[string]string{"Retry-After": retryAfter}
	}
	return r
}

// RetryAfterDate formats t as an HTTP-date for a Retry-After header.
func RetryAfterDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// RetryAfterSeconds formats d as whole seconds for a Retry-After header.
func RetryAfterSeconds(d time.Duration) string { return strconv.Itoa(int(d / time.Second)) }

// ServerError is a plain 500.
func ServerError() Reply {
	return Reply{Status: http.StatusInternalServerError, Body: `{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}`}
}

// Hang is a reply that never comes: the server waits until the client gives
// up (or the test ends).
func Hang() Reply { return Reply{Delay: time.Hour} }

// Reset closes the connection without an answer.
func Reset() Reply { return Reply{Drop: true} }

// PlainError is a non-OpenAI-shaped error, the way proxies and small
// servers answer: the body is text, not JSON.
func PlainError(status int, text string) Reply {
	return Reply{Status: status, Body: text, Header: map[string]string{"Content-Type": "text/plain; charset=utf-8"}}
}

// Always answers every call with r.
func Always(r Reply) Handler { return func(Call) Reply { return r } }

// Text answers every call with the given assistant content.
func Text(content string) Handler { return Always(Reply{Content: content}) }

// Echo answers every call with the content of its last user message.
func Echo() Handler { return func(c Call) Reply { return Reply{Content: c.User()} } }

// counter numbers the calls one handler sees, 1-based, whatever order
// other handlers or SetHandler swaps put around it.
type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) next() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return c.n
}

// Sequence answers the i-th call it sees with replies[i-1]; once they are
// used up it repeats the last one. With no replies it answers "ok".
func Sequence(replies ...Reply) Handler {
	var cnt counter
	return func(Call) Reply {
		if len(replies) == 0 {
			return Reply{Content: "ok"}
		}
		i := min(cnt.next(), len(replies)) - 1
		return replies[i]
	}
}

// Times answers the first n calls it sees with r and hands the rest to then
// (e.g. two 500s, then success).
func Times(n int, r Reply, then Handler) Handler {
	var cnt counter
	return func(c Call) Reply {
		if cnt.next() <= n {
			return r
		}
		return then(c)
	}
}

// Fail answers every every-th call it sees with r (the every-th, the
// 2×every-th, ...) and hands the others to then: a deterministic fault rate.
func Fail(every int, r Reply, then Handler) Handler {
	if every < 1 {
		panic(fmt.Sprintf("llmtest.Fail: every must be >= 1, got %d", every))
	}
	var cnt counter
	return func(c Call) Reply {
		if cnt.next()%every == 0 {
			return r
		}
		return then(c)
	}
}

// Slow delays every reply of h by d.
func Slow(d time.Duration, h Handler) Handler {
	return func(c Call) Reply {
		r := h(c)
		r.Delay += d
		return r
	}
}
