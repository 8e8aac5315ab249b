package clean

import (
	"strings"
	"sync"
)

// Chrome learns the lines a batch's files have in common: menus, footers
// and "most read" headings of the sites they were scraped from. It keeps
// one 8-byte hash and a counter per distinct short line, never the text, so
// its memory stays small however many files the batch has.
type Chrome struct {
	mu    sync.Mutex
	files int
	count map[uint64]int32
}

// chromeMaxLen is the longest line Chrome learns: chrome is short; long
// lines shared between files are syndicated article text.
const chromeMaxLen = 160

// NewChrome returns an empty Chrome.
func NewChrome() *Chrome { return &Chrome{count: map[uint64]int32{}} }

// Add learns the lines of one file. Call it once per file, before cleaning.
func (c *Chrome) Add(text string) {
	seen := map[uint64]bool{}
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || len(line) > chromeMaxLen {
			continue
		}
		seen[lineHash(line)] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.files++
	for h := range seen {
		c.count[h]++
	}
}

// repeated reports whether a line occurs in enough files of the batch to be
// taken for site chrome: at least 4 files and a fifth of the batch.
func (c *Chrome) repeated(line string) bool {
	if c == nil || len(line) > chromeMaxLen {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files < 4 {
		return false // no line can be on 4 files yet: spare the hash
	}
	n := int(c.count[lineHash(line)])
	return n >= 4 && n*5 >= c.files
}

// lineHash is the 64-bit FNV-1a hash of the line lower-cased with its runs
// of white space made one space (strings.ToLower of strings.Fields joined
// by " "), computed without building that string.
func lineHash(s string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	var buf [256]byte
	first := true
	for f := range strings.FieldsSeq(s) {
		if !first {
			h = (h ^ ' ') * prime
		}
		first = false
		for _, c := range appendLower(buf[:0], f) {
			h = (h ^ uint64(c)) * prime
		}
	}
	return h
}
