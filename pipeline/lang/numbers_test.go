package lang

import "testing"

func TestNumbers(t *testing.T) {
	tests := []struct {
		text   string
		french bool
		want   []float64
	}{
		{"16 000 conteneurs", true, []float64{16000}},
		{"16\u202f000 obus et 1\u00a0000\u00a0000 euros", true, []float64{16000, 1e6}},
		{"21.930,54 euros", true, []float64{21930.54}},
		{"3,5 % du PIB", true, []float64{3.5}},
		{"2 milliards de dollars", true, []float64{2e9}},
		{"12 M€ et 300 k€", true, []float64{12e6, 300e3}},
		{"1,5 million de personnes", true, []float64{1.5e6}},
		{"16.000 soldats", true, []float64{16000}},
		{"en 1948 200 soldats", true, []float64{1948, 200}},
		{"16,000 containers", false, []float64{16000}},
		{"21,930.54 euros", false, []float64{21930.54}},
		{"2 billion dollars", false, []float64{2e9}},
		{"2.5bn", false, []float64{2.5e9}},
		{"1,600 containers", false, []float64{1600}},
		{"3,5 % left by a translator", false, []float64{3.5}},
		{"his 72nd birthday", false, []float64{72}},
		{"five stallions and 25 mares", false, []float64{25, 5}},
	}
	for _, tt := range tests {
		got := Numbers(tt.text, tt.french)
		if len(got) != len(tt.want) {
			t.Errorf("Numbers(%q) = %+v, want values %v", tt.text, got, tt.want)
			continue
		}
		for i := range got {
			if !SameValue(got[i].Value, tt.want[i]) {
				t.Errorf("Numbers(%q)[%d] = %v, want %v", tt.text, i, got[i].Value, tt.want[i])
			}
		}
	}
	if n := Numbers("3,5 %", true); !n[0].Percent {
		t.Error("3,5 % is not a percentage")
	}
}
