package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// File is one source file found by Discover.
type File struct {
	Path string // as reached from the root (root joined with Rel)
	Rel  string // relative to its root; for a root that is a file, its base name
	Size int64
}

// Problem is a file or folder Discover could not look at. It is reported
// and the batch goes on without it.
type Problem struct {
	Path string
	Err  error
}

// extensions Discover picks up, lower-case.
var extensions = map[string]bool{".txt": true, ".md": true, ".markdown": true, ".html": true, ".htm": true}

// IsSource reports whether a file name has an extension depeche reads.
func IsSource(name string) bool { return extensions[strings.ToLower(filepath.Ext(name))] }

// Discover lists the source files under roots (files or folders, walked
// recursively), in a stable order: by Rel, then by root order. Hidden files
// and folders and the folders listed in exclude (absolute paths, e.g. the
// output folder) are skipped. Symlinks are followed; a link back to a
// folder being walked is reported as a symlink loop. Files named directly as
// roots are taken whatever their extension. A root that does not exist is
// an error; anything unreadable below a root is a Problem.
func Discover(ctx context.Context, roots []string, exclude []string) ([]File, []Problem, error) {
	ex := map[string]bool{}
	for _, e := range exclude {
		if a, err := filepath.Abs(e); err == nil {
			ex[a] = true
			if r, err := filepath.EvalSymlinks(a); err == nil {
				ex[r] = true
			}
		}
	}
	type found struct {
		File
		root int
	}
	var files []found
	var problems []Problem
	seen := map[string]bool{} // real paths of files, so two roots don't yield one file twice
	for i, root := range roots {
		st, err := os.Stat(root)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil, fmt.Errorf("input %s does not exist", root)
			}
			return nil, nil, fmt.Errorf("input %s: %w", root, err)
		}
		if !st.IsDir() {
			if real, err := filepath.EvalSymlinks(root); err == nil && !seen[real] {
				seen[real] = true
				files = append(files, found{File{Path: root, Rel: filepath.Base(root), Size: st.Size()}, i})
			}
			continue
		}
		w := walker{ctx: ctx, exclude: ex, seen: seen}
		if err := w.walk(root, "", nil); err != nil {
			return nil, nil, err
		}
		for _, f := range w.files {
			files = append(files, found{f, i})
		}
		problems = append(problems, w.problems...)
	}
	sort.SliceStable(files, func(a, b int) bool {
		if files[a].Rel != files[b].Rel {
			return files[a].Rel < files[b].Rel
		}
		return files[a].root < files[b].root
	})
	out := make([]File, len(files))
	for i, f := range files {
		out[i] = f.File
	}
	sort.SliceStable(problems, func(a, b int) bool { return problems[a].Path < problems[b].Path })
	return out, problems, nil
}

type walker struct {
	ctx      context.Context
	exclude  map[string]bool
	seen     map[string]bool
	files    []File
	problems []Problem
}

// walk lists dir; ancestors holds the real paths of the folders above it,
// which is how a symlink loop is told from a link to a sibling folder.
func (w *walker) walk(dir, rel string, ancestors []string) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		w.problems = append(w.problems, Problem{dir, fmt.Errorf("%s: %w", dir, err)})
		return nil
	}
	if abs, err := filepath.Abs(real); err == nil {
		real = abs
	}
	if w.exclude[real] {
		return nil
	}
	for _, a := range ancestors {
		if a == real {
			w.problems = append(w.problems, Problem{dir, fmt.Errorf("%s: symlink loop (leads back to %s)", dir, a)})
			return nil
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.problems = append(w.problems, Problem{dir, fmt.Errorf("cannot read folder %s: %w", dir, unwrapPath(err))})
		return nil
	}
	ancestors = append(ancestors, real)
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(dir, name)
		r := filepath.Join(rel, name)
		typ := e.Type()
		var info fs.FileInfo
		if typ&fs.ModeSymlink != 0 {
			info, err = os.Stat(path)
			if err != nil {
				if isLoop(err) {
					err = errors.New("symlink loop")
				}
				w.problems = append(w.problems, Problem{path, fmt.Errorf("%s: %w", path, unwrapPath(err))})
				continue
			}
			typ = info.Mode().Type()
		}
		if typ.IsDir() {
			if err := w.walk(path, r, ancestors); err != nil {
				return err
			}
			continue
		}
		if !typ.IsRegular() || !IsSource(name) {
			continue
		}
		if info == nil {
			if info, err = e.Info(); err != nil {
				w.problems = append(w.problems, Problem{path, fmt.Errorf("%s: %w", path, unwrapPath(err))})
				continue
			}
		}
		if rp, err := filepath.EvalSymlinks(path); err == nil {
			if w.seen[rp] {
				continue
			}
			w.seen[rp] = true
		}
		w.files = append(w.files, File{Path: path, Rel: r, Size: info.Size()})
	}
	return nil
}

// isLoop reports a symlink chain the kernel gave up on (ELOOP).
func isLoop(err error) bool {
	return strings.Contains(err.Error(), "too many levels of symbolic links")
}

// unwrapPath drops the *PathError wrapper, whose path the caller already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
