// Package llmtest is the in-process fake OpenAI-compatible server that every
// LLM test in depeche runs against. It serves POST /v1/chat/completions
// (plain and streamed) and GET /v1/models, records every call, counts
// concurrent requests, and answers with whatever Reply the test's Handler
// returns, so each fault a real endpoint can produce (429s, hangs,
// non-OpenAI-shaped errors, context-length errors) is one line in a test.
//
// It deliberately does not import package llm: llm's own tests use it.
package llmtest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Message is one chat message as the server received it.
type Message struct{ Role, Content string }

// Call is one request as the server received it.
type Call struct {
	N        int    // 1-based arrival order
	Stage    string // from header X-Depeche-Stage
	Model    string
	Messages []Message
	Body     map[string]any // the decoded JSON body
	Header   http.Header
	Time     time.Time // arrival time, to assert waits between retries
	Stream   bool      // the client asked for server-sent events
}

// User returns the content of the last user message, or "".
func (c Call) User() string {
	for i := len(c.Messages) - 1; i >= 0; i-- {
		if c.Messages[i].Role == "user" {
			return c.Messages[i].Content
		}
	}
	return ""
}

// System returns the content of the first system message, or "".
func (c Call) System() string {
	for _, m := range c.Messages {
		if m.Role == "system" {
			return m.Content
		}
	}
	return ""
}

// Reply is what the server answers to one call.
type Reply struct {
	Status       int               // 0 = 200
	Header       map[string]string // e.g. {"Retry-After": "1"}
	Body         string            // raw body override (non-OpenAI-shaped errors, context errors)
	Content      string            // assistant message content
	FinishReason string            // "" = "stop"
	// PromptTokens and CompletionTokens are reported in usage; 0 means
	// estimated as len/4 of the text. Set PromptTokens to simulate a server
	// that silently truncated the prompt (Ollama does).
	PromptTokens, CompletionTokens int
	// Delay is waited before answering; it ends early when the client goes
	// away or the server closes, so a hang is simply time.Hour.
	Delay time.Duration
	// Drop closes the connection without answering: the client sees a
	// connection reset (a crashed or restarting server).
	Drop bool
}

// Handler decides the reply to one call. It may be called concurrently.
type Handler func(Call) Reply

// Router dispatches on Call.Stage; the "" key is the fallback. Use its
// Handle method as a Handler: llmtest.New(t, llmtest.Router{...}.Handle).
type Router map[string]Handler

// Handle answers c with the handler registered for its stage, else the
// fallback, else a 404 naming the stage.
func (r Router) Handle(c Call) Reply {
	if h, ok := r[c.Stage]; ok {
		return h(c)
	}
	if h, ok := r[""]; ok {
		return h(c)
	}
	return Reply{Status: http.StatusNotFound, Body: fmt.Sprintf(`{"error":{"message":"llmtest: no handler for stage %q","type":"invalid_request_error"}}`, c.Stage)}
}

// Server is a running fake endpoint.
type Server struct {
	srv  *httptest.Server
	done chan struct{}

	mu       sync.Mutex
	handler  Handler
	calls    []Call
	inFlight int
	peak     int
	models   []string
	key      string   // RequireKey: the only Authorization accepted
	strict   bool     // RejectUnknownModels: chat for an unlisted model is a 404
	unlisted bool     // HideModelList: GET /v1/models is a 404
	batch    *batches // the Files and Batches endpoints (batch.go)
}

// New starts a fake server answering with h; it is closed on t.Cleanup.
func New(t testing.TB, h Handler) *Server {
	t.Helper()
	s := &Server{handler: h, done: make(chan struct{}), models: []string{"fake-model"}, batch: newBatches()}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("GET /v1/models", s.listModels)
	s.batchRoutes(mux)
	s.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		close(s.done) // end pending delays first, or Close would wait for them
		s.srv.CloseClientConnections()
		s.srv.Close()
	})
	return s
}

// URL returns the base URL, ending in /v1.
func (s *Server) URL() string { return s.srv.URL + "/v1" }

// Calls returns a copy of the calls received so far, in arrival order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Count returns the number of chat calls received so far.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

// PeakInFlight returns the largest number of chat calls served at once.
func (s *Server) PeakInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

// SetHandler swaps the server's behaviour for the calls that follow.
func (s *Server) SetHandler(h Handler) {
	s.mu.Lock()
	s.handler = h
	s.mu.Unlock()
}

// SetModels sets the ids GET /v1/models lists (default "fake-model").
func (s *Server) SetModels(ids ...string) {
	s.mu.Lock()
	s.models = append([]string(nil), ids...)
	s.mu.Unlock()
}

// RequireKey makes every request without "Authorization: Bearer key" a
// 401 that echoes what was sent, as OpenAI's does ("Incorrect API key
// provided: …"): the test of a wrong key and of its redaction.
func (s *Server) RequireKey(key string) {
	s.mu.Lock()
	s.key = key
	s.mu.Unlock()
}

// RejectUnknownModels makes a chat request for a model GET /v1/models does
// not list a 404 model_not_found, as OpenAI, vLLM and Ollama answer; by
// default any name is served, as llama.cpp does.
func (s *Server) RejectUnknownModels() {
	s.mu.Lock()
	s.strict = true
	s.mu.Unlock()
}

// HideModelList makes GET /v1/models a 404, as on servers that only
// serve chat.
func (s *Server) HideModelList() {
	s.mu.Lock()
	s.unlisted = true
	s.mu.Unlock()
}

