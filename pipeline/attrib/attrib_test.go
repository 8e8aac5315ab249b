package attrib

import (
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	tests := []struct {
		sentence string
		want     []string // "kind:text|source" of each mark, in Find's order
	}{
		{"According to the prefecture, 7,800 homes have been affected since 6 November.",
			[]string{"0:According to the prefecture|the prefecture"}},
		{"The prefect, Laurent Vasseur, told reporters in Arras that the water was still rising.",
			[]string{"1:The prefect, Laurent Vasseur told|The prefect, Laurent Vasseur"}},
		{"The decree allows victims to be compensated within three months, the interior minister Hélène Caradec said.",
			[]string{"1:the interior minister Hélène Caradec said|the interior minister Hélène Caradec"}},
		{"\"We have never seen this in living memory,\" said Françoise Lemaire, a 68-year-old resident of Blendecques.",
			[]string{"1:Françoise Lemaire said|Françoise Lemaire", "3:We have never seen this in living memory,|"}},
		{"The driver would have tried to cross a flooded road despite the barriers.", []string{"2:would have tried|"}},
		{"It would have been impossible without the pumps.", nil},
		{"The floods are reportedly the worst in the department for more than sixty years.", []string{"2:reportedly|"}},
		{"A law on minimum service is said to be under consideration in the Senate.", []string{"2:is said to|"}},
		{"Insurers have received more than 12,000 claims so far.", nil},
		{"The union claims the reform ignores the constraints of the job.", []string{"1:The union claims|The union"}},
		{"Visiting Saint-Omer, the Prime Minister announced an emergency fund of 50 million euros.", nil},
		{"The Élysée announced that the fund would pay for the roads.", []string{"1:The Élysée announced|The Élysée"}},
		{"Kim, who said he was delighted, inspected the car.", []string{"1:said|"}},
		{"It was reported that the talks had failed.", []string{"2:was reported|"}},
		{"The river rose to 3.45 metres on Tuesday evening.", nil},
		{"The United States says more than 16,000 containers of munitions went to Russia.",
			[]string{"1:The United States says|The United States"}},
		{"France Assureurs estimates the cost of the damage at between 550 and 640 million euros.",
			[]string{"1:France Assureurs estimates|France Assureurs"}},
		{"Estimates vary between 550 and 640 million euros.", nil},
		{"The union states the reform ignores the job's constraints.", []string{"1:The union states|The union"}},
		{"The strike was called by the SNCTA, which states the reform ignores the job's constraints.", []string{"1:states|"}},
		{"Member states agreed on the budget, the Gulf States too.", nil},
		{"\"France is holding European passengers hostage,\" FlyEire's chief executive, Declan Moran, said in a video.",
			[]string{"1:FlyEire's chief executive, Declan Moran said|FlyEire's chief executive, Declan Moran", "3:France is holding European passengers hostage,|"}},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range Find(tt.sentence) {
			got = append(got, strings.Join([]string{string(rune('0' + m.Kind)), ":", m.Text, "|", m.Source}, ""))
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("Find(%q)\n got %q\nwant %q", tt.sentence, got, tt.want)
		}
	}
}

