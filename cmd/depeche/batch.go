package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/depeche-news/depeche/pipeline"
)

// batchFlags adds the batch-mode flags to `depeche run`.
func batchFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Bool("batch", false, "send the model requests through the OpenAI Batch API (/v1/files, /v1/batches): half price, answers within 24h; resumes a submitted batch after a restart")
	f.Bool("batch-jsonl-only", false, "write the next round of requests as a Batch API JSONL file and stop (run it with vLLM's run_batch, then --batch-ingest)")
	f.String("batch-ingest", "", "store the answers of a Batch API output file (e.g. from vLLM's run_batch), then continue: without --batch, write the next round's JSONL")
	f.Duration("batch-poll", 30*time.Second, "time between batch status checks")
}

// batchOptions reads the batch flags, if the command has them, into opt.
func batchOptions(cmd *cobra.Command, opt *pipeline.Options) error {
	f := cmd.Flags()
	if f.Lookup("batch") == nil {
		return nil
	}
	submit, _ := f.GetBool("batch")
	writeOnly, _ := f.GetBool("batch-jsonl-only")
	ingest, _ := f.GetString("batch-ingest")
	poll, _ := f.GetDuration("batch-poll")
	if !submit && !writeOnly && ingest == "" {
		return nil
	}
	if submit && writeOnly {
		return usageError{errors.New("--batch and --batch-jsonl-only exclude each other: one submits the rounds, the other only writes them")}
	}
	if poll <= 0 {
		return usageError{fmt.Errorf("--batch-poll %s: want a positive duration", poll)}
	}
	opt.Batch = &pipeline.BatchOptions{Submit: submit, Poll: poll, Ingest: ingest}
	return nil
}
