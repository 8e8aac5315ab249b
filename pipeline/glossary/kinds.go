package glossary

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// What a glossary section says its terms are. The offline engine's
// extractive summaries use it to file names under people, places and
// organisations; translation ignores it.
const (
	Person       = "person"
	Place        = "place"
	Organization = "organization"
)

// sectionKind reads a section name of the YAML file; an unknown name gives
// a section of terms without a kind.
func sectionKind(name string) string {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "people", "persons", "person":
		return Person
	case "places", "place", "countries", "cities":
		return Place
	case "organizations", "organisations", "organization", "organisation", "orgs":
		return Organization
	}
	return ""
}

// withKinds records the kinds of terms and folds them into the version, so
// the offline summaries that depend on them are redone when they change.
func (g *Glossary) withKinds(kinds map[string]string) *Glossary {
	if len(kinds) == 0 {
		return g
	}
	g.kinds = kinds
	h := sha256.New()
	fmt.Fprint(h, g.version)
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		fmt.Fprintf(h, "\x00%s\x00%s", k, kinds[k])
	}
	g.version = hex.EncodeToString(h.Sum(nil))[:12]
	return g
}

// Kinds returns a copy of the English terms whose section says what they
// are (Person, Place or Organization).
func (g *Glossary) Kinds() map[string]string {
	if g == nil {
		return nil
	}
	return maps.Clone(g.kinds)
}
