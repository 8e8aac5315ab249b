package support

import (
	"reflect"
	"testing"
)

func TestSupport(t *testing.T) {
	sents := []string{
		"Russian President Vladimir Poutine gave North Korean leader Kim Jong-un an Aurus limousine on Tuesday.",
		"The United States says more than 16,000 containers of munitions went to Russia.",
		"Kim Yo Jong thanked Moscow for the gift.",
		"Five Orlov Trotter stallions and 25 mares arrived in Pyongyang in 2024.",
	}
	other := []string{"Tokyo's Nikkei index fell on Friday.", "Putin and Kim met in Pyongyang."}
	m := New(append(sents, other...), map[string]string{"Vladimir Poutine": "Vladimir Putin"})
	tests := []struct {
		claim     string
		ok        bool
		sentences []int
		missing   []string // first missing terms, when not ok
	}{
		{"Putin gave Kim Jong Un an Aurus limousine.", true, []int{0}, nil},
		{"Washington says 16,000 containers of munitions were shipped to Russia.", true, []int{1}, nil},
		{"Washington says 16 thousand containers of munitions were shipped to Russia.", true, []int{1}, nil},
		{"Washington says 16 000 containers of munitions were shipped to Russia.", true, []int{1}, nil},
		{"Washington says 1,600 containers of munitions were shipped to Russia.", false, nil, []string{"1,600"}},
		{"5 stallions and 25 mares reached Pyongyang in 2024.", true, []int{3}, nil},
		{"Kim Yo Jong thanked Moscow for the Aurus limousine.", true, []int{0, 2}, nil},
		{"Tokyo's Nikkei index fell 3% on Friday.", false, nil, []string{"3%"}},
		{"In 2024 Lavrov visited Pyongyang.", false, nil, []string{"Lavrov"}},
		{"Kim visited Pyongyang in 2024.", true, []int{0, 3}, nil},
		{"The", false, nil, nil},
	}
	for _, tt := range tests {
		r := m.Support(tt.claim, sents)
		if r.OK != tt.ok {
			t.Errorf("%q: ok = %v (coverage %.2f, missing %v), want %v", tt.claim, r.OK, r.Coverage, r.Missing, tt.ok)
			continue
		}
		if tt.ok && !reflect.DeepEqual(r.Sentences, tt.sentences) {
			t.Errorf("%q: sentences %v, want %v", tt.claim, r.Sentences, tt.sentences)
		}
		if !tt.ok && len(tt.missing) > 0 && (len(r.Missing) < len(tt.missing) || !reflect.DeepEqual(r.Missing[:len(tt.missing)], tt.missing)) {
			t.Errorf("%q: missing %v, want %v first", tt.claim, r.Missing, tt.missing)
		}
	}
}

// TestFiguresByValue: how a figure is written weighs nothing; its value is
// required. "16 thousand" against "16,000" loses no term.
func TestFiguresByValue(t *testing.T) {
	sents := []string{"More than 16,000 containers left the port in 2023."}
	m := New(sents, nil)
	for _, claim := range []string{"16 thousand containers left the port in 2023.", "16 000 containers left the port in 2023."} {
		if r := m.Support(claim, sents); !r.OK || r.Coverage < 0.999 {
			t.Errorf("%q: ok %v, coverage %.2f, missing %v", claim, r.OK, r.Coverage, r.Missing)
		}
	}
}
