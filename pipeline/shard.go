package pipeline

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard selects a stable hash-partition of the files, so N workers (a
// Kubernetes Indexed Job, a Slurm array, GNU parallel) can share a batch
// without coordinating: worker i of n takes the files whose path hashes to i.
// Index is 0-based, like JOB_COMPLETION_INDEX and SLURM_ARRAY_TASK_ID with
// --array=0-(n-1).
type Shard struct{ Index, Count int }

// ParseShard reads "i/n".
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("--shard %q: want i/n with 0 ≤ i < n, e.g. 3/16", s)
	}
	return Shard{Index: i, Count: n}, nil
}

// Has reports whether the file at rel belongs to this shard. The hash is of
// the path relative to its input root, so every worker agrees whatever the
// mount point.
func (s Shard) Has(rel string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(rel))
	return int(h.Sum32()%uint32(s.Count)) == s.Index
}

func (s Shard) String() string {
	if s.Count <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}
