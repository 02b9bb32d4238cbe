package memio

import (
	"slices"
	"sort"
	"sync"
)

// Store is the byte store that in-memory backends share: one growable byte
// slice per path. Several backends (the synchronous IO, the deferring IO, the
// simulator) can sit on one Store, so a test can write through one and check
// the bytes through another, or compare stores after two runs.
//
// A Store is safe for concurrent use. Open handles keep their node after
// Remove, like an unlinked file on Unix: the handle still reads and writes the
// old bytes, and a new Open with OpenCreate starts a fresh, empty file.
type Store struct {
	mu    sync.Mutex
	files map[string]*node
}

// node is one file's bytes. Its own mutex lets handles on different files
// proceed independently of the Store's path table.
type node struct {
	mu   sync.Mutex
	data []byte
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{files: make(map[string]*node)}
}

// lookup returns the node at path, creating it when create is set.
func (s *Store) lookup(path string, create bool) (*node, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.files[path]
	if !ok && create {
		n = &node{}
		s.files[path] = n
		ok = true
	}
	return n, ok
}

// remove unlinks path; it reports whether the path existed.
func (s *Store) remove(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.files[path]
	delete(s.files, path)
	return ok
}

// Bytes returns a copy of the contents of path, and whether it exists.
func (s *Store) Bytes(path string) ([]byte, bool) {
	n, ok := s.lookup(path, false)
	if !ok {
		return nil, false
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.data), true
}

// SetBytes replaces the contents of path with a copy of b, creating the file
// if needed. Tests use it to prepare a file without going through a backend.
func (s *Store) SetBytes(path string, b []byte) {
	n, _ := s.lookup(path, true)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.data = slices.Clone(b)
}

// Paths returns the paths in the store, sorted.
func (s *Store) Paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	paths := make([]string, 0, len(s.files))
	for p := range s.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// Snapshot returns a copy of every file in the store, keyed by path. Two
// snapshots compare equal with reflect.DeepEqual exactly when the stores hold
// the same files with the same bytes (an empty file maps to an empty,
// non-nil slice).
func (s *Store) Snapshot() map[string][]byte {
	out := make(map[string][]byte)
	for _, p := range s.Paths() {
		if b, ok := s.Bytes(p); ok {
			if b == nil {
				b = []byte{}
			}
			out[p] = b
		}
	}
	return out
}

// readAt copies bytes at off into buf and returns how many it copied. A read
// that starts at or past the end copies nothing.
func (n *node) readAt(buf []byte, off int64) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	if off >= int64(len(n.data)) {
		return 0
	}
	return copy(buf, n.data[off:])
}

// writeAt copies buf to off, growing the file with zero bytes if needed.
func (n *node) writeAt(buf []byte, off int64) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	end := off + int64(len(buf))
	if end > int64(len(n.data)) {
		n.data = append(n.data, make([]byte, end-int64(len(n.data)))...)
	}
	return copy(n.data[off:end], buf)
}

// truncate sets the file size, cutting bytes off or zero-filling.
func (n *node) truncate(size int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if size <= int64(len(n.data)) {
		n.data = n.data[:size:size]
		return
	}
	n.data = append(n.data, make([]byte, size-int64(len(n.data)))...)
}

// size returns the file size.
func (n *node) size() int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return int64(len(n.data))
}
