package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLockOnePerFolder(t *testing.T) {
	dir := t.TempDir()
	a, note, err := Lock(context.Background(), dir, LockOptions{Command: "depeche run seeds"})
	if err != nil || note != "" {
		t.Fatalf("first lock: %v, note %q", err, note)
	}
	_, _, err = Lock(context.Background(), dir, LockOptions{Command: "depeche translate"})
	var le *LockedError
	if !errors.As(err, &le) || le.Holder.PID != os.Getpid() || !strings.Contains(err.Error(), "depeche run seeds") ||
		!strings.Contains(err.Error(), "--wait") {
		t.Fatalf("second lock: %v; want a LockedError naming the holder", err)
	}
	if err := a.Release(); err != nil {
		t.Fatal(err)
	}
	b, note, err := Lock(context.Background(), dir, LockOptions{})
	if err != nil || note != "" {
		t.Fatalf("after release: %v, note %q (a clean release leaves no holder)", err, note)
	}
	b.Release()
}

// A holder that died without releasing (kill -9) left its line in the
// file; the kernel dropped its lock, so the next run takes over, saying so.
func TestLockStaleTakenOver(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, LockName), []byte(`{"pid": 4194304, "started": "2026-01-02T03:04:05Z", "command": "depeche run big"}`), 0o644)
	l, note, err := Lock(context.Background(), dir, LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if !strings.Contains(note, "took over the lock") || !strings.Contains(note, "pid 4194304") || !strings.Contains(note, "depeche run big") {
		t.Errorf("note %q", note)
	}
}

func TestLockWaits(t *testing.T) {
	dir := t.TempDir()
	a, _, err := Lock(context.Background(), dir, LockOptions{Command: "first"})
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan Holder, 1)
	got := make(chan error, 1)
	go func() {
		b, _, err := Lock(context.Background(), dir, LockOptions{Wait: true, Waiting: func(h Holder) { waiting <- h }})
		if err == nil {
			b.Release()
		}
		got <- err
	}()
	select {
	case h := <-waiting:
		if h.Command != "first" {
			t.Errorf("waiting for %+v", h)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second Lock neither waited nor said so")
	}
	select {
	case err := <-got:
		t.Fatalf("the second Lock returned (%v) while the first held the folder", err)
	case <-time.After(3 * pollEvery):
	}
	a.Release()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second Lock did not take the folder once released")
	}
	// waiting ends with the context too
	a, _, _ = Lock(context.Background(), dir, LockOptions{})
	defer a.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 2*pollEvery)
	defer cancel()
	if _, _, err := Lock(ctx, dir, LockOptions{Wait: true}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled wait: %v", err)
	}
}
