package llmtest

import (
	"strings"
	"testing"
)

func TestTranslator(t *testing.T) {
	h := Translator()
	tests := []struct {
		name string
		call Call
		want string
	}{
		{
			name: "plain paragraphs",
			call: Call{Stage: "translate", Messages: []Message{{"system", "x"}, {"user", "Title\n<document>\nLe président est à Moscou.\n\nL’armée de la Russie.\n</document>"}}},
			want: "The president is to Moscow.\n\nThe army of the Russia.",
		},
		{
			name: "numbered paragraphs keep their numbers",
			call: Call{Stage: "translate", Messages: []Message{{"user", "<document>\n[1] Kim et Poutine\n\n[2] 16 000 conteneurs\n</document>"}}},
			want: "[1] Kim and Putin\n\n[2] 16 000 containers",
		},
		{
			name: "review returns the draft",
			call: Call{Stage: "review", Messages: []Message{{"user", "<source>\nx\n</source>\n<draft>\nThe draft.\n\nTwo.\n</draft>"}}},
			want: "- No errors found.\n\n<translation>\nThe draft.\n\nTwo.\n</translation>",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h(tt.call).Content; got != tt.want {
				t.Errorf("content = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTranslateTextDropsFrenchStopWords(t *testing.T) {
	got := TranslateText("Il n’est pas venu car ils sont dans la ville avec leurs amis, selon l’agence.")
	for _, w := range strings.Fields("il est pas car ils sont dans la avec leurs selon") {
		for _, g := range strings.Fields(strings.ToLower(strings.Trim(got, "."))) {
			if strings.Trim(g, ",.") == w {
				t.Errorf("%q left in %q", w, got)
			}
		}
	}
}
