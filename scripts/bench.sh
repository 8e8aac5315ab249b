#!/usr/bin/env bash
# Runs depeche's benchmarks — the Go micro-benchmarks of the stage packages,
# then the end-to-end ones of cmd/depeche (8-slot fake server, peak RSS of
# the binary, the briefing of 2,000 and 5,000 articles told as stories,
# offline run vs the bare Apertium pipe) — keeps the raw output
# in bin/bench.txt and prints a Markdown summary with the machine it ran on.
#
#   scripts/bench.sh            run everything (about 10 minutes on 2 cores)
#   scripts/bench.sh FILE       only format an earlier raw output
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

raw=${1:-}
if [ -z "$raw" ]; then
  mkdir -p bin
  raw=bin/bench.txt
  load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
  {
    echo "# load average at start: $load"
    # micro-benchmarks: long enough for stable per-op figures
    go test -run '^$' -bench . -benchmem -benchtime 2s -timeout 10m \
      ./pipeline/ingest ./pipeline/clean ./pipeline/llm ./pipeline/translate ./pipeline/brief ./pipeline/briefing
    # Apertium runs take seconds each: once is a measurement
    go test -run '^$' -bench . -benchmem -benchtime 1x -timeout 15m ./pipeline/apertium ./pipeline/extract
    go test -run '^$' -bench . -benchtime 1x -timeout 20m ./cmd/depeche
  } 2>&1 | tee "$raw" >&2
fi

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
echo
echo "Measured on: $(nproc) cores, ${cpu:-unknown CPU}, $(go env GOVERSION), $(uname -sr), $(date -u +%Y-%m-%d)"
grep -m1 '^# load average' "$raw" | sed 's/^# l/L/' || true
echo
echo "| package | benchmark | results |"
echo "|---|---|---|"
awk '
  /^pkg: / { pkg = $2; sub(/^github.com\/depeche-news\/depeche\//, "", pkg) }
  /^Benchmark/ && NF >= 4 {
    name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
    res = ""
    for (i = 3; i + 1 <= NF; i += 2) {
      v = $i; u = $(i + 1)
      if (u == "ns/op") {
        if (v >= 1e9) { v = sprintf("%.2f", v / 1e9); u = "s/op" }
        else if (v >= 1e6) { v = sprintf("%.1f", v / 1e6); u = "ms/op" }
        else if (v >= 1e3) { v = sprintf("%.1f", v / 1e3); u = "µs/op" }
      } else if (u == "B/op" && v >= 1048576) { v = sprintf("%.1f", v / 1048576); u = "MiB/op" }
      else if (v ~ /\./) { v = sprintf("%.3g", v) }
      res = res (res == "" ? "" : " · ") v " " u
    }
    printf "| %s | %s | %s |\n", pkg, name, res
  }
' "$raw"
