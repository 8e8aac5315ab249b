package store

import (
	"errors"
	"io"
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

// TestWriteFunc: a streamed write lands atomically, leaves an identical
// file untouched (no new inode, same modification time), replaces one that
// differs anywhere (a longer page, or the same size with one byte changed
// past the first block), and a fill that fails leaves the old file and no
// temporary one.
func TestWriteFunc(t *testing.T) {
	big := strings.Repeat("« un paragraphe »\n", 20000) // several 64 KB blocks
	flip := []byte(big)
	flip[len(flip)-3] = 'X'
	tests := []struct {
		name        string
		old, new    string
		fail        bool
		wantChanged bool
		want        string
	}{
		{"new file", "", "page", false, true, "page"},
		{"identical", big, big, false, false, big},
		{"longer", big, big + "more", false, true, big + "more"},
		{"one byte past the first block", big, string(flip), false, true, string(flip)},
		{"fill fails", "old", "half", true, false, "old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "page.html")
			var before os.FileInfo
			if tt.old != "" {
				if err := os.WriteFile(p, []byte(tt.old), 0o644); err != nil {
					t.Fatal(err)
				}
				before, _ = os.Stat(p)
			}
			changed, err := WriteFunc(p, 0o644, func(w io.Writer) error {
				if _, err := io.WriteString(w, tt.new); err != nil {
					return err
				}
				if tt.fail {
					return errors.New("disk on fire")
				}
				return nil
			})
			if tt.fail != (err != nil) {
				t.Fatalf("err = %v, want failure %v", err, tt.fail)
			}
			if err != nil && !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name the file", err)
			}
			if changed != tt.wantChanged {
				t.Errorf("changed = %v, want %v", changed, tt.wantChanged)
			}
			got, _ := os.ReadFile(p)
			if string(got) != tt.want {
				t.Errorf("file holds %d bytes, want %d", len(got), len(tt.want))
			}
			if before != nil && !tt.wantChanged {
				after, _ := os.Stat(p)
				if !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
					t.Error("an unchanged file was replaced")
				}
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("files left: %v", entries)
			}
		})
	}
}
