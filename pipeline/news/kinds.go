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
