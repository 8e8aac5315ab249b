package pipeline

import (
	"context"
	"errors"

	"github.com/depeche-news/depeche/pipeline/ingest"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
)

// DryRunReport is what --dry-run prints: what would be done and what it
// would cost, with nothing sent and nothing written.
type DryRunReport struct {
	Files    int            `json:"files"`
	Cached   int            `json:"cached"`  // already translated and summarized: would cost nothing
	Skipped  int            `json:"skipped"` // unreadable, empty, English, nothing left after cleaning
	Requests int            `json:"requests"`
	Tokens   int            `json:"tokens"`
	PerFile  []DryRunFile   `json:"per_file"`
	Budget   map[string]int `json:"-"`
}

// DryRunFile is one file's line in the dry-run report.
type DryRunFile struct {
	Source   string `json:"source"`
	Action   string `json:"action"`
	Requests int    `json:"requests"`
	Tokens   int    `json:"tokens"`
}

func (r *runner) dryRun(ctx context.Context, items []*item) (*DryRunReport, error) {
	if err := r.prepareClean(ctx, items); err != nil {
		return nil, err
	}
	rep := &DryRunReport{Files: len(items)}
	for _, it := range items {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		line := DryRunFile{Source: it.rec.Source, Action: "process"}
		var a news.Article
		switch {
		case it.rec.Status == StatusFailed:
			line.Action = "fail: " + it.rec.Reason
		case it.kind == kindSource:
			d, err := ingest.Read(it.path, r.opt.MaxFileSize)
			if err != nil {
				line.Action = "skip: " + err.Error()
				if !errors.Is(err, ingest.ErrEmpty) {
					line.Action = "fail: " + err.Error()
				}
				break
			}
			res := r.cleaner.Clean(d.Text, d.Format, d.Meta)
			a = news.Article{Stem: it.stem, Title: res.Title, Paragraphs: res.Paragraphs, Lang: res.Lang}
		case it.kind == kindClean:
			var err error
			if a, err = readClean(it.path); err != nil {
				line.Action = "fail: " + err.Error()
			}
		case it.kind == kindTranslation:
			line.Action = "summarize"
			if r.opt.Engine != nil {
				line.Requests, line.Tokens = 1, 600
			}
		}
		if len(a.Paragraphs) > 0 && r.opt.Engine != nil && r.opt.Through != news.StageClean {
			key := store.Key("file-translate", r.opt.Engine.Identity(news.StageTranslate), a.Title, a.Paragraphs)
			var t news.Translation
			switch {
			case a.Lang == "en":
				line.Action = "pass through (English)"
			case r.cache.Get(key, &t):
				line.Action = "cached"
				rep.Cached++
			default:
				line.Requests, line.Tokens = r.opt.Engine.Estimate(a)
			}
		} else if it.kind == kindSource && line.Action == "process" {
			line.Action = "clean"
			if len(a.Paragraphs) == 0 {
				line.Action = "skip: nothing left after cleaning"
			}
		}
		if line.Action != "process" && line.Action != "clean" && line.Action != "summarize" && line.Action != "cached" {
			rep.Skipped++
		}
		rep.Requests += line.Requests
		rep.Tokens += line.Tokens
		rep.PerFile = append(rep.PerFile, line)
	}
	if r.opt.Through == news.StageBrief && r.opt.Engine != nil && r.opt.Engine.Name() == news.EngineLLM {
		n := rep.Files - rep.Skipped
		rep.Requests++
		rep.Tokens += 250*n + 1500
	}
	return rep, nil
}
