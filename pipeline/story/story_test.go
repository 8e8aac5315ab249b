package story

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/news"
)

// article builds a source from a title, a date and body sentences.
func article(n int, date, title string, body ...string) news.Source {
	return news.Source{N: n, Stem: fmt.Sprint("a", n), Title: title, Meta: news.Meta{Date: date}, Text: strings.Join(body, "\n\n")}
}

func TestGroup(t *testing.T) {
	summit := []news.Source{
		article(1, "2024-06-19", "Putin lands in Pyongyang for a summit with Kim Jong Un",
			"Vladimir Putin arrived in Pyongyang overnight and was greeted on the tarmac by Kim Jong Un, who drove him to the Kumsusan guesthouse."),
		article(2, "2024-06-19", "Russia and North Korea sign a mutual defence treaty in Pyongyang",
			"Kim Jong Un and Vladimir Putin signed a treaty in Pyongyang under which each promises military aid if the other is attacked."),
		article(3, "2024-06-20", "Seoul summons the Russian ambassador over the Pyongyang treaty",
			"South Korea protested against the treaty Vladimir Putin and Kim Jong Un signed in Pyongyang and may reconsider arming Ukraine."),
	}
	strike := []news.Source{
		article(4, "2024-02-16", "Rail strike: one high-speed train in two cancelled on the south-east line",
			"The SNCF cancelled one TGV in two this weekend on the south-east line because of a strike by ticket inspectors during the winter holidays."),
		article(5, "2024-02-17", "SNCF chief Farandou calls striking ticket inspectors back to talks",
			"Jean-Pierre Farandou asked the striking SNCF ticket inspectors to resume talks as one TGV in two stayed cancelled on the south-east line."),
		article(6, "2024-02-19", "Trains back to normal after three days of ticket inspectors' strike",
			"SNCF traffic returned to normal on Monday after the ticket inspectors' strike that cancelled one TGV in two on the south-east line."),
	}
	// The same two leaders, months later: another summit, another story.
	later := article(7, "2025-03-02", "Kim Jong Un visits Vladivostok, Putin shows him the Pacific fleet",
		"Kim Jong Un toured the Pacific fleet's frigates in Vladivostok with Vladimir Putin on the second day of his trip to Russia.")
	srcs := append(append(append([]news.Source{}, summit...), strike...), later)
	got := Group(srcs, Options{})
	want := [][]int{{1, 2, 3}, {4, 5, 6}, {7}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("stories = %v, want %v", got, want)
	}
	// Deterministic whatever the order of the sources.
	rev := slices.Clone(srcs)
	slices.Reverse(rev)
	if again := Group(rev, Options{}); !slices.EqualFunc(again, want, slices.Equal) {
		t.Errorf("reversed input: %v, want %v", again, want)
	}
}

// TestNearDuplicatesStayTogether: a group of copies is one unit, counted
// once among a story's distinct sources, never split between stories.
func TestNearDuplicatesStayTogether(t *testing.T) {
	srcs := []news.Source{
		article(1, "2024-06-06", "The ECB cuts its rates for the first time since 2019", "The European Central Bank lowered its deposit rate from 4% to 3.75%."),
		article(2, "2024-06-06", "ECB: deposit rate down to 3.75%", "The European Central Bank lowered its deposit rate from 4% to 3.75%."),
		article(3, "2024-10-29", "Floods in Valencia leave dozens dead", "Torrential rain flooded towns around Valencia, sweeping away cars."),
	}
	srcs[0].Group, srcs[2].Group = 1, 1 // as the runner marks copies: here an odd pair, kept together all the same
	got := Group(srcs, Options{})
	for _, st := range got {
		if slices.Contains(st, 1) != slices.Contains(st, 3) {
			t.Fatalf("near-duplicates 1 and 3 split: %v", got)
		}
	}
	if d := Distinct(srcs, []int{1, 2, 3}); d != 2 {
		t.Errorf("distinct sources of 1, 2, 3 = %d, want 2 (1 and 3 are one)", d)
	}
}

func TestAdjustedRand(t *testing.T) {
	tests := []struct {
		truth, got []string
		want       float64
	}{
		{[]string{"a", "a", "b", "b"}, []string{"x", "x", "y", "y"}, 1},
		{[]string{"a", "a", "b", "b"}, []string{"x", "y", "x", "y"}, -0.5},
		{[]string{"a", "a", "a", "b", "b", "c"}, []string{"x", "x", "y", "y", "y", "z"}, 0.3181818},
	}
	for _, tt := range tests {
		if got := AdjustedRand(tt.truth, tt.got); got < tt.want-1e-6 || got > tt.want+1e-6 {
			t.Errorf("AdjustedRand(%v, %v) = %v, want %v", tt.truth, tt.got, got, tt.want)
		}
	}
}
