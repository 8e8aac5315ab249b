package main

import (
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/depeche-news/depeche/pipeline/llm"
)

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
