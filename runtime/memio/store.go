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
//
// Besides the live bytes, a node keeps what the crash model needs (see the
// package doc, "Crash model"): the synced image, the operations since the
// last sync that took effect, and the syncs that are still in flight.
type node struct {
	mu   sync.Mutex
	data []byte

	synced []byte        // the durable image: what survives any crash
	ops    []unsyncedOp  // writes and truncates not yet covered by a sync, in order
	next   uint64        // sequence number of the next operation
	syncs  []pendingSync // tracked syncs not settled yet, in submission order
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
		n = &node{synced: []byte{}}
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
// The new contents count as synced: a crash keeps them.
func (s *Store) SetBytes(path string, b []byte) {
	n, _ := s.lookup(path, true)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.data = slices.Clone(b)
	n.synced = slices.Clone(n.data)
	if n.synced == nil {
		n.synced = []byte{}
	}
	n.ops, n.syncs = nil, nil
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
// The write is unsynced until a tracked sync submitted after it succeeds.
func (n *node) writeAt(buf []byte, off int64) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.settle()
	n.ops = append(n.ops, unsyncedOp{seq: n.next, off: off, data: slices.Clone(buf)})
	n.next++
	n.data = applyWrite(n.data, buf, off)
	return len(buf)
}

// truncate sets the file size, cutting bytes off or zero-filling. Like a
// write, it is unsynced until a tracked sync covers it.
func (n *node) truncate(size int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.settle()
	n.ops = append(n.ops, unsyncedOp{seq: n.next, truncate: true, off: size})
	n.next++
	n.data = applyTruncate(n.data, size)
}

// applyWrite writes buf at off into data, growing it with zero bytes, and
// returns the (possibly reallocated) slice.
func applyWrite(data, buf []byte, off int64) []byte {
	end := off + int64(len(buf))
	if end > int64(len(data)) {
		data = append(data, make([]byte, end-int64(len(data)))...)
	}
	copy(data[off:end], buf)
	return data
}

// applyTruncate cuts data to size or zero-fills it up to size.
func applyTruncate(data []byte, size int64) []byte {
	if size <= int64(len(data)) {
		return data[:size:size]
	}
	return append(data, make([]byte, size-int64(len(data)))...)
}

// size returns the file size.
func (n *node) size() int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return int64(len(n.data))
}
