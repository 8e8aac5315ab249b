package briefing

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
)

//go:embed briefing.schema.json
var briefingSchema []byte

// Schema returns the committed JSON schema of output/briefing.json.
func Schema() []byte { return bytes.Clone(briefingSchema) }

// Validate checks the JSON encoding of b against Schema. It implements the
// part of JSON Schema (draft 2020-12) the schema uses: type, required,
// properties, items, minimum, pattern and local $ref into $defs.
func Validate(b Briefing) error {
	data, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("briefing: %w", err)
	}
	return validateJSON(briefingSchema, data)
}

func validateJSON(schema, data []byte) error {
	var root map[string]any
	if err := json.Unmarshal(schema, &root); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("briefing json: %w", err)
	}
	var errs []error
	validate(root, root, v, "$", &errs)
	return errors.Join(errs...)
}

func validate(root, s map[string]any, v any, at string, errs *[]error) {
	if ref, ok := s["$ref"].(string); ok {
		target, err := resolveRef(root, ref)
		if err != nil {
			*errs = append(*errs, fmt.Errorf("%s: %w", at, err))
			return
		}
		s = target
	}
	if t, ok := s["type"]; ok && !typeMatches(t, v) {
		*errs = append(*errs, fmt.Errorf("%s: want type %v, got %s", at, t, jsonType(v)))
		return
	}
	if minV, ok := s["minimum"].(float64); ok {
		if n, isNum := v.(json.Number); isNum {
			if f, err := n.Float64(); err == nil && f < minV {
				*errs = append(*errs, fmt.Errorf("%s: %v is below the minimum %v", at, n, minV))
			}
		}
	}
	if pat, ok := s["pattern"].(string); ok {
		if str, isStr := v.(string); isStr {
			if re, err := regexp.Compile(pat); err != nil || !re.MatchString(str) {
				*errs = append(*errs, fmt.Errorf("%s: %q does not match %s", at, str, pat))
			}
		}
	}
	switch v := v.(type) {
	case map[string]any:
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, ok := v[r.(string)]; !ok {
					*errs = append(*errs, fmt.Errorf("%s: missing required %q", at, r))
				}
			}
		}
		if props, ok := s["properties"].(map[string]any); ok {
			for k, sub := range props {
				if val, ok := v[k]; ok {
					validate(root, sub.(map[string]any), val, at+"."+k, errs)
				}
			}
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, val := range v {
				validate(root, items, val, fmt.Sprintf("%s[%d]", at, i), errs)
			}
		}
	}
}

func resolveRef(root map[string]any, ref string) (map[string]any, error) {
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	if !ok {
		return nil, fmt.Errorf("unsupported $ref %q", ref)
	}
	defs, _ := root["$defs"].(map[string]any)
	target, ok := defs[name].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("unknown $ref %q", ref)
	}
	return target, nil
}

func typeMatches(t, v any) bool {
	switch t := t.(type) {
	case string:
		return isType(t, v)
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok && isType(s, v) {
				return true
			}
		}
	}
	return false
}

func isType(t string, v any) bool {
	got := jsonType(v)
	if t == "number" && got == "integer" {
		return true
	}
	return t == got
}

func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if f, err := v.Float64(); err == nil && f == math.Trunc(f) && !strings.ContainsAny(v.String(), ".eE") {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
