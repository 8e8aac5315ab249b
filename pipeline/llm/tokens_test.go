package llm

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestCountTokens(t *testing.T) {
	tests := []struct {
		model, text string
		want        int
	}{
		{"gpt-4o", "hello world", 2},
		{"gpt-4o-mini", "", 0},
		{"openai/gpt-4.1-mini", "hello world", 2},
		{"gpt-4", "hello world", 2},
		{"gpt-3.5-turbo", "hello world", 2},
		{"qwen2.5:7b", "hello world", 4}, // 11 runes / 3.6, rounded up
		{"llama3.1", "a", 1},
		{"", "日本語", 3},
	}
	for _, tt := range tests {
		if got := CountTokens(tt.model, tt.text); got != tt.want {
			t.Errorf("CountTokens(%q, %q) = %d, want %d", tt.model, tt.text, got, tt.want)
		}
	}
}

// The estimate must stay close to (and not under) a real tokenizer on
// French news text, which is what it budgets.
func TestEstimateCalibratedOnSeeds(t *testing.T) {
	files, _ := filepath.Glob("testdata/seeds/*.txt")
	if len(files) == 0 {
		t.Fatal("no seeds in testdata/seeds: nothing to calibrate on")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		real := CountTokens("gpt-4", string(b))
		est := CountTokens("mistral-small", string(b))
		ratio := float64(est) / float64(real)
		if ratio < 0.97 || ratio > 1.1 || math.IsNaN(ratio) {
			t.Errorf("%s: estimate %d vs cl100k %d (×%.2f)", filepath.Base(f), est, real, ratio)
		}
	}
}

func BenchmarkCountTokensGPT4o(b *testing.B) {
	text, err := os.ReadFile("testdata/seeds/000_ab2097d8a47941ba.txt")
	if err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		CountTokens("gpt-4o", string(text))
	}
}
