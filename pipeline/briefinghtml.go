package pipeline

import (
	"path/filepath"

	"github.com/depeche-news/depeche/pipeline/briefing"
	"github.com/depeche-news/depeche/pipeline/news"
)

const fileBriefingHTML = "briefing.html"

// writeBriefingHTML writes output/briefing.html: the checked briefing with
// each article's French original beside its translation.
func (r *runner) writeBriefingHTML(b briefing.Briefing, srcs []news.Source) error {
	dirs := r.opt.BriefDirs
	if len(dirs) == 0 {
		dirs = []string{r.opt.Out}
	}
	originals := map[int]briefing.Original{}
	for _, s := range srcs {
		if o, ok := readOriginal(dirs, s.Stem); ok {
			originals[s.N] = o
		}
	}
	page, err := briefing.HTML(b, originals)
	if err != nil {
		return err
	}
	return writeOutput(filepath.Join(r.opt.Out, fileBriefingHTML), page)
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
