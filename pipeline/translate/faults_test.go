package translate

import (
	"errors"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
	"github.com/depeche-news/depeche/pipeline/news"
)

// TestFaults runs one misbehaving model per row against a four-paragraph
// article: the translation must come out complete and right, with the
// named warning (or the file fails with the named reason).
func TestFaults(t *testing.T) {
	tests := []struct {
		name     string
		h        llmtest.Handler
		warn     string // warning code that must be recorded
		retry    string // substring of a Retries line; "" = no retry expected
		requests int    // exact number of requests, 0 = don't check
		errCode  string // the run must fail with this *Error code
		changed  bool   // the accepted answer differs from the reference by design
		add      string // French appended to the last paragraph for this row
		check    func(t *testing.T, s *llmtest.Server, tr news.Translation)
	}{
		{
			name: "truncated answer is split and completed",
			h: nth(1, func(_ llmtest.Call, g llmtest.Reply) llmtest.Reply {
				return llmtest.Reply{Content: g.Content[:len(g.Content)/2], FinishReason: "length"}
			}),
			warn: "finish_length", retry: "finish_length: split",
		},
		{
			name: "chatter is stripped",
			h: always(func(_ llmtest.Call, g llmtest.Reply) llmtest.Reply {
				return llmtest.Reply{Content: "Sure! Here is the translation:\n\n" + g.Content + "\n\nI hope this helps! Let me know if you need anything else."}
			}),
			warn: "preamble_stripped", requests: 1,
		},
		{
			name: "code fence and quotes are stripped",
			h: always(func(_ llmtest.Call, g llmtest.Reply) llmtest.Reply {
				return llmtest.Reply{Content: "```\n\"" + g.Content + "\"\n```"}
			}),
			warn: "preamble_stripped", requests: 1,
		},
		{
			name: "thinking aloud is stripped",
			h: always(func(_ llmtest.Call, g llmtest.Reply) llmtest.Reply {
				return llmtest.Reply{Content: "<think>\nThe user wants English. Paragraph one talks about letters.\n</think>\n\n" + g.Content}
			}),
			warn: "preamble_stripped", requests: 1,
		},
		{
			name: "French once is retried",
			h: nth(1, func(c llmtest.Call, _ llmtest.Reply) llmtest.Reply {
				return llmtest.Reply{Content: documentOf(c)}
			}),
			warn: "still_french", retry: "still_french", requests: 2,
			check: func(t *testing.T, s *llmtest.Server, tr news.Translation) {
				if u := s.Calls()[1].User(); !strings.Contains(u, "Answer in English") {
					t.Errorf("retry does not ask for English:\n%s", u)
				}
			},
		},
		{
			name: "dropped paragraph is retried numbered",
			h: nth(1, func(_ llmtest.Call, g llmtest.Reply) llmtest.Reply {
				ps := strings.Split(g.Content, "\n\n")
				return llmtest.Reply{Content: strings.Join(ps[:len(ps)-1], "\n\n")}
			}),
			warn: "paragraph_count", retry: "numbered", requests: 2,
			check: func(t *testing.T, s *llmtest.Server, tr news.Translation) {
				doc := documentOf(s.Calls()[1])
				if !strings.HasPrefix(doc, "[1] ") || !strings.Contains(doc, "\n\n[5] ") {
					t.Errorf("retry is not numbered:\n%s", doc)
				}
				if sys := s.Calls()[1].System(); !strings.Contains(sys, "[1]") {
					t.Errorf("numbered retry's system prompt does not ask for numbers:\n%s", sys)
				}
			},
		},
		{
			name: "vLLM context error rechunks",
			h:    nth(1, func(llmtest.Call, llmtest.Reply) llmtest.Reply { return llmtest.ContextLengthVLLM() }),
			warn: "context_length", retry: "context_length: split",
		},
		{
			name: "llama.cpp context error rechunks",
			h:    nth(1, func(llmtest.Call, llmtest.Reply) llmtest.Reply { return llmtest.ContextLengthLlamaCpp() }),
			warn: "context_length", retry: "context_length: split",
		},
		{
			name: "silent prompt truncation warns with the fix",
			h: always(func(_ llmtest.Call, g llmtest.Reply) llmtest.Reply {
				g.PromptTokens = 40
				return g
			}),
			warn: "prompt_truncated", retry: "prompt_truncated: split",
		},
		{
			name: "missing numbers are a warning, not a retry",
			h: always(func(_ llmtest.Call, g llmtest.Reply) llmtest.Reply {
				g.Content = strings.ReplaceAll(g.Content, "1948", "that year")
				return g
			}),
			warn: "numbers_missing", requests: 1, changed: true,
			check: func(t *testing.T, s *llmtest.Server, tr news.Translation) {
				for _, w := range tr.Stats.Warnings {
					if w.Code == "numbers_missing" && (!strings.Contains(w.Message, "1948") || strings.Contains(w.Message, "16 000") || w.Chunk != 1) {
						t.Errorf("warning %+v: want 1948 only, chunk 1", w)
					}
				}
			},
		},
		{
			name: "a figure that changed value is asked again",
			h: nth(1, func(_ llmtest.Call, g llmtest.Reply) llmtest.Reply {
				g.Content = strings.ReplaceAll(g.Content, "16 000", "1,600")
				return g
			}),
			warn: "number_changed", retry: "number_changed", requests: 2,
			check: func(t *testing.T, s *llmtest.Server, tr news.Translation) {
				if u := s.Calls()[1].User(); !strings.Contains(u, "16 000 → 1,600") {
					t.Errorf("the re-ask does not name the changed figure:\n%s", u)
				}
			},
		},
		{
			name: "a conditional turned into plain fact is asked again",
			add:  " Pyongyang aurait livré des obus.",
			h: nth(1, func(_ llmtest.Call, g llmtest.Reply) llmtest.Reply {
				g.Content = strings.ReplaceAll(g.Content, "would have ", "")
				return g
			}),
			warn: "hedge_lost", retry: "hedge_lost", requests: 2,
			check: func(t *testing.T, s *llmtest.Server, tr news.Translation) {
				if !strings.Contains(tr.Paragraphs[3], "would have") {
					t.Errorf("the accepted translation lost the hedge: %q", tr.Paragraphs[3])
				}
			},
		},
		{
			name: "persistent French fails with the reason",
			h: always(func(c llmtest.Call, _ llmtest.Reply) llmtest.Reply {
				return llmtest.Reply{Content: documentOf(c)}
			}),
			warn: "still_french", requests: DefaultMaxAttempts, errCode: "still_french",
		},
		{
			name: "an unclosed think block is never the answer",
			h: always(func(llmtest.Call, llmtest.Reply) llmtest.Reply {
				return llmtest.Reply{Content: "<think>\nFirst I will look at the title, which says"}
			}),
			warn: "paragraph_count", requests: DefaultMaxAttempts, errCode: "paragraph_count",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := short(t)
			a.Paragraphs[3] += " En 1948, il y avait 16 000 soldats." + tt.add
			tr, s, err := run(t, tt.h, a, options(t))
			codes := warningCodes(tr.Stats)
			if codes[tt.warn] == 0 {
				t.Errorf("no %s warning; warnings: %+v", tt.warn, tr.Stats.Warnings)
			}
			if tt.requests > 0 && s.Count() != tt.requests {
				t.Errorf("%d requests, want %d", s.Count(), tt.requests)
			}
			if tr.Stats.Requests != s.Count() {
				t.Errorf("Stats.Requests = %d, server saw %d", tr.Stats.Requests, s.Count())
			}
			retries := strings.Join(tr.Stats.Retries, "\n")
			if tt.retry == "" && tt.errCode == "" && retries != "" {
				t.Errorf("unexpected retries:\n%s", retries)
			}
			if !strings.Contains(retries, tt.retry) {
				t.Errorf("retries %q do not mention %q", retries, tt.retry)
			}
			if tt.errCode != "" {
				var e *Error
				if !errors.As(err, &e) || string(e.Code) != tt.errCode {
					t.Fatalf("err = %v, want a %s *Error", err, tt.errCode)
				}
				if !strings.Contains(err.Error(), a.Stem) || !strings.Contains(err.Error(), tt.errCode) {
					t.Errorf("error %q names neither file nor reason", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.changed {
				assertComplete(t, a, tr)
			} else if len(tr.Paragraphs) != len(a.Paragraphs) || tr.Paragraphs[3] == "" {
				t.Errorf("incomplete: %q", tr.Paragraphs)
			}
			if tt.check != nil {
				tt.check(t, s, tr)
			}
		})
	}
}

func TestTruncationWarningTellsTheFix(t *testing.T) {
	h := always(func(_ llmtest.Call, g llmtest.Reply) llmtest.Reply {
		g.PromptTokens = 40
		return g
	})
	tr, _, err := run(t, h, short(t), options(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range tr.Stats.Warnings {
		if w.Code == "prompt_truncated" {
			if !strings.Contains(w.Message, "server saw only 40 of ~") || !strings.Contains(w.Message, "options.num_ctx in llm.extra") ||
				!strings.Contains(w.Message, "lower llm.context_tokens") {
				t.Errorf("warning does not tell the fix: %q", w.Message)
			}
			return
		}
	}
	t.Fatal("no prompt_truncated warning")
}
