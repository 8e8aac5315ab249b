package apertium

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Apertium has no French→English pair in Debian, so the translator pivots
// through Spanish, running the two modes' own commands as one shell
// pipeline. Every stage runs in null-flush mode (a NUL byte flushes it and
// is echoed after its output) on raw stream format (the translator escapes
// its own input), and the Spanish never leaves the pipe. The `apertium`
// script itself is not used: its gawk wrapper reads ahead past a NUL and
// never answers a request until the next one arrives.
var pivotModes = []string{"fr-es", "spa-eng"}

// pivotCommand returns the shell pipeline for the pivot. command "apertium"
// means the installed modes; anything else is a filter run as is that
// speaks the same protocol (tests use this).
func pivotCommand(command string) (string, error) {
	if command != "apertium" {
		return command, nil
	}
	if _, err := exec.LookPath("apertium"); err != nil {
		return "", fmt.Errorf("apertium not found: %s", installHint)
	}
	dir := os.Getenv("APERTIUM_DATADIR")
	if dir == "" {
		dir = "/usr/share/apertium"
	}
	var legs []string
	for _, m := range pivotModes {
		path := filepath.Join(dir, "modes", m+".mode")
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("apertium mode %s missing (%s): %s", m, path, installHint)
		}
		// -z on every stage; $1=-g marks unknown words (* for a word the
		// analyser does not know, # for one the generator cannot inflect):
		// the translator fills and counts them (see marks.go).
		out, err := exec.Command("apertium-wblank-mode", "-z", path).Output()
		if err != nil {
			return "", fmt.Errorf("apertium-wblank-mode %s: %v: %s", m, err, installHint)
		}
		leg := strings.TrimSpace(string(out))
		leg = strings.NewReplacer("$1", "-g", "$2", "").Replace(leg)
		legs = append(legs, leg)
	}
	return strings.Join(legs, " | "), nil
}

// installHint is appended to every "apertium is missing" error.
const installHint = "install it with apt-get install -y apertium apertium-fr-es apertium-eng-spa"

// errPipeDead means the Apertium processes exited or broke the protocol; the
// worker starts a new pipe for its next request.
var errPipeDead = errors.New("apertium pipe died")

// pipe is one long-lived fr-es | spa-eng process pair. It serves one request
// at a time: a request is a list of segments, each sent as escaped stream
// format followed by NUL, and answered by exactly one NUL-terminated output.
type pipe struct {
	procs  []*exec.Cmd
	stdin  io.WriteCloser
	stdout *os.File
	out    *bufio.Reader
	stderr *lockedBuffer
	once   sync.Once
}

// startPipe starts the pivot pipeline in its own shell.
func startPipe(shell string) (*pipe, error) {
	stderr := &lockedBuffer{}
	cmd := exec.Command("/bin/sh", "-c", shell)
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = outW
	if err := cmd.Start(); err != nil {
		outR.Close()
		outW.Close()
		return nil, fmt.Errorf("start apertium: %w", err)
	}
	// The shell holds its own copy; ours would keep the pipe open after the
	// pipeline dies and hide that from the reader.
	outW.Close()
	return &pipe{procs: []*exec.Cmd{cmd}, stdin: stdin, stdout: outR, out: bufio.NewReaderSize(outR, 64<<10), stderr: stderr}, nil
}

// do sends segments and returns one output per segment. On any error the
// pipe must be closed: its state is unknown. Cancelling ctx kills the pipe
// so that do returns promptly.
func (p *pipe) do(ctx context.Context, segments []string) ([]string, error) {
	stop := context.AfterFunc(ctx, func() { p.close() })
	defer stop()

	werr := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(p.stdin, 64<<10)
		for _, s := range segments {
			if _, err := w.WriteString(s); err != nil {
				werr <- err
				return
			}
			if err := w.WriteByte(0); err != nil {
				werr <- err
				return
			}
		}
		werr <- w.Flush()
	}()

	outs := make([]string, 0, len(segments))
	for range segments {
		s, err := p.out.ReadString(0)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("%w: %v%s", errPipeDead, err, p.stderr.tail())
		}
		outs = append(outs, strings.TrimSuffix(s, "\x00"))
	}
	if err := <-werr; err != nil {
		return nil, fmt.Errorf("%w: write: %v%s", errPipeDead, err, p.stderr.tail())
	}
	return outs, nil
}

// close kills both legs and releases the pipes; safe to call twice and
// from two goroutines.
func (p *pipe) close() { p.once.Do(p.kill) }

