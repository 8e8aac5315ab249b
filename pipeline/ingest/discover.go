package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// Skip is a source file left out on purpose, with the reason: a special
// file, a link leading outside the input folders, a second link to a file
// already found.
type Skip struct {
	Path, Reason string
}

// Found is what Discover found under the roots.
type Found struct {
	Files    []File
	Skipped  []Skip
	Problems []Problem
	// Notes say which folders were left out whole: depeche's own output
	// folders, which would be read back as articles.
	Notes []string
}

// Options shape Discover.
type Options struct {
	// Exclude lists folders left out silently (the run's own output).
	Exclude []string
	// FollowSymlinks reads links that lead outside every root; off, each is
	// a Skip (follow_symlinks).
	FollowSymlinks bool
}

// extensions Discover picks up, lower-case.
var extensions = map[string]bool{".txt": true, ".md": true, ".markdown": true, ".html": true, ".htm": true}

// IsSource reports whether a file name has an extension depeche reads.
func IsSource(name string) bool { return extensions[strings.ToLower(filepath.Ext(name))] }

// Discover lists the source files under roots (files or folders, walked
// recursively), in a stable order: by Rel, then by root order. What the
// user named is read; what a folder holds is read when it is what the user
// meant:
//   - hidden files and folders, and the folders in opt.Exclude, are left out;
//   - a folder holding depeche's manifest.json is an earlier run's output,
//     left out with a note;
//   - a link is followed when it leads inside a root, else skipped with
//     the reason unless opt.FollowSymlinks; a link back to a folder being
//     walked is a symlink loop;
//   - a file reached twice (two links, or a root inside another) is one
//     file, found under its own name rather than a link's when it can be,
//     and the other path is skipped saying so;
//   - named pipes, sockets and devices are skipped, never opened: opening a
//     pipe would wait for a writer forever.
//
// Files named directly as roots are taken whatever their extension. A root
// that does not exist is an error; anything unreadable below a root is a
// Problem.
func Discover(ctx context.Context, roots []string, opt Options) (Found, error) {
	w := walker{ctx: ctx, exclude: map[string]bool{}, follow: opt.FollowSymlinks}
	for _, e := range opt.Exclude {
		if a, err := filepath.Abs(e); err == nil {
			w.exclude[a] = true
			if r, err := filepath.EvalSymlinks(a); err == nil {
				w.exclude[r] = true
			}
		}
	}
	for _, root := range roots {
		if real, err := realPath(root); err == nil {
			w.roots = append(w.roots, real)
		}
	}
	for i, root := range roots {
		st, err := os.Stat(root)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return Found{}, fmt.Errorf("input %s does not exist", root)
			}
			return Found{}, fmt.Errorf("input %s: %w", root, err)
		}
		w.root = i
		if !st.IsDir() {
			w.add(root, filepath.Base(root), st, false)
			continue
		}
		if err := w.walk(root, "", nil); err != nil {
			return Found{}, err
		}
	}
	return w.found(), nil
}

// candidate is a file the walk reached, before duplicates are settled.
type candidate struct {
	File
	root int
	real string // resolved path: what makes two paths one file
	link bool   // reached through a symlink (to it, or to a folder above it)
}

type walker struct {
	ctx     context.Context
	exclude map[string]bool
	roots   []string // real paths of the roots
	follow  bool
	root    int // index of the root being walked

	cands    []candidate
	skipped  []Skip
	problems []Problem
	notes    []string
}

