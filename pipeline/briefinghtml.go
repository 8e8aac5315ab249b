package pipeline

import (
	"io"
	"path/filepath"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
	"github.com/depeche-news/depeche/pipeline/store"
)

const fileBriefingHTML = "briefing.html"

// writeBriefingHTML writes output/briefing.html: the checked briefing with
// each article's French original beside its translation. The page is
// streamed to disk an article at a time, reading each article's French when
// its turn comes: at 5,000 articles the page is over 50 MB, and holding it
// with every original would dominate the run's memory.
func (r *runner) writeBriefingHTML(b briefing.Briefing, srcs []news.Source) error {
	dirs := r.opt.BriefDirs
	if len(dirs) == 0 {
		dirs = []string{r.opt.Out}
	}
	stems := make(map[int]string, len(srcs))
	for _, s := range srcs {
		stems[s.N] = s.Stem
	}
	original := func(n int) (briefing.Original, bool) {
		stem, ok := stems[n]
		if !ok {
			return briefing.Original{}, false
		}
		return readOriginal(dirs, stem)
	}
	_, err := store.WriteFunc(filepath.Join(r.opt.Out, fileBriefingHTML), 0o644, func(w io.Writer) error {
		return briefing.WriteHTML(w, b, original)
	})
	return err
}

// readOriginal finds an article's cleaned French and its removal report in
// the first output folder that has them. A briefing merged from summaries
// alone has none: the page then shows the English only.
func readOriginal(dirs []string, stem string) (briefing.Original, bool) {
	for _, d := range dirs {
		txt := filepath.Join(d, dirClean, stem+".txt")
		a, err := readClean(txt)
		if err != nil {
			continue
		}
		o := briefing.Original{Title: a.Title, Paragraphs: a.Paragraphs}
		var rep CleanReport
		if readJSON(filepath.Join(d, dirClean, stem+".json"), &rep) == nil {
			for _, rm := range rep.Removed {
				o.Removed = append(o.Removed, briefing.Removed{Line: rm.Line, Text: rm.Text, Rule: rm.Rule})
			}
		}
		return o, true
	}
	return briefing.Original{}, false
}