// shutdown ends an idle pipe the polite way: its input closed, the legs
// exit on EOF and are reaped (their CPU time then counts as this
// process's children's, which the offline benchmark reads), killed after
// a grace period if they do not.
func (p *pipe) shutdown(grace time.Duration) {
	p.once.Do(func() {
		p.stdin.Close()
		done := make(chan struct{})
		go func() {
			for _, c := range p.procs {
				c.Wait()
			}
			close(done)
		}()
		select {
		case <-done:
			p.stdout.Close()
		case <-time.After(grace):
			p.kill()
		}
	})
}

func (p *pipe) kill() {
	p.stdin.Close()
	p.stdout.Close()
	for _, c := range p.procs {
		if c.Process != nil {
			c.Process.Kill()
		}
	}
	// Reap in the background: the mode scripts' own children exit on EOF.
	procs := p.procs
	p.procs = nil
	go func() {
		for _, c := range procs {
			c.Wait()
		}
	}()
}

// lockedBuffer keeps the last few KB of the legs' stderr for error messages.
type lockedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > 4096 {
		b.buf = b.buf[len(b.buf)-4096:]
	}
	return len(p), nil
}

func (b *lockedBuffer) tail() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := strings.TrimSpace(string(b.buf))
	if s == "" {
		return ""
	}
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return " (apertium: " + s + ")"
}

// Available reports whether the pivot can run: for command "apertium" (or
// ""), that Apertium and both modes are installed and translate a word.
func Available(command string) error {
	if command == "" {
		command = "apertium"
	}
	shell, err := pivotCommand(command)
	if err != nil {
		return err
	}
	p, err := startPipe(shell)
	if err != nil {
		return err
	}
	defer p.close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := p.do(ctx, []string{"la maison[]"})
	if err != nil {
		return fmt.Errorf("apertium fr-es | spa-eng does not run: %v; %s", err, installHint)
	}
	if command == "apertium" && !strings.Contains(strings.ToLower(out[0]), "house") {
		return fmt.Errorf("apertium fr-es | spa-eng translated %q as %q; %s", "la maison", out[0], installHint)
	}
	return nil
}

var ligatures = map[rune]string{'œ': "oe", 'Œ': "Oe", 'æ': "ae", 'Æ': "Ae"}

// escape writes French text in Apertium stream format: the format's
// reserved characters are backslash-escaped, and those that upset the
// analysers even escaped go into superblanks.
func escape(b *strings.Builder, s string) {
	for _, r := range s {
		switch {
		case strings.ContainsRune(`\[]^$/@<>`, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '{' || r == '}' || r == '~' || r == '|' || r == '*' || r == '#':
			// * and # also in superblanks, where they cannot be taken for
			// the legs' unknown-word marks
			b.WriteString("[\\")
			b.WriteRune(r)
			b.WriteByte(']')
		case r < 0x20 && r != '\n' && r != '\t' || r == 0x7f:
			b.WriteByte(' ')
		case r == 'œ' || r == 'Œ' || r == 'æ' || r == 'Æ':
			// fr-es knows "soeur", not "sœur"
			b.WriteString(ligatures[r])
		default:
			b.WriteRune(r)
		}
	}
}

// A request is one NUL-flushed unit: flushing after every paragraph
// serialises the stages and halves throughput, so paragraphs are joined
// with numbered superblanks, which Apertium passes through in order.
func joinSegments(streams []string) string {
	var b strings.Builder
	for i, s := range streams {
		if i > 0 {
			fmt.Fprintf(&b, "[<dp%d>]", i)
		}
		b.WriteString(s)
	}
	return b.String()
}

// splitOutput cuts a joined answer at its paragraph markers; ok is false
// unless exactly n pieces came back with their markers in order.
func splitOutput(out string, n int) (parts []string, ok bool) {
	start, esc := 0, false
	for i := 0; i < len(out); i++ {
		switch c := out[i]; {
		case esc:
			esc = false
		case c == '\\':
			esc = true
		case c == '[':
			end := strings.IndexByte(out[i:], ']')
			if end < 0 {
				return nil, false
			}
			var k int
			if _, err := fmt.Sscanf(out[i:i+end+1], "[<dp%d>]", &k); err == nil {
				if k != len(parts)+1 {
					return nil, false
				}
				parts = append(parts, out[start:i])
				start = i + end + 1
			}
			i += end
		}
	}
	parts = append(parts, out[start:])
	return parts, len(parts) == n
}
