package clean

import (
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newSplit is the split of a page added to the corpus after the first
// split was made (its name starts with a letter, not a number): decided by
// its name alone, fixed before any result on it was seen. FNV-1a (32
// bits) of the name without its extension: odd goes to test-new, even to
// dev. A page's HTML version and its text dump share the name, so they
// share the split.
func newSplit(name string) string {
	h := fnv.New32a()
	h.Write([]byte(strings.TrimSuffix(name, filepath.Ext(name))))
	if h.Sum32()%2 == 1 {
		return "test-new"
	}
	return "dev"
}

// TestSplitRule holds every page added after the first split to the
// split its name gives it.
func TestSplitRule(t *testing.T) {
	for _, split := range []string{"dev", "test", "test-new"} {
		ents, err := os.ReadDir(filepath.Join("testdata/corpus", split))
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			t.Fatal(err)
		}
		for _, e := range ents {
			name := e.Name()
			if name[0] >= '0' && name[0] <= '9' {
				if split == "test-new" {
					t.Errorf("test-new/%s: a page of the first split", name)
				}
				continue
			}
			if want := newSplit(name); want != split {
				t.Errorf("%s/%s: the split rule puts it in %s", split, name, want)
			}
		}
	}
}
