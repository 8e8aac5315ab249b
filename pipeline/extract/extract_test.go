package extract

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/glossary"

	"github.com/depeche-news/depeche/pipeline/news"
)

func TestStemWord(t *testing.T) {
	tests := []struct{ in, want string }{
		{"visits", "visit"}, {"visited", "visit"}, {"visiting", "visit"},
		{"supplies", "supply"}, {"containers", "container"}, {"boxes", "box"},
		{"status", "status"}, {"press", "press"}, {"agreed", "agreed"}, {"is", "is"},
	}
	for _, tc := range tests {
		if got := stemWord(tc.in); got != tc.want {
			t.Errorf("stemWord(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFigures(t *testing.T) {
	tests := []struct {
		in   string
		want []string // text=value/unit
	}{
		{"More than 16,000 containers of munitions were shipped.", []string{"16,000 containers=16000/container"}},
		{"Kim Jong Un, 40 years old, owns many cars.", []string{"40 years old=40/year"}},
		{"It was his first visit in 24 years.", []string{"24 years=24/year"}},
		{"Five stallions and 25 Orlov Trotter mares arrived.", []string{"25 Orlov Trotter mares=25/mare"}},
		{"He used a limousine in 2018 at his inauguration.", nil},
		{"In 2019 Kim met Trump.", nil},
		{"Some 2000 soldiers were sent.", []string{"2000 soldiers=2000/soldier"}},
		{"The pandemic of COVID-19 closed borders.", nil},
		{"It cost $5 million and 3.5% more.", []string{"$5 million=5e+06/$", "3.5%=3.5/%"}},
		{"Kim Jong Un, 40, is known.", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, f := range figures(tc.in) {
			got = append(got, fmt.Sprintf("%s=%v/%s", f.text, f.value, f.unit))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("figures(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDateOf(t *testing.T) {
	tests := []struct {
		in, label string
		key       int
	}{
		{"Updated Tuesday, 20 February 2024 at noon.", "2024-02-20", 20240220},
		{"It happened on June 19, 2024, in Pyongyang.", "2024-06-19", 20240619},
		{"Kim visited in September 2023.", "2023-09", 20230900},
		{"He used a limousine at his inauguration in 2018, officials said.", "2018", 20180000},
		{"Some 2000 soldiers left in 2022.", "2022", 20220000},
		{"Kim travelled to Russia last September.", "last September", 0},
		{"The note was published on Tuesday.", "Tuesday", 0},
		{"More than 16,000 containers were shipped.", "", -1},
	}
	for _, tc := range tests {
		w, ok := dateOf(tc.in)
		if tc.key < 0 {
			if ok {
				t.Errorf("dateOf(%q) = %+v, want none", tc.in, w)
			}
			continue
		}
		if !ok || w.label != tc.label || w.key != tc.key {
			t.Errorf("dateOf(%q) = %+v %v, want %q %d", tc.in, w, ok, tc.label, tc.key)
		}
	}
}

func TestEntities(t *testing.T) {
	es := entities([]string{
		"Russian President Vladimir Putin met North Korean leader Kim Jong Un in Pyongyang.",
		"The talks were reported by KCNA and the United Nations Security Council discussed them.",
		"Putin said the treaty was historic.",
		"Addressing reporters, Yuri Ushakov, an adviser to Putin, described the gifts.",
		"North Koreans watched the motorcade in Kumsusan Square.",
		"After the fall of the Soviet Union, the European Union imposed sanctions on the German firm.",
		"Kim gave a pair of hunting dogs to Putin, according to Yuri Ushakov.",
		"The sister of the President of North Korea spoke to the Financial Times The next day.",
		"Sanctions were discussed at the UN.",
	}, nil)
	tests := []struct {
		kind int
		want []string
		not  []string
	}{
		{kindPerson, []string{"Vladimir Putin", "Kim Jong Un", "Yuri Ushakov"}, []string{"Putin", "Addressing", "North Koreans", "Russian President Vladimir Putin"}},
		{kindOrg, []string{"KCNA", "United Nations Security Council", "Soviet Union", "European Union", "UN"}, []string{"Union", "UN.", "Financial Times The"}},
		{kindPlace, []string{"Pyongyang", "Kumsusan Square", "North Korea"}, []string{"North Korean", "Putin", "Yuri Ushakov", "of North Korea"}},
	}
	for _, tc := range tests {
		got := namesOf(es, tc.kind, 10)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("kind %d: %q lacks %q", tc.kind, got, w)
			}
		}
		for _, n := range tc.not {
			if slices.Contains(got, n) {
				t.Errorf("kind %d: %q has %q", tc.kind, got, n)
			}
		}
	}
	if namesOf(es, kindPerson, 1)[0] != "Vladimir Putin" {
		t.Errorf("most mentioned person: %q (a lone surname should count for the full name)", namesOf(es, kindPerson, 1))
	}
}

func TestMMRDropsRepeats(t *testing.T) {
	sents := []string{
		"Putin gave Kim a Russian-made Aurus limousine in Pyongyang.",
		"Putin gave Kim a Russian-made Aurus limousine in Pyongyang on Wednesday.",
		"The two leaders signed a mutual defence treaty.",
	}
	vecs, _ := tfidfVectors(sents)
	score := []float64{1, 0.95, 0.5}
	sim := func(a, b int) float64 { return vecs[a].Dot(vecs[b]) }
	got := mmr([]int{0, 1, 2}, score, sim, 0.7, 2, nil)
	if !slices.Equal(got, []int{0, 2}) {
		t.Errorf("mmr picked %v, want the treaty over the repeat: [0 2]", got)
	}
	got = mmr([]int{0, 1, 2}, score, sim, 0.7, 2, func(i int) bool { return i != 0 })
	if !slices.Equal(got, []int{1, 2}) {
		t.Errorf("mmr with a veto picked %v, want [1 2]", got)
	}
}

func TestExtractOptionsDefaults(t *testing.T) {
	tests := []struct{ in, facts, words int }{{0, 5, 600}, {1, 3, 600}, {9, 6, 600}, {4, 4, 600}}
	for _, tc := range tests {
		o := New(Options{KeyFacts: tc.in}).opt
		if o.KeyFacts != tc.facts || o.MaxWords != tc.words {
			t.Errorf("KeyFacts %d: got %+v", tc.in, o)
		}
	}
}

// generatedSources builds n articles from the fixtures' sentences, shuffled,
// with numbers and some names varied per article so that the vocabulary
// grows with n the way a real batch's does.
func generatedSources(t testing.TB, n int) []news.Source {
	var pool []string
	for _, f := range allFixtures() {
		tr := loadFixture(t, f)
		pool = append(pool, texts(splitSentences(tr.Paragraphs))...)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	towns := []string{"Sinuiju", "Wonsan", "Hamhung", "Chongjin", "Kaesong", "Nampo", "Rason", "Haeju"}
	var reporters []string
	for _, a := range []string{"Anna", "Boris", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas"} {
		for _, b := range []string{"Adler", "Brun", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Horvat", "Ivanova", "Jensen"} {
			reporters = append(reporters, a+" "+b)
		}
	}
	out := make([]news.Source, n)
	for i := range out {
		var ps []string
		for k := 0; k < 25; k++ {
			s := pool[rng.IntN(len(pool))]
			if rng.IntN(3) == 0 {
				s = strings.Replace(s, "Pyongyang", fmt.Sprintf("%s-%d", towns[rng.IntN(len(towns))], rng.IntN(50)), 1)
			}
			if rng.IntN(4) == 0 {
				s = strings.Replace(s, "24 years", fmt.Sprintf("%d years", 20+rng.IntN(6)), 1)
			}
			ps = append(ps, s+" "+reporters[rng.IntN(len(reporters))]+" noted this.")
		}
		out[i] = news.Source{N: i + 1, Title: fmt.Sprintf("Article %d", i+1), Text: strings.Join(ps, "\n\n")}
		if i%10 == 1 {
			out[i].Group, out[i-1].Group = i, i
		}
	}
	return out
}

func BenchmarkBrief200(b *testing.B) {
	srcs := generatedSources(b, 200)
	x := New(Options{})
	b.ResetTimer()
	for b.Loop() {
		x.Brief(srcs, Options{})
	}
}

func BenchmarkBrief50(b *testing.B) {
	srcs := generatedSources(b, 50)
	x := New(Options{})
	b.ResetTimer()
	for b.Loop() {
		x.Brief(srcs, Options{})
	}
}

func BenchmarkSummarize(b *testing.B) {
	tr := loadFixture(b, "02-yonhap.txt")
	x := New(Options{})
	for b.Loop() {
		x.Summarize(tr)
	}
}

// The glossary's sections say what a name is; they win over the cues
// ("to Putin" reads like a place, "Kumsusan" alone like nothing).
func TestEntitiesKnownFromGlossary(t *testing.T) {
	sents := []string{
		"Kim gave a pair of hunting dogs to Putin.",
		"The motorcade reached Kumsusan before noon.",
		"Aurus built the car.",
	}
	x := New(Options{Known: map[string]string{"Putin": glossary.Person, "Kumsusan": glossary.Place, "Aurus": glossary.Organization}})
	es := entities(sents, x.known)
	for _, tc := range []struct {
		kind int
		name string
	}{{kindPerson, "Putin"}, {kindPlace, "Kumsusan"}, {kindOrg, "Aurus"}} {
		if got := namesOf(es, tc.kind, 10); !slices.Contains(got, tc.name) {
			t.Errorf("kind %d: %q lacks %q", tc.kind, got, tc.name)
		}
	}
	if got := namesOf(entities(sents, nil), kindPerson, 10); slices.Contains(got, "Putin") {
		t.Errorf("without the glossary %q: the test no longer shows what the glossary adds", got)
	}
}
