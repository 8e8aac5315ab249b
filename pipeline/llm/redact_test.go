package llm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

const testKey = "sk-depecheTEST0123456789abcdefSECRET"

func TestKeyNeverLeaks(t *testing.T) {
	echo := func(status int, plain bool) llmtest.Handler {
		return func(c llmtest.Call) llmtest.Reply {
			auth := c.Header.Get("Authorization")
			if plain {
				return llmtest.PlainError(status, "proxy refused request with header Authorization: "+auth+" key="+strings.TrimPrefix(auth, "Bearer "))
			}
			return llmtest.Reply{Status: status, Body: fmt.Sprintf(`{"error":{"message":"Incorrect API key provided: %s (sent as %q)","type":"invalid_request_error"}}`, strings.TrimPrefix(auth, "Bearer "), auth)}
		}
	}
	tests := []struct {
		name   string
		h      llmtest.Handler
		stream bool
	}{
		{"401 OpenAI-shaped echo", echo(401, false), false},
		{"403 plain-text echo", echo(403, true), false},
		{"500 echo, retried then given up", echo(500, true), false},
		{"streaming 401 echo", echo(401, false), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.New(t, tt.h)
			var logs logBuffer
			c := newTestClient(t, s, func(c *Config) { c.APIKey = testKey; c.Logger = logs.logger(); c.Stream = tt.stream })
			resp, err := c.Chat(context.Background(), Request{Stage: "translate", Messages: user("x")})
			if err == nil {
				t.Fatal("no error")
			}
			if got := s.Calls()[0].Header.Get("Authorization"); got != "Bearer "+testKey {
				t.Fatalf("key not sent: %q", got)
			}
			_, merr := c.Models(context.Background())
			out := strings.Join([]string{err.Error(), fmt.Sprintf("%+v %#v", resp, err), logs.String(), fmt.Sprint(merr)}, "\n")
			for _, part := range []string{testKey, "depecheTEST0123456789abcdefSECRET"} {
				if strings.Contains(out, part) {
					t.Errorf("key leaked:\n%s", out)
				}
			}
			if !strings.Contains(err.Error(), "[REDACTED]") {
				t.Errorf("server message lost: %v", err)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, secret, want string }{
		{"key abc123XYZ here", "abc123XYZ", "key [REDACTED] here"},
		{"Authorization: Bearer tok.en-1/2+3=", "", "Authorization: Bearer [REDACTED]"},
		{`{"auth":"bearer  zzz"}`, "", `{"auth":"Bearer [REDACTED]"}`},
		{"leaked sk-proj-AAAAbbbbCCCCdddd1234 upstream", "", "leaked [REDACTED] upstream"},
		{`echo "a\"b<c"`, `a"b<c`, `echo "[REDACTED]"`},
		{`echo "a\"b\u003cc"`, `a"b<c`, `echo "[REDACTED]"`},
		{"nothing secret", "", "nothing secret"},
		{"Mis à jour « mardi »", "zz", "Mis à jour « mardi »"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in, tt.secret); got != tt.want {
			t.Errorf("Redact(%q, %q) = %q, want %q", tt.in, tt.secret, got, tt.want)
		}
	}
}

func TestServerMessage(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"error":{"message":"Rate limit reached","type":"rate_limit_error","code":"rate_limit_exceeded"}}`, "Rate limit reached (rate_limit_exceeded)"},
		{`{"object":"error","message":"This model's maximum context length is 4096 tokens.","type":"BadRequestError","code":400}`, "This model's maximum context length is 4096 tokens."},
		{`{"error":"model \"llama3\" not found, try pulling it first"}`, `model "llama3" not found, try pulling it first`},
		{`{"detail":"Not Found"}`, "Not Found"},
		{"<html><body>502 Bad Gateway</body></html>\n", "<html><body>502 Bad Gateway</body></html>"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := serverMessage([]byte(tt.body)); got != tt.want {
			t.Errorf("serverMessage(%s) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

// The start-up probe's errors are redacted too: a server that refuses the
// key and echoes it back, on GET /models and on the one-token chat.
func TestProbeNeverLeaksTheKey(t *testing.T) {
	s := llmtest.New(t, llmtest.Model().Handle)
	s.RequireKey("sk-the-one-the-server-wants-0000")
	c := newTestClient(t, s, func(c *Config) { c.APIKey = testKey })
	_, lerr := c.ModelsAt(context.Background(), 0)
	terr := c.TryModel(context.Background(), 0, "fake-model")
	for what, err := range map[string]error{"list models": lerr, "try model": terr} {
		var ae *APIError
		if err == nil || !errors.As(err, &ae) || ae.Status != 401 {
			t.Fatalf("%s: %v, want a 401 APIError", what, err)
		}
		if strings.Contains(err.Error(), testKey) || !strings.Contains(err.Error(), "Incorrect API key provided") {
			t.Errorf("%s: %v: the key is in it, or the server's message is not", what, err)
		}
	}
}
