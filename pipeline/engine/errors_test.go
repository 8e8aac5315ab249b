package engine

import (
	"errors"
	"fmt"
	"testing"
)

func TestMark(t *testing.T) {
	inner := errors.New("token budget (llm.max_total_tokens) would be exceeded")
	err := Mark(fmt.Errorf("translate a: %w", inner), ErrBudget)
	if !errors.Is(err, ErrBudget) || !errors.Is(err, inner) {
		t.Errorf("Mark: %v matches ErrBudget %v, the original %v; want both", err,
			errors.Is(err, ErrBudget), errors.Is(err, inner))
	}
	if err.Error() != "translate a: "+inner.Error() {
		t.Errorf("Mark changed the message: %q", err)
	}
	if errors.Is(err, ErrDeferred) {
		t.Error("a budget error matches ErrDeferred")
	}
	if Mark(nil, ErrBudget) != nil {
		t.Error("Mark(nil) is not nil")
	}
	if Mark(ErrBudget, ErrBudget) != ErrBudget {
		t.Error("an error that already matches was wrapped again")
	}
}