// refuse writes the answer to a request the server's key or model list
// refuses, and reports whether it did.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, model string) bool {
	s.mu.Lock()
	key, strict, ids := s.key, s.strict, append([]string(nil), s.models...)
	s.mu.Unlock()
	if got := r.Header.Get("Authorization"); key != "" && got != "Bearer "+key {
		sent := strings.TrimPrefix(got, "Bearer ")
		b := errorBody("Incorrect API key provided: "+sent+". You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error")
		b["error"].(map[string]any)["code"] = "invalid_api_key"
		writeJSON(w, http.StatusUnauthorized, b)
		return true
	}
	if strict && model != "" && !slices.Contains(ids, model) {
		b := errorBody("The model `"+model+"` does not exist or you do not have access to it.", "invalid_request_error")
		b["error"].(map[string]any)["code"] = "model_not_found"
		writeJSON(w, http.StatusNotFound, b)
		return true
	}
	return false
}

func (s *Server) listModels(w http.ResponseWriter, r *http.Request) {
	if s.refuse(w, r, "") {
		return
	}
	s.mu.Lock()
	ids, unlisted := append([]string(nil), s.models...), s.unlisted
	s.mu.Unlock()
	if unlisted {
		http.NotFound(w, r)
		return
	}
	type model struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		OwnedBy string `json:"owned_by"`
	}
	data := make([]model, 0, len(ids))
	for _, id := range ids {
		data = append(data, model{ID: id, Object: "model", OwnedBy: "llmtest"})
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody("llmtest: bad JSON body: "+err.Error(), "invalid_request_error"))
		return
	}
	c := Call{
		Stage:  r.Header.Get("X-Depeche-Stage"),
		Body:   body,
		Header: r.Header.Clone(),
		Time:   time.Now(),
	}
	c.Model, _ = body["model"].(string)
	c.Stream, _ = body["stream"].(bool)
	if msgs, ok := body["messages"].([]any); ok {
		for _, m := range msgs {
			mm, _ := m.(map[string]any)
			role, _ := mm["role"].(string)
			content, _ := mm["content"].(string)
			c.Messages = append(c.Messages, Message{Role: role, Content: content})
		}
	}

	s.mu.Lock()
	c.N = len(s.calls) + 1
	s.calls = append(s.calls, c)
	s.inFlight++
	s.peak = max(s.peak, s.inFlight)
	h := s.handler
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	if s.refuse(w, r, c.Model) {
		return
	}

	rep := Reply{Content: "ok"}
	if h != nil {
		rep = h(c)
	}
	if rep.Delay > 0 {
		t := time.NewTimer(rep.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
	if rep.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					tc.SetLinger(0) // RST, not FIN: a real reset
				}
				conn.Close()
				return
			}
		}
	}
	s.write(w, c, rep)
}

func (s *Server) write(w http.ResponseWriter, c Call, rep Reply) {
	for k, v := range rep.Header {
		w.Header().Set(k, v)
	}
	status := rep.Status
	if status == 0 {
		status = http.StatusOK
	}
	if rep.Body != "" {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		fmt.Fprint(w, rep.Body)
		return
	}
	if status >= 400 {
		writeJSON(w, status, errorBody(http.StatusText(status), errorType(status)))
		return
	}

	model := c.Model
	if model == "" {
		model = "fake-model"
	}
	finish := rep.FinishReason
	if finish == "" {
		finish = "stop"
	}
	prompt := rep.PromptTokens
	if prompt == 0 {
		n := 0
		for _, m := range c.Messages {
			n += len(m.Content)
		}
		prompt = estimate(n)
	}
	completion := rep.CompletionTokens
	if completion == 0 {
		completion = estimate(len(rep.Content))
	}
	usage := map[string]int{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

	if c.Stream {
		includeUsage := false
		if so, ok := c.Body["stream_options"].(map[string]any); ok {
			includeUsage, _ = so["include_usage"].(bool)
		}
		stream(w, model, rep.Content, finish, usage, includeUsage)
		return
	}
	writeJSON(w, status, map[string]any{
		"id":      fmt.Sprintf("chatcmpl-llmtest-%d", c.N),
		"object":  "chat.completion",
		"created": c.Time.Unix(),
		"model":   model,
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": rep.Content},
			"finish_reason": finish,
		}},
		"usage": usage,
	})
}

// stream writes content as server-sent chunks of a few words each, then
// the finish reason, then (when asked) a usage-only chunk, then [DONE].
func stream(w http.ResponseWriter, model, content, finish string, usage map[string]int, includeUsage bool) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	fl, _ := w.(http.Flusher)
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if fl != nil {
			fl.Flush()
		}
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{
			"id": "chatcmpl-llmtest", "object": "chat.completion.chunk", "model": model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}},
		}
	}
	send(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	for _, piece := range pieces(content, 3) {
		send(chunk(map[string]any{"content": piece}, nil))
	}
	send(chunk(map[string]any{}, finish))
	if includeUsage {
		send(map[string]any{"id": "chatcmpl-llmtest", "object": "chat.completion.chunk", "model": model, "choices": []any{}, "usage": usage})
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
	if fl != nil {
		fl.Flush()
	}
}

// pieces splits s into runs of n words, keeping every byte (spaces
// included) so the concatenation is exactly s.
func pieces(s string, n int) []string {
	var out []string
	words := 0
	start := 0
	for i, r := range s {
		if r == ' ' || r == '\n' {
			words++
			if words == n {
				out = append(out, s[start:i+1])
				start, words = i+1, 0
			}
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func estimate(n int) int {
	if n == 0 {
		return 0
	}
	return max(1, n/4)
}

func errorType(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return "rate_limit_error"
	case status >= 500:
		return "server_error"
	default:
		return "invalid_request_error"
	}
}

func errorBody(msg, typ string) map[string]any {
	return map[string]any{"error": map[string]any{"message": msg, "type": typ, "code": nil}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
