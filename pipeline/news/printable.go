package news

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable is s as it may be shown on a terminal or in a rendered
// document: every character that is not printable — newlines, tabs,
// escape sequences (ESC), other control characters, bidirectional
// overrides, invalid bytes — is written as a Go escape (\n, \x1b,
// \u202e). A file may be named "a\nok      b.txt" or carry "\x1b[2J":
// printed raw, such a name forges a line of output or rewrites the
// screen. Letters of every script, and the non-breaking spaces of French
// typography, are printable and stay as they are.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if !printable(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case printable(r):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}

// PrintableLines is Printable for each line of s, keeping the breaks
// between them: an error or a report that has several lines.
func PrintableLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Printable(l)
	}
	return strings.Join(lines, "\n")
}

// printable: what unicode.IsPrint says, and the spaces French typography
// uses (U+00A0, U+202F), which break no line.
func printable(r rune) bool {
	return (unicode.IsPrint(r) && r != utf8.RuneError) || unicode.Is(unicode.Zs, r)
}
