package cite

import (
	"reflect"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/briefing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name       string
		points     []briefing.Point
		wantPoints []briefing.Point // Marked compared by prefix
		want       briefing.CitationStats
	}{
		{
			// [4], a birthday letter, never mentions the Aurus; [3] does.
			name:       "invented citation [9] is removed, a wrong one moves to the article that supports the point",
			points:     []briefing.Point{{Text: "Putin gave Kim an Aurus limousine.", Cites: []int{9, 4, 2, 4}}},
			wantPoints: []briefing.Point{{Text: "Putin gave Kim an Aurus limousine.", Cites: []int{2, 3}}},
			want:       briefing.CitationStats{Verify: "lexical", Points: 1, Citations: 2, Checked: 2, Unresolved: 1, Moved: 1, CitedSources: 2, Uncited: []int{1, 4, 5}},
		},
		{
			name:       "a point citing only [9] is dropped",
			points:     []briefing.Point{{Text: "Putin gave Kim an Aurus limousine.", Cites: []int{9}}, {Text: "Kim wished Putin a happy 72nd birthday.", Cites: []int{4}}},
			wantPoints: []briefing.Point{{Text: "Kim wished Putin a happy 72nd birthday.", Cites: []int{4}}},
			want:       briefing.CitationStats{Verify: "lexical", Points: 1, Citations: 1, Checked: 1, Unresolved: 1, Dropped: 1, CitedSources: 1, Uncited: []int{1, 2, 3, 5}},
		},
		{
			name:       "a point no article supports is flagged",
			points:     []briefing.Point{{Text: "Tokyo's Nikkei index fell 3% on Friday amid yen volatility.", Cites: []int{4}}},
			wantPoints: []briefing.Point{{Text: "Tokyo's Nikkei index fell 3% on Friday amid yen volatility.", Cites: []int{4}, Marked: "unsupported: citation [4] does not mention “3%”, “Nikkei”, “Friday”"}},
			want:       briefing.CitationStats{Verify: "lexical", Points: 1, Citations: 1, Checked: 1, Removed: 1, Flagged: 1, CitedSources: 1, Uncited: []int{1, 2, 3, 5}},
		},
		{
			name: "every source cited: nothing uncited, paraphrases accepted",
			points: []briefing.Point{
				{Text: "Five Orlov Trotter stallions and 25 mares were sent to Pyongyang.", Cites: []int{1}},
				{Text: "Observers say the car may breach the UN ban on luxury exports.", Cites: []int{2}},
				{Text: "The two leaders took turns at the wheel during Putin's visit to Pyongyang.", Cites: []int{3}},
				{Text: "Putin played Kim's chauffeur in the limousine he had given him.", Cites: []int{5}},
				{Text: "The US says over 16,000 containers of munitions were shipped.", Cites: []int{4}},
			},
			want: briefing.CitationStats{Verify: "lexical", Points: 5, Citations: 5, Checked: 5, CitedSources: 5},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := briefing.Briefing{Points: tt.points}
			mustCheck(t, &b, seedSources(t))
			if !reflect.DeepEqual(b.Citations, tt.want) {
				t.Errorf("stats = %+v, want %+v", b.Citations, tt.want)
			}
			if tt.wantPoints == nil {
				for _, p := range b.Points {
					if p.Marked != "" {
						t.Errorf("point %q marked: %s", p.Text, p.Marked)
					}
				}
				return
			}
			if len(b.Points) != len(tt.wantPoints) {
				t.Fatalf("points = %+v, want %+v", b.Points, tt.wantPoints)
			}
			for i, p := range b.Points {
				w := tt.wantPoints[i]
				if p.Text != w.Text || !reflect.DeepEqual(p.Cites, w.Cites) || !strings.HasPrefix(p.Marked, w.Marked) || (w.Marked == "") != (p.Marked == "") {
					t.Errorf("point %d = %+v, want %+v", i, p, w)
				}
			}
			if !reflect.DeepEqual(b.AlsoCovered, append([]int{}, tt.want.Uncited...)) {
				t.Errorf("AlsoCovered = %v, want %v", b.AlsoCovered, tt.want.Uncited)
			}
		})
	}
}

func TestCheckGroupCountedOnce(t *testing.T) {
	seeds := seedSources(t)
	srcs := append(seeds, wireCopy(seeds[1], 6))
	srcs[1].Group, srcs[5].Group = 1, 1
	b := briefing.Briefing{
		Points: []briefing.Point{{Text: "Putin gave Kim Jong Un a Russian-made car for his personal use.", Cites: []int{6, 2}}},
		Timeline: []briefing.Event{
			{Date: "2024-02-20", Text: "KCNA reports the car gift.", Cites: []int{2, 9}},
			{Date: "2030", Text: "Invented.", Cites: []int{12}},
		},
		Differences: []briefing.Difference{
			{Topic: "Who accepted the gift", Sides: []briefing.Side{{Claim: "Kim's top aides", Cites: []int{1}}, {Claim: "Kim Yo Jong", Cites: []int{2}}}},
			{Topic: "One-sided", Sides: []briefing.Side{{Claim: "x", Cites: []int{1}}, {Claim: "y", Cites: []int{99}}}},
		},
	}
	mustCheck(t, &b, srcs)
	if got := b.Points[0].Cites; !reflect.DeepEqual(got, []int{2, 6}) {
		t.Errorf("cites = %v, want both group members kept, sorted", got)
	}
	// point: [2][6] count once; event: [2], which says "state media", moves
	// to [1], which names KCNA; difference sides: [1], [2]; "x" and "y" are
	// flagged, and the side citing only [99] is dropped.
	want := briefing.CitationStats{Verify: "lexical", Points: 1, Citations: 4, Checked: 6, Unresolved: 3, Removed: 1, Moved: 1, Flagged: 1, Dropped: 2, CitedSources: 3, Uncited: []int{3, 4, 5}}
	if !reflect.DeepEqual(b.Citations, want) {
		t.Errorf("stats = %+v, want %+v", b.Citations, want)
	}
	if len(b.Timeline) != 1 || len(b.Differences) != 1 {
		t.Errorf("timeline %v, differences %v: want the invented event and the one-sided difference gone", b.Timeline, b.Differences)
	}
}
