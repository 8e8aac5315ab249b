package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Cache is a content-addressed store of accepted results. A key is the
// SHA-256 of everything a result depends on (see Key), so a changed model,
// prompt or input simply misses and an unchanged one is never paid twice.
// Entries are written atomically; a nil *Cache or one with an empty dir is a
// cache that never hits and never stores (used by --force and tests).
type Cache struct {
	dir      string
	readOnly bool // --force: ignore old entries but still record new ones
}

// NewCache returns a cache rooted at dir. With ignoreExisting, Get always
// misses but Put still stores, so a forced run refreshes the cache.
func NewCache(dir string, ignoreExisting bool) *Cache {
	return &Cache{dir: dir, readOnly: ignoreExisting}
}

// Key hashes its parts, in order, into a cache key. Parts are JSON-encoded so
// that ("ab","c") and ("a","bc") differ.
func Key(parts ...any) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, p := range parts {
		if err := enc.Encode(p); err != nil {
			fmt.Fprintf(h, "%#v\n", p)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c *Cache) path(key string) string {
	return filepath.Join(c.dir, key[:2], key+".json")
}

// Get loads the entry for key into v and reports whether it was there.
// A corrupt entry is treated as a miss.
func (c *Cache) Get(key string, v any) bool {
	if c == nil || c.dir == "" || c.readOnly {
		return false
	}
	b, err := os.ReadFile(c.path(key))
	if err != nil {
		return false
	}
	return json.Unmarshal(b, v) == nil
}

// Put stores v under key.
func (c *Cache) Put(key string, v any) error {
	if c == nil || c.dir == "" {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("cache put: %w", err)
	}
	return WriteFile(c.path(key), b, 0o644)
}

// Len counts the entries; used by tests and `depeche run -v`.
func (c *Cache) Len() int {
	if c == nil || c.dir == "" {
		return 0
	}
	n := 0
	_ = filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return nil
		}
		if !d.IsDir() && filepath.Ext(p) == ".json" {
			n++
		}
		return nil
	})
	return n
}
