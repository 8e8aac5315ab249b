package apertium

import (
	"strings"
	"testing"
)

func rule(t *testing.T, rules []editRule, name string) editRule {
	t.Helper()
	for _, r := range rules {
		if r.name == name {
			return r
		}
	}
	t.Fatalf("no rule %q", name)
	return editRule{}
}

func TestPostEditRules(t *testing.T) {
	tests := []struct {
		rule    string
		in, src string
		want    string
		pass2   bool
	}{
		{"mr", "M. Zxqa has spoken with Mme Zxqb.", "", "Mr Zxqa has spoken with Ms Zxqb.", false},
		{"mr", "the M. of the sentence", "", "the M. of the sentence", false},
		{"last-month", "The past September, Kim went; in the past week too.", "", "Last September, Kim went; last week too.", false},
		{"last-month", "the past of Korea", "", "the past of Korea", false},
		{"reported-speech", "“It is a gift”, has declared the minister of Zxqa. Then", "", "“It is a gift”, the minister of Zxqa said. Then", false},
		{"reported-speech", "“We are ready”, has declared Zxqa in his speech.", "", "“We are ready”, Zxqa said in his speech.", false},
		{"reported-speech", "Zxqa has declared that the visit was a success; he Has declared it.", "", "Zxqa said that the visit was a success; he said it.", false},
		{"reported-speech", "The law has declared void the contract.", "", "The law has declared void the contract.", false},
		{"superlative", "the horses the famous plus of Russia, the big plus provider, the agreement the plus important", "", "the horses the most famous of Russia, the biggest provider, the agreement the most important", false},
		{"the-other", "the company of the another", "", "the company of the other", false},
		{"lexicon", "the diet of Kim and a diet of rice", "le régime de Kim", "the regime of Kim and a diet of rice", false}, // once per French word
		{"lexicon", "the diet of Kim", "la diète de Kim", "the diet of Kim", false},                                          // no régime: untouched
		{"lexicon", "Equally, the narrow bonds among both", "Également, les liens étroits entre les deux", "Also, the close ties between both", false},
		{"demonym-order", "in a limousine Russian, the state media Russian – and", "", "in a Russian limousine, the Russian state media – and", true},
		{"demonym-order", "the president Russian Vladimir Putin", "", "the president Russian Vladimir Putin", true}, // a name follows: leave it
		{"simple-past", "Zxqa has offered a car. They have been seen laughing; he has also declared it.", "", "Zxqa offered a car. They were seen laughing; he also declared it.", false},
		{"simple-past", "It would have been used; it could have sent it.", "", "It would have been used; it could have sent it.", false}, // after a modal
		{"simple-past", "Zxqa has lived there since 2006.", "", "Zxqa has lived there since 2006.", false},                               // anchored present perfect
		{"simple-past", "Kim is arrived in Moscow and is become a friend.", "", "Kim arrived in Moscow and became a friend.", false},
		{"as-not-like", "they described it like a document, considered like a type", "", "they described it as a document, considered as a type", false},
		{"in-place", "To Zxqa, the government said. To be sure.", "", "In Zxqa, the government said. To be sure.", false},
		{"lexicon", "would rape several resolutions and the executive", "qui violeraient des résolutions, le gouvernement", "would violate several resolutions and the government", false},
		{"a-an", "a Aurus, a escapade, a union, a one-off, a European car", "", "an Aurus, an escapade, a union, a one-off, a European car", true},
	}
	for _, tt := range tests {
		rules := firstPass
		if tt.pass2 {
			rules = secondPass
		}
		if got := rule(t, rules, tt.rule).apply(tt.in, tt.src); got != tt.want {
			t.Errorf("%s(%q) =\n %q, want\n %q", tt.rule, tt.in, got, tt.want)
		}
	}
}

// A rule's edit that would change a protected span is undone.
func TestPostEditKeepsSpans(t *testing.T) {
	bad := []editRule{{"bad", nil, func(s, _ string) string { return strings.ReplaceAll(s, "Zxqa", "Zxqb") }}}
	if got := postEdit("M. Zxqa spoke", "", bad, samePlaceholders); got != "M. Zxqa spoke" {
		t.Errorf("first pass changed a placeholder: %q", got)
	}
	p := protected{tokens: map[string]span{"Zxqa": {english: "Security Council"}}}
	bad2 := []editRule{{"bad", nil, func(s, _ string) string { return strings.ReplaceAll(s, "Council", "council") }}}
	if got := postEdit("the Security Council met", "", bad2, spansKept(p)); got != "the Security Council met" {
		t.Errorf("second pass changed a span: %q", got)
	}
	// every real rule leaves the placeholders of a text full of them alone
	text := "M. Zxqa has declared that Zxqb, the past May, the big plus Zxqc: “Zxqd”, has declared Zxqe. The diet Zxqf"
	for _, r := range firstPass {
		if out := r.apply(text, "régime"); !samePlaceholders(text, out) {
			t.Errorf("rule %s changed a placeholder: %q", r.name, out)
		}
	}
}