// TestLost: claims from several stories against the sentences they rest
// on. A claim keeps an attribution by attributing anything itself or by
// naming the source; one that does not use what the attribution governs
// owes it nothing.
func TestLost(t *testing.T) {
	tests := []struct {
		claim     string
		sentences []string
		lost      string // "" = nothing lost; else a part of Loss.String()
	}{
		// floods
		{"7,800 homes have been affected in Pas-de-Calais.",
			[]string{"According to the prefecture, 7,800 homes have been affected since 6 November."}, "“according to the prefecture”"},
		{"7,800 homes have been affected, according to the prefecture.",
			[]string{"According to the prefecture, 7,800 homes have been affected since 6 November."}, ""},
		{"The prefecture counts 7,800 homes affected since 6 November.",
			[]string{"According to the prefecture, 7,800 homes have been affected since 6 November."}, ""},
		{"The driver tried to cross a flooded road despite the barriers.",
			[]string{"The driver would have tried to cross a flooded road despite the barriers, investigators said."}, "attribution lost"},
		{"The driver reportedly tried to cross a flooded road.",
			[]string{"The driver would have tried to cross a flooded road despite the barriers, investigators said."}, ""},
		{"Residents waited two days for the pumps in Arques.",
			[]string{"\"We waited two days for the pumps,\" said Karim Benali, a baker in Arques."}, "Karim Benali said"},
		{"Karim Benali said residents waited two days for the pumps.",
			[]string{"\"We waited two days for the pumps,\" said Karim Benali, a baker in Arques."}, "quote lost"},
		{"Kim's letter offers Putin sincere and warm congratulations on his birthday.",
			[]string{"Kim's letter offers him \"sincere and warm congratulations\" on his 72nd birthday."}, "quote lost"},
		{"Karim Benali said: “We waited two days for the pumps.”",
			[]string{"\"We waited two days for the pumps,\" said Karim Benali, a baker in Arques."}, ""},
		{"The Aa rose to 3.45 metres.", []string{"The river rose to 3.45 metres on Tuesday evening."}, ""},
		{"Insurers have received 12,000 claims.",
			[]string{"Insurers have received more than 12,000 claims so far, according to France Assureurs."}, "according to France Assureurs"},
		{"Insurers have received 12,000 claims.", []string{"Insurers have received more than 12,000 claims so far."}, ""},
		// North Korea
		{"More than 16,000 containers of munitions went to Russia.",
			[]string{"The United States says more than 16,000 containers of munitions went to Russia."}, "The United States says"},
		{"Washington says more than 16,000 containers of munitions went to Russia.",
			[]string{"The United States says more than 16,000 containers of munitions went to Russia."}, ""},
		{"The car was delivered to Kim's top aides as a gift for his personal use.",
			[]string{"The Russian-made car was delivered to Kim's top aides and was a gift for his personal use, KCNA said."}, "KCNA said"},
		{"KCNA says the car was delivered to Kim's top aides.",
			[]string{"The Russian-made car was delivered to Kim's top aides and was a gift for his personal use, KCNA said."}, ""},
		{"Kim inspected the car in Pyongyang.", []string{"Kim, who said he was delighted, inspected the car in Pyongyang."}, ""},
		{"Kim Jong Un, 40, is known for his many foreign luxury cars.",
			[]string{"Kim Jong Un, 40, is known for his many foreign luxury cars which would have been smuggled into his country."}, ""},
		{"Kim's foreign luxury cars were smuggled into his country.",
			[]string{"Kim Jong Un, 40, is known for his many foreign luxury cars which would have been smuggled into his country."}, "would have been smuggled"},
		// the strike
		{"Controllers will not work two more years at night.",
			[]string{"\"Controllers will not work two more years in front of radar screens at night,\" its secretary general, Nicolas Brunet, told Radio Alpha."},
			"attribution lost"},
		{"France is holding European passengers hostage.",
			[]string{"\"France is holding European passengers hostage,\" FlyEire's chief executive, Declan Moran, said in a video."}, "quote lost"},
		{"FlyEire's chief executive says France is “holding European passengers hostage”.",
			[]string{"\"France is holding European passengers hostage,\" FlyEire's chief executive, Declan Moran, said in a video."}, ""},
		{"The DGAC asked airlines to cancel a third of their flights at Orly.",
			[]string{"The civil aviation authority (DGAC) asked airlines on Wednesday to cancel 33% of their flights at Paris-Orly."}, ""},
		// the trial
		{"Castagnet intends to run again in the 2026 municipal elections.",
			[]string{"Bernard Castagnet allegedly intends to run again in the 2026 municipal elections if he is cleared on appeal."}, "allegedly"},
		{"The tenders were written to suit Rouvier Bâtiment, investigators say.",
			[]string{"According to the investigators, the town's tenders were written to suit a single company, Rouvier Bâtiment."}, ""},
		{"The town's tenders were written to suit Rouvier Bâtiment.",
			[]string{"According to the investigators, the town's tenders were written to suit a single company, Rouvier Bâtiment."}, "according to the investigators"},
		{"The court sentenced Bernard Castagnet to two years' suspended prison.",
			[]string{"The criminal court of Toulon on Thursday sentenced Bernard Castagnet to two years' suspended imprisonment."}, ""},
	}
	for _, tt := range tests {
		l := Lost(tt.claim, tt.sentences)
		switch {
		case tt.lost == "" && l != nil:
			t.Errorf("%q: lost %q, want nothing lost", tt.claim, l.String())
		case tt.lost != "" && l == nil:
			t.Errorf("%q: nothing lost, want %q", tt.claim, tt.lost)
		case tt.lost != "" && !strings.Contains(l.String(), tt.lost):
			t.Errorf("%q: lost %q, want it to say %q", tt.claim, l.String(), tt.lost)
		}
	}
}
