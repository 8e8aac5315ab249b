// Package engine is the contract between the runner and an engine: the
// Engine interface, the optional Batcher interface of an engine that can
// send its model requests as Batch API rounds, and the errors an engine
// returns that the runner acts on. It holds no engine of its own: the two
// are pipeline/engine/llmengine and pipeline/engine/offline, and the CLI
// chooses between them. It imports nothing of ours but the domain types
// and the briefing format, so the runner builds without any model client.
package engine

import (
	"context"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
)

// BriefOptions shape the merged briefing; an alias so the engines need not
// import this package for it.
type BriefOptions = news.BriefOptions

// Engine translates, summarizes and briefs. Implementations must be safe for
// concurrent use: the runner calls Translate and Summarize for many files at
// once.
type Engine interface {
	// Name is news.EngineLLM or news.EngineOffline; it goes into front
	// matter and the manifest.
	Name() string
	// Identity names everything a stage's result depends on besides its input
	// (model, endpoint, prompt version, parameters, glossary): the runner's
	// file-level cache keys on it, so changing any of it reruns that stage.
	Identity(stage news.Stage) string
	// Model is the model used for a stage, as recorded in outputs.
	Model(stage news.Stage) string
	// Estimate returns the requests and tokens translating and summarizing an
	// article would cost, for --dry-run; the offline engine returns zeros.
	Estimate(a news.Article) (requests, tokens int)
	// Translate renders a French article in English, paragraph for paragraph.
	Translate(ctx context.Context, a news.Article) (news.Translation, error)
	// Summarize condenses one translated article.
	Summarize(ctx context.Context, t news.Translation) (news.Summary, error)
	// Brief merges all sources into one briefing whose points cite them.
	Brief(ctx context.Context, sources []news.Source, opt BriefOptions) (briefing.Briefing, error)
	// Close releases long-lived resources (processes, connections).
	Close() error
}
