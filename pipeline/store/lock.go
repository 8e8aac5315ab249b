package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// LockName is the lock file in an output folder. It is hidden, so no
// reader takes it for an output.
const LockName = ".depeche.lock"

// Holder is who holds an output folder, as written in its lock file.
type Holder struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	Command string    `json:"command"`
	Host    string    `json:"host,omitempty"`
}

func (h Holder) String() string {
	s := fmt.Sprintf("depeche pid %d", h.PID)
	if h.Host != "" {
		if me, _ := os.Hostname(); me != h.Host {
			s += " on " + h.Host
		}
	}
	if h.Command != "" {
		s += " (" + h.Command
		if !h.Started.IsZero() {
			s += ", started " + h.Started.Local().Format("2006-01-02 15:04:05")
		}
		s += ")"
	}
	return s
}

// LockedError is an output folder another run holds.
type LockedError struct {
	Dir    string
	Holder Holder
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("output folder %s is in use by %s: two runs on one folder would both pay for every file; wait for it to finish, or rerun with --wait", e.Dir, e.Holder)
}

// LockOptions shape Lock.
type LockOptions struct {
	Command string // what the holder is doing, for the message another run prints
	// Wait makes Lock wait for the holder to finish instead of failing;
	// Waiting is told once who is waited for.
	Wait    bool
	Waiting func(Holder)
}

// DirLock is a held output folder.
type DirLock struct {
	f *os.File
}

// pollEvery is how often a waiting Lock tries again.
const pollEvery = 250 * time.Millisecond

// Lock takes the output folder dir for this process, so that two runs
// never write (and pay for) the same outputs at once. The lock is the
// kernel's (flock on dir/.depeche.lock): it goes with the process however
// the process ends, so a folder is never left locked by a dead run. The
// file names the holder for whoever finds it taken; one left behind by a
// run that was killed is taken over, and the returned note says so.
func Lock(ctx context.Context, dir string, o LockOptions) (*DirLock, string, error) {
	path := filepath.Join(dir, LockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, "", fmt.Errorf("lock output folder %s: %w", dir, err)
	}
	told := false
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, "", fmt.Errorf("lock output folder %s: %w", dir, err)
		}
		if ok {
			break
		}
		h := readHolder(f)
		if !o.Wait {
			f.Close()
			return nil, "", &LockedError{Dir: dir, Holder: h}
		}
		if !told && o.Waiting != nil {
			o.Waiting(h)
			told = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, "", ctx.Err()
		case <-time.After(pollEvery):
		}
	}
	note := ""
	if h := readHolder(f); h.PID != 0 {
		note = fmt.Sprintf("took over the lock of %s from %s, which ended without releasing it", dir, h)
	}
	host, _ := os.Hostname()
	b, _ := json.Marshal(Holder{PID: os.Getpid(), Started: time.Now().UTC().Truncate(time.Second), Command: o.Command, Host: host})
	if err := rewrite(f, append(b, '\n')); err != nil {
		unlock(f)
		f.Close()
		return nil, "", fmt.Errorf("lock output folder %s: %w", dir, err)
	}
	return &DirLock{f: f}, note, nil
}

// Release gives the folder back. The file stays, empty (removing it would
// let a run that opened it before the removal lock a file nobody else
// sees): an empty lock file names no holder, so the next run takes it
// without a note.
func (l *DirLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := rewrite(l.f, nil)
	unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

func readHolder(f *os.File) Holder {
	var h Holder
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 4096))
	if err != nil && !errors.Is(err, io.EOF) {
		return h
	}
	_ = json.Unmarshal(b, &h)
	return h
}

func rewrite(f *os.File, b []byte) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(b, 0); err != nil {
		return err
	}
	return f.Sync()
}
