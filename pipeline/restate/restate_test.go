package restate

import (
	"context"
	"strings"
	"testing"

	"github.com/depeche-news/depeche/pipeline/llm"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest"
	"github.com/depeche-news/depeche/pipeline/llm/llmtest/llmclient"
	"github.com/depeche-news/depeche/pipeline/store"
)

var claims = []Claim{
	{Text: "7,800 homes have been affected since 6 November.",
		Sentences: []string{"According to the prefecture, 7,800 homes have been affected since 6 November."}},
	{Text: "The driver tried to cross a flooded road.",
		Sentences: []string{"The driver would have tried to cross a flooded road despite the barriers."}},
}

func TestKeeps(t *testing.T) {
	c := claims[0]
	for rewrite, want := range map[string]bool{
		"7,800 homes have been affected since 6 November, according to the prefecture.": true,
		"The prefecture says 7,800 homes have been affected since 6 November.":          true,
		"Reportedly, 7,800 homes have been affected since 6 November.":                  true,
		"7,800 homes have been affected since 6 November.":                              false, // still lost
		"780 homes have been affected since 6 November, according to the prefecture.":   false, // a figure changed
		"According to the prefecture, the floods are serious.":                          false, // not the claim
		"": false,
	} {
		if got := Keeps(c, rewrite); got != want {
			t.Errorf("Keeps(%q) = %v, want %v", rewrite, got, want)
		}
	}
}

// TestRestate: one request for all the claims, each rewrite checked; the
// answer is cached; a spent budget is no error and changes nothing.
func TestRestate(t *testing.T) {
	c, srv := llmclient.Serve(t, llmtest.Router{"brief-restate": llmtest.Restater()}.Handle)
	opt := Options{Cache: store.NewCache(t.TempDir(), false), CacheScope: "s", Stage: "brief-restate"}
	got, st, err := Restate(context.Background(), c, claims, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != "7,800 homes have been affected since 6 November, according to the prefecture." ||
		got[1] != "Reportedly, the driver tried to cross a flooded road." {
		t.Errorf("restated %q", got)
	}
	if srv.Count() != 1 || st.Requests != 1 || !strings.Contains(srv.Calls()[0].User(), "## 2\nClaim: The driver tried") {
		t.Errorf("%d requests, stats %+v", srv.Count(), st)
	}
	again, st, err := Restate(context.Background(), c, claims, opt)
	if err != nil || srv.Count() != 1 || st.Cached != 1 || again[0] != got[0] {
		t.Errorf("rerun: %v, %d requests, stats %+v", err, srv.Count(), st)
	}
	// a model that answers with the claims unchanged: nothing accepted
	c2, _ := llmclient.Serve(t, llmtest.Router{"restate": func(call llmtest.Call) llmtest.Reply {
		return llmtest.Reply{Content: `{"claims": [{"id": 1, "text": "7,800 homes have been affected since 6 November."}, {"id": 2, "text": "The driver tried to cross a road."}]}`}
	}}.Handle)
	if got, _, err := Restate(context.Background(), c2, claims, Options{}); err != nil || got[0] != "" || got[1] != "" {
		t.Errorf("unchanged claims accepted: %q, %v", got, err)
	}
	c3, srv3 := llmclient.Serve(t, llmtest.Restater(), llmclient.With(func(cfg *llm.Config) { cfg.MaxTotalTokens = 10 }))
	if got, _, err := Restate(context.Background(), c3, claims, Options{}); err != nil || got[0] != "" || srv3.Count() != 0 {
		t.Errorf("over the budget: %q, %v, %d requests", got, err, srv3.Count())
	}
}
