package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/depeche-news/depeche/pipeline/news"
)

// This file is the only one that knows go-openai. Everything it sends goes
// through transport, which adds what go-openai cannot express and records
// what it drops from the answer.

// api is go-openai bound to one endpoint.
type api struct {
	plain   *openai.Client // whole-request timeout
	stream  *openai.Client // no whole-request timeout: an idle watchdog instead
	timeout time.Duration
}

func newAPI(baseURL, key string, timeout time.Duration, rt http.RoundTripper) *api {
	mk := func(hc *http.Client) *openai.Client {
		cfg := openai.DefaultConfig(key)
		cfg.BaseURL = baseURL
		cfg.HTTPClient = hc
		return openai.NewClientWithConfig(cfg)
	}
	return &api{
		plain:   mk(&http.Client{Transport: rt, Timeout: timeout}),
		stream:  mk(&http.Client{Transport: rt}),
		timeout: timeout,
	}
}

type chatParams struct {
	model    string
	messages []Message
	schema   *Schema
	mode     int // schemaJSONSchema, ...
	stream   bool
	onDelta  func(text string) // streaming only
}

type chatResult struct {
	content, finish, model string
	usage                  news.Usage
}

var errEmpty = errors.New("the server answered with no choices")

func (a *api) request(p chatParams) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{Model: p.model}
	for _, m := range p.messages {
		req.Messages = append(req.Messages, openai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	if p.schema != nil {
		switch p.mode {
		case schemaJSONSchema:
			req.ResponseFormat = &openai.ChatCompletionResponseFormat{
				Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
				JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
					Name:   p.schema.Name,
					Schema: p.schema.Schema,
					Strict: false,
				},
			}
		case schemaJSONObject:
			req.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
		}
	}
	return req
}

// chat sends one chat completion. Errors are go-openai's, unredacted: the
// caller classifies them with what the transport captured.
func (a *api) chat(ctx context.Context, p chatParams) (chatResult, error) {
	req := a.request(p)
	if p.stream {
		return a.chatStream(ctx, req, p.onDelta)
	}
	resp, err := a.plain.CreateChatCompletion(ctx, req)
	if err != nil {
		return chatResult{}, err
	}
	if len(resp.Choices) == 0 {
		return chatResult{}, errEmpty
	}
	c := resp.Choices[0]
	return chatResult{
		content: c.Message.Content,
		finish:  string(c.FinishReason),
		model:   resp.Model,
		usage:   news.Usage{PromptTokens: resp.Usage.PromptTokens, CompletionTokens: resp.Usage.CompletionTokens},
	}, nil
}

var errStreamIdle = errors.New("stream idle")

// chatStream reads a streamed completion. A long generation may take far
// longer than the timeout, so the timeout bounds the silence between
// chunks rather than the whole answer.
func (a *api) chatStream(ctx context.Context, req openai.ChatCompletionRequest, onDelta func(string)) (chatResult, error) {
	req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var watchdog *time.Timer
	if a.timeout > 0 {
		watchdog = time.AfterFunc(a.timeout, func() { cancel(errStreamIdle) })
		defer watchdog.Stop()
	}
	idle := func(err error) error {
		if errors.Is(context.Cause(ctx), errStreamIdle) {
			return fmt.Errorf("no data for %s: %w", a.timeout, context.DeadlineExceeded)
		}
		return err
	}

	s, err := a.stream.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return chatResult{}, idle(err)
	}
	defer s.Close()
	var res chatResult
	var content []byte
	choices := false
	for {
		chunk, err := s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return chatResult{}, idle(err)
		}
		if watchdog != nil {
			watchdog.Reset(a.timeout)
		}
		if chunk.Model != "" {
			res.model = chunk.Model
		}
		if chunk.Usage != nil {
			res.usage = news.Usage{PromptTokens: chunk.Usage.PromptTokens, CompletionTokens: chunk.Usage.CompletionTokens}
		}
		if len(chunk.Choices) == 0 {
			continue
		}
		choices = true
		c := chunk.Choices[0]
		if c.FinishReason != "" {
			res.finish = string(c.FinishReason)
		}
		if c.Delta.Content != "" {
			content = append(content, c.Delta.Content...)
			if onDelta != nil {
				onDelta(c.Delta.Content)
			}
		}
	}
	if !choices {
		return chatResult{}, errEmpty
	}
	res.content = string(content)
	return res, nil
}

// models lists the ids the endpoint serves.
func (a *api) models(ctx context.Context) ([]string, error) {
	l, err := a.plain.ListModels(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(l.Models))
	for _, m := range l.Models {
		ids = append(ids, m.ID)
	}
	return ids, nil
}
