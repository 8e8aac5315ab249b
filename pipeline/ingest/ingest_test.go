package ingest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

const fr = "Le président a dit : « C’est un ami\u00a0spécial » à l’agence.\n"

func utf16(s string, le bool) []byte {
	var b bytes.Buffer
	if le {
		b.Write([]byte{0xFF, 0xFE})
	} else {
		b.Write([]byte{0xFE, 0xFF})
	}
	for _, r := range s { // BMP only, enough for French
		if le {
			b.Write([]byte{byte(r), byte(r >> 8)})
		} else {
			b.Write([]byte{byte(r >> 8), byte(r)})
		}
	}
	return b.Bytes()
}

// TestDecode is the bad-input table: each row one kind of file, the
// outcome it must get.
func TestDecode(t *testing.T) {
	cp1252, _ := charmap.Windows1252.NewEncoder().String(fr)
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0x00, 0x12}, 50)...)
	cases := []struct {
		name string
		raw  []byte
		err  error
		msg  string // part of the error text a user reads
		enc  string
		text string
	}{
		{"empty.txt", nil, ErrEmpty, "empty.txt: empty file", "", ""},
		{"blank.txt", []byte(" \n\r\n\t"), ErrEmpty, "empty file", "", ""},
		{"a.txt", png, ErrBinary, "a.txt: binary file (PNG image), not text", "", ""},
		{"doc.txt", []byte("%PDF-1.7\n%âãÏÓ"), ErrBinary, "PDF document", "", ""},
		{"z.txt", []byte{0x1f, 0x8b, 0x08, 0, 0, 0}, ErrBinary, "gzip", "", ""},
		{"nul.txt", []byte("abc\x00def ghi"), ErrBinary, "NUL", "", ""},
		{"junk.txt", []byte{0xC3, 0x28, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x90, 0x81, 0x8D, 0x07}, ErrBinary, "binary file", "", ""},
		{"utf8.txt", []byte(fr), nil, "", "utf-8", fr},
		{"bom.txt", append([]byte{0xEF, 0xBB, 0xBF}, fr...), nil, "", "utf-8-bom", fr},
		{"stray.txt", []byte("Le pr\xc3\xa9sident \xff a dit : « oui » à l’agence"), ErrEncoding, "invalid UTF-8: 1 invalid byte(s), the first at byte 14", "", ""},
		{"badbom.txt", append([]byte{0xEF, 0xBB, 0xBF}, 0xC3, 0x28, 'a'), ErrEncoding, "invalid UTF-8", "", ""},
		{"latin.txt", []byte(cp1252), nil, "", "windows-1252", fr},
		{"le.txt", utf16(fr, true), nil, "", "utf-16le", fr},
		{"be.txt", utf16(fr, false), nil, "", "utf-16be", fr},
		{"odd.txt", append(utf16(fr, true), 'x'), ErrEncoding, "truncated UTF-16LE", "", ""},
		{"crlf.txt", []byte("un\r\ndeux\rtrois"), nil, "", "utf-8", "un\ndeux\ntrois"},
		{"nfd.txt", []byte("e\u0301te\u0301"), nil, "", "utf-8", "été"},
		{"nnbsp.txt", []byte("Pourquoi\u202f? «\u00a0oui\u00a0»"), nil, "", "utf-8", "Pourquoi\u202f? «\u00a0oui\u00a0»"},
		// a UTF-8 page with a Latin-1 paragraph pasted in: each line read as
		// what it is (read whole as Windows-1252: "RÃ©forme", "quâ€™il")
		{"mixed.txt", []byte(fr + cp1252 + fr), nil, "", "utf-8+windows-1252", fr + fr + fr},
		// a damaged UTF-8 line among Latin-1 ones still fails: no reading is right
		{"mixedstray.txt", []byte(cp1252 + "Le pr\xc3\xa9sident \xc3\xa9t\xc3\xa9 \xff\n"), ErrEncoding, "invalid UTF-8: 1 invalid byte(s), the first at byte 78", "", ""},
	}
	for _, tc := range cases {
		d, err := Decode(tc.raw, "dir/"+tc.name)
		if tc.err != nil {
			if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("%s: err = %v, want %v containing %q", tc.name, err, tc.err, tc.msg)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if d.Encoding != tc.enc || d.Text != tc.text || d.Format != "text" || len(d.SHA256) != 64 {
			t.Errorf("%s: got %q %q %q", tc.name, d.Encoding, d.Text, d.Format)
		}
		if mixed := tc.enc == "utf-8+windows-1252"; mixed != (len(d.Warnings) == 1) ||
			(mixed && !strings.Contains(d.Warnings[0], "1 of 4 lines were not UTF-8 and were read as Windows-1252")) {
			t.Errorf("%s: warnings %q", tc.name, d.Warnings)
		}
	}
}

func TestReadTooLarge(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(p, bytes.Repeat([]byte("a"), 52_400_000), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Read(p, 10<<20) // max_file_size: 10MB (1024-based, as config reads it)
	if !errors.Is(err, ErrTooLarge) || err.Error() != "big.txt: 50.0 MB exceeds max_file_size 10 MB" {
		t.Errorf("err = %v", err)
	}
	if _, err := Read(p, 0); err != nil {
		t.Errorf("no limit: %v", err)
	}
	if _, err := Read(filepath.Join(dir, "missing.txt"), 10); err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("missing file: %v", err)
	}
}

