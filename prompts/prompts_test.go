package prompts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuiltinsParseAndRender(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	names := Names()
	for _, want := range []string{"translate", "review", "summarize", "summarize-merge", "brief", "brief-reduce"} {
		p, err := s.Get(want)
		if err != nil {
			t.Errorf("built-in %s: %v (have %v)", want, err, names)
			continue
		}
		if p.Version == "" || p.Source != "builtin" {
			t.Errorf("%s: version %q source %q", want, p.Version, p.Source)
		}
	}
}

func TestOverrideDirWins(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "translate.tmpl"), []byte("version: mine-1\n--- system\nBe terse.\n--- user\n{{.Text}}\n"), 0o644)
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Get("translate")
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != "mine-1" || !strings.HasSuffix(p.Source, "translate.tmpl") {
		t.Errorf("override not used: %+v", p)
	}
	sys, user, err := p.Render(map[string]string{"Text": "Bonjour « monde »"})
	if err != nil || sys != "Be terse." || user != "Bonjour « monde »" {
		t.Errorf("Render = %q, %q, %v", sys, user, err)
	}
	// A prompt the folder lacks falls back to the built-in one.
	if p, err := s.Get("summarize"); err != nil || p.Source != "builtin" {
		t.Errorf("fallback: %+v, %v", p, err)
	}
}

func TestBadTemplatesFailAtLoad(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"no version", "--- system\nx\n--- user\ny\n", "version"},
		{"no user", "version: v\n--- system\nx\n", "--- user"},
		{"bad syntax", "version: v\n--- system\n{{.Text\n--- user\ny\n", "translate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "translate.tmpl"), []byte(tt.body), 0o644)
			_, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want mention of %q", err, tt.want)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing prompts.dir should fail")
	}
}

func TestMissingKeyIsAnError(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.tmpl"), []byte("version: v\n--- system\nok\n--- user\n{{.Nope}}\n"), 0o644)
	s, _ := Load(dir)
	p, err := s.Get("x")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.Render(map[string]string{"Text": "t"}); err == nil {
		t.Error("rendering with a missing key should fail, not print <no value>")
	}
}
