package apertium

import (
	"strings"
	"testing"
)

// The possessives and subject pronouns as protect sends them: notre/nos
// with what each "our" will become, pronouns as placeholders.
func TestPossessives(t *testing.T) {
	g := loadGlossary(t)
	rs := rules{glossary: g, phrases: DefaultPhrases(), possessives: true, kinds: g.Kinds()}
	tests := []struct {
		name, fr string
		ours     []string
		pronouns []string // English of the pronoun placeholders, in order
		stream   string   // a substring of what is sent
	}{
		{"leur is their", "Les deux pays ont renforcé leur coopération et leurs échanges.", []string{"their", "their"}, nil, "renforcé notre coopération et nos échanges"},
		{"leur before a verb is the pronoun", "Le Kremlin leur a offert une voiture pour leur permettre de partir.", nil, nil, "leur a offert"},
		{"a man by his title", "Le président russe Vladimir Poutine a exprimé son soutien.", []string{"his"}, nil, "notre soutien"},
		{"a woman by her apposition", "Kim Yo-jong, la sœur du dirigeant, a salué sa coopération.", []string{"her"}, nil, ""},
		{"a woman by her title", "La ministre a présenté ses excuses.", []string{"her"}, nil, ""},
		{"a country", "La Russie poursuit sa guerre en Ukraine.", []string{"its"}, nil, ""},
		{"a complement is not the possessor", "Le dirigeant du Kremlin a offert ce modèle à son homologue.", []string{"his"}, nil, ""},
		{"unknown gender is their, not his", "Kim a exprimé son soutien.", []string{"their"}, nil, ""},
		{"a possessive that opens its sentence looks ahead", "Après sa visite, le président a atterri à Hanoï.", []string{"his"}, nil, ""},
		{"our stays our", "« Nos agriculteurs ont tenu bon », a déclaré leur président.", []string{"Our", "their"}, nil, "“Nos agriculteurs"},
		{"il of a person is he, and teaches his gender", "Poutine a atterri à Hanoï, alors qu'il poursuit ses tentatives.", []string{"his"}, []string{"he"}, ""},
		{"elle of a country is it", "La Chine a répondu qu'elle poursuivrait ses efforts.", []string{"its"}, []string{"it"}, ""},
		{"impersonal il is left to the pivot", "Il y a deux ans, il faut le dire, il est prévu que Kim vienne.", nil, nil, "Il y a deux ans, il faut le dire, il est prévu"},
		{"negated impersonal il too", "Il ne faut pas oublier qu'il n'y a pas de paix.", nil, nil, "Il ne faut pas oublier qu'il n'y a"},
		{"son the noun is not a possessive", "Le son des sirènes a retenti à Kiev.", nil, nil, "Le son des"},
		{"ils is they", "Ils ont envoyé des missiles alors qu'ils négociaient.", nil, []string{"They", "they"}, ""},
		{"on is one", "On voyait le dictateur, lit-on dans la note.", nil, []string{"One", "one"}, ""},
	}
	for _, tt := range tests {
		n := 0
		p := protect(rs, tt.fr, &n, &article{})
		var prons []string
		for _, tok := range p.order {
			if sp := p.tokens[tok]; sp.pronoun {
				prons = append(prons, sp.english)
			}
		}
		if strings.Join(p.ours, "|") != strings.Join(tt.ours, "|") || strings.Join(prons, "|") != strings.Join(tt.pronouns, "|") || !strings.Contains(p.stream, tt.stream) {
			t.Errorf("%s: %q\n sent %q\n ours %q pronouns %q; want %q %q", tt.name, tt.fr, p.stream, p.ours, prons, tt.ours, tt.pronouns)
		}
	}
}

// A name's gender, once told, holds for the rest of the article.
func TestArticleRemembersGender(t *testing.T) {
	g := loadGlossary(t)
	rs := rules{glossary: g, phrases: DefaultPhrases(), possessives: true, kinds: g.Kinds()}
	art := &article{}
	n := 0
	protect(rs, "Le président russe Vladimir Poutine est arrivé mardi.", &n, art)
	if p := protect(rs, "Poutine a salué son homologue.", &n, art); strings.Join(p.ours, "") != "his" {
		t.Errorf("second paragraph: %q, want his", p.ours)
	}
	art.learn("Kim Jong Un", 'm')
	art.learn("Kim Yo Jong", 'f')
	if g := art.gender("Kim"); g != 0 {
		t.Errorf("Kim, both a man and a woman: gender %q, want unknown", g)
	}
}

func TestRewriteOurs(t *testing.T) {
	got := rewriteOurs("Our farmers and our partners, for our part: ours. Your car.", []string{"our", "their", "his", "its"})
	if want := "Our farmers and their partners, for his part: its. Your car."; got != want {
		t.Errorf("rewriteOurs = %q, want %q", got, want)
	}
	if got := rewriteOurs("our a, our b", []string{"their"}); got != "their a, our b" {
		t.Errorf("more ours than values: %q", got)
	}
}

// A weekday alone is protected as a date, "on" included where English
// wants it.
func TestWeekdays(t *testing.T) {
	g := loadGlossary(t)
	rs := rules{glossary: g, extended: true}
	tests := map[string][]string{
		"Mercredi, Poutine a parlé.":                {"On Wednesday"},
		"Le rapport publié jeudi par KCNA.":         {"on Thursday"},
		"Il est arrivé tôt mercredi matin.":         {"on Wednesday morning"},
		"Il viendra lundi ou mardi.":                {"on Monday", "Tuesday"},
		"Le mardi, il travaille.":                   {"On Tuesday"},
		"Kim est arrivé mardi 20 février à Moscou.": {"Tuesday 20 February"}, // the full date wins
	}
	for fr, want := range tests {
		n := 0
		p := protect(rs, fr, &n, &article{})
		var got []string
		for _, tok := range p.order {
			if sp := p.tokens[tok]; !sp.pronoun {
				got = append(got, sp.english)
			}
		}
		if !strings.Contains(strings.Join(got, "|"), strings.Join(want, "|")) {
			t.Errorf("%q: spans %q, want %q", fr, got, want)
		}
	}
}
