package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Entity kinds.
const (
	kindPerson = iota + 1
	kindOrg
	kindPlace
)

// entity is a name found in a text, with how often and where first.
type entity struct {
	name  string
	kind  int
	count int
	first int
}

var hyphens = strings.NewReplacer("-", " ", "‐", " ")

// nameKey folds the spellings of one name together: "Kim Jong-un" and
// "Kim Jong Un" are the same man.
func nameKey(s string) string {
	return strings.ToLower(hyphens.Replace(s))
}

func keySet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Split(words, ",") {
		m[nameKey(strings.TrimSpace(w))] = true
	}
	return m
}

// The lists are small on purpose: they cover what news text names most, and
// the cues below classify the rest. A name they miss is left out, not guessed.
var (
	knownPlaces = keySet(`Russia, Ukraine, North Korea, South Korea, Korea, China, Japan, Taiwan, United States, US, U.S., USA, America, Europe, France, Germany, Britain, United Kingdom, UK, Italy, Spain, Poland, Belarus, Syria, Iran, Iraq, Israel, Gaza, Eritrea, Vietnam, Singapore, India, Pakistan, Turkey, Egypt, Mongolia, Moscow, Kyiv, Kiev, Pyongyang, Seoul, Beijing, Tokyo, Washington, Paris, London, Berlin, Brussels, Vladivostok, Hanoi, Crimea, Donbas, Siberia, Far East, Middle East, Africa, Asia, Vostochny`)
	knownOrgs   = keySet(`United Nations, UN, Kremlin, KCNA, Tass, NATO, European Union, EU, Security Council, General Assembly, White House, Pentagon, Reuters, AP, AFP, CNN, BBC, Yonhap, IAEA, IMF, World Bank, Financial Times, Aurus`)
	orgCues     = keySet(`Agency, Council, Ministry, Party, Union, Committee, Organization, Organisation, Nations, Bank, Company, Corporation, Group, Army, Assembly, Court, Parliament, University, News, Newsource, Times, Post, Institute, Office, Department, Commission, Fund, Forces, Navy, Service, Association, Federation, Inc, Ltd`)
	placeCues   = keySet(`City, River, Province, Island, Islands, Sea, Square, Street, Region, Oblast, Peninsula, Mountains, Airport, Station, Residence, Palace, Republic, Cosmodrome`)
	titleWords  = keySet(`President, Prime, Minister, Leader, General, Gen., Mr, Mr., Mrs, Mrs., Ms, Ms., Dr, Dr., Sir, Chief, Secretary, Foreign, Defence, Defense, Chancellor, King, Queen, Prince, Pope, Senator, Ambassador, Former, Supreme, Commander, Comrade, Dictator, Adviser, Advisor, Vice, State, Lt, Colonel, Marshal, Premier`)
	roleWords   = keySet(`friend, comrade, leader, president, minister, adviser, advisor, sister, brother, father, son, daughter, wife, husband, general, chief, dictator, counterpart, spokesman, spokeswoman, spokesperson, official, head, ambassador, envoy, commander, grandfather, founder, aide, assistant, chairman, premier`)
	speechVerbs = keySet(`said, says, told, added, wrote, declared, stated, announced, explained, insisted, claimed`)
	// actsAfter are verbs whose subject is usually a person: "Kim travelled".
	actsAfter  = keySet(`gave, took, met, sent, went, made, came, saw, sat, spoke, wrote, led, left, won, flew, drove, became, began, held, kept, fought, thought, felt, who, whose`)
	placePreps = keySet(`in, to, from, near, across, toward, towards, into`)
	calendar   = keySet(`January, February, March, April, May, June, July, August, September, October, November, December, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday`)
	connectors = keySet(`of, de, al, bin, von, van, der, du, la, for`)
	demonyms   = map[string]bool{"German": true, "French": true, "Dutch": true, "Thai": true, "Greek": true, "Czech": true, "Swiss": true, "Iraqi": true, "Israeli": true, "Pakistani": true, "Afghan": true, "Kazakh": true, "Arab": true, "Western": true, "Eastern": true, "Northern": true, "Southern": true}
	compass    = keySet(`North, South, East, West`)
)

var nameTokenRe = regexp.MustCompile(`[\p{L}][\p{L}\p{M}.'’‐-]*|\d[\d,.]*|[^\s\p{L}\d]`)

func capitalised(t string) bool {
	r := []rune(t)
	return len(r) > 0 && unicode.IsUpper(r[0])
}

