package llmtest

import (
	"regexp"
	"strings"
)

// The patterns StripAttribution removes, written apart from package
// attrib's (which reads attribution) so that the one is a check on the
// other.
var (
	quoteMarksRe   = regexp.MustCompile(`["“”«»]`)
	quoteSpeakerRe = regexp.MustCompile(`^["“«]\s*(.+?)[,.!?]?\s*["”»],? (?:[^.]*? )?(?:said|says|told|added|insisted|warned)\b[^.!?]*[.!?]$`)
	leadAccordRe   = regexp.MustCompile(`(?i)^according to [^,]+, `)
	accordRe       = regexp.MustCompile(`(?i),? (?:according to|citing) [^,.;]+`)
	trailSaidRe    = regexp.MustCompile(`, (?:[^,]+ )?(?:said|says|told|added|stated|estimates|warned|reported)\b[^,.!?]*(?:, [^,.!?]*)?([.!?])$`)
	leadSaidRe     = regexp.MustCompile(`^(?:[Tt]he )?\p{Lu}[^,]{0,40}? (?:said|says|told \S+|estimates|claims|warned|reported)(?: on \p{Lu}\p{Ll}+)?(?: that)? `)
	hedgeWordRe    = regexp.MustCompile(`(?i)\b(?:reportedly|allegedly|apparently|purportedly) `)
	wouldHaveRe    = regexp.MustCompile(`\bwould have (?:been )?`)
)

// StripAttribution states as plain fact what a sentence reports, as a
// careless model does: "According to the prefecture, 7,800 homes…" →
// "7,800 homes…"; "…, the minister said." → "…."; "The United States says
// more than…" → "More than…"; "reportedly" and "allegedly" go; "would have
// tried" → "tried"; a quote loses its marks and its speaker.
func StripAttribution(s string) string {
	s = strings.TrimSpace(s)
	if m := quoteSpeakerRe.FindStringSubmatch(s); m != nil {
		s = m[1] + "."
	}
	s = quoteMarksRe.ReplaceAllString(s, "")
	s = leadAccordRe.ReplaceAllString(s, "")
	s = accordRe.ReplaceAllString(s, "")
	s = trailSaidRe.ReplaceAllString(s, "$1")
	s = leadSaidRe.ReplaceAllString(s, "")
	s = hedgeWordRe.ReplaceAllString(s, "")
	s = wouldHaveRe.ReplaceAllString(s, "")
	return upperFirst(strings.TrimSpace(s))
}
