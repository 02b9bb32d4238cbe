// Package engine is the corpus's substrate: the small storage-engine parts
// (a page cache, a record cursor, a log appender) that the other corpus
// packages build their operations on. They are correct resumable functions
// in their own right, labelled and checked like the rest of the corpus.
//
// Files hold pages of PageSize bytes; a page holds RecsPerPage records,
// each a little-endian uint64.
package engine

import (
	"encoding/binary"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
)

// Page geometry.
const (
	PageSize    = 64
	RecSize     = 8
	RecsPerPage = PageSize / RecSize
)

// Fill writes pages pages of records to path in store: record i holds
// base+i.
func Fill(store *memio.Store, path string, pages int, base uint64) {
	b := make([]byte, pages*PageSize)
	for i := 0; i < pages*RecsPerPage; i++ {
		binary.LittleEndian.PutUint64(b[i*RecSize:], base+uint64(i))
	}
	store.SetBytes(path, b)
}

// Rec decodes record slot of page.
func Rec(page []byte, slot int) uint64 {
	return binary.LittleEndian.Uint64(page[slot*RecSize:])
}