func TestFormats(t *testing.T) {
	for name, want := range map[string]string{"a.md": "markdown", "a.MARKDOWN": "markdown", "a.HTM": "html", "a.html": "html", "a.txt": "text", "stdin": "text"} {
		if got := formatOf(name); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{
		"000_ab2097d8a47941ba.txt": "000_ab2097d8a47941ba",
		"world/a b.txt":            "world_a-b",
		"../../etc/passwd":         "etc_passwd",
		".hidden.md":               "hidden",
		"a/../b.html":              "a_._b",
		"Été/Pyongyang (1).txt":    "Été_Pyongyang--1",
		"":                         "file",
		"x/..":                     "x",
	} {
		got := Stem(in)
		if got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
		if strings.ContainsAny(got, `/\`) || strings.Contains(got, "..") || strings.HasPrefix(got, ".") {
			t.Errorf("Stem(%q) = %q is unsafe", in, got)
		}
	}
}

// TestStemScripts walks names in many scripts and lengths: every stem is
// non-empty, visible (no leading dot), not an option (no leading dash),
// valid UTF-8 cut between characters, within maxStem, and keeps the letters
// of its script. 85 Cyrillic letters gave "" before (a byte-wise cut that
// backed off every non-ASCII byte).
func TestStemScripts(t *testing.T) {
	scripts := map[string]string{
		"latin": "a", "accented": "é", "cyrillic": "д", "greek": "λ", "arabic": "ب", "hebrew": "ש",
		"cjk": "日", "hiragana": "の", "hangul": "한", "devanagari": "कि", "thai": "กั", "emoji": "🗞", "nfd": "e\u0301",
	}
	for name, unit := range scripts {
		for _, n := range []int{1, 10, 49, 50, 51, 74, 75, 76, 85, 149, 150, 151, 300} {
			for _, shape := range []string{"%s.txt", ".%s.txt", "-%s.txt", "%s/%s.md", "..%s..txt", "%s (1).html"} {
				word := strings.Repeat(unit, n)
				rel := strings.ReplaceAll(shape, "%s", word)
				got := Stem(rel)
				if got == "" || strings.HasPrefix(got, ".") || strings.HasPrefix(got, "-") || strings.Contains(got, "..") ||
					strings.ContainsAny(got, "/\\ ") || !utf8.ValidString(got) || len(got) > maxStem {
					t.Fatalf("%s × %d, %q: stem %q (%d bytes) is empty, hidden, dash-led, broken or too long", name, n, shape, got, len(got))
				}
				if name != "emoji" && !strings.Contains(got, strings.TrimSpace(norm.NFC.String(unit))) {
					t.Errorf("%s × %d, %q: stem %q lost the name's letters", name, n, shape, got)
				}
			}
		}
	}
	for _, rel := range []string{"...txt", "---.txt", "\x00\x1b[31m.txt", "\n.md", "_.txt"} {
		if got := Stem(rel); got != "file" && (strings.HasPrefix(got, ".") || strings.HasPrefix(got, "-")) {
			t.Errorf("Stem(%q) = %q", rel, got)
		}
	}
}

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b.txt", "b")
	write("a.HTML", "a")
	write("sub/c.md", "c")
	write("sub/skip.pdf", "x")
	write(".git/x.txt", "x")
	write("sub/.draft.txt", "x")
	write("out/clean/d.txt", "x")
	if err := os.Symlink(dir, filepath.Join(dir, "sub", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "dangling.txt")); err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(t.TempDir(), "single.txt")
	os.WriteFile(single, []byte("s"), 0o644)

	found, err := Discover(context.Background(), []string{dir, single}, Options{Exclude: []string{filepath.Join(dir, "out")}})
	if err != nil {
		t.Fatal(err)
	}
	files, problems := found.Files, found.Problems
	var rels []string
	for _, f := range files {
		rels = append(rels, f.Rel)
	}
	if got := strings.Join(rels, ","); got != "a.HTML,b.txt,single.txt,sub/c.md" {
		t.Errorf("files = %s", got)
	}
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, p.Err.Error())
	}
	all := strings.Join(msgs, "\n")
	if len(problems) != 2 || !strings.Contains(all, "symlink loop") || !strings.Contains(all, "dangling.txt") {
		t.Errorf("problems = %s", all)
	}
	if _, err := Discover(context.Background(), []string{filepath.Join(dir, "nope")}, Options{}); err == nil {
		t.Error("missing root: no error")
	}
}

// TestUnreadable needs a user the permission bits apply to; root reads
// everything, so as root the case cannot be produced and is skipped.
func TestUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: permission bits do not stop root, so an unreadable folder cannot be made")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("ok"), 0o644)
	locked := filepath.Join(dir, "locked")
	os.Mkdir(locked, 0o755)
	os.WriteFile(filepath.Join(locked, "x.txt"), []byte("x"), 0o644)
	os.Chmod(locked, 0)
	defer os.Chmod(locked, 0o755)
	found, err := Discover(context.Background(), []string{dir}, Options{})
	if err != nil || len(found.Files) != 1 || len(found.Problems) != 1 || !strings.Contains(found.Problems[0].Err.Error(), "permission denied") {
		t.Errorf("found %+v err %v", found, err)
	}
}
