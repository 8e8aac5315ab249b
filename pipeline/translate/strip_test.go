package translate

import (
	"strings"
	"testing"
)

func TestStrip(t *testing.T) {
	src := []string{"Le président a parlé.", "Il a dit « bonjour »."}
	tests := []struct {
		name    string
		answer  string
		src     []string
		want    string
		removed string // substring of the joined removals; "" = nothing removed
	}{
		{"clean", "The president spoke.\n\nHe said hello.", src, "The president spoke.\n\nHe said hello.", ""},
		{"preamble", "Sure! Here is the translation:\n\nThe president spoke.\n\nHe said hello.", src, "The president spoke.\n\nHe said hello.", "preamble"},
		{"french preamble", "Voici la traduction :\nThe president spoke.\n\nHe said hello.", src, "The president spoke.\n\nHe said hello.", "preamble"},
		{"markdown preamble", "**English translation:**\n\nThe president spoke.\n\nHe said hello.", src, "The president spoke.\n\nHe said hello.", "preamble"},
		{"inline preamble", "Here is the translation: The president spoke.\n\nHe said hello.", src, "The president spoke.\n\nHe said hello.", "preamble"},
		{"sign-off", "The president spoke.\n\nHe said hello.\n\nI hope this helps! Let me know if you need anything else.", src, "The president spoke.\n\nHe said hello.", "sign-off"},
		{"glued sign-off", "The president spoke.\n\nHe said hello.\nLet me know if you want changes.", src, "The president spoke.\n\nHe said hello.", "sign-off"},
		{"note block", "The president spoke.\n\nHe said hello.\n\nNote: \"bonjour\" means hello.\n- kept names", src, "The president spoke.\n\nHe said hello.", "sign-off"},
		{"source note kept", "The president spoke.\n\nNote: this article was updated.", []string{"Le président a parlé.", "Note : cet article a été mis à jour."}, "The president spoke.\n\nNote: this article was updated.", ""},
		{"code fence", "```text\nThe president spoke.\n\nHe said hello.\n```", src, "The president spoke.\n\nHe said hello.", "code fence"},
		{"preamble then fence", "Here's the English translation:\n```\nThe president spoke.\n\nHe said hello.\n```", src, "The president spoke.\n\nHe said hello.", "code fence"},
		{"wrapping quotes", "\"The president spoke.\n\nHe said hello.\"", src, "The president spoke.\n\nHe said hello.", "wrapping quotes"},
		{"source quotes kept", "“Hello,” he said.", []string{"« Bonjour », a-t-il dit."}, "“Hello,” he said.", ""},
		{"two quoted spans kept", "\"Yes\" and \"no\"", src, "\"Yes\" and \"no\"", ""},
		{"think block", "<think>\nThe user wants a translation. Let me think.\n</think>\n\nThe president spoke.\n\nHe said hello.", src, "The president spoke.\n\nHe said hello.", "<think>"},
		{"think without opening tag", "Okay, I need to translate.\n</think>\nThe president spoke.\n\nHe said hello.", src, "The president spoke.\n\nHe said hello.", "</think>"},
		{"unclosed think", "<think>\nLet me consider the first sentence, which says", src, "", "unclosed"},
		{"of course in the text stays", "Of course, the Kremlin denied it.\n\nHe said hello.", src, "Of course, the Kremlin denied it.\n\nHe said hello.", ""},
		{"colon line from the source stays", "Here is the list:\n\nOne, two.", []string{"Voici la liste :", "Un, deux."}, "Here is the list:\n\nOne, two.", ""},
		{"everything at once", "<think>hm</think>Certainly! Here is the translation:\n\n```\n[1] The president spoke.\n\n[2] He said hello.\n```\n\nI hope this helps.", src, "[1] The president spoke.\n\n[2] He said hello.", "sign-off"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, removed := strip(tt.answer, tt.src)
			if got != tt.want {
				t.Errorf("strip = %q, want %q", got, tt.want)
			}
			joined := strings.Join(removed, "; ")
			if tt.removed == "" && len(removed) > 0 {
				t.Errorf("removed %q, want nothing", joined)
			}
			if tt.removed != "" && !strings.Contains(joined, tt.removed) {
				t.Errorf("removed %q, want it to mention %q", joined, tt.removed)
			}
		})
	}
}
