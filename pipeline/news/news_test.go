package news

import (
	"reflect"
	"testing"
)

func TestStageOrder(t *testing.T) {
	order := []Stage{StageDiscover, StageRead, StageClean, StageTranslate, StageSummarize, StageBrief}
	for i, s := range order {
		if s.Order() != i+1 {
			t.Errorf("%s.Order() = %d, want %d", s, s.Order(), i+1)
		}
	}
	if Stage("review").Order() != 0 {
		t.Error("a name that is no stage has an order")
	}
}

func TestStatsAddCalls(t *testing.T) {
	s := Stats{Engine: EngineLLM, Model: "a", Requests: 1, Retries: []string{"429"}, Usage: Usage{10, 5}}
	s.AddCalls(Stats{Requests: 2, Cached: 1, Retries: []string{"500"}, Usage: Usage{3, 2}})
	s.AddCalls(Stats{Model: "b"})
	want := Stats{Engine: EngineLLM, Model: "b", Requests: 3, Cached: 1, Retries: []string{"429", "500"}, Usage: Usage{13, 7}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got %+v\nwant %+v", s, want)
	}
}
