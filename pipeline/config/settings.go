package config

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Setting is one row of `depeche config`: a key, its effective value as
// text, and where it came from ("default", "file config.yaml",
// "env DEPECHE_LLM_MODEL", "flag --model").
type Setting struct{ Key, Value, Source string }

// keyLike replaces a value that is, or contains, the API key.
const keyLike = "<redacted: looks like a key; api_key_env must be a variable NAME>"

// Settings lists every key of c in the order of config.yaml, plus the row
// llm.api_key that only says whether the key is set. No value equal to the
// key is ever shown. Values are YAML-like scalars; lists and maps are
// compact JSON. s may be nil (everything then reads as "default").
func (s *Sources) Settings(c *Config, getenv func(string) string) []Setting {
	key := c.APIKey(getenv)
	var hide []string
	if key != "" {
		hide = append(hide, key)
	}
	badEnv := !envName.MatchString(c.LLM.APIKeyEnv)
	if badEnv && c.LLM.APIKeyEnv != "" {
		hide = append(hide, c.LLM.APIKeyEnv)
	}

	var out []Setting
	for _, l := range leaves() {
		st := Setting{Key: l.key, Value: format(l, l.field(c)), Source: s.source(l.key)}
		if containsAny(st.Value, hide) || (l.key == "llm.api_key_env" && badEnv) {
			st.Value = keyLike
		}
		out = append(out, st)
		if l.key == "llm.api_key_env" {
			out = append(out, apiKeyRow(c.LLM.APIKeyEnv, key, badEnv))
		}
	}
	return out
}

func apiKeyRow(env, key string, badEnv bool) Setting {
	row := Setting{Key: "llm.api_key"}
	switch {
	case badEnv:
		row.Value, row.Source = "unset (llm.api_key_env is not a variable name)", "env"
	case key != "":
		row.Value, row.Source = "set (from "+env+")", "env "+env
	default:
		row.Value, row.Source = "unset ("+env+" is empty)", "env "+env
	}
	return row
}

func (s *Sources) source(key string) string {
	if s == nil {
		return "default"
	}
	src, ok := s.origin[key]
	if !ok {
		src = "default"
	}
	if n := s.note[key]; n != "" {
		src += " (" + n + ")"
	}
	return src
}

// containsAny reports whether v shows one of the secrets. Very short keys
// (a local server's dummy "x") only count as a whole value, or every
// number containing that digit would vanish.
func containsAny(v string, secrets []string) bool {
	for _, k := range secrets {
		if v == k || (len(k) >= 8 && strings.Contains(v, k)) {
			return true
		}
	}
	return false
}

// format writes one value for the listing.
func format(l leaf, v reflect.Value) string {
	switch {
	case l.key == "max_file_size":
		return FormatSize(v.Int())
	case l.typ == durationType:
		return time.Duration(v.Int()).String()
	}
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		if strings.HasSuffix(l.key, "base_url") {
			s = maskURL(s)
		}
		if s == "" {
			return `""`
		}
		return s
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 {
			if v.Kind() == reflect.Map {
				return "{}"
			}
			return "[]"
		}
		val := v.Interface()
		if eps, ok := val.([]Endpoint); ok {
			masked := make([]Endpoint, len(eps))
			for i, e := range eps {
				e.BaseURL = maskURL(e.BaseURL)
				masked[i] = e
			}
			val = masked
		}
		b, err := json.Marshal(val)
		if err != nil {
			return fmt.Sprint(val)
		}
		return string(b)
	}
	return fmt.Sprint(v.Interface())
}

// maskURL hides a password written into a URL (http://user:pass@host).
func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}
