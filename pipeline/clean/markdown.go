package clean

import (
	"regexp"
	"strings"
)

var (
	mdImage    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)|!\[([^\]]*)\]\[[^\]]*\]`)
	mdLink     = regexp.MustCompile(`\[([^\]]+)\]\((?:[^()]|\([^()]*\))*\)|\[([^\]]+)\]\[[^\]]*\]`)
	mdAutolink = regexp.MustCompile(`<((?:https?://|mailto:)[^>]+)>`)
	mdStrong   = regexp.MustCompile(`\*\*([^*]+)\*\*|__([^_]+)__`)
	mdEm       = regexp.MustCompile(`\*([^*\s][^*]*)\*|(^|[^\p{L}\d_])_([^_\s][^_]*)_([^\p{L}\d_]|$)`)
	mdCode     = regexp.MustCompile("`([^`]+)`")
	mdHeading  = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*\s*$`)
	mdList     = regexp.MustCompile(`^\s*(?:[-*+]|\d{1,3}[.)])\s+`)
	mdQuote    = regexp.MustCompile(`^\s*(?:>\s?)+`)
	mdRule     = regexp.MustCompile(`^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}|` + "```.*|~~~.*" + `)$`)
	mdRefDef   = regexp.MustCompile(`^\s*\[[^\]]+\]:\s*\S+`)
	mdTable    = regexp.MustCompile(`^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$`)
)

// markdown turns one Markdown line into plain text. It returns the text,
// the pictures it dropped, and whether the whole line was markup (a rule,
// a fence, a link definition, a table separator).
func markdown(line string) (text string, images []string, markup bool) {
	if mdRule.MatchString(line) || mdRefDef.MatchString(line) || mdTable.MatchString(line) {
		return "", nil, true
	}
	if m := mdHeading.FindStringSubmatch(line); m != nil {
		line = m[1]
	}
	line = mdQuote.ReplaceAllString(line, "")
	line = mdList.ReplaceAllString(line, "")
	for _, m := range mdImage.FindAllString(line, -1) {
		images = append(images, m)
	}
	line = mdImage.ReplaceAllString(line, "")
	line = mdLink.ReplaceAllString(line, "$1$2")
	line = mdAutolink.ReplaceAllString(line, "$1")
	line = mdStrong.ReplaceAllString(line, "$1$2")
	line = mdEm.ReplaceAllString(line, "$1$2$3$4")
	line = mdCode.ReplaceAllString(line, "$1")
	if strings.HasPrefix(strings.TrimSpace(line), "|") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		line = strings.Join(cells, " | ")
	}
	line = strings.TrimRight(line, " \\")
	return strings.TrimSpace(line), images, false
}

// frontMatter reads a YAML front matter block's title, date, author and
// url; it returns how many lines it spans (0 when there is none).
func frontMatter(lines []string) (n int, title, date, author, url string) {
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return 0, "", "", "", ""
	}
	for i := 1; i < len(lines) && i < 60; i++ {
		l := strings.TrimSpace(lines[i])
		if l == "---" || l == "..." {
			return i + 1, title, date, author, url
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "title":
			title = v
		case "date":
			date = v
		case "author":
			author = v
		case "url", "source", "canonical":
			url = v
		}
	}
	return 0, "", "", "", ""
}
