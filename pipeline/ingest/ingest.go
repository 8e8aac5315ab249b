// Package ingest turns files on disk into decoded text: it finds the source
// files of a batch, refuses what is not text (empty, binary, too large),
// detects and decodes the encoding, normalises to NFC and, for HTML, extracts
// the main content and the page's metadata. What it returns is still raw
// article text with its residue: package clean decides what to drop.
package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/depeche-news/depeche/pipeline/news"
)

// Errors that say why a file was not read. They are wrapped with the file
// name and a reason a user understands; test them with errors.Is.
var (
	ErrEmpty    = errors.New("empty file")
	ErrBinary   = errors.New("binary file")
	ErrTooLarge = errors.New("file too large")
	ErrEncoding = errors.New("undecodable text")
)

// Formats of a Doc.
const (
	FormatText     = "text"
	FormatMarkdown = "markdown"
	FormatHTML     = "html"
)

// Doc is one decoded source file.
type Doc struct {
	Text     string    // UTF-8, NFC-normalised, \n line ends
	Format   string    // "text" | "markdown" | "html"
	Encoding string    // "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252", "utf-8+windows-1252"
	SHA256   string    // hex, of the raw bytes
	Meta     news.Meta // from HTML <title>, meta tags and JSON-LD when present
	// Warnings say what was guessed: a file mixing encodings, read line by line.
	Warnings []string
}

// reasonErr carries a sentinel for errors.Is and a message for people.
type reasonErr struct {
	name, msg string
	kind      error
}

func (e *reasonErr) Error() string { return e.name + ": " + e.msg }
func (e *reasonErr) Unwrap() error { return e.kind }

func fail(name string, kind error, format string, args ...any) error {
	return &reasonErr{name: name, msg: fmt.Sprintf(format, args...), kind: kind}
}

// Read reads and decodes one file. The size is checked before the file is
// read, so a 2 GB dump costs a stat, not a read.
func Read(path string, maxBytes int64) (Doc, error) {
	raw, err := readFile(path, maxBytes)
	if err != nil {
		return Doc{}, err
	}
	return Decode(raw, path)
}

// ReadLines reads and decodes one file as Read does, for a pass that only
// looks at its lines (clean.Chrome learning the lines a batch's files
// share). An HTML page is not put through main-content extraction, the
// costly part of reading it: it is every block of visible text of the
// page, one a line, which holds every line Read's Text holds.
func ReadLines(path string, maxBytes int64) (string, error) {
	raw, err := readFile(path, maxBytes)
	if err != nil {
		return "", err
	}
	d, err := decodeDoc(raw, path, false)
	return d.Text, err
}

func readFile(path string, maxBytes int64) ([]byte, error) {
	name := filepath.Base(path)
	// Non-blocking, so that a named pipe put where a file was (after
	// Discover looked) cannot stall the batch waiting for a writer; on a
	// regular file the flag changes nothing.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if kind := special(st.Mode()); kind != "" {
		return nil, fmt.Errorf("read %s: not a regular file (%s)", name, kind)
	}
	if maxBytes > 0 && st.Size() > maxBytes {
		return nil, fail(name, ErrTooLarge, "%s exceeds max_file_size %s", size(st.Size()), size(maxBytes))
	}
	r := io.Reader(f)
	if maxBytes > 0 {
		// the file may grow between Stat and Read
		r = io.LimitReader(f, maxBytes+1)
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if maxBytes > 0 && int64(len(raw)) > maxBytes {
		return nil, fail(name, ErrTooLarge, "more than max_file_size %s", size(maxBytes))
	}
	return raw, nil
}

// Decode decodes raw bytes read from stdin or a test; name picks the format
// by its extension (anything unknown is plain text) and names the file in
// errors.
func Decode(raw []byte, name string) (Doc, error) {
	return decodeDoc(raw, name, true)
}

// decodeDoc is Decode; extract says whether an HTML page's main content
// is extracted (with its metadata) or all its visible text is kept.
func decodeDoc(raw []byte, name string, extract bool) (Doc, error) {
	base := filepath.Base(name)
	sum := sha256.Sum256(raw)
	d := Doc{SHA256: hex.EncodeToString(sum[:]), Format: formatOf(name)}
	if len(strings.TrimSpace(string(raw))) == 0 {
		return d, fail(base, ErrEmpty, "empty file")
	}
	text, enc, warning, err := decode(raw)
	if err != nil {
		var re *reasonErr
		if errors.As(err, &re) {
			re.name = base
		}
		return d, err
	}
	d.Encoding = enc
	if warning != "" {
		d.Warnings = append(d.Warnings, warning)
	}
	switch {
	case d.Format == FormatHTML && extract:
		text, d.Meta = extractHTML(text)
	case d.Format == FormatHTML:
		text = visibleHTML(text)
	}
	d.Text = text
	if strings.TrimSpace(d.Text) == "" {
		return d, fail(base, ErrEmpty, "no text in the file")
	}
	return d, nil
}

func formatOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm":
		return FormatHTML
	case ".md", ".markdown":
		return FormatMarkdown
	}
	return FormatText
}

// size prints a byte count the way people read it: 52.4 MB, 10 MB, 812 B.
// Units are 1024-based, as max_file_size reads them, so "10MB" in the
// configuration prints as "10 MB" here.
func size(n int64) string {
	units := []string{"B", "KB", "MB", "GB", "TB"}
	f := float64(n)
	i := 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	if i == 0 || f == float64(int64(f)) {
		return fmt.Sprintf("%d %s", int64(f), units[i])
	}
	return fmt.Sprintf("%.1f %s", f, units[i])
}

// maxStem bounds a stem in bytes: with its extension and the hidden
// temporary name an atomic write gives it (".<stem>.json.tmp-NNN") it stays
// well inside the 255 bytes a file name may have.
const maxStem = 150

// Stem derives a safe output file stem from a path relative to its root:
// no separators, no "..", never empty, never hidden (leading dot) or led by
// a dash (an option to the next tool), only letters, marks, digits and
// . _ -, at most maxStem bytes cut between characters. "world/a b.txt"
// becomes "world_a-b". Names in any script keep their letters: a long
// Cyrillic name is shortened, never emptied (an empty stem wrote
// translations/.md, which nothing reads back).
func Stem(rel string) string {
	rel = norm.NFC.String(filepath.ToSlash(rel))
	rel = strings.TrimSuffix(rel, filepath.Ext(rel))
	var b strings.Builder
	for _, r := range rel {
		switch {
		case r == '/' || r == '\\':
			b.WriteByte('_')
		case r == '.' || r == '_' || r == '-':
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := b.String()
	for strings.Contains(s, "..") {
		s = strings.ReplaceAll(s, "..", ".")
	}
	s = strings.Trim(s, "._-")
	if len(s) > maxStem {
		cut := maxStem
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = strings.TrimRight(s[:cut], "._-")
	}
	if s == "" {
		s = "file"
	}
	return s
}
