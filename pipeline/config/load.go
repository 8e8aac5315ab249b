package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"gopkg.in/yaml.v3"
)

// Options says where Load finds the layers of the configuration.
type Options struct {
	File     string              // --config; "" = ./config.yaml if present, else <os.UserConfigDir()>/depeche/config.yaml if present, else defaults only
	Flags    *pflag.FlagSet      // may be nil; flags are bound by name via FlagKeys
	FlagKeys map[string]string   // flag name → key, e.g. {"model": "llm.model", "out": "output"}
	Getenv   func(string) string // nil = os.Getenv
	Environ  []string            // nil = os.Environ(); used to spot unknown DEPECHE_* variables
	Warn     io.Writer           // warnings (unknown keys and variables); nil = discarded
}

// Sources remembers where each effective value came from.
type Sources struct {
	file   string            // the configuration file read, "" for none
	origin map[string]string // key → "default", "file <path>", "env NAME", "flag --name"
	note   map[string]string // key → why the value differs from what was set
}

// File is the configuration file that was read, "" when there was none.
func (s *Sources) File() string {
	if s == nil {
		return ""
	}
	return s.file
}

// Load builds the configuration. Precedence, highest first: flags the user
// actually gave (Changed), DEPECHE_<KEY> environment variables (llm.model →
// DEPECHE_LLM_MODEL), the file, the built-in defaults. Problems the user must
// fix are returned as *Error; unknown keys and variables are only warned
// about, naming the nearest valid key.
//
// Viper resolves the precedence, but the environment and flag layers are fed
// to it with Set rather than AutomaticEnv/BindPFlag: viper reads os.Getenv
// directly, and doing it here lets tests inject the environment and lets
// Sources name exactly which variable or flag won.
func Load(opt Options) (*Config, *Sources, error) {
	ld := newLoader(opt)
	if err := ld.file(opt.File); err != nil {
		return nil, nil, err
	}
	if err := ld.env(); err != nil {
		return nil, nil, err
	}
	environ := opt.Environ
	if environ == nil {
		environ = os.Environ()
	}
	// The key's own variable may well be named DEPECHE_SOMETHING: not a typo.
	warnEnv(environ, ld.leaves, ld.v.GetString("llm.api_key_env"), ld.warn)
	if err := ld.flags(opt.Flags, opt.FlagKeys); err != nil {
		return nil, nil, err
	}
	cfg, err := ld.config()
	if err != nil {
		return nil, nil, err
	}
	// The default glossary is optional: a checkout or a fresh folder without
	// glossary.yaml simply runs without one. A path the user chose must
	// exist (Validate says so).
	if cfg.Glossary == defaultGlossary {
		if _, err := os.Stat(cfg.Glossary); errors.Is(err, fs.ErrNotExist) {
			cfg.Glossary = ""
			ld.src.note["glossary"] = defaultGlossary + " not found, none used"
		}
	}
	return cfg, ld.src, nil
}

// loader stacks the layers of one Load on a viper instance, noting where
// each value came from.
type loader struct {
	getenv func(string) string
	warn   io.Writer
	leaves []leaf
	byKey  map[string]leaf
	v      *viper.Viper
	src    *Sources
	// verbatim keeps each layer's value as given: viper lowercases map
	// keys, and the free-form llm.extra is sent to servers whose fields
	// are case-sensitive.
	verbatim map[string]any
}

// newLoader starts from the built-in defaults.
func newLoader(opt Options) *loader {
	ld := &loader{getenv: opt.Getenv, warn: opt.Warn, leaves: leaves(), v: viper.New(),
		src: &Sources{origin: map[string]string{}, note: map[string]string{}}, verbatim: map[string]any{}}
	if ld.getenv == nil {
		ld.getenv = os.Getenv
	}
	if ld.warn == nil {
		ld.warn = io.Discard
	}
	ld.byKey = make(map[string]leaf, len(ld.leaves))
	def := Defaults()
	for _, l := range ld.leaves {
		ld.byKey[l.key] = l
		ld.v.SetDefault(l.key, l.field(def).Interface())
		ld.src.origin[l.key] = "default"
	}
	return ld
}

// file reads the configuration file, if there is one, warning about the
// keys it does not know.
func (ld *loader) file(name string) error {
	path, err := findFile(name)
	if err != nil || path == "" {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return errorf("config file %s: %v", path, unwrapPathErr(err))
	}
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return errorf("config file %s: %v", path, oneLine(err.Error()))
	}
	ld.v.SetConfigType("yaml")
	if err := ld.v.ReadConfig(bytes.NewReader(data)); err != nil {
		return errorf("config file %s: %v", path, oneLine(err.Error()))
	}
	ld.src.file = path
	fw := fileWalker{name: path, byKey: ld.byKey, keys: keyNames(ld.leaves), warn: ld.warn, values: map[string]any{}}
	fw.walk(raw, "", "")
	for key, val := range fw.values {
		if val != nil {
			ld.src.origin[key] = "file " + path
			ld.verbatim[key] = val
		}
	}
	return nil
}

