package brief

import (
	"hash/fnv"
	"sort"
	"strings"
	"unicode"

	"github.com/depeche-news/depeche/pipeline/doc"
)

// Near-duplicate detection: word 5-gram shingles, MinHash signatures and
// locality-sensitive hashing to find candidate pairs without comparing every
// pair (5,000 articles are 12.5 million pairs), then the exact Jaccard
// similarity (or containment, for a wire story one site cut short) of each
// candidate pair decides.
const (
	shingleWords = 5
	numHashes    = 128
	bands        = 32 // of numHashes/bands rows: pairs above ~0.4 Jaccard meet in a band
	rows         = numHashes / bands

	minJaccard     = 0.5 // same story with small edits
	minContainment = 0.8 // the shorter text is mostly inside the longer
	minShingles    = 20  // containment alone needs some text to mean anything
)

// hashSeeds are fixed so that grouping is deterministic run to run.
var hashSeeds = func() [numHashes]uint64 {
	var s [numHashes]uint64
	x := uint64(0x9e3779b97f4a7c15)
	for i := range s {
		x = splitmix(x)
		s[i] = x
	}
	return s
}()

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Group finds near-duplicate articles (the same wire story on two sites)
// and returns their groups of citation numbers (Source.N), each sorted, in
// order of their first member. Articles with no near-duplicate are in no
// group. It compares Source.Text, or the summary when there is no text.
func Group(sources []doc.Source) [][]int {
	sets := make([]map[uint64]struct{}, len(sources))
	sigs := make([][numHashes]uint64, len(sources))
	for i, s := range sources {
		sets[i] = shingles(groupText(s))
		sigs[i] = minhash(sets[i])
	}
	parent := make([]int, len(sources))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	checked := map[[2]int]bool{}
	for b := 0; b < bands; b++ {
		buckets := map[uint64][]int{}
		for i := range sources {
			if len(sets[i]) == 0 {
				continue
			}
			h := fnv.New64a()
			for _, v := range sigs[i][b*rows : (b+1)*rows] {
				var buf [8]byte
				for k := range buf {
					buf[k] = byte(v >> (8 * k))
				}
				h.Write(buf[:])
			}
			k := h.Sum64()
			buckets[k] = append(buckets[k], i)
		}
		for _, members := range buckets {
			for x := 0; x < len(members); x++ {
				for y := x + 1; y < len(members); y++ {
					i, j := members[x], members[y]
					if checked[[2]int{i, j}] {
						continue
					}
					checked[[2]int{i, j}] = true
					if nearDuplicate(sets[i], sets[j]) {
						parent[find(i)] = find(j)
					}
				}
			}
		}
	}
	byRoot := map[int][]int{}
	for i := range sources {
		r := find(i)
		byRoot[r] = append(byRoot[r], sources[i].N)
	}
	var groups [][]int
	for _, g := range byRoot {
		if len(g) > 1 {
			sort.Ints(g)
			groups = append(groups, g)
		}
	}
	sort.Slice(groups, func(a, b int) bool { return groups[a][0] < groups[b][0] })
	return groups
}

// groupText is the text compared: the translation, else what the summary says.
func groupText(s doc.Source) string {
	if strings.TrimSpace(s.Text) != "" {
		return s.Text
	}
	sm := s.Summary
	return strings.Join(append([]string{sm.Headline}, sm.KeyFacts...), " ")
}

func shingles(text string) map[uint64]struct{} {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	set := map[uint64]struct{}{}
	if len(words) == 0 {
		return set
	}
	n := shingleWords
	if len(words) < n {
		n = len(words)
	}
	for i := 0; i+n <= len(words); i++ {
		h := fnv.New64a()
		h.Write([]byte(strings.Join(words[i:i+n], " ")))
		set[h.Sum64()] = struct{}{}
	}
	return set
}

func minhash(set map[uint64]struct{}) [numHashes]uint64 {
	var sig [numHashes]uint64
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for x := range set {
		for i, seed := range hashSeeds {
			if h := splitmix(x ^ seed); h < sig[i] {
				sig[i] = h
			}
		}
	}
	return sig
}

func nearDuplicate(a, b map[uint64]struct{}) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	inter := 0
	for x := range a {
		if _, ok := b[x]; ok {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union > 0 && float64(inter)/float64(union) >= minJaccard {
		return true
	}
	return len(a) >= minShingles && float64(inter)/float64(len(a)) >= minContainment
}
