package config

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// fileWalker collects the known keys of a parsed file and warns about the
// others.
type fileWalker struct {
	name   string
	byKey  map[string]leaf
	keys   []string
	warn   io.Writer
	values map[string]any // known key → its value in the file
}

func (w *fileWalker) walk(m map[string]any, prefix, shown string) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		val := m[k]
		key, disp := prefix+strings.ToLower(k), shown+k
		if _, ok := w.byKey[key]; ok {
			// a leaf; maps and lists under it (llm.extra, llm.endpoints)
			// are free-form
			w.values[key] = val
			continue
		}
		if w.isSection(key) {
			switch sub := val.(type) {
			case map[string]any:
				w.walk(sub, key+".", disp+".")
			case nil:
			default:
				fmt.Fprintf(w.warn, "%s: %q is a section, not a value (did you mean %q?)\n", w.name, disp, Nearest(key+".", w.keys))
			}
			continue
		}
		if sub, ok := val.(map[string]any); ok && len(sub) > 0 {
			// report "translte.model", whose suggestion is useful, rather
			// than the section "translte"
			w.walk(sub, key+".", disp+".")
			continue
		}
		fmt.Fprintf(w.warn, "%s: unknown key %q (did you mean %q?)\n", w.name, disp, Nearest(key, w.keys))
	}
}

func (w *fileWalker) isSection(key string) bool {
	for _, k := range w.keys {
		if strings.HasPrefix(k, key+".") {
			return true
		}
	}
	return false
}

// warnEnv warns about DEPECHE_* variables that set nothing, except keyVar,
// the variable that holds the API key.
func warnEnv(environ []string, ls []leaf, keyVar string, warn io.Writer) {
	known := map[string]bool{keyVar: true}
	names := make([]string, 0, len(ls))
	for _, l := range ls {
		known[envVar(l.key)] = true
		names = append(names, envVar(l.key))
	}
	var unknown []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "DEPECHE_") && !known[name] {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range slices.Compact(unknown) {
		fmt.Fprintf(warn, "environment: unknown variable %s (did you mean %s?)\n", name, Nearest(name, names))
	}
}

// Nearest returns the candidate closest to s by edit distance (the first
// one on ties, so suggestions are stable).
func Nearest(s string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		if d := levenshtein(s, c); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
