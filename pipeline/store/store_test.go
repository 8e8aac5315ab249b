package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "a.txt")
	for _, content := range []string{"first « version »", "second"} {
		if err := WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != content {
			t.Fatalf("read back %q, %v; want %q", got, err, content)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
}

func TestWriteFileFailureLeavesOldContent(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	if err := WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A folder where the file should go: the rename must fail, the old file
	// (elsewhere) and the folder stay as they were, and no temp file remains.
	blocked := filepath.Join(dir, "blocked")
	os.Mkdir(blocked, 0o755)
	os.WriteFile(filepath.Join(blocked, "x"), []byte("x"), 0o644)
	err := WriteFile(blocked, []byte("new"), 0o644)
	if err == nil || !strings.Contains(err.Error(), "blocked") {
		t.Fatalf("err = %v, want an error naming the path", err)
	}
	if got, _ := os.ReadFile(p); string(got) != "old" {
		t.Errorf("old file changed: %q", got)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temp file left: %s", e.Name())
		}
	}
}

func TestCache(t *testing.T) {
	dir := t.TempDir()
	c := NewCache(dir, false)
	type v struct{ A string }
	k := Key("translate", "model-a", []string{"Bonjour"})
	var got v
	if c.Get(k, &got) {
		t.Fatal("hit on an empty cache")
	}
	if err := c.Put(k, v{"Hello"}); err != nil {
		t.Fatal(err)
	}
	if !c.Get(k, &got) || got.A != "Hello" {
		t.Fatalf("Get = %+v", got)
	}
	if c.Len() != 1 {
		t.Errorf("Len = %d", c.Len())
	}
	// --force: old entries ignored, new ones still stored.
	f := NewCache(dir, true)
	if f.Get(k, &got) {
		t.Error("forced cache hit")
	}
	k2 := Key("other")
	if err := f.Put(k2, v{"x"}); err != nil || !c.Get(k2, &got) {
		t.Error("forced cache did not store")
	}
	// A corrupt entry is a miss, not an error.
	os.WriteFile(c.path(k), []byte("{not json"), 0o644)
	if c.Get(k, &got) {
		t.Error("corrupt entry hit")
	}
	// A nil cache never hits and never fails.
	var nc *Cache
	if nc.Get(k, &got) || nc.Put(k, v{}) != nil || nc.Len() != 0 {
		t.Error("nil cache misbehaves")
	}
}

func TestKeyDistinguishesParts(t *testing.T) {
	tests := []struct{ a, b []any }{
		{[]any{"ab", "c"}, []any{"a", "bc"}},
		{[]any{"model-a", "x"}, []any{"model-b", "x"}},
		{[]any{[]string{"a", "b"}}, []any{[]string{"a b"}}},
		{[]any{0.0}, []any{0.2}},
	}
	for _, tt := range tests {
		if Key(tt.a...) == Key(tt.b...) {
			t.Errorf("Key(%v) == Key(%v)", tt.a, tt.b)
		}
	}
	if Key("same", 1) != Key("same", 1) {
		t.Error("Key is not deterministic")
	}
}
