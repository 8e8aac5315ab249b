package sparse

import (
	"slices"
	"testing"
)

func TestVec(t *testing.T) {
	a := Vec[float32]{IDs: []int32{1, 3, 7}, W: []float32{1, 2, 3}}
	b := Vec[float32]{IDs: []int32{0, 3, 7, 9}, W: []float32{5, 4, 0.5, 1}}
	tests := []struct {
		name   string
		a, b   Vec[float32]
		dot    float64
		sumIDs []int32
		sumW   []float32
	}{
		{"overlapping", a, b, 2*4 + 3*0.5, []int32{0, 1, 3, 7, 9}, []float32{5, 1, 6, 3.5, 1}},
		{"with empty", a, Vec[float32]{}, 0, a.IDs, a.W},
		{"empty with", Vec[float32]{}, b, 0, b.IDs, b.W},
		{"disjoint", Vec[float32]{IDs: []int32{2}, W: []float32{1}}, Vec[float32]{IDs: []int32{4}, W: []float32{1}}, 0, []int32{2, 4}, []float32{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Dot(tt.b); got != tt.dot {
				t.Errorf("Dot = %v, want %v", got, tt.dot)
			}
			if got := tt.b.Dot(tt.a); got != tt.dot {
				t.Errorf("Dot is not symmetric: %v, want %v", got, tt.dot)
			}
			sum := tt.a.Plus(tt.b)
			if !slices.Equal(sum.IDs, tt.sumIDs) || !slices.Equal(sum.W, tt.sumW) {
				t.Errorf("Plus = %v %v, want %v %v", sum.IDs, sum.W, tt.sumIDs, tt.sumW)
			}
		})
	}
	// Plus makes a new vector: the operands are left as they were.
	before := slices.Clone(a.W)
	s := a.Plus(a)
	s.W[0] = 99
	if !slices.Equal(a.W, before) {
		t.Error("Plus changed its operand")
	}
}
