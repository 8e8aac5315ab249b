package llm

import "time"

// EventKind is what happened to a request, for a progress display.
type EventKind string

// Event kinds, in the order one request goes through them.
const (
	EventSent   EventKind = "sent"   // an HTTP attempt starts
	EventDone   EventKind = "done"   // that attempt ended, answered (OK) or not
	EventWait   EventKind = "wait"   // a retry waits until Until, for Reason
	EventResume EventKind = "resume" // the wait that ends at Until is over
)

// Event is one step of one request. A display sums them: the requests in
// flight per stage, and the retries waiting and why ("429 (Retry-After
// 30s)"), so that a run waiting on a server says so instead of showing a
// bar stuck at 96%.
type Event struct {
	Stage  string
	Kind   EventKind
	OK     bool      // EventDone: the server answered
	Until  time.Time // EventWait, EventResume
	Reason string    // EventWait
}

// event reports e to Config.OnEvent, if any.
func (c *Client) event(e Event) {
	if c.cfg.OnEvent != nil {
		c.cfg.OnEvent(e)
	}
}