// walk lists dir; ancestors holds the real paths of the folders above it,
// which is how a symlink loop is told from a link to a sibling folder.
func (w *walker) walk(dir, rel string, ancestors []string) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	real, err := realPath(dir)
	if err != nil {
		w.problems = append(w.problems, Problem{dir, fmt.Errorf("%s: %w", dir, err)})
		return nil
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
	if isOutputFolder(dir) {
		w.notes = append(w.notes, fmt.Sprintf("%s holds depeche's manifest.json: an earlier run's output, not articles; left out", dir))
		return nil
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
		link := typ&fs.ModeSymlink != 0
		var info fs.FileInfo
		if link {
			info, err = os.Stat(path)
			if err != nil {
				if isLoop(err) {
					err = errors.New("symlink loop")
				}
				w.problems = append(w.problems, Problem{path, fmt.Errorf("%s: %w", path, unwrapPath(err))})
				continue
			}
			typ = info.Mode().Type()
			if !typ.IsDir() && !IsSource(name) {
				continue
			}
			if target, err := realPath(path); err == nil && !w.follow && !w.inside(target) {
				w.skipped = append(w.skipped, Skip{path, fmt.Sprintf("a link to %s, outside the input folders: not read (set follow_symlinks: true to read it)", target)})
				continue
			}
		}
		if typ.IsDir() {
			if err := w.walk(path, r, ancestors); err != nil {
				return err
			}
			continue
		}
		if !IsSource(name) {
			continue
		}
		if info == nil {
			if info, err = e.Info(); err != nil {
				w.problems = append(w.problems, Problem{path, fmt.Errorf("%s: %w", path, unwrapPath(err))})
				continue
			}
		}
		w.add(path, r, info, link)
	}
	return nil
}

// add records a file reached at path, or skips it when it is not a
// regular file.
func (w *walker) add(path, rel string, info fs.FileInfo, link bool) {
	if kind := special(info.Mode()); kind != "" {
		w.skipped = append(w.skipped, Skip{path, fmt.Sprintf("not a regular file (%s): never opened", kind)})
		return
	}
	real, err := realPath(path)
	if err != nil {
		real = path
	}
	if abs, err := filepath.Abs(path); err == nil && abs != real {
		link = true // reached through a linked folder
	}
	w.cands = append(w.cands, candidate{File{Path: path, Rel: rel, Size: info.Size()}, w.root, real, link})
}

// found settles duplicates and sorts.
func (w *walker) found() Found {
	// one candidate per real file: its own name over a link's, then the
	// first reached
	chosen := map[string]int{}
	for i, c := range w.cands {
		j, ok := chosen[c.real]
		if !ok || (w.cands[j].link && !c.link) {
			chosen[c.real] = i
		}
	}
	f := Found{Skipped: w.skipped, Problems: w.problems, Notes: w.notes}
	var keep []candidate
	for i, c := range w.cands {
		first := w.cands[chosen[c.real]]
		if chosen[c.real] != i {
			f.Skipped = append(f.Skipped, Skip{c.Path, fmt.Sprintf("the same file as %s: read once", first.Path)})
			continue
		}
		keep = append(keep, c)
	}
	sort.SliceStable(keep, func(a, b int) bool {
		if keep[a].Rel != keep[b].Rel {
			return keep[a].Rel < keep[b].Rel
		}
		return keep[a].root < keep[b].root
	})
	for _, c := range keep {
		f.Files = append(f.Files, c.File)
	}
	sort.SliceStable(f.Skipped, func(a, b int) bool { return f.Skipped[a].Path < f.Skipped[b].Path })
	sort.SliceStable(f.Problems, func(a, b int) bool { return f.Problems[a].Path < f.Problems[b].Path })
	return f
}

// inside reports whether a real path lies in one of the roots.
func (w *walker) inside(real string) bool {
	for _, r := range w.roots {
		if real == r || strings.HasPrefix(real, r+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// special names the kind of a file that is not regular, or "".
func special(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return ""
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	case m.IsDir():
		return "folder"
	}
	return "special file"
}

// isOutputFolder reports whether dir is a depeche output folder: it holds
// a manifest.json that depeche wrote (its "tool" names depeche).
func isOutputFolder(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	// the tool field comes first; no need to read a big manifest whole
	b, _ := io.ReadAll(io.LimitReader(f, 4096))
	var m struct {
		Tool string `json:"tool"`
	}
	if json.Unmarshal(b, &m) != nil {
		// cut mid-document: look for the field itself
		return strings.Contains(string(b), `"tool": "depeche`)
	}
	return strings.HasPrefix(m.Tool, "depeche")
}

// realPath is the absolute path with every link resolved.
func realPath(p string) (string, error) {
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	return filepath.Abs(r)
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
