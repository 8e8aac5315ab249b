#!/bin/bash
# Submits the array job, then the merge to run once every task succeeded.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p logs
array=$(sbatch --parsable depeche-array.sbatch)
sbatch --dependency="afterok:${array%%;*}" brief.sbatch
echo "submitted array job $array and its merge" >&2
