package cite

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/depeche-news/depeche/pipeline/news"
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
//
// Memory stays small at thousands of articles: each article keeps its band
// keys (256 bytes) and its shingles as sorted 32-bit hashes (4 bytes a
// word), about a tenth of a hash set's size, and computing them allocates
// little more than that.
func Group(sources []news.Source) [][]int {
	var sh shingler
	keys := make([][bands]uint64, len(sources))
	sets := make([][]uint32, len(sources))
	for i, s := range sources {
		set := sh.shingles(groupText(s))
		keys[i] = bandKeys(minhash(set))
		sets[i] = compact(set)
	}
	parent := make([]int, len(sources))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	// Pairs already joined are not compared again, so a story copied by
	// many sites costs one comparison per copy; refused pairs are
	// remembered, since they meet again in other bands.
	refused := map[[2]int]bool{}
	type entry struct {
		key uint64
		i   int
	}
	bucket := make([]entry, 0, len(sources))
	for band := 0; band < bands; band++ {
		bucket = bucket[:0]
		for i := range sources {
			if len(sets[i]) > 0 {
				bucket = append(bucket, entry{keys[i][band], i})
			}
		}
		sort.Slice(bucket, func(x, y int) bool {
			if bucket[x].key != bucket[y].key {
				return bucket[x].key < bucket[y].key
			}
			return bucket[x].i < bucket[y].i
		})
		for lo := 0; lo < len(bucket); {
			hi := lo + 1
			for hi < len(bucket) && bucket[hi].key == bucket[lo].key {
				hi++
			}
			for x := lo; x < hi; x++ {
				for y := x + 1; y < hi; y++ {
					i, j := bucket[x].i, bucket[y].i
					if find(i) == find(j) || refused[[2]int{i, j}] {
						continue
					}
					if nearDuplicate(sets[i], sets[j]) {
						parent[find(i)] = find(j)
					} else {
						refused[[2]int{i, j}] = true
					}
				}
			}
			lo = hi
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

// compact keeps the high 32 bits of each shingle hash, sorted and distinct.
// Two different shingles of a pair of 600-word articles share them with a
// chance of about 1 in 10,000, too little to move a similarity across a
// threshold.
func compact(set []uint64) []uint32 {
	out := make([]uint32, 0, len(set))
	for _, h := range set {
		out = append(out, uint32(h>>32))
	}
	slices.Sort(out)
	return slices.Clip(slices.Compact(out))
}

// groupText is the text compared: the translation, else what the summary says.
func groupText(s news.Source) string {
	if strings.TrimSpace(s.Text) != "" {
		return s.Text
	}
	sm := s.Summary
	return strings.Join(append([]string{sm.Headline}, sm.KeyFacts...), " ")
}

// shingles returns the compacted shingle set of text.
func shingles(text string) []uint32 {
	var sh shingler
	return compact(sh.shingles(text))
}

// shingler computes shingle sets into buffers it reuses, so that hashing
// thousands of articles allocates next to nothing.
type shingler struct {
	lower []byte   // the text lower-cased, words separated by one space
	ends  []int    // end offset in lower of each word
	set   []uint64 // the last result
}

// shingles returns the sorted, distinct FNV-1a hashes of text's lower-cased
// word n-grams, words joined by a space (the n-gram of all words when there
// are fewer than shingleWords). The result is valid until the next call.
func (sh *shingler) shingles(text string) []uint64 {
	sh.lower, sh.ends, sh.set = sh.lower[:0], sh.ends[:0], sh.set[:0]
	inWord := false
	for _, r := range text {
		r = unicode.ToLower(r)
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			if inWord {
				sh.ends = append(sh.ends, len(sh.lower))
				inWord = false
			}
			continue
		}
		if !inWord && len(sh.lower) > 0 {
			sh.lower = append(sh.lower, ' ')
		}
		sh.lower = utf8.AppendRune(sh.lower, r)
		inWord = true
	}
	if inWord {
		sh.ends = append(sh.ends, len(sh.lower))
	}
	words := len(sh.ends)
	if words == 0 {
		return sh.set
	}
	n := min(shingleWords, words)
	for i := 0; i+n <= words; i++ {
		start := 0
		if i > 0 {
			start = sh.ends[i-1] + 1
		}
		h := uint64(fnvOffset)
		for _, c := range sh.lower[start:sh.ends[i+n-1]] {
			h = (h ^ uint64(c)) * fnvPrime
		}
		sh.set = append(sh.set, h)
	}
	slices.Sort(sh.set)
	sh.set = slices.Compact(sh.set)
	return sh.set
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func minhash(set []uint64) [numHashes]uint64 {
	var sig [numHashes]uint64
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for _, x := range set {
		for i, seed := range hashSeeds {
			if h := splitmix(x ^ seed); h < sig[i] {
				sig[i] = h
			}
		}
	}
	return sig
}

// bandKeys hashes each band of rows of a signature into one key: two
// articles are candidates when they share a key in any band.
func bandKeys(sig [numHashes]uint64) [bands]uint64 {
	var keys [bands]uint64
	for b := range keys {
		h := uint64(fnvOffset)
		for _, v := range sig[b*rows : (b+1)*rows] {
			for k := 0; k < 8; k++ {
				h = (h ^ (v >> (8 * k) & 0xff)) * fnvPrime
			}
		}
		keys[b] = h
	}
	return keys
}

// nearDuplicate compares two sorted shingle sets.
func nearDuplicate(a, b []uint32) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			inter++
			i++
			j++
		}
	}
	union := len(a) + len(b) - inter
	if union > 0 && float64(inter)/float64(union) >= minJaccard {
		return true
	}
	return len(a) >= minShingles && float64(inter)/float64(len(a)) >= minContainment
}
