package ingest

import (
	"bytes"
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

// decode detects the encoding of raw and returns NFC text with \n line ends.
// The guesses are made in order of certainty: a BOM, then binary signatures,
// then valid UTF-8, then NUL bytes (binary), then Windows-1252, which can
// decode any byte sequence and is what French pages that are not UTF-8 use.
func decode(raw []byte) (text, enc string, err error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		raw, enc = raw[3:], "utf-8-bom"
		if !utf8.Valid(raw) {
			return "", "", fail("", ErrEncoding, "invalid UTF-8 after a UTF-8 byte-order mark")
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
			return "", "", fail("", ErrEncoding, "truncated %s text (odd number of bytes)", strings.ToUpper(enc))
		}
		b, derr := e.NewDecoder().Bytes(raw)
		if derr != nil {
			return "", "", fail("", ErrEncoding, "invalid %s text: %v", strings.ToUpper(enc), derr)
		}
		text = string(b)
	default:
		for _, m := range magics {
			if bytes.HasPrefix(raw, []byte(m.prefix)) {
				return "", "", fail("", ErrBinary, "binary file (%s), not text", m.name)
			}
		}
		if utf8.Valid(raw) {
			if bytes.IndexByte(raw, 0) >= 0 {
				return "", "", fail("", ErrBinary, "binary file (contains NUL bytes), not text")
			}
			text, enc = string(raw), "utf-8"
			break
		}
		if looksBinary(raw) {
			return "", "", fail("", ErrBinary, "binary file (not UTF-8, UTF-16 or Windows-1252 text)")
		}
		if good, bad, at := utf8Damage(raw); good >= bad {
			// Mostly UTF-8 with a few broken bytes: read as Windows-1252 every
			// é would silently become Ã©.
			return "", "", fail("", ErrEncoding, "invalid UTF-8: %d invalid byte(s), the first at byte %d, in text that is otherwise UTF-8", bad, at)
		}
		b, derr := charmap.Windows1252.NewDecoder().Bytes(raw)
		if derr != nil {
			return "", "", fail("", ErrEncoding, "neither UTF-8 nor Windows-1252: %v", derr)
		}
		text, enc = string(b), "windows-1252"
	}
	if strings.ContainsRune(text, 0) {
		return "", "", fail("", ErrBinary, "binary file (contains NUL characters), not text")
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	// NFC composes e+◌́ into é; it leaves « », U+00A0, U+202F and ’ alone,
	// as none of them has a decomposition that composes back differently.
	return norm.NFC.String(text), enc, nil
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