// env lays the DEPECHE_<KEY> variables over the file.
func (ld *loader) env() error {
	for _, l := range ld.leaves {
		name := envVar(l.key)
		s := ld.getenv(name)
		if s == "" {
			continue
		}
		val, err := envValue(l, s)
		if err != nil {
			return errorf("env %s: %v", name, err)
		}
		ld.set(l.key, val, "env "+name)
	}
	return nil
}

// flags lays the flags the user gave over the environment.
func (ld *loader) flags(fs *pflag.FlagSet, keys map[string]string) error {
	if fs == nil {
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(keys)) {
		key := keys[name]
		if _, ok := ld.byKey[key]; !ok {
			return fmt.Errorf("config: flag --%s is bound to unknown key %q", name, key)
		}
		f := fs.Lookup(name)
		if f == nil || !f.Changed {
			continue
		}
		var val any = f.Value.String()
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			val = sv.GetSlice()
		}
		ld.set(key, val, "flag --"+name)
	}
	return nil
}

func (ld *loader) set(key string, val any, origin string) {
	ld.v.Set(key, val)
	ld.verbatim[key] = val
	ld.src.origin[key] = origin
}

// config decodes every key's winning value into a Config. A value that does
// not fit its key is an *Error naming the key and the layer it came from,
// with any secret in it redacted.
func (ld *loader) config() (*Config, error) {
	cfg := &Config{}
	for _, l := range ld.leaves {
		raw := ld.v.Get(l.key)
		if l.typ.Kind() == reflect.Map {
			if val, ok := ld.verbatim[l.key]; ok {
				raw = val
			}
		}
		if err := decode(l, raw, l.field(cfg)); err != nil {
			hide := secrets(ld.v, ld.getenv)
			detail := err.Error()
			if bv, ok := err.(*badValue); ok {
				detail = bv.text(redact(fmt.Sprint(bv.raw), hide))
			}
			msg := fmt.Sprintf("%s (%s): %s", l.key, ld.src.origin[l.key], detail)
			return nil, &Error{Msg: redact(msg, hide)}
		}
	}
	return cfg, nil
}

// findFile picks the configuration file: the one named, else ./config.yaml,
// else the user's config dir, else none.
func findFile(name string) (string, error) {
	if name != "" {
		if _, err := os.Stat(name); err != nil {
			return "", errorf("config file %s: %v", name, unwrapPathErr(err))
		}
		return name, nil
	}
	if st, err := os.Stat("config.yaml"); err == nil && !st.IsDir() {
		return "config.yaml", nil
	}
	if dir, err := os.UserConfigDir(); err == nil {
		p := filepath.Join(dir, "depeche", "config.yaml")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", nil
}

// envValue turns a variable's text into what the key's decoder expects:
// lists and maps are written as JSON (or YAML flow), e.g.
// DEPECHE_LLM_EXTRA='{"options":{"num_ctx":8192}}'; a list key given a plain
// string gets that one item (regexps contain commas, so no splitting).
func envValue(l leaf, s string) (any, error) {
	switch {
	case l.typ.Kind() == reflect.Map:
		var m map[string]any
		if err := yaml.Unmarshal([]byte(s), &m); err != nil || m == nil {
			return nil, fmt.Errorf(`want a JSON object, e.g. {"options":{"num_ctx":8192}}`)
		}
		return m, nil
	case l.typ.Kind() == reflect.Slice:
		t := strings.TrimSpace(s)
		if !strings.HasPrefix(t, "[") {
			if l.typ.Elem().Kind() != reflect.String {
				return nil, fmt.Errorf("want a JSON list, e.g. [{\"base_url\":\"http://gpu1:8000/v1\"}]")
			}
			return []string{s}, nil
		}
		var list []any
		if err := yaml.Unmarshal([]byte(t), &list); err != nil {
			return nil, fmt.Errorf("want a JSON list: %v", oneLine(err.Error()))
		}
		return list, nil
	}
	return s, nil
}

func keyNames(ls []leaf) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.key
	}
	return out
}

// secrets are the strings no message may show: the API key, and whatever
// sits in llm.api_key_env when it is not a variable name (likely the key
// itself, pasted there by mistake).
func secrets(v *viper.Viper, getenv func(string) string) []string {
	env := fmt.Sprint(v.Get("llm.api_key_env"))
	c := Config{LLM: LLM{APIKeyEnv: env}}
	out := []string{c.APIKey(getenv)}
	if !envName.MatchString(env) {
		out = append(out, env)
	}
	return out
}

// redact replaces every secret in s.
func redact(s string, secrets []string) string {
	for _, k := range secrets {
		if k != "" {
			s = strings.ReplaceAll(s, k, "<redacted>")
		}
	}
	return s
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// oneLine folds a multi-line library error into the one line the CLI prints.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
