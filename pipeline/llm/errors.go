package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var (
	// ErrContextLength means the prompt (plus the requested completion) does
	// not fit the model's context window. Retrying the same request cannot
	// help; the caller should send less.
	ErrContextLength = errors.New("prompt exceeds the model's context length")

	// ErrCut is returned by ChatJSON when the answer stopped at a token
	// limit before its JSON closed: asking again for as much cannot help;
	// the caller should ask for less (the client has learned any cap of
	// the server's own: see Client.Limits).
	ErrCut = errors.New("the answer was cut at the token limit")

	// ErrTruncated is returned by ChatJSON when the server silently cut the
	// prompt to its context (Response.Truncated): the answer is about part
	// of the input, or was written without all the instructions. The caller
	// should send less; Client.Limits now knows the context.
	ErrTruncated = errors.New("the server cut the prompt to its context")

	// ErrReplan is returned by Chat, before anything is sent, for a request
	// planned for limits the server has since shown to be smaller (another
	// request learned them while this one waited its turn): the caller
	// plans it again with Client.Limits. Nothing is spent.
	ErrReplan = errors.New("the request was planned for larger limits than the server has since shown; nothing was sent")

	// ErrBudget means sending the request could exceed llm.max_total_tokens;
	// nothing was sent.
	ErrBudget = errors.New("token budget (llm.max_total_tokens) would be exceeded")
)

// Shrink reports whether err says the request was too big for the server
// (a refusal, a cut answer, a truncated prompt): the cure is a smaller
// request, sized by Client.Limits, which has learned from the error.
func Shrink(err error) bool {
	return errors.Is(err, ErrContextLength) || errors.Is(err, ErrCut) || errors.Is(err, ErrTruncated) || errors.Is(err, ErrReplan)
}

// APIError is an error answer from a model server that retrying did not
// (or could not) fix. Message is the server's own message, redacted.
type APIError struct {
	Status   int
	Message  string
	Endpoint string
	kind     error // ErrContextLength when the server says the prompt is too long
}

func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "no message"
	}
	return fmt.Sprintf("%s: HTTP %d: %s", e.Endpoint, e.Status, msg)
}

// Unwrap lets errors.Is(err, ErrContextLength) see the classification.
func (e *APIError) Unwrap() error { return e.kind }

// safeError carries an already-redacted message. It unwraps only to
// sentinels (context errors, ErrContextLength...), never to the raw error
// it was made from, whose text may hold request data.
type safeError struct {
	msg  string
	kind error
}

func (e *safeError) Error() string { return e.msg }
func (e *safeError) Unwrap() error { return e.kind }

var (
	bearerRe = regexp.MustCompile(`(?i)\bbearer\s+[^\s"',;]+`)
	// OpenAI-style secret keys, should one reach us some other way than
	// Config.APIKey (a proxy echoing its own upstream key, say).
	skKeyRe = regexp.MustCompile(`\bsk-[A-Za-z0-9_\-]{16,}`)
)

const redacted = "[REDACTED]"

// Redact removes secret, any "Bearer <token>" and anything shaped like an
// OpenAI secret key from s.
func Redact(s, secret string) string {
	if secret != "" {
		s = strings.ReplaceAll(s, secret, redacted)
		// A JSON-echoing server escapes some characters of the key, with
		// or without HTML escaping depending on its encoder.
		for _, html := range []bool{true, false} {
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(html)
			if enc.Encode(secret) == nil {
				q := strings.TrimSuffix(b.String(), "\n")
				q = q[1 : len(q)-1]
				if q != secret {
					s = strings.ReplaceAll(s, q, redacted)
				}
			}
		}
	}
	s = bearerRe.ReplaceAllString(s, "Bearer "+redacted)
	return skKeyRe.ReplaceAllString(s, redacted)
}

// serverMessage pulls the human message out of an error body, whatever its
// shape: OpenAI {"error":{"message"}}, vLLM {"message"}, {"error":"..."},
// FastAPI {"detail"}, or plain text.
func serverMessage(body []byte) string {
	var v struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Detail  json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &v) == nil {
		var inner struct {
			Message string `json:"message"`
			Type    string `json:"type"`
			Code    any    `json:"code"`
		}
		var s string
		switch {
		case len(v.Error) > 0 && json.Unmarshal(v.Error, &inner) == nil && inner.Message != "":
			msg := inner.Message
			if c, ok := inner.Code.(string); ok && c != "" && !strings.Contains(msg, c) {
				msg += " (" + c + ")"
			} else if inner.Type != "" && !strings.Contains(msg, inner.Type) {
				msg += " (" + inner.Type + ")"
			}
			return clip(msg)
		case len(v.Error) > 0 && json.Unmarshal(v.Error, &s) == nil && s != "":
			return clip(s)
		case v.Message != "":
			return clip(v.Message)
		case len(v.Detail) > 0:
			if json.Unmarshal(v.Detail, &s) == nil {
				return clip(s)
			}
			return clip(string(v.Detail))
		}
	}
	return clip(strings.TrimSpace(string(body)))
}

func clip(s string) string {
	const n = 500
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
