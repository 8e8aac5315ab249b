package news

import "testing"

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"000_ab2097d8a47941ba.txt":               "000_ab2097d8a47941ba.txt",
		"Été à Pyongyang (1).txt":                "Été à Pyongyang (1).txt",
		"日本 ニュース.txt":                            "日本 ニュース.txt",
		"a\nok      forged.txt":                  `a\nok      forged.txt`,
		"\x1b[2J\x1b[31mred.txt":                 `\x1b[2J\x1b[31mred.txt`,
		"\x1b]0;title\x07.txt":                   `\x1b]0;title\x07.txt`,
		"evil\u202etxt.exe":                      `evil\u202etxt.exe`,
		"tab\there\r.txt":                        `tab\there\r.txt`,
		"bad\xffbyte.txt":                        `bad\xffbyte.txt`,
		"c1 \u009b31m.txt":                       `c1 \x9b31m.txt`,
		"zero\u200bwidth.txt":                    `zero\u200bwidth.txt`,
		"nbsp\u00a0and «\u202fguillemets\u202f»": "nbsp\u00a0and «\u202fguillemets\u202f»",
		"line\u2028separator":                    `line\u2028separator`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}
