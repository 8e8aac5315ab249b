//go:build !unix

package store

import "os"

// Without flock the lock file still names the holder, but two runs are not
// kept apart: depeche's supported platforms are unix.
func tryLock(*os.File) (bool, error) { return true, nil }

func unlock(*os.File) {}
