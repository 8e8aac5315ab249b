package prompts

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"text/template"
	tparse "text/template/parse"
)

// Fences: every prompt fences its untrusted text between tags (<document>,
// <article>, <sources>…). An article that holds the closing tag itself
// would end the fence early and turn the rest of its text into
// instructions. So every value a template prints is passed through Escape
// with the tags that template names, and those of every built-in prompt
// (one prompt's answer or input is often another's: a summary quotes the
// article, a partial briefing the summaries): Render rewrites each {{…}} that
// prints into {{… | fence}}, as html/template does for its escapers, so no
// prompt can forget it, built-in or a user's override, today's or a new
// one. Only fence tags are touched; "<b>" or "a < b"
// in an article reach the model as written.

// tagRe finds a fence tag in a template's own text: <name> or </name>.
var tagRe = regexp.MustCompile(`</?([A-Za-z][A-Za-z0-9_-]*)>`)

// fenceTags lists the tag names a template's sections use, lower-case.
func fenceTags(sections ...string) []string {
	seen := map[string]bool{}
	for _, s := range sections {
		for _, m := range tagRe.FindAllStringSubmatch(s, -1) {
			seen[strings.ToLower(m[1])] = true
		}
	}
	tags := make([]string, 0, len(seen))
	for t := range seen {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	return tags
}

// Escaper neutralises the given fence tags in untrusted text.
type Escaper struct{ re *regexp.Regexp }

// NewEscaper returns the escaper for tags; with none it changes nothing.
func NewEscaper(tags []string) Escaper {
	if len(tags) == 0 {
		return Escaper{}
	}
	q := make([]string, len(tags))
	for i, t := range tags {
		q[i] = regexp.QuoteMeta(t)
	}
	// "< / document >" and "</DOCUMENT>" close a fence for a model as well
	// as "</document>"; a longer name ("<documents>") is another tag.
	return Escaper{regexp.MustCompile(`(?i)<(\s*/?\s*(?:` + strings.Join(q, "|") + `))\b`)}
}

// Escape writes the opening "<" of every fence tag in s as "&lt;", the
// way such text is written inside markup: the model still reads the
// characters, but no tag opens or closes. Escaping twice changes nothing.
func (e Escaper) Escape(s string) string {
	if e.re == nil || !strings.Contains(s, "<") {
		return s
	}
	return e.re.ReplaceAllString(s, "&lt;$1")
}

// builtinTags are the fence tags of the built-in prompts.
func builtinTags() []string {
	var bodies []string
	entries, _ := builtin.ReadDir(".")
	for _, e := range entries {
		b, _ := builtin.ReadFile(e.Name())
		bodies = append(bodies, string(b))
	}
	return fenceTags(bodies...)
}

// fenceFunc is the template function the rewritten actions call: the value
// as the template would print it, escaped.
func fenceFunc(e Escaper) template.FuncMap {
	return template.FuncMap{"fence": func(v any) string {
		if s, ok := v.(string); ok {
			return e.Escape(s)
		}
		return e.Escape(fmt.Sprint(v))
	}}
}

// fenceActions pipes every printing action of t (and of the templates it
// defines) through fence.
func fenceActions(t *template.Template) {
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			fenceNode(tt.Tree.Root)
		}
	}
}

func fenceNode(n tparse.Node) {
	switch n := n.(type) {
	case *tparse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			fenceNode(c)
		}
	case *tparse.ActionNode:
		if len(n.Pipe.Decl) > 0 {
			return // {{$x := …}} prints nothing
		}
		id := tparse.NewIdentifier("fence").SetTree(nil).SetPos(n.Pos)
		n.Pipe.Cmds = append(n.Pipe.Cmds, &tparse.CommandNode{NodeType: tparse.NodeCommand, Pos: n.Pos, Args: []tparse.Node{id}})
	case *tparse.IfNode:
		fenceNode(n.List)
		fenceNode(n.ElseList)
	case *tparse.RangeNode:
		fenceNode(n.List)
		fenceNode(n.ElseList)
	case *tparse.WithNode:
		fenceNode(n.List)
		fenceNode(n.ElseList)
	}
}
