package lang

import (
	"reflect"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"french", "Le président de la Russie a offert une voiture au dirigeant nord-coréen pour son usage personnel.", French},
		{"elisions", "L’accord, qui intervient dans le contexte de la guerre, est l’accord le plus important.", French},
		{"english", "The Russian president gave the North Korean leader a car for his personal use.", English},
		{"too short", "Kim Jong-un", Unknown},
		{"names only", "Facebook Twitter LinkedIn Pinterest", Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect(tt.text); got != tt.want {
				t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestFrenchRatio(t *testing.T) {
	fr := FrenchRatio("Le président de la Russie a offert une voiture au dirigeant nord-coréen pour son usage personnel.")
	en := FrenchRatio("The Russian president gave the North Korean leader a car for his personal use.")
	if fr < 0.25 || en > 0.1 {
		t.Errorf("FrenchRatio: french %.2f, english %.2f", fr, en)
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Il pleut. Il fait froid.", []string{"Il pleut.", "Il fait froid."}},
		{"M. Poutine est arrivé. Kim l’attendait.", []string{"M. Poutine est arrivé.", "Kim l’attendait."}},
		{"« C’était un cadeau. » Ce cadeau compte.", []string{"« C’était un cadeau. »", "Ce cadeau compte."}},
		{"Il a dit : « Non ! » Puis il est parti.", []string{"Il a dit : « Non ! »", "Puis il est parti."}},
		{"Version 2.5 du texte. 16 000 conteneurs ont été expédiés.", []string{"Version 2.5 du texte.", "16 000 conteneurs ont été expédiés."}},
		{"J. Smith said so. Then he left", []string{"J. Smith said so.", "Then he left"}},
		{"no terminal punctuation", []string{"no terminal punctuation"}},
		// the sentences are slices of the text: multi-byte runes before a
		// boundary must not shift it, and stray bytes must not panic
		{"Été à Montréal… Ça va. Où ?\u00a0Très bien.", []string{"Été à Montréal…", "Ça va.", "Où ?", "Très bien."}},
		{"Un \xff octet. Puis « la suite ».", []string{"Un \uFFFD octet.", "Puis « la suite »."}},
	}
	for _, tt := range tests {
		if got := Sentences(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Sentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestCountsAsWords: the allocation-free counts agree with the plain
// definition (Words, strings.ToLower, the two stop lists) on mixed text:
// capitals, accents, elisions, digits, hyphens, and runes whose lower case
// is ASCII (K KELVIN SIGN, İ).
func TestCountsAsWords(t *testing.T) {
	texts := []string{
		"",
		"Le président de la Russie a offert une voiture au dirigeant nord-coréen.",
		"L’accord, qu’il a signé À Moscou, EST « très » important ; ÉTÉ 2024, Où ? Après-demain.",
		"THE Kremlin SAID it WAS ready, ACCORDING to Reuters. 16 000 conteneurs.",
		"\u212Ahe İl İN tHE \u212A – ALL-IN d'un l'",
		"a\u00a0à\u202fla-la –de— x2 2x\xff\xfeDE",
		"À Où TRÈS Même ÉTÉ Être APRÈS Ⱥ où-est ÀÀÀÀÀÀÀÀÀÀÀÀÀÀÀÀÀÀÀÀ",
	}
	for _, text := range texts {
		fr, en, n, frOnly := 0, 0, 0, 0
		for _, w := range Words(text) {
			n++
			lw := strings.ToLower(w)
			_, f := frenchStop[lw]
			_, e := englishStop[lw]
			if f {
				fr++
			}
			if e {
				en++
			}
			if f && !e {
				frOnly++
			}
			if sf, se := Stop(w); sf != f || se != e {
				t.Errorf("Stop(%q) = %v %v, want %v %v", w, sf, se, f, e)
			}
		}
		gf, ge, gn := Counts(text)
		if gf != fr || ge != en || gn != n {
			t.Errorf("Counts(%q) = %d %d %d, want %d %d %d", text, gf, ge, gn, fr, en, n)
		}
		var ws []string
		for w := range WordSeq(text) {
			ws = append(ws, w)
		}
		if !reflect.DeepEqual(ws, Words(text)) && len(ws)+len(Words(text)) > 0 {
			t.Errorf("WordSeq(%q) = %q, Words %q", text, ws, Words(text))
		}
		want := 0.0
		if n > 0 {
			want = float64(frOnly) / float64(n)
		}
		if got := FrenchRatio(text); got != want {
			t.Errorf("FrenchRatio(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestCountsAdd: counts of parts joined by a space or a line break add up
// to the counts of the whole, which DetectCounts relies on.
func TestCountsAdd(t *testing.T) {
	parts := []string{"Le président", "a dit-il", "l’accord", "THE end.", "«\u00a0oui\u00a0»", "x"}
	var fr, en, n int
	for _, p := range parts {
		f, e, w := Counts(p)
		fr, en, n = fr+f, en+e, n+w
	}
	for _, sep := range []string{" ", "\n"} {
		whole := strings.Join(parts, sep)
		if f, e, w := Counts(whole); f != fr || e != en || w != n {
			t.Errorf("sep %q: Counts = %d %d %d, parts add to %d %d %d", sep, f, e, w, fr, en, n)
		}
		if DetectCounts(fr, en, n) != Detect(whole) {
			t.Errorf("sep %q: DetectCounts disagrees with Detect", sep)
		}
	}
}
