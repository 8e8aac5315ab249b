package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

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
			if a.jsonOut {
				type row struct {
					Key    string `json:"key"`
					Value  string `json:"value"`
					Source string `json:"source"`
				}
				rows := make([]row, len(settings))
				for i, s := range settings {
					rows[i] = row(s)
				}
				if err := a.cfg.Validate(false); err != nil {
					return err // the error object, not a listing of an invalid set-up
				}
				a.printJSON(rows)
				return nil
			}
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
