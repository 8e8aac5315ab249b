package extract

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/news"
)

// loadFixture reads testdata/extract/<name>: the title on the first line,
// then paragraphs separated by blank lines.
func loadFixture(t testing.TB, name string) news.Translation {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "extract", name))
	if err != nil {
		t.Fatal(err)
	}
	title, body, _ := strings.Cut(string(b), "\n")
	tr := news.Translation{Stem: strings.TrimSuffix(name, ".txt"), Title: title}
	for _, p := range strings.Split(body, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			tr.Paragraphs = append(tr.Paragraphs, p)
		}
	}
	return tr
}

var eventFixtures = []string{"01-elmundo.txt", "02-yonhap.txt", "03-cnn.txt", "04-euronews.txt", "05-dailymail.txt"}

func TestSummarizeFixtures(t *testing.T) {
	x := New(Options{})
	tests := []struct {
		file                 string
		people, orgs, places []string
		dates, figures       []string // substrings that must be found
	}{
		{"01-elmundo.txt", []string{"Vladimir Putin", "Kim Jong-un", "Kim Yo-jong"}, []string{"KCNA"}, []string{"Pyongyang", "Moscow"}, []string{"2024-02-20", "1948"}, []string{"25 Orlov Trotter mares", "23 years ago"}},
		{"02-yonhap.txt", []string{"Vladimir Putin", "Kim Jong Un", "Kim Yo Jong"}, []string{"KCNA", "United Nations"}, []string{"North Korea", "Russia"}, []string{"2018", "2019"}, []string{"40 years old"}},
		{"03-cnn.txt", []string{"Vladimir Putin", "Kim Jong Un", "Yuri Ushakov"}, []string{"KCNA"}, []string{"Pyongyang", "Hanoi"}, []string{"1961", "Wednesday"}, []string{"24 years"}},
		{"04-euronews.txt", []string{"Vladimir Putin", "Kim Jong-un"}, []string{"KCNA"}, []string{"Pyongyang", "Ukraine"}, []string{"2022"}, []string{"16,000 containers", "72nd birthday"}},
		{"05-dailymail.txt", []string{"Vladimir Putin", "Kim Jong Un"}, []string{}, []string{"Pyongyang"}, []string{}, []string{"23 years"}},
		{"06-unrelated.txt", []string{"Patrice Vergriete"}, []string{"RATP"}, []string{"Paris"}, []string{"2024-07-26", "Monday"}, []string{"300 euros", "1,600 euros", "300 kilometres"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			tr := loadFixture(t, tc.file)
			s := x.Summarize(tr)
			if n := len(s.KeyFacts); n < 3 || n > 6 {
				t.Errorf("%d key facts, want 3–6: %q", n, s.KeyFacts)
			}
			body := strings.Join(tr.Paragraphs, "\n")
			last := -1
			seen := map[string]bool{}
			for _, f := range s.KeyFacts {
				if seen[f] {
					t.Errorf("duplicated fact %q", f)
				}
				seen[f] = true
				at := strings.Index(body, f)
				if at < 0 {
					t.Errorf("fact not quoted from the article: %q", f)
				}
				if at < last {
					t.Errorf("facts out of article order at %q", f)
				}
				last = at
			}
			if s.Headline == "" || !strings.Contains(tr.Title+"\n"+body, s.Headline) {
				t.Errorf("headline %q not from the article", s.Headline)
			}
			if s.Angle != "" && (!strings.HasPrefix(s.Angle, "Emphasis: ") || slices.Contains(s.KeyFacts, strings.TrimPrefix(s.Angle, "Emphasis: "))) {
				t.Errorf("angle %q", s.Angle)
			}
			for _, c := range []struct {
				got, want []string
				what      string
			}{{s.People, tc.people, "people"}, {s.Organizations, tc.orgs, "organizations"}, {s.Places, tc.places, "places"}} {
				for _, w := range c.want {
					if !slices.Contains(c.got, w) {
						t.Errorf("%s %q lacks %q", c.what, c.got, w)
					}
				}
			}
			for _, c := range []struct {
				got, want []string
				what      string
			}{{s.Dates, tc.dates, "dates"}, {s.Figures, tc.figures, "figures"}} {
				for _, w := range c.want {
					if !slices.ContainsFunc(c.got, func(g string) bool { return strings.Contains(g, w) }) {
						t.Errorf("%s %q lack %q", c.what, c.got, w)
					}
				}
			}
			if s.Stats.Engine != "offline" || s.Stats.Model != "extractive" || s.Stats.Requests != 0 {
				t.Errorf("stats %+v", s.Stats)
			}
		})
	}
}
