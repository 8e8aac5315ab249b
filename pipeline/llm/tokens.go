package llm

import (
	"strings"
	"sync"
	"unicode"

	"github.com/tiktoken-go/tokenizer"
)

// The codecs are immutable once built and safe for concurrent Count; each
// is built on first use because loading a vocabulary takes a while.
var (
	cl100k = sync.OnceValue(func() tokenizer.Codec { return mustCodec(tokenizer.Cl100kBase) })
	o200k  = sync.OnceValue(func() tokenizer.Codec { return mustCodec(tokenizer.O200kBase) })
)

func mustCodec(e tokenizer.Encoding) tokenizer.Codec {
	c, err := tokenizer.Get(e)
	if err != nil {
		panic("llm: embedded tokenizer " + string(e) + ": " + err.Error())
	}
	return c
}

// runesPerToken is the estimate for models whose tokenizer we do not have
// (Llama, Qwen, Mistral... behind Ollama, vLLM or llama.cpp). Calibrated
// on the five French seeds in seeds/ (17,962 runes): cl100k_base gives
// 3.71 runes per token (3.59–3.79 per file), o200k_base 4.42. Recent open
// models' vocabularies fall between the two. English prose runs ~4.5–5.5
// runes per cl100k token, so 3.6 overestimates it: the safe direction for
// context windows and budgets.
const runesPerToken = 3.6

// CountTokens returns the number of tokens text costs for model: exact
// with tiktoken for OpenAI model names (gpt-4o, gpt-4.1, o1/o3/o4, gpt-5:
// o200k_base; gpt-4, gpt-3.5: cl100k_base), a calibrated estimate for
// anything else. Non-empty text is at least one token.
func CountTokens(model, text string) int {
	if text == "" {
		return 0
	}
	if c := codecFor(model); c != nil {
		if n, err := c.Count(text); err == nil {
			return max(n, 1)
		}
	}
	return estimateTokens(text)
}

func codecFor(model string) tokenizer.Codec {
	m := strings.ToLower(model)
	// "openai/gpt-4o" (OpenRouter), "azure/gpt-4o" and the like.
	if i := strings.LastIndexByte(m, '/'); i >= 0 {
		m = m[i+1:]
	}
	switch {
	case strings.HasPrefix(m, "gpt-4o"), strings.HasPrefix(m, "chatgpt-4o"), strings.HasPrefix(m, "gpt-4.1"),
		strings.HasPrefix(m, "gpt-4.5"), strings.HasPrefix(m, "gpt-5"), reasoningModel(m):
		return o200k()
	case strings.HasPrefix(m, "gpt-4"), strings.HasPrefix(m, "gpt-3.5"), strings.HasPrefix(m, "gpt-35"):
		return cl100k()
	}
	return nil
}

// estimateTokens counts Latin-script and other alphabetic text at
// runesPerToken, and each ideograph or kana as one token (their usual cost),
// and rounds up.
func estimateTokens(text string) int {
	var latin, dense int
	for _, r := range text {
		if r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
			unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)) {
			dense++
		} else {
			latin++
		}
	}
	n := dense + int(float64(latin)/runesPerToken+0.999)
	return max(n, 1)
}
