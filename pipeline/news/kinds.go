package news

// Stage names a step an article goes through, in order: found, read,
// cleaned, translated, summarized, merged into the briefing. It keys the
// manifest's per-stage stats and the engines' per-stage identity and model.
type Stage string

// The stages, in order.
const (
	StageDiscover  Stage = "discover" // finding the files (a file that cannot be listed fails here)
	StageRead      Stage = "read"     // decoding a file (too big, binary, empty)
	StageClean     Stage = "clean"
	StageTranslate Stage = "translate"
	StageSummarize Stage = "summarize"
	StageBrief     Stage = "brief"
)

// Order is the stage's place in the pipeline (StageDiscover is 1); 0 for a
// name that is no stage.
func (s Stage) Order() int {
	switch s {
	case StageDiscover:
		return 1
	case StageRead:
		return 2
	case StageClean:
		return 3
	case StageTranslate:
		return 4
	case StageSummarize:
		return 5
	case StageBrief:
		return 6
	}
	return 0
}

// The names of what produced a result (Stats.Engine): the two engines, and
// the cleaning rules.
const (
	EngineLLM     = "llm"
	EngineOffline = "offline"
	EngineRules   = "rules"
)

// WarningCode is the stable name of a warning (Warning.Code), as the
// manifest, front matter and --json carry it.
type WarningCode string

// The warnings, by the stage that gives them.
const (
	// reading and cleaning
	WarnMixedEncoding WarningCode = "mixed_encoding" // a file mixes encodings; decoded line by line

	// translation, either engine
	WarnEnglishSource WarningCode = "english_source" // passed through, not translated
	WarnStillFrench   WarningCode = "still_french"   // a paragraph still reads as French
	WarnNameMissing   WarningCode = "name_missing"   // the offline pivot lost a protected name

	// translation checks (the LLM engine retries, then keeps or fails)
	WarnLengthRatio      WarningCode = "length_ratio"
	WarnParagraphCount   WarningCode = "paragraph_count"
	WarnNumberChanged    WarningCode = "number_changed"
	WarnNumbersMissing   WarningCode = "numbers_missing"
	WarnHedgeLost        WarningCode = "hedge_lost"
	WarnQuoteLost        WarningCode = "quote_lost"
	WarnPreambleStripped WarningCode = "preamble_stripped"
	WarnLongSentence     WarningCode = "long_sentence"
	WarnReview           WarningCode = "review"

	// a server's limits, met and adapted to
	WarnContextLength   WarningCode = "context_length"   // refused as over its context (translate, summarize)
	WarnContextExceeded WarningCode = "context_exceeded" // the same, as the briefing names it
	WarnFinishLength    WarningCode = "finish_length"    // an answer cut at the token limit
	WarnPromptTruncated WarningCode = "prompt_truncated" // a prompt silently cut to the context (Ollama)

	// summaries and the briefing
	WarnSummaryInParts WarningCode = "summary_in_parts"
	WarnFewKeyFacts    WarningCode = "few_key_facts"
	WarnBriefTrimmed   WarningCode = "brief_trimmed"
	// a key fact states as fact what the sentences it rests on only
	// report ("according to KCNA", "reportedly", a quote), even after one
	// request to restate it
	WarnAttributionLost WarningCode = "attribution_lost"

	// the chunk-level cache could not be written (the result stands)
	WarnCache      WarningCode = "cache"
	WarnCacheWrite WarningCode = "cache_write"
)
