package ingest

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// magic numbers of the binary formats people most often rename to .txt.
var magics = []struct {
	prefix string
	name   string
}{
	{"\x89PNG\r\n\x1a\n", "PNG image"},
	{"\xff\xd8\xff", "JPEG image"},
	{"GIF87a", "GIF image"},
	{"GIF89a", "GIF image"},
	{"%PDF-", "PDF document"},
	{"PK\x03\x04", "ZIP archive (or a .docx/.odt)"},
	{"\x1f\x8b", "gzip archive"},
	{"RIFF", "RIFF media file"},
	{"\x7fELF", "executable"},
}

// Encodings a Doc may report besides the BOM ones.
const (
	encUTF8    = "utf-8"
	encCP1252  = "windows-1252"
	encMixed   = "utf-8+windows-1252" // line by line: see decodeLines
	encUTF8BOM = "utf-8-bom"
)

// decode detects the encoding of raw and returns NFC text with \n line ends,
// and a warning when the text had to be read line by line. The guesses are
// made in order of certainty: a BOM, then binary signatures, then valid
// UTF-8, then NUL bytes (binary), then Windows-1252, which can decode any
// byte sequence and is what French pages that are not UTF-8 use. A file
// that is neither (pasted together from a UTF-8 page and a Latin-1 one) is
// read line by line, each line in the encoding it is valid in.
func decode(raw []byte) (text, enc, warning string, err error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		raw, enc = raw[3:], encUTF8BOM
		if !utf8.Valid(raw) {
			return "", "", "", fail("", ErrEncoding, "invalid UTF-8 after a UTF-8 byte-order mark")
		}
		text = string(raw)
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}) || bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		enc = "utf-16le"
		e := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
		if raw[0] == 0xFE {
			enc = "utf-16be"
			e = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
		}
		if len(raw)%2 != 0 {
			return "", "", "", fail("", ErrEncoding, "truncated %s text (odd number of bytes)", strings.ToUpper(enc))
		}
		b, derr := e.NewDecoder().Bytes(raw)
		if derr != nil {
			return "", "", "", fail("", ErrEncoding, "invalid %s text: %v", strings.ToUpper(enc), derr)
		}
		text = string(b)
	default:
		for _, m := range magics {
			if bytes.HasPrefix(raw, []byte(m.prefix)) {
				return "", "", "", fail("", ErrBinary, "binary file (%s), not text", m.name)
			}
		}
		if utf8.Valid(raw) {
			if bytes.IndexByte(raw, 0) >= 0 {
				return "", "", "", fail("", ErrBinary, "binary file (contains NUL bytes), not text")
			}
			text, enc = string(raw), encUTF8
			break
		}
		if looksBinary(raw) {
			return "", "", "", fail("", ErrBinary, "binary file (not UTF-8, UTF-16 or Windows-1252 text)")
		}
		if good, _, _ := utf8Damage(raw); good == 0 {
			text, enc = cp1252(raw), encCP1252
			break
		}
		lines, latin, bad, at := decodeLines(raw)
		if bad > 0 {
			// UTF-8 with a few broken bytes: read as Windows-1252 every é
			// of such a line would silently become Ã©.
			return "", "", "", fail("", ErrEncoding, "invalid UTF-8: %d invalid byte(s), the first at byte %d, in text that is otherwise UTF-8", bad, at)
		}
		text, enc = lines, encMixed
		warning = fmt.Sprintf("%d of %d lines were not UTF-8 and were read as Windows-1252 (a file mixing encodings)", latin, bytes.Count(raw, []byte{'\n'})+1)
	}
	if strings.ContainsRune(text, 0) {
		return "", "", "", fail("", ErrBinary, "binary file (contains NUL characters), not text")
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	// NFC composes e+◌́ into é; it leaves « », U+00A0, U+202F and ’ alone,
	// as none of them has a decomposition that composes back differently.
	return norm.NFC.String(text), enc, warning, nil
}

// looksBinary reports whether bytes that are not valid UTF-8 are more likely
// a binary file than Windows-1252 text: NUL bytes, or many control bytes
// that no text encoding uses for letters.
func looksBinary(raw []byte) bool {
	if bytes.IndexByte(raw, 0) >= 0 {
		return true
	}
	ctrl := 0
	for _, c := range raw {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctrl++
		}
		// 0x81 0x8D 0x8F 0x90 0x9D are undefined in Windows-1252
		if c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D {
			ctrl++
		}
	}
	return ctrl*100 > len(raw) // more than 1%
}

// utf8Damage counts the valid multi-byte UTF-8 sequences of raw and its
// invalid bytes, and where the first invalid byte is. Windows-1252 French
// has an invalid byte for every accent and almost never a valid sequence.
func utf8Damage(raw []byte) (good, bad, first int) {
	first = -1
	for i := 0; i < len(raw); {
		r, size := utf8.DecodeRune(raw[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			if first < 0 {
				first = i
			}
			bad++
		case size > 1:
			good++
		}
		i += size
	}
	return good, bad, first
}

// cp1252 decodes Windows-1252, which has a character for every byte.
func cp1252(b []byte) string {
	out, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	return string(out)
}

// decodeLines reads raw line by line: a line that is valid UTF-8 as
// UTF-8, a line with no valid multi-byte sequence as Windows-1252 (latin
// counts them). A line with both valid sequences and at least as many
// invalid bytes is UTF-8 with broken bytes, which no reading makes right:
// bad counts its invalid bytes and at is the first one's offset in raw.
func decodeLines(raw []byte) (text string, latin, bad, at int) {
	var b strings.Builder
	b.Grow(len(raw) + len(raw)/8)
	at, off := -1, 0
	for line := range bytes.SplitAfterSeq(raw, []byte{'\n'}) {
		switch good, n, first := utf8Damage(line); {
		case n == 0:
			b.Write(line)
		case good >= n:
			if at < 0 {
				at = off + first
			}
			bad += n
		default:
			b.WriteString(cp1252(line))
			latin++
		}
		off += len(line)
	}
	return b.String(), latin, bad, at
}
