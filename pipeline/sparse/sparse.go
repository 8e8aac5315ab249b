// Package sparse is the sparse weight vector the offline summarizer and the
// story grouping compare texts with: term ids in ascending order, so that
// two vectors meet in one merge pass.
package sparse

// Vec is a sparse vector: weight W[i] for term IDs[i], IDs ascending.
// The story grouping keeps float32 weights (thousands of articles), the
// extractive summarizer float64.
type Vec[F float32 | float64] struct {
	IDs []int32
	W   []F
}

// Dot is the dot product of a and b, summed in float64.
func (a Vec[F]) Dot(b Vec[F]) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a.IDs) && j < len(b.IDs) {
		switch {
		case a.IDs[i] == b.IDs[j]:
			s += float64(a.W[i]) * float64(b.W[j])
			i++
			j++
		case a.IDs[i] < b.IDs[j]:
			i++
		default:
			j++
		}
	}
	return s
}

// Plus is a + b, a new vector.
func (a Vec[F]) Plus(b Vec[F]) Vec[F] {
	out := Vec[F]{IDs: make([]int32, 0, len(a.IDs)+len(b.IDs)), W: make([]F, 0, len(a.IDs)+len(b.IDs))}
	i, j := 0, 0
	for i < len(a.IDs) || j < len(b.IDs) {
		switch {
		case j == len(b.IDs) || (i < len(a.IDs) && a.IDs[i] < b.IDs[j]):
			out.IDs, out.W = append(out.IDs, a.IDs[i]), append(out.W, a.W[i])
			i++
		case i == len(a.IDs) || b.IDs[j] < a.IDs[i]:
			out.IDs, out.W = append(out.IDs, b.IDs[j]), append(out.W, b.W[j])
			j++
		default:
			out.IDs, out.W = append(out.IDs, a.IDs[i]), append(out.W, a.W[i]+b.W[j])
			i++
			j++
		}
	}
	return out
}
