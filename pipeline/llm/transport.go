package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// attempt is what one HTTP attempt needs beyond what go-openai sends, and
// what go-openai would otherwise lose of the answer. It travels in the
// request's context from Chat to the transport.
type attempt struct {
	stage string
	// set is written into the JSON body over go-openai's fields: go-openai
	// drops temperature 0 (omitempty) and knows nothing of max_tokens vs
	// max_completion_tokens per server or of Extra.
	set map[string]any

	// filled by the transport
	status  int
	header  http.Header
	errBody []byte
}

type attemptKey struct{}

func withAttempt(ctx context.Context, a *attempt) context.Context {
	return context.WithValue(ctx, attemptKey{}, a)
}

// transport patches outgoing chat requests and records status, headers and
// error bodies: go-openai never exposes Retry-After and reduces
// non-OpenAI-shaped error bodies to an unmarshalling error.
type transport struct {
	base http.RoundTripper
}

const maxErrBody = 64 << 10

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	a, _ := req.Context().Value(attemptKey{}).(*attempt)
	if a == nil {
		return t.base.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	if a.stage != "" {
		req.Header.Set("X-Depeche-Stage", a.stage)
	}
	if req.Body != nil && len(a.set) > 0 {
		body, err := patchBody(req.Body, a.set)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	a.status = resp.StatusCode
	a.header = resp.Header.Clone()
	if resp.StatusCode >= 400 {
		b, rerr := io.ReadAll(io.LimitReader(resp.Body, maxErrBody))
		resp.Body.Close()
		if rerr != nil {
			return nil, fmt.Errorf("read error body (HTTP %d): %w", resp.StatusCode, rerr)
		}
		a.errBody = b
		resp.Body = io.NopCloser(bytes.NewReader(b))
	}
	return resp, nil
}

func patchBody(r io.ReadCloser, set map[string]any) ([]byte, error) {
	defer r.Close()
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	var body map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep numbers exactly as go-openai wrote them
	if err := dec.Decode(&body); err != nil {
		return nil, fmt.Errorf("patch request body: %w", err)
	}
	merge(body, set)
	out, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("patch request body: %w", err)
	}
	return out, nil
}

// merge writes src into dst, merging nested objects key by key so that,
// say, Extra {"options": {"num_ctx": 8192}} adds to an existing "options".
func merge(dst, src map[string]any) {
	for k, v := range src {
		sv, sok := v.(map[string]any)
		dv, dok := dst[k].(map[string]any)
		switch {
		case sok && dok:
			merge(dv, sv)
		case sok:
			// A copy, so that later merges never write into the caller's map.
			c := make(map[string]any, len(sv))
			merge(c, sv)
			dst[k] = c
		default:
			dst[k] = v
		}
	}
}
