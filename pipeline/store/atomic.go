// Package store is where depeche touches the disk for keeps: atomic file
// writes, the content-addressed cache of accepted model results, and the
// lock that keeps one run per output folder. A reader never sees a
// half-written file, whatever kills the run.
package store

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically: a temporary file in the same
// folder is written, fsynced and renamed over path, then the folder is
// fsynced so the rename itself survives a crash.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	_, err := write(path, perm, false, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	return err
}

// WriteFunc is WriteFile for an output too big to hold in memory: fill
// streams the content into the temporary file. An existing file with the
// same content is left untouched (changed is false), so that rerunning a
// stage does not touch what it did not change.
func WriteFunc(path string, perm os.FileMode, fill func(io.Writer) error) (changed bool, err error) {
	return write(path, perm, true, fill)
}

func write(path string, perm os.FileMode, keepSame bool, fill func(io.Writer) error) (bool, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	fail := func(err error) (bool, error) {
		tmp.Close()
		os.Remove(name)
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	if err := fill(tmp); err != nil {
		return fail(err)
	}
	if keepSame && sameContent(tmp, path) {
		tmp.Close()
		os.Remove(name)
		return false, nil
	}
	if err := tmp.Chmod(perm); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	return true, syncDir(dir)
}

// sameContent tells whether the file at path holds what tmp was just
// written with, reading both a block at a time.
func sameContent(tmp *os.File, path string) bool {
	old, err := os.Open(path)
	if err != nil {
		return false
	}
	defer old.Close()
	a, errA := tmp.Stat()
	b, errB := old.Stat()
	if errA != nil || errB != nil || a.Size() != b.Size() || !b.Mode().IsRegular() {
		return false
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return false
	}
	bufA, bufB := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		n, errA := io.ReadFull(tmp, bufA)
		m, errB := io.ReadFull(old, bufB)
		if n != m || !bytes.Equal(bufA[:n], bufB[:m]) {
			return false
		}
		if errA != nil || errB != nil {
			return atEnd(errA) && atEnd(errB)
		}
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil // best effort: some filesystems refuse to open folders
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}

// atEnd tells a read that reached the end of the file from one that failed.
func atEnd(err error) bool { return err == io.EOF || err == io.ErrUnexpectedEOF }
