package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
)

const englishArticle = `Kim Jong Un receives a second car from Vladimir Putin

North Korean leader Kim Jong Un has received another luxury car from Russian President Vladimir Putin, the state news agency KCNA reported on Tuesday. The gift was handed over by a Russian official in Pyongyang.

The car is the second such gift in less than a year. Analysts say it may breach United Nations sanctions that ban the export of luxury goods to North Korea.

The two leaders have grown closer since Russia's invasion of Ukraine, and the United States says Pyongyang has shipped thousands of containers of ammunition to Moscow.
`

// utf16LE encodes s (BMP only) with a byte-order mark.
func utf16LE(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// TestBadInput is issue 8's bad-input list: each row puts one bad file next
// to a good seed, runs the whole pipeline, and checks the bad file's line in
// the manifest and that the good file still went all the way through.
func TestBadInput(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join(seeds(t), "001_0f2cf2a9d1bc2be9.txt"))
	if err != nil {
		t.Fatal(err)
	}
	seedText := string(seed)
	cp1252, err := charmap.Windows1252.NewEncoder().String(seedText)
	if err != nil {
		t.Fatal(err)
	}
	// a UTF-8 article with a few stray bytes (a truncated download, a bad
	// copy-paste): decoding it as Windows-1252 would turn every é into Ã©
	badUTF8 := strings.Replace(seedText, "Poutine", "Pou\xfftine", 1)
	badUTF8 = strings.Replace(badUTF8, "Corée", "Cor\xc3e", 1)

	tests := []struct {
		name   string
		file   string // the bad file's name in the input folder
		setup  func(t *testing.T, in, file string)
		status string // its status in the manifest; "" = it has no line there
		reason string // part of its reason (or of the note, when it has no line)
		after  func(t *testing.T, out string, srv *llmtest.Server)
	}{
		{name: "empty file", file: "empty.txt", setup: write(nil), status: "skipped", reason: "empty file"},
		{name: "PNG renamed .txt", file: "photo.txt", setup: write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")),
			status: "failed", reason: "binary file (PNG image)"},
		{name: "50 MB file", file: "dump.txt", setup: func(t *testing.T, in, file string) {
			f, err := os.Create(filepath.Join(in, file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Truncate(50 << 20); err != nil { // sparse: instant
				t.Fatal(err)
			}
		}, status: "failed", reason: "exceeds max_file_size"},
		{name: "invalid UTF-8", file: "broken.txt", setup: write([]byte(badUTF8)), status: "failed", reason: "invalid UTF-8"},
		{name: "Windows-1252", file: "latin1.txt", setup: write([]byte(cp1252)), status: "ok",
			after: func(t *testing.T, out string, _ *llmtest.Server) {
				b, _ := os.ReadFile(filepath.Join(out, "clean", "latin1.txt"))
				if !strings.Contains(string(b), "Corée") || strings.Contains(string(b), "Ã") {
					t.Errorf("Windows-1252 source not decoded: %.200s", b)
				}
			}},
		{name: "UTF-16", file: "utf16.txt", setup: write(utf16LE(seedText)), status: "ok",
			after: func(t *testing.T, out string, _ *llmtest.Server) {
				b, _ := os.ReadFile(filepath.Join(out, "clean", "utf16.txt"))
				if !strings.Contains(string(b), "Corée") {
					t.Errorf("UTF-16 source not decoded: %.200s", b)
				}
			}},
		{name: "English article", file: "english.txt", setup: write([]byte(englishArticle)), status: "skipped", reason: "English",
			after: func(t *testing.T, out string, srv *llmtest.Server) {
				b, err := os.ReadFile(filepath.Join(out, "translations", "english.md"))
				if err != nil || !strings.Contains(string(b), "passthrough: true") || !strings.Contains(string(b), "luxury car") {
					t.Errorf("English article not passed through and labelled (%v):\n%.400s", err, b)
				}
				for _, c := range srv.Calls() {
					if c.Stage == "translate" && strings.Contains(c.User(), "luxury car") {
						t.Errorf("the English article was sent for translation")
					}
				}
				if _, err := os.Stat(filepath.Join(out, "summaries", "english.md")); err != nil {
					t.Errorf("the English article was not summarized for the briefing: %v", err)
				}
			}},
		{name: "nothing left after cleaning", file: "chrome.txt",
			setup:  write([]byte("Partager sur Facebook\n\nLire aussi : Les autres articles du jour\n\nAbonnez-vous\n\nLaisser un commentaire\n\n3 commentaires\n")),
			status: "skipped", reason: "nothing left after cleaning"},
		{name: "unreadable file", file: "secret.txt", setup: func(t *testing.T, in, file string) {
			if os.Geteuid() == 0 {
				t.Skip("running as root: permissions do not stop root from reading the file")
			}
			write([]byte(seedText))(t, in, file)
			os.Chmod(filepath.Join(in, file), 0)
		}, status: "failed", reason: "permission denied"},
		{name: "symlink loop", file: "loop", setup: func(t *testing.T, in, file string) {
			if err := os.Symlink(".", filepath.Join(in, file)); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("self.txt", filepath.Join(in, "self.txt")); err != nil {
				t.Fatal(err)
			}
		}, status: "failed", reason: "symlink loop",
			after: func(t *testing.T, out string, _ *llmtest.Server) {
				m := manifestOf(t, out)
				if f, ok := m.record("self.txt"); !ok || f.Status != "failed" || !strings.Contains(f.Reason, "symlink loop") {
					t.Errorf("self-referencing link: %+v, want failed: symlink loop", f)
				}
			}},
		// issue 17: inputs are what the user meant
		{name: "an earlier run's output folder in the input", file: "old-run", setup: func(t *testing.T, in, file string) {
			// what `depeche run in --out in/old-run` leaves: read back, its
			// clean texts and translations would be articles again
			for _, p := range []string{"clean/good.txt", "translations/good.md", "summaries/good.md"} {
				os.MkdirAll(filepath.Join(in, file, filepath.Dir(p)), 0o755)
				write([]byte(seedText))(t, filepath.Join(in, file), p)
			}
			write([]byte(`{"version": 1, "tool": "depeche dev", "command": "run", "files": []}`))(t, filepath.Join(in, file), "manifest.json")
		}, reason: "holds depeche's manifest.json: an earlier run's output, not articles; left out",
			after: func(t *testing.T, out string, _ *llmtest.Server) {
				if m := manifestOf(t, out); len(m.Files) != 1 || !strings.Contains(strings.Join(m.Notes, "\n"), "old-run holds depeche's manifest.json") {
					t.Errorf("manifest: %d files (want good.txt alone), notes %q", len(m.Files), m.Notes)
				}
			}},
		{name: "a link to a file outside the input", file: "system.txt", setup: func(t *testing.T, in, file string) {
			outside := filepath.Join(t.TempDir(), "private.txt")
			write([]byte(strings.Replace(seedText, "Poutine", "Secretpoutine", -1)))(t, filepath.Dir(outside), filepath.Base(outside))
			if err := os.Symlink(outside, filepath.Join(in, file)); err != nil {
				t.Fatal(err)
			}
		}, status: "skipped", reason: "outside the input folders: not read (set follow_symlinks: true to read it)",
			after: func(t *testing.T, out string, srv *llmtest.Server) {
				for _, c := range srv.Calls() {
					if strings.Contains(c.User(), "Secretpoutine") {
						t.Errorf("the linked file outside the input was sent to the model (%s)", c.Stage)
					}
				}
			}},
		{name: "two links to one file", file: "again.txt", setup: func(t *testing.T, in, file string) {
			if err := os.Symlink("good.txt", filepath.Join(in, file)); err != nil {
				t.Fatal(err)
			}
		}, status: "skipped", reason: "the same file as ",
			after: func(t *testing.T, out string, _ *llmtest.Server) {
				if f, _ := manifestOf(t, out).record("again.txt"); !strings.HasSuffix(f.Reason, "good.txt: read once") {
					t.Errorf("again.txt: %q; want it to name good.txt", f.Reason)
				}
			}},
		{name: "a file mixing UTF-8 and Latin-1", file: "mixed.txt", setup: func(t *testing.T, in, file string) {
			// a UTF-8 article with two Latin-1 paragraphs pasted in
			paras := strings.Split(seedText, "\n\n")
			for _, i := range []int{2, 4} {
				p, err := charmap.Windows1252.NewEncoder().String(paras[i])
				if err != nil {
					t.Fatal(err)
				}
				paras[i] = p
			}
			write([]byte(strings.Join(paras, "\n\n")))(t, in, file)
		}, status: "ok",
			after: func(t *testing.T, out string, _ *llmtest.Server) {
				b, _ := os.ReadFile(filepath.Join(out, "clean", "mixed.txt"))
				if strings.Contains(string(b), "Ã") || strings.Contains(string(b), "â€") || !strings.Contains(string(b), "Corée") {
					t.Errorf("the mixed file is not decoded line by line:\n%.400s", b)
				}
				var rep struct {
					Encoding string
					Warnings []string
				}
				raw, _ := os.ReadFile(filepath.Join(out, "clean", "mixed.json"))
				json.Unmarshal(raw, &rep)
				if rep.Encoding != "utf-8+windows-1252" || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "2 of ") {
					t.Errorf("clean report: encoding %q, warnings %q; want the lines read as Windows-1252 counted", rep.Encoding, rep.Warnings)
				}
			}},
		{name: "a FIFO named .txt", file: "x.txt", setup: func(t *testing.T, in, file string) {
			if err := syscall.Mkfifo(filepath.Join(in, file), 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		}, status: "skipped", reason: "not a regular file (named pipe): never opened"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.New(t, llmtest.Model().Handle)
			dir := t.TempDir()
			in := filepath.Join(dir, "in")
			out := filepath.Join(dir, "out")
			os.MkdirAll(in, 0o755)
			os.WriteFile(filepath.Join(in, "good.txt"), seed, 0o644)
			tt.setup(t, in, tt.file)
			cfg := relConfig(t, dir, srv.URL(), out, nil, "max_file_size: 10MB\n")
			r := depeche(t, dir, "", "run", in, "--config", cfg, "-q")
			want := exitOK
			if tt.status == "failed" {
				want = exitFailed
			}
			if r.code != want {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, want, r.stderr)
			}
			m := manifestOf(t, out)
			if f, ok := m.record(tt.file); tt.status != "" && !ok {
				t.Fatalf("%s not in the manifest: %+v", tt.file, m.Files)
			} else if tt.status != "" && (f.Status != tt.status || !strings.Contains(f.Reason, tt.reason)) {
				t.Errorf("%s: status %q, reason %q; want %q containing %q", tt.file, f.Status, f.Reason, tt.status, tt.reason)
			} else if tt.status == "" && !strings.Contains(r.stderr, tt.reason) {
				t.Errorf("the terminal does not say %q:\n%s", tt.reason, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.file) {
				t.Errorf("the terminal does not name %s:\n%s", tt.file, r.stderr)
			}
			good, _ := m.record("good.txt")
			// "cached" when a case's file decodes to the same text as good.txt
			// (UTF-16) and happens to finish first.
			if good.Status != "ok" && good.Status != "cached" {
				t.Errorf("good.txt: %+v; the batch did not go on", good)
			}
			for _, p := range []string{"translations/good.md", "summaries/good.md", "briefing.md"} {
				if _, err := os.Stat(filepath.Join(out, p)); err != nil {
					t.Errorf("the good file's %s is missing: %v", p, err)
				}
			}
			if tt.after != nil {
				tt.after(t, out, srv)
			}
		})
	}
}

func write(b []byte) func(t *testing.T, in, file string) {
	return func(t *testing.T, in, file string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(in, file), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOutputNotWritable: an output folder that cannot be created is fatal
// (exit 1) before any paid request.
func TestOutputNotWritable(t *testing.T) {
	srv := llmtest.New(t, llmtest.Model().Handle)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	// A regular file where the folder should be stops root too, unlike chmod.
	if err := os.WriteFile(out, []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := relConfig(t, dir, srv.URL(), out, nil, "")
	r := depeche(t, dir, "", "run", seeds(t), "--config", cfg, "-q")
	if r.code != exitFatal {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "not writable") || !strings.Contains(r.stderr, out) {
		t.Errorf("stderr does not say the output folder is not writable:\n%s", r.stderr)
	}
	if n := srv.Count(); n != 0 {
		t.Errorf("%d requests sent before failing on the output folder", n)
	}
	if b, _ := os.ReadFile(out); !bytes.Equal(b, []byte("not a folder")) {
		t.Errorf("the file in the way was changed")
	}
}

// TestNamedFIFODoesNotHang: a FIFO named directly on the command line is
// skipped with the reason, never opened (opening it waited for a writer
// forever, and the run ignored SIGTERM).
func TestNamedFIFODoesNotHang(t *testing.T) {
	srv := llmtest.New(t, llmtest.Model().Handle)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "x.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	good := filepath.Join(dir, "good.txt")
	b, _ := os.ReadFile(filepath.Join(seeds(t), "001_0f2cf2a9d1bc2be9.txt"))
	os.WriteFile(good, b, 0o644)
	out := filepath.Join(dir, "out")
	r := depecheWithin(t, 60*time.Second, "depeche run on a FIFO hangs", dir, "run", fifo, good, "--config", relConfig(t, dir, srv.URL(), out, nil, ""), "-q")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if f, _ := manifestOf(t, out).record("x.txt"); f.Status != "skipped" || !strings.Contains(f.Reason, "named pipe") {
		t.Errorf("x.txt: %+v, want skipped: named pipe", f)
	}
}

// TestSIGTERMStopsAStuckRun: the real binary, waiting on a server that
// never answers, stops on SIGTERM with 143, the manifest saying
// interrupted.
func TestSIGTERMStopsAStuckRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := binary(t)
	arrived := make(chan struct{}, 64)
	srv := llmtest.New(t, func(c llmtest.Call) llmtest.Reply {
		arrived <- struct{}{}
		return llmtest.Reply{Delay: time.Hour}
	})
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cfg := relConfig(t, dir, srv.URL(), out, map[string]string{"timeout": "1h"}, "")
	cmd := exec.Command(bin, "run", seeds(t), "--config", cfg, "-q")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case <-arrived:
	case <-waited:
		t.Fatalf("the run ended before any request\n%s", stderr.String())
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("no request reached the server\n%s", stderr.String())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-waited:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("SIGTERM did not stop the run\n%s", stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 143 {
		t.Errorf("exit %d, want 143\n%s", code, stderr.String())
	}
	if m := manifestOf(t, out); m.Status != "interrupted" {
		t.Errorf("manifest status %q, want interrupted", m.Status)
	}
}
