package story

// AdjustedRand is the adjusted Rand index of two partitions of the same
// items, given as one label per item: 1 when they agree exactly, about 0
// for a partition no better than chance. It is how the grouping is
// measured against a labelled corpus (README, TestStoriesARI).
func AdjustedRand(truth, got []string) float64 {
	if len(truth) != len(got) || len(truth) < 2 {
		return 0
	}
	type cell struct{ a, b string }
	cells, rows, cols := map[cell]int{}, map[string]int{}, map[string]int{}
	for i := range truth {
		cells[cell{truth[i], got[i]}]++
		rows[truth[i]]++
		cols[got[i]]++
	}
	pairs := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	var index, sumRows, sumCols float64
	for _, n := range cells {
		index += pairs(n)
	}
	for _, n := range rows {
		sumRows += pairs(n)
	}
	for _, n := range cols {
		sumCols += pairs(n)
	}
	expected := sumRows * sumCols / pairs(len(truth))
	most := (sumRows + sumCols) / 2
	if most == expected {
		return 1
	}
	return (index - expected) / (most - expected)
}
