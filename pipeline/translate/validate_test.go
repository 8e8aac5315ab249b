package translate

import (
	"slices"
	"strings"
	"testing"
)

func TestParagraphs(t *testing.T) {
	tests := []struct {
		name     string
		answer   string
		numbered bool
		src      []string
		want     []string
	}{
		{"blank lines", "One.\n\nTwo.\n \nThree.", false, []string{"a", "b", "c"}, []string{"One.", "Two.", "Three."}},
		{"single newlines when count matches", "One.\nTwo.", false, []string{"a", "b"}, []string{"One.", "Two."}},
		{"single newlines kept when source has them", "Facebook\nTwitter", false, []string{"Facebook\nTwitter"}, []string{"Facebook\nTwitter"}},
		{"numbered", "[1] One.\n\n[2] Two\nstill two.\n[3] Three.", true, []string{"a", "b", "c"}, []string{"One.", "Two\nstill two.", "Three."}},
		{"numbered in bold", "**[1]** One.\n\n**[2]** Two.", true, []string{"a", "b"}, []string{"One.", "Two."}},
		{"numbered out of order falls back", "[2] Two.\n\n[1] One.", true, []string{"a", "b"}, []string{"[2] Two.", "[1] One."}},
		{"numbered with one missing", "[1] One.\n\n[3] Three.", true, []string{"a", "b", "c"}, []string{"[1] One.", "[3] Three."}},
		{"unasked numbering read too", "[1] One.\n[2] Two.", false, []string{"a", "b"}, []string{"One.", "Two."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := paragraphs(tt.answer, tt.numbered, tt.src); !slices.Equal(got, tt.want) {
				t.Errorf("paragraphs = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	fr := "Le président russe a offert une voiture de luxe à son homologue nord-coréen lors de sa visite à Pyongyang."
	en := "The Russian president gave a luxury car to his North Korean counterpart during his visit to Pyongyang."
	long := strings.Repeat(fr+" ", 3)
	tests := []struct {
		name     string
		src, out []string
		code     string // "" = accepted
	}{
		{"good", []string{fr, fr}, []string{en, en}, ""},
		{"paragraph dropped", []string{fr, fr}, []string{en}, "paragraph_count"},
		{"still french", []string{fr, fr}, []string{en, fr}, "still_french"},
		{"short french line not judged", []string{"Mis à jour le 20 février"}, []string{"Mis à jour le 20 février"}, ""},
		{"far too short", []string{long}, []string{"HACKED"}, "length_ratio"},
		{"far too long", []string{long}, []string{strings.Repeat(en+" ", 9)}, "length_ratio"},
		{"short chunk not ratio-checked", []string{"Oui."}, []string{"Yes, absolutely, that is right."}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := check(tt.src, tt.out)
			switch {
			case tt.code == "" && p != nil:
				t.Errorf("check rejected: %s: %s", p.Code, p.Msg)
			case tt.code != "" && p == nil:
				t.Errorf("check accepted, want %s", tt.code)
			case tt.code != "" && string(p.Code) != tt.code:
				t.Errorf("check = %s (%s), want %s", p.Code, p.Msg, tt.code)
			case p != nil && p.Fix == "":
				t.Errorf("problem %s has no corrective instruction", p.Code)
			}
		})
	}
}

func TestMissingNumbers(t *testing.T) {
	tests := []struct {
		name     string
		src, out string
		want     []string
	}{
		{"grouping styles", "16\u202f000 conteneurs, 16 000 obus et 1 000 000 euros", "16,000 containers, 16000 shells and 1,000,000 euros", nil},
		{"decimal comma", "2,5 milliards de dollars en 2024", "2.5 billion dollars in 2024", nil},
		{"year dropped", "En 1948, sous Staline", "Under Stalin", []string{"1948"}},
		{"written out small numbers", "5 étalons et 25 juments", "five stallions and 25 mares", nil},
		{"amount changed", "16 000 conteneurs", "1,600 containers", []string{"16 000"}},
		{"thousand in words", "3 000 soldats", "3 thousand soldiers", nil},
		{"time", "mardi 20 février 2024 – 12h31", "Tuesday 20 February 2024 – 12:31", nil},
		{"each missing number once", "10 000 et 10 000", "", []string{"10 000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := missingNumbers([]string{tt.src}, []string{tt.out}); !slices.Equal(got, tt.want) {
				t.Errorf("missingNumbers = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFidelity(t *testing.T) {
	tests := []struct {
		name     string
		src, out string
		code     string // "" = accepted
	}{
		{"same figures in English writing", "16 000 conteneurs, 21.930,54 euros, 3,5 % et 2 milliards de dollars", "16,000 containers, 21,930.54 euros, 3.5% and 2 billion dollars", ""},
		{"scale symbols", "un budget de 12 M€ et une prime de 300 k€", "a budget of €12 million and a bonus of €300,000", ""},
		{"thousands shifted", "16 000 conteneurs de munitions", "1,600 containers of munitions", "number_changed"},
		{"milliards became millions", "2 milliards de dollars", "2 million dollars", "number_changed"},
		{"a figure only missing is no change", "En 1948, sous Staline, 200 soldats", "Under Stalin, 200 soldiers", ""},
		{"conditional kept as reported", "Pyongyang aurait livré des obus à la Russie.", "Pyongyang reportedly delivered shells to Russia.", ""},
		{"conditional kept with according to", "Selon KCNA, Kim aurait reçu la voiture.", "According to KCNA, Kim received the car.", ""},
		{"conditional turned into fact", "Pyongyang aurait livré des obus à la Russie.", "Pyongyang delivered shells to Russia.", "hedge_lost"},
		{"plural conditional turned into fact", "Des soldats nord-coréens seraient morts au combat.", "North Korean soldiers died in combat.", "hedge_lost"},
		{"quote kept", "« Ce cadeau est une claire démonstration », a-t-elle dit.", "“This gift is a clear demonstration,” she said.", ""},
		{"quote turned into reported speech", "« Ce cadeau est une claire démonstration », a-t-elle dit.", "She said that the gift was a clear demonstration.", "quote_lost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fidelity([]string{tt.src}, []string{tt.out})
			switch {
			case tt.code == "" && p != nil:
				t.Errorf("rejected: %s: %s", p.Code, p.Msg)
			case tt.code != "" && p == nil:
				t.Errorf("accepted, want %s", tt.code)
			case tt.code != "" && string(p.Code) != tt.code:
				t.Errorf("%s (%s), want %s", p.Code, p.Msg, tt.code)
			case p != nil && p.Fix == "":
				t.Errorf("%s has no corrective instruction", p.Code)
			}
		})
	}
}
