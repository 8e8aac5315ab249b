package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/depeche-news/depeche/pipeline/engine/llmengine"
)

func (a *app) modelsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "models",
		Short: "List the endpoints' models and check that the configured ones are served and the key accepted",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.load(cmd); err != nil {
				return err
			}
			if err := a.cfg.Validate(false); err != nil {
				return err
			}
			rep, err := doctor(cmd.Context(), engineSettings{
				Config: a.cfg, APIKey: a.cfg.APIKey(os.Getenv), Log: a.logger(), CacheDir: a.cacheDir(),
			})
			if rep == nil {
				return err
			}
			if a.jsonOut {
				v := struct {
					*llmengine.Report
					APIKeyEnv string `json:"api_key_env"`
					APIKeySet bool   `json:"api_key_set"`
					Error     string `json:"error,omitempty"`
				}{Report: rep, APIKeyEnv: a.cfg.LLM.APIKeyEnv, APIKeySet: a.cfg.APIKey(os.Getenv) != ""}
				if err != nil {
					v.Error = a.redact(err.Error())
				}
				a.printJSON(v)
				return err
			}
			for _, ep := range rep.Endpoints {
				models := slices.Sorted(slices.Values(ep.Models))
				for _, m := range models {
					fmt.Fprintln(a.stdout, m)
				}
				switch {
				case ep.Error != "":
					fmt.Fprintf(a.stderr, "endpoint %s: %s\n", ep.URL, ep.Error)
				case ep.Listed:
					fmt.Fprintf(a.stderr, "endpoint %s answered with %d models\n", ep.URL, len(ep.Models))
				}
				for _, c := range ep.Checks {
					status := c.Status
					if c.Near != "" {
						status += " (did you mean " + c.Near + "?)"
					}
					fmt.Fprintf(a.stderr, "  %-30s %-30s %s\n", strings.Join(c.Keys, ", "), c.Model, status)
				}
			}
			for _, n := range rep.Notes {
				fmt.Fprintf(a.stderr, "note: %s\n", n)
			}
			key := "set"
			if a.cfg.APIKey(os.Getenv) == "" {
				key = "unset (fine for local servers)"
			}
			fmt.Fprintf(a.stderr, "API key (%s): %s\n", a.cfg.LLM.APIKeyEnv, key)
			return err
		},
	}
}
