package llmtest

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func post(t *testing.T, url, stage, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", url+"/chat/completions", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Depeche-Stage", stage)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestServerRecordsAndAnswers(t *testing.T) {
	s := New(t, Router{"translate": Text("Hello « world »"), "": Echo()}.Handle)
	resp, body := post(t, s.URL(), "translate", `{"model":"m1","temperature":0,"messages":[{"role":"system","content":"sys"},{"role":"user","content":"Bonjour le monde"}]}`)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var out struct {
		Model   string
		Choices []struct {
			Message      struct{ Content string }
			FinishReason string `json:"finish_reason"`
		}
		Usage struct {
			PromptTokens     int `json:"prompt_tokens"`
			CompletionTokens int `json:"completion_tokens"`
		}
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if out.Choices[0].Message.Content != "Hello « world »" || out.Choices[0].FinishReason != "stop" || out.Model != "m1" {
		t.Errorf("reply = %+v", out)
	}
	if want := len("sys"+"Bonjour le monde") / 4; out.Usage.PromptTokens != want {
		t.Errorf("prompt tokens = %d, want %d", out.Usage.PromptTokens, want)
	}
	_, body = post(t, s.URL(), "other", `{"messages":[{"role":"user","content":"echo me"}]}`)
	if !strings.Contains(body, `"echo me"`) {
		t.Errorf("fallback did not echo: %s", body)
	}
	calls := s.Calls()
	if len(calls) != 2 || calls[0].N != 1 || calls[0].Stage != "translate" || calls[0].Body["temperature"] != 0.0 || calls[0].User() != "Bonjour le monde" || calls[0].System() != "sys" {
		t.Errorf("calls = %+v", calls)
	}
}

func TestServerStreams(t *testing.T) {
	s := New(t, Text("one two three four five six seven"))
	resp, body := post(t, s.URL(), "", `{"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}]}`)
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	var got strings.Builder
	var sawUsage, sawDone bool
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		if line == "[DONE]" {
			sawDone = true
			continue
		}
		var ch struct {
			Choices []struct{ Delta struct{ Content string } }
			Usage   *struct {
				CompletionTokens int `json:"completion_tokens"`
			}
		}
		if err := json.Unmarshal([]byte(line), &ch); err != nil {
			t.Fatal(err)
		}
		for _, c := range ch.Choices {
			got.WriteString(c.Delta.Content)
		}
		if ch.Usage != nil {
			sawUsage = ch.Usage.CompletionTokens > 0
		}
	}
	if got.String() != "one two three four five six seven" || !sawUsage || !sawDone {
		t.Errorf("stream content %q usage %v done %v", got.String(), sawUsage, sawDone)
	}
}

func TestFaultHandlersAreDeterministic(t *testing.T) {
	tests := []struct {
		name string
		h    Handler
		want []int // statuses for calls 1..n (0 = success)
	}{
		{"fail every 3rd", Fail(3, ServerError(), Text("ok")), []int{0, 0, 500, 0, 0, 500}},
		{"times 2", Times(2, RateLimited("1"), Text("ok")), []int{429, 429, 0, 0}},
		{"sequence repeats last", Sequence(ServerError(), Reply{Content: "a"}), []int{500, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, want := range tt.want {
				if got := tt.h(Call{N: i + 1}).Status; got != want {
					t.Errorf("call %d: status %d, want %d", i+1, got, want)
				}
			}
		})
	}
}

func TestDelayEndsWhenClientLeaves(t *testing.T) {
	s := New(t, Always(Hang()))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", s.URL()+"/chat/completions", strings.NewReader(`{"messages":[]}`))
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("hang answered")
	}
	// The handler must have returned, freeing its in-flight slot.
	deadline := time.Now().Add(2 * time.Second)
	for {
		s.mu.Lock()
		n := s.inFlight
		s.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("handler still in flight after client left")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if s.PeakInFlight() != 1 {
		t.Errorf("peak = %d", s.PeakInFlight())
	}
}

func TestModels(t *testing.T) {
	s := New(t, nil)
	s.SetModels("a", "b")
	resp, err := http.Get(s.URL() + "/models")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Data []struct{ ID string } }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if len(out.Data) != 2 || out.Data[0].ID != "a" || out.Data[1].ID != "b" {
		t.Errorf("models = %+v", out.Data)
	}
}
