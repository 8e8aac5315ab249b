package ingest

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDiscoverWhatTheUserMeant: an input folder is read as the user meant
// it. Each row builds a folder and checks what is found, skipped (and why)
// and noted.
func TestDiscoverWhatTheUserMeant(t *testing.T) {
	type want struct {
		files   []string          // Rel of the files found
		skipped map[string]string // base name → part of the reason
		notes   []string          // parts of the notes
	}
	tests := []struct {
		name   string
		follow bool
		setup  func(t *testing.T, in, outside string) []string // extra roots named directly
		want   want
	}{
		{name: "an earlier run's output folder inside the input", setup: func(t *testing.T, in, _ string) []string {
			put(t, in, "a.txt", "a")
			put(t, in, "out-1/clean/a.txt", "a")
			put(t, in, "out-1/translations/a.md", "a")
			put(t, in, "out-1/manifest.json", `{"version": 1, "tool": "depeche dev", "files": []}`)
			put(t, in, "notes/manifest.json", `{"name": "not ours"}`) // someone else's manifest: read
			put(t, in, "notes/b.md", "b")
			return nil
		}, want: want{files: []string{"a.txt", "notes/b.md"}, notes: []string{"out-1 holds depeche's manifest.json"}}},
		{name: "a link to a file outside the input", setup: func(t *testing.T, in, outside string) []string {
			put(t, in, "a.txt", "a")
			put(t, outside, "passwd.txt", "root:x:0:0")
			link(t, filepath.Join(outside, "passwd.txt"), filepath.Join(in, "system.txt"))
			link(t, outside, filepath.Join(in, "elsewhere"))
			return nil
		}, want: want{files: []string{"a.txt"}, skipped: map[string]string{
			"system.txt": "outside the input folders: not read (set follow_symlinks: true",
			"elsewhere":  "outside the input folders"}}},
		{name: "follow_symlinks: true reads them", follow: true, setup: func(t *testing.T, in, outside string) []string {
			put(t, in, "a.txt", "a")
			put(t, outside, "far.txt", "far")
			link(t, filepath.Join(outside, "far.txt"), filepath.Join(in, "near.txt"))
			return nil
		}, want: want{files: []string{"a.txt", "near.txt"}}},
		{name: "links inside the input are read", setup: func(t *testing.T, in, _ string) []string {
			put(t, in, "world/a.txt", "a")
			link(t, filepath.Join(in, "world"), filepath.Join(in, "monde"))
			return nil
		}, want: want{files: []string{"world/a.txt"}, skipped: map[string]string{"a.txt": "the same file as " + "{in}/world/a.txt"}}},
		{name: "two links to one file are one article", setup: func(t *testing.T, in, _ string) []string {
			put(t, in, "z-real.txt", "z")
			link(t, filepath.Join(in, "z-real.txt"), filepath.Join(in, "a-link.txt"))
			link(t, filepath.Join(in, "z-real.txt"), filepath.Join(in, "b-link.txt"))
			return nil
		}, want: want{files: []string{"z-real.txt"}, skipped: map[string]string{
			"a-link.txt": "the same file as {in}/z-real.txt: read once", "b-link.txt": "the same file as {in}/z-real.txt"}}},
		{name: "a file named again on the command line", setup: func(t *testing.T, in, _ string) []string {
			put(t, in, "a.txt", "a")
			return []string{filepath.Join(in, "a.txt")}
		}, want: want{files: []string{"a.txt"}, skipped: map[string]string{"a.txt": "the same file as {in}/a.txt"}}},
		{name: "a FIFO, a socket and a device", setup: func(t *testing.T, in, _ string) []string {
			put(t, in, "a.txt", "a")
			if err := syscall.Mkfifo(filepath.Join(in, "x.txt"), 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			l, err := net.Listen("unix", filepath.Join(in, "s.txt"))
			if err != nil {
				t.Skipf("unix socket: %v", err)
			}
			t.Cleanup(func() { l.Close() })
			link(t, "/dev/null", filepath.Join(in, "null.txt"))
			return nil
		}, follow: true, want: want{files: []string{"a.txt"}, skipped: map[string]string{
			"x.txt": "not a regular file (named pipe): never opened", "s.txt": "(socket)", "null.txt": "(device)"}}},
		{name: "a FIFO named directly", setup: func(t *testing.T, in, _ string) []string {
			put(t, in, "a.txt", "a")
			p := filepath.Join(t.TempDir(), "pipe.txt")
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			return []string{p}
		}, want: want{files: []string{"a.txt"}, skipped: map[string]string{"pipe.txt": "(named pipe): never opened"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, outside := t.TempDir(), t.TempDir()
			roots := append([]string{in}, tt.setup(t, in, outside)...)
			done := make(chan struct{})
			var found Found
			var err error
			go func() {
				defer close(done)
				found, err = Discover(context.Background(), roots, Options{FollowSymlinks: tt.follow})
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Discover hangs (opened a FIFO?)")
			}
			if err != nil {
				t.Fatal(err)
			}
			var rels []string
			for _, f := range found.Files {
				rels = append(rels, filepath.ToSlash(f.Rel))
			}
			if strings.Join(rels, ",") != strings.Join(tt.want.files, ",") {
				t.Errorf("files %v, want %v", rels, tt.want.files)
			}
			if len(found.Skipped) != len(tt.want.skipped) {
				t.Errorf("skipped %+v, want %v", found.Skipped, tt.want.skipped)
			}
			for _, s := range found.Skipped {
				w, ok := tt.want.skipped[filepath.Base(s.Path)]
				if w = strings.ReplaceAll(w, "{in}", in); !ok || !strings.Contains(s.Reason, w) {
					t.Errorf("skipped %s: %q, want %q", s.Path, s.Reason, w)
				}
			}
			notes := strings.Join(found.Notes, "\n")
			for _, n := range tt.want.notes {
				if !strings.Contains(notes, n) {
					t.Errorf("notes %q lack %q", notes, n)
				}
			}
			if len(tt.want.notes) == 0 && notes != "" {
				t.Errorf("unexpected notes %q", notes)
			}
			if len(found.Problems) > 0 {
				t.Errorf("problems %+v", found.Problems)
			}
		})
	}
}

func put(t *testing.T, dir, rel, s string) {
	t.Helper()
	p := filepath.Join(dir, rel)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func link(t *testing.T, target, at string) {
	t.Helper()
	if err := os.Symlink(target, at); err != nil {
		t.Fatal(err)
	}
}
