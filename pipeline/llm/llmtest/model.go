package llmtest

// Model is the whole fake model: every stage depeche sends, answered by the
// deterministic responders of this package. End-to-end tests start a Server
// with Model().Handle and add faults around it.
func Model() Router {
	return Router{
		"translate":    Translator(),
		"review":       Translator(),
		"summarize":    Summarizer(),
		"brief-map":    Briefer(),
		"brief-reduce": Briefer(),
	}
}
