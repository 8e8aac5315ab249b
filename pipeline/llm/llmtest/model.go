package llmtest

// Model is the whole fake model: every stage depeche sends, answered by the
// deterministic responders of this package. End-to-end tests start a Server
// with Model().Handle and add faults around it.
func Model() Router {
	return Router{
		"translate":       Translator(),
		"review":          Translator(),
		"summarize":       Summarizer(),
		"summarize-merge": Merger(),
		"brief-map":       Briefer(),
		"brief-reduce":    Briefer(),
		"brief-overview":  Overviewer(),
		// the one-token request with which the engine checks, before a
		// batch, that an endpoint serves a model its list does not name
		"probe":             func(Call) Reply { return Reply{Content: "OK", FinishReason: "length"} },
		"brief-verify":      Judge(),
		"summarize-restate": Restater(),
		"brief-restate":     Restater(),
	}
}
