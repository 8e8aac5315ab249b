package summarize

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	const plain = `{"headline":"Putin gives Kim a car.","key_facts":["a","b","c"],"people":["Vladimir Putin"],"organizations":["KCNA"],"places":["Pyongyang"],"dates":["2024-02-20: KCNA reports the gift"],"figures":["25 mares"],"angle":"Gifts as diplomacy."}`
	tests := []struct {
		name      string
		raw       string
		headline  string
		facts     []string
		dates     []string
		people    []string
		warnings  int
		wantError string
	}{
		{name: "plain", raw: plain, headline: "Putin gives Kim a car.", facts: []string{"a", "b", "c"}, dates: []string{"2024-02-20: KCNA reports the gift"}, people: []string{"Vladimir Putin"}},
		{name: "fenced with preamble", raw: "Here is the summary:\n```json\n" + plain + "\n```\nHope this helps!", headline: "Putin gives Kim a car.", facts: []string{"a", "b", "c"}, dates: []string{"2024-02-20: KCNA reports the gift"}, people: []string{"Vladimir Putin"}},
		{name: "think block with braces", raw: "<think>the user wants {json}</think>\n" + plain, headline: "Putin gives Kim a car.", facts: []string{"a", "b", "c"}, dates: []string{"2024-02-20: KCNA reports the gift"}, people: []string{"Vladimir Putin"}},
		{name: "orphan closing think", raw: "reasoning {x}</think>" + plain, headline: "Putin gives Kim a car.", facts: []string{"a", "b", "c"}, dates: []string{"2024-02-20: KCNA reports the gift"}, people: []string{"Vladimir Putin"}},
		{
			name:     "aliases, objects, string lists, trailing comma",
			raw:      `{"Title":"H {braces} in \"quotes\"","Key Facts":"- one\n- two","Persons":"Kim Jong Un; Kim Yo Jong","Timeline":[{"event":"summit","date":"2023-09"}],}`,
			headline: `H {braces} in "quotes"`, facts: []string{"one", "two"}, dates: []string{"2023-09: summit"}, people: []string{"Kim Jong Un", "Kim Yo Jong"}, warnings: 1,
		},
		{
			name:     "too many facts trimmed, headline from first fact",
			raw:      `{"key_facts":["1","2","3","4","5","6","7","8"]}`,
			headline: "1", facts: []string{"1", "2", "3", "4", "5", "6"},
		},
		{name: "no facts", raw: `{"headline":"x","key_facts":[]}`, wantError: "key_facts"},
		{name: "not JSON", raw: "I cannot summarize this article.", wantError: "no JSON object"},
		{name: "cut short", raw: `{"headline":"x","key_facts":["a"`, wantError: "not closed"},
		{name: "broken JSON", raw: `{"headline": x}`, wantError: "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.raw)
			if tt.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantError) {
					t.Fatalf("err = %v, want %q", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Headline != tt.headline || !reflect.DeepEqual(s.KeyFacts, tt.facts) || !reflect.DeepEqual(s.Dates, tt.dates) || !reflect.DeepEqual(s.People, tt.people) {
				t.Errorf("got %+v", s)
			}
			if len(s.Stats.Warnings) != tt.warnings {
				t.Errorf("warnings = %v, want %d", s.Stats.Warnings, tt.warnings)
			}
		})
	}
}
