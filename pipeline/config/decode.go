package config

import (
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/go-viper/mapstructure/v2"
)

// decode stores raw (from YAML, an env variable or a flag, so often a
// string) into dst, the field of key l. Errors name what was expected; the
// caller adds the key and where the value came from.
func decode(l leaf, raw any, dst reflect.Value) error {
	if raw == nil {
		dst.SetZero()
		return nil
	}
	switch {
	case l.key == "max_file_size":
		n, err := toSize(raw)
		if err != nil {
			return err
		}
		dst.SetInt(n)
		return nil
	case l.typ == durationType:
		d, err := toDuration(raw)
		if err != nil {
			return err
		}
		dst.SetInt(int64(d))
		return nil
	}
	if f, ok := raw.(float64); ok && isInt(l.typ.Kind()) && f != math.Trunc(f) {
		return &badValue{raw, want(l)}
	}
	out := reflect.New(l.typ)
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result:           out.Interface(),
		WeaklyTypedInput: true,
	})
	if err != nil {
		return err
	}
	if err := dec.Decode(raw); err != nil {
		return &badValue{raw, want(l)}
	}
	// Empty lists and maps are the same as none; keeping them nil makes a
	// file that spells out `extra: {}` equal to the defaults.
	if k := l.typ.Kind(); (k == reflect.Slice || k == reflect.Map) && out.Elem().Len() == 0 {
		dst.SetZero()
		return nil
	}
	dst.Set(out.Elem())
	return nil
}

const wantSize = "a size like 10MB, 512KB, 1GiB or a number of bytes"

// badValue is a value a key cannot take. The caller shows it through
// text, so a secret can be masked before the value is cut short.
type badValue struct {
	raw  any
	want string
}

func (e *badValue) Error() string { return e.text(fmt.Sprint(e.raw)) }

func (e *badValue) text(value string) string {
	return fmt.Sprintf("cannot use %s: want %s", show(value), e.want)
}

func toSize(raw any) (int64, error) {
	switch x := raw.(type) {
	case string:
		n, err := ParseSize(x)
		if err != nil {
			return 0, &badValue{raw, wantSize}
		}
		return n, nil
	case int:
		return int64(x), nil
	case int64:
		return x, nil
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x), nil
		}
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < math.MaxInt64 {
			return int64(x), nil
		}
	}
	return 0, &badValue{raw, wantSize}
}

// toDuration accepts Go durations ("120s", "2m", "1h30m"). A bare number
// other than 0 is refused: "timeout: 120" is ambiguous, and read as
// nanoseconds it would fail every request.
func toDuration(raw any) (time.Duration, error) {
	switch x := raw.(type) {
	case time.Duration:
		return x, nil
	case string:
		if x == "" {
			return 0, nil
		}
		if d, err := time.ParseDuration(x); err == nil {
			return d, nil
		}
	case int:
		if x == 0 {
			return 0, nil
		}
	case float64:
		if x == 0 {
			return 0, nil
		}
	}
	return 0, &badValue{raw, "a duration like 120s, 2m or 1h30m"}
}

func isInt(k reflect.Kind) bool {
	return k >= reflect.Int && k <= reflect.Uint64
}

// want describes, for an error message, what a key accepts.
func want(l leaf) string {
	switch k := l.typ.Kind(); {
	case isInt(k):
		return "a whole number"
	case k == reflect.Float32 || k == reflect.Float64:
		return "a number"
	case k == reflect.Bool:
		return "true or false"
	case k == reflect.String:
		return "a string"
	case k == reflect.Map:
		return "a map of fields"
	case k == reflect.Slice && l.typ.Elem().Kind() == reflect.String:
		return "a list of strings"
	case k == reflect.Slice:
		return "a list of {base_url, model, weight, concurrency}"
	}
	return l.typ.String()
}

// show quotes a value for an error message, cut short: a message is one line.
func show(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
