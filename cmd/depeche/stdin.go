package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/depeche-news/depeche/pipeline/clean"
	"github.com/depeche-news/depeche/pipeline/ingest"
	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/news"
)

// translateStdin is `cat article.txt | depeche translate -`: clean and
// translate one article from stdin, English text on stdout, nothing written.
func (a *app) translateStdin(cmd *cobra.Command) error {
	if err := a.load(cmd); err != nil {
		return err
	}
	if err := a.cfg.Validate(false); err != nil {
		return err
	}
	raw, err := readAll(a.stdin, a.cfg.MaxFileSize)
	if err != nil {
		return fmt.Errorf("translate -: %w", err)
	}
	d, err := ingest.Decode(raw, "stdin.txt")
	if err != nil {
		return fmt.Errorf("translate -: %w", err)
	}
	c, err := clean.New(clean.Options{Drop: a.cfg.Clean.Drop, Keep: a.cfg.Clean.Keep, NoBody: !a.cfg.Clean.Body}, nil)
	if err != nil {
		return err
	}
	res := c.Clean(d.Text, d.Format, d.Meta)
	art := news.Article{Stem: "stdin", Source: "-", SHA256: d.SHA256, Title: res.Title, Paragraphs: res.Paragraphs, Lang: res.Lang, Meta: res.Meta}
	if len(art.Paragraphs) == 0 && art.Title == "" {
		return fmt.Errorf("translate -: nothing left after cleaning")
	}
	if art.Lang == lang.English {
		fmt.Fprintln(a.stderr, "depeche: stdin looks English already: passed through untranslated")
		fmt.Fprint(a.stdout, text(art.Title, art.Paragraphs))
		return nil
	}
	e, _, err := a.newEngine(cmd.Context())
	if err != nil {
		return err
	}
	defer e.Close()
	t, err := e.Translate(cmd.Context(), art)
	if err != nil {
		return fmt.Errorf("translate -: %w", err)
	}
	for _, w := range t.Stats.Warnings {
		fmt.Fprintf(a.stderr, "depeche: warning %s: %s\n", w.Code, w.Message)
	}
	fmt.Fprint(a.stdout, text(t.Title, t.Paragraphs))
	return nil
}

func text(title string, paras []string) string {
	var b strings.Builder
	if title != "" {
		b.WriteString(title + "\n\n")
	}
	b.WriteString(strings.Join(paras, "\n\n"))
	b.WriteString("\n")
	return b.String()
}