func acronym(t string) bool {
	n := 0
	for _, r := range t {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 6
}

// demonym guesses adjectives of nationality ("Russian", "Vietnamese"),
// which open a name phrase without belonging to the name.
func demonym(t string) bool {
	if strings.HasSuffix(t, "s") && len(t) > 4 && demonym(t[:len(t)-1]) {
		return true
	}
	if demonyms[t] {
		return true
	}
	for _, suf := range []string{"ian", "ean", "ese", "ish", "can"} {
		if len(t) > len(suf)+2 && strings.HasSuffix(t, suf) && capitalised(t) && !knownPlaces[nameKey(t)] {
			return true
		}
	}
	return false
}

type nameTally struct {
	forms                map[string]int
	count, first         int
	personVote, prepVote int
}

// entities finds people, organisations and places in sentences by looking
// for runs of capitalised words and the cues around them.
func entities(sentences []string, known map[string]int) []entity {
	lower := map[string]bool{} // words seen in lower case somewhere
	mid := map[string]bool{}   // words seen capitalised after a sentence's start
	toks := make([][]string, len(sentences))
	for i, s := range sentences {
		toks[i] = nameTokenRe.FindAllString(s, -1)
		for j, t := range toks[i] {
			t = trimNameToken(t)
			switch {
			case !capitalised(t):
				lower[t] = true
			case j > 0:
				mid[t] = true
			}
		}
	}
	tally := map[string]*nameTally{}
	order := 0
	for _, ts := range toks {
		for j := 0; j < len(ts); {
			if !capitalised(ts[j]) {
				j++
				continue
			}
			k := j
			var words []string
			for k < len(ts) {
				t := trimNameToken(ts[k])
				switch {
				case capitalised(t) && !calendar[nameKey(t)]:
					words = append(words, t)
				case connectors[t] && len(words) > 0 && k+1 < len(ts) && capitalised(ts[k+1]):
					words = append(words, t)
				default:
					goto done
				}
				k++
				if t != ts[k-1] { // possessive or final stop ends the name
					break
				}
			}
		done:
			start := j
			j = max(k, j+1)
			// A sentence's first word is capitalised anyway: keep it only when
			// it is capitalised elsewhere too.
			if start == 0 && len(words) > 0 && known[nameKey(strings.Join(words, " "))] == 0 && openingWord(words, lower, mid) {
				words = words[1:]
			}
			cue := false
			for len(words) > 1 && !wholeName(words) && (titleWords[nameKey(words[0])] || demonym(words[0]) || (compass[nameKey(words[0])] && demonym(words[1]))) {
				cue = cue || titleWords[nameKey(words[0])]
				words = words[1:]
			}
			// A title cut off the front can leave its connector ("President
			// of North Korea" → "of North Korea"); a sentence's next word can
			// trail ("Financial Times The").
			for len(words) > 0 && connectors[nameKey(words[0])] {
				words = words[1:]
			}
			for len(words) > 1 && enStop[strings.ToLower(words[len(words)-1])] {
				words = words[:len(words)-1]
			}
			if len(words) == 0 || (len(words) == 1 && (demonym(words[0]) || titleWords[nameKey(words[0])] || enStop[strings.ToLower(words[0])])) {
				continue
			}
			name := strings.Join(words, " ")
			key := nameKey(name)
			nt := tally[key]
			if nt == nil {
				nt = &nameTally{forms: map[string]int{}, first: order}
				tally[key] = nt
				order++
			}
			nt.forms[name]++
			nt.count++
			if cue || personContext(ts, start, k) {
				nt.personVote++
			}
			// "in Pyongyang" suggests a place; "according to Yuri Ushakov" does not.
			if start > 0 && placePreps[strings.ToLower(ts[start-1])] && (start < 2 || strings.ToLower(ts[start-2]) != "according") {
				nt.prepVote++
			}
		}
	}
	return classifyNames(tally, known)
}

// wholeName reports whether words are a name as they stand, which no title
// or demonym may be cut from: "European Union", "Soviet Union".
func wholeName(words []string) bool {
	k := nameKey(strings.Join(words, " "))
	return knownOrgs[k] || knownPlaces[k] || len(words) == 2 && (orgCues[nameKey(words[1])] || placeCues[nameKey(words[1])])
}

// openingWord reports whether the first of a sentence-initial run of
// capitalised words is an ordinary word: a stop word, a word seen in lower
// case, a lone word never capitalised mid-sentence, or a verb form
// ("Addressing Putin").
func openingWord(words []string, lower, mid map[string]bool) bool {
	w := words[0]
	lw := strings.ToLower(w)
	if enStop[lw] || lower[lw] {
		return true
	}
	if mid[w] {
		return false
	}
	return len(words) == 1 || strings.HasSuffix(lw, "ing") || strings.HasSuffix(lw, "ed") || strings.HasSuffix(lw, "ly")
}

// personContext looks around the name ts[start:end] for what people do and
// are called: a role before it ("leader Kim"), an apposition after it ("Yuri
// Ushakov, an adviser"), a speech or action verb after it ("Kim said", "Kim
// travelled").
func personContext(ts []string, start, end int) bool {
	for i, back := start-1, 0; i >= 0 && back < 3; i, back = i-1, back+1 {
		t := strings.ToLower(ts[i])
		if roleWords[t] {
			return true
		}
		if !strings.ContainsAny(t, `,"“”«»`) {
			break
		}
	}
	if end >= len(ts) {
		return false
	}
	next := strings.ToLower(ts[end])
	if next == "," && end+1 < len(ts) {
		next = strings.ToLower(ts[end+1])
		for i := end + 1; i < len(ts) && i < end+6; i++ {
			if roleWords[strings.ToLower(trimNameToken(ts[i]))] {
				return true
			}
		}
	}
	return speechVerbs[next] || actsAfter[next] || len(next) > 4 && strings.HasSuffix(next, "ed") && !capitalised(ts[end])
}

// trimNameToken drops a possessive and a sentence's final stop from a word.
func trimNameToken(t string) string {
	for _, suf := range []string{"’s", "'s", "’", "."} {
		if !strings.HasSuffix(t, suf) {
			continue
		}
		// "U.S." keeps its dots; "UN." at a sentence's end does not.
		if suf == "." && acronym(strings.ReplaceAll(t, ".", "")) && strings.Count(t, ".") > 1 {
			return t
		}
		return strings.TrimSuffix(t, suf)
	}
	return t
}

func classifyNames(tally map[string]*nameTally, known map[string]int) []entity {
	var out []entity
	singles := map[string]*nameTally{}
	// A name's family or given name used alone with a person's cue makes the
	// full name a person too: "Kim travelled" speaks for "Kim Jong Un".
	for key, nt := range tally {
		if ws := strings.Fields(key); len(ws) == 1 && nt.personVote > 0 {
			for k2, full := range tally {
				if f := strings.Fields(k2); len(f) > 1 && (f[0] == key || f[len(f)-1] == key) {
					full.personVote++
				}
			}
		}
	}
	// Words of names people are called by: a preposition before "Putin"
	// ("a gift to Putin") does not make him a place when "Vladimir Putin"
	// is a person.
	personWords := map[string]bool{}
	for key, kind := range known {
		if ws := strings.Fields(key); kind == kindPerson && len(ws) > 1 {
			for _, w := range ws {
				personWords[w] = true
			}
		}
	}
	for key, nt := range tally {
		if ws := strings.Fields(key); nt.personVote > 0 && len(ws) > 1 {
			for _, w := range ws {
				personWords[w] = true
			}
		}
	}
	for key, nt := range tally {
		words := strings.Fields(key)
		kind := 0
		switch {
		case known[key] != 0:
			kind = known[key]
		case knownPlaces[key]:
			kind = kindPlace
		case knownOrgs[key] || acronym(strings.ReplaceAll(bestForm(nt.forms), ".", "")):
			kind = kindOrg
		case anyIn(words, orgCues):
			kind = kindOrg
		case anyIn(words, placeCues):
			kind = kindPlace
		case nt.personVote > 0 && len(words) <= 4:
			kind = kindPerson
		case nt.prepVote > 0 && len(words) <= 3 && !anyIn(words, personWords):
			kind = kindPlace
		}
		if len(words) == 1 && kind != kindOrg && kind != kindPlace {
			singles[key] = nt
			continue
		}
		if kind != 0 {
			out = append(out, entity{name: bestForm(nt.forms), kind: kind, count: nt.count, first: nt.first})
		}
	}
	// A lone surname counts for the one person it can only belong to.
	for key, nt := range singles {
		owner := -1
		for i, e := range out {
			ws := strings.Fields(nameKey(e.name))
			if e.kind == kindPerson && (ws[len(ws)-1] == key || ws[0] == key) {
				if owner >= 0 {
					owner = -2
					break
				}
				owner = i
			}
		}
		switch {
		case owner >= 0:
			out[owner].count += nt.count
			out[owner].first = min(out[owner].first, nt.first)
		case owner == -1 && (nt.personVote > 0 || known[key] == kindPerson):
			out = append(out, entity{name: bestForm(nt.forms), kind: kindPerson, count: nt.count, first: nt.first})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].count != out[j].count {
			return out[i].count > out[j].count
		}
		return out[i].first < out[j].first
	})
	return out
}

func anyIn(words []string, set map[string]bool) bool {
	for _, w := range words {
		if set[w] {
			return true
		}
	}
	return false
}

// best is the most frequent spelling, the alphabetically first on a tie.
func bestForm(forms map[string]int) string {
	b, n := "", 0
	for f, c := range forms {
		if c > n || c == n && f < b {
			b, n = f, c
		}
	}
	return b
}

// names returns the names of one kind, most mentioned first, at most limit.
func namesOf(es []entity, kind, limit int) []string {
	out := []string{}
	for _, e := range es {
		if e.kind == kind && len(out) < limit {
			out = append(out, e.name)
		}
	}
	return out
}
