// Package prompts holds the prompt templates depeche sends to a model. The
// built-in ones are the .tmpl files beside this file, embedded in the
// binary; a user's prompts.dir is looked up first, so any prompt can be
// replaced without recompiling.
//
// A template file reads:
//
//	version: translate-v1
//	--- system
//	You translate French news…
//	--- user
//	{{.Text}}
//
// Sections are Go text/templates. The version string goes into every cache
// key and the manifest, so editing a prompt reruns what depends on it.
package prompts

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/template"
)

//go:embed *.tmpl
var builtin embed.FS

// Prompt is one parsed template file.
type Prompt struct {
	Name    string
	Version string
	Source  string // "builtin" or the override file's path
	fences  []string
	system  *template.Template
	user    *template.Template
}

// Set is the prompts of a run: overrides from a folder, else built-ins.
// Each prompt is read and parsed once, then shared: Get is called for every
// chunk of every file.
type Set struct {
	dir    string
	mu     sync.Mutex
	parsed map[string]*Prompt
}

// Load returns the prompt set, checking that every template in the override
// folder (if any) parses, so a typo fails at start-up rather than mid-run.
func Load(dir string) (*Set, error) {
	s := &Set{dir: dir}
	if dir == "" {
		return s, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("prompts.dir: %w", err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmpl") {
			if _, err := s.Get(strings.TrimSuffix(e.Name(), ".tmpl")); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// Get returns the named prompt ("translate", "summarize", …).
func (s *Set) Get(name string) (*Prompt, error) {
	if s == nil {
		return load("", name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.parsed[name]; ok {
		return p, nil
	}
	p, err := load(s.dir, name)
	if err != nil {
		return nil, err
	}
	if s.parsed == nil {
		s.parsed = map[string]*Prompt{}
	}
	s.parsed[name] = p
	return p, nil
}

// load reads a prompt from dir, else from the built-ins.
func load(dir, name string) (*Prompt, error) {
	if dir != "" {
		p := filepath.Join(dir, name+".tmpl")
		b, err := os.ReadFile(p)
		if err == nil {
			return parse(name, p, b)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("prompt %s: %w", name, err)
		}
	}
	b, err := builtin.ReadFile(name + ".tmpl")
	if err != nil {
		return nil, fmt.Errorf("prompt %s: no such prompt", name)
	}
	return parse(name, "builtin", b)
}

// Names lists the built-in prompts.
func Names() []string {
	var out []string
	entries, _ := builtin.ReadDir(".")
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".tmpl"))
	}
	return out
}

func parse(name, source string, b []byte) (*Prompt, error) {
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	p := &Prompt{Name: name, Source: source}
	sections := map[string]string{}
	cur := ""
	var buf strings.Builder
	flush := func() {
		if cur != "" {
			sections[cur] = strings.TrimSpace(buf.String())
		}
		buf.Reset()
	}
	for _, line := range strings.Split(text, "\n") {
		switch {
		case cur == "" && strings.HasPrefix(line, "version:"):
			p.Version = strings.TrimSpace(strings.TrimPrefix(line, "version:"))
		case strings.HasPrefix(line, "--- "):
			flush()
			cur = strings.TrimSpace(strings.TrimPrefix(line, "--- "))
		default:
			buf.WriteString(line)
			buf.WriteByte('\n')
		}
	}
	flush()
	if p.Version == "" {
		return nil, fmt.Errorf("prompt %s (%s): missing \"version:\" line", name, source)
	}
	p.fences = fenceTags(sections["system"], sections["user"])
	funcs := fenceFunc(NewEscaper(append(builtinTags(), p.fences...)))
	for _, sec := range []string{"system", "user"} {
		body, ok := sections[sec]
		if !ok {
			return nil, fmt.Errorf("prompt %s (%s): missing \"--- %s\" section", name, source, sec)
		}
		t, err := template.New(name + "." + sec).Option("missingkey=error").Funcs(funcs).Parse(body)
		if err != nil {
			return nil, fmt.Errorf("prompt %s (%s): %w", name, source, err)
		}
		fenceActions(t)
		if sec == "system" {
			p.system = t
		} else {
			p.user = t
		}
	}
	return p, nil
}

// Fences lists the tag names the prompt fences text with ("document"…),
// which every value Render prints has escaped (fence.go).
func (p *Prompt) Fences() []string { return append([]string(nil), p.fences...) }

// Render executes the system and user sections with data. Every value
// printed has the prompt's fence tags escaped, so untrusted text cannot
// close its fence; a value must therefore never be meant to carry one.
func (p *Prompt) Render(data any) (system, user string, err error) {
	var sb, ub bytes.Buffer
	if err := p.system.Execute(&sb, data); err != nil {
		return "", "", fmt.Errorf("prompt %s: %w", p.Name, err)
	}
	if err := p.user.Execute(&ub, data); err != nil {
		return "", "", fmt.Errorf("prompt %s: %w", p.Name, err)
	}
	return strings.TrimSpace(sb.String()), strings.TrimSpace(ub.String()), nil
}
