package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/depeche-news/depeche/pipeline/clean"
	"github.com/depeche-news/depeche/pipeline/ingest"
	"github.com/depeche-news/depeche/pipeline/lang"
	"github.com/depeche-news/depeche/pipeline/llm"
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
	c, err := clean.New(clean.Options{Drop: a.cfg.Clean.Drop, Keep: a.cfg.Clean.Keep}, nil)
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

func (a *app) modelsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "models",
		Short: "List the endpoint's models and check that the configured ones exist",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.load(cmd); err != nil {
				return err
			}
			if err := a.cfg.Validate(false); err != nil {
				return err
			}
			url := a.cfg.LLM.BaseURL
			c, err := llm.New(llm.Config{
				Endpoints: []llm.EndpointConfig{{BaseURL: url, Model: a.cfg.LLM.Model, Concurrency: 1}},
				APIKey:    a.cfg.APIKey(os.Getenv), Timeout: 10 * time.Second, MaxAttempts: 1,
			})
			if err != nil {
				return err
			}
			ctx, cancel := withTimeout(cmd.Context(), 10*time.Second)
			defer cancel()
			models, err := c.Models(ctx)
			if err != nil {
				return fmt.Errorf("no model server at %s: %v", url, err)
			}
			sort.Strings(models)
			have := map[string]bool{}
			for _, m := range models {
				have[m] = true
				fmt.Fprintln(a.stdout, m)
			}
			missing := 0
			for _, stage := range []string{"translate", "summarize", "brief"} {
				m := a.cfg.StageModel(stage)
				status := "ok"
				if !have[m] {
					status, missing = "NOT SERVED by this endpoint", missing+1
				}
				fmt.Fprintf(a.stderr, "%-9s model %-30s %s\n", stage, m, status)
			}
			key := "set"
			if a.cfg.APIKey(os.Getenv) == "" {
				key = "unset (fine for local servers)"
			}
			fmt.Fprintf(a.stderr, "endpoint %s answered with %d models; API key (%s) %s\n", url, len(models), a.cfg.LLM.APIKeyEnv, key)
			if missing > 0 {
				return fmt.Errorf("%d configured model(s) not served by %s: set llm.model (or translate.model, …) to one listed above", missing, url)
			}
			return nil
		},
	}
}

func (a *app) configCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Show the effective configuration and where each value came from (the API key only as set/unset)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.load(cmd); err != nil {
				return err
			}
			settings := a.srcs.Settings(a.cfg, os.Getenv)
			width := 0
			for _, s := range settings {
				width = max(width, len(s.Key))
			}
			for _, s := range settings {
				fmt.Fprintf(a.stdout, "%-*s  %-40s  # %s\n", width, s.Key, s.Value, s.Source)
			}
			return a.cfg.Validate(false)
		},
	}
}
