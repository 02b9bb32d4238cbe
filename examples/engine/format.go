package engine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
)

// Sizes and limits of the on-disk format (see the package doc).
const (
	PageSize    = 512 // bytes per page of the page file
	MaxKeyLen   = 64
	MaxValueLen = 128

	pageHeader  = 8  // checksum, kind, count, reserved
	leafEntry   = 12 // key length, value length, LSN
	branchEntry = 6  // key length, child
	metaHeader  = 42 // up to the free list
	maxFree     = (PageSize - metaHeader) / 4
	walHeader   = 20 // magic, checksum, LSN, key length, value length

	metaMagic = 0x31474e45 // "ENG1"
	walMagic  = 0x314c4157 // "WAL1"

	kindLeaf   = 1
	kindBranch = 2
)

var (
	// ErrCorrupt is matched by every error about bytes that do not decode.
	ErrCorrupt = errors.New("engine: corrupt data")
	// ErrBadKey rejects an empty key or one longer than MaxKeyLen.
	ErrBadKey = errors.New("engine: key must have 1 to MaxKeyLen bytes")
	// ErrValueTooLong rejects a value longer than MaxValueLen.
	ErrValueTooLong = errors.New("engine: value longer than MaxValueLen")
)

// validate checks a key and a value before they are logged.
func validate(key, value []byte) error {
	if len(key) == 0 || len(key) > MaxKeyLen {
		return ErrBadKey
	}
	if len(value) > MaxValueLen {
		return ErrValueTooLong
	}
	return nil
}

// sum is the checksum of the format: IEEE CRC-32 over a binding (the page
// id, or a WAL record's generation and offset) and then the bytes.
func sum(bind []byte, b []byte) uint32 {
	return crc32.Update(crc32.ChecksumIEEE(bind), crc32.IEEETable, b)
}

func bind32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func bind64(a, b uint64) []byte {
	return binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, a), b)
}

// page is a decoded B-tree node. A leaf holds sorted keys with their values
// and the LSN of the record that wrote each; a branch holds n separator keys
// and n+1 children: kids[i] covers keys below keys[i], kids[i+1] the keys
// from keys[i] on.
type page struct {
	id    uint32
	leaf  bool
	keys  [][]byte
	vals  [][]byte // leaf
	lsns  []uint64 // leaf
	kids  []uint32 // branch
	dirty bool     // changed since the last checkpoint; lives at a page no durable meta reaches
	used  uint64   // the pager's clock at the last use, for eviction
}

// size is the encoded size of the page.
func (p *page) size() int {
	n := pageHeader
	if !p.leaf {
		n += 4
	}
	for i, k := range p.keys {
		if p.leaf {
			n += leafEntry + len(k) + len(p.vals[i])
		} else {
			n += branchEntry + len(k)
		}
	}
	return n
}

// clone returns a deep copy of p under id.
func (p *page) clone(id uint32) *page {
	return &page{id: id, leaf: p.leaf, keys: slices.Clone(p.keys), vals: slices.Clone(p.vals), lsns: slices.Clone(p.lsns), kids: slices.Clone(p.kids)}
}

// search returns the position of key in a leaf, or where it would go.
func (p *page) search(key []byte) (int, bool) {
	return slices.BinarySearchFunc(p.keys, key, bytes.Compare)
}

// child returns the index of the child of a branch that covers key.
func (p *page) child(key []byte) int {
	i, found := slices.BinarySearchFunc(p.keys, key, bytes.Compare)
	if found {
		return i + 1
	}
	return i
}

// encode returns the page's bytes.
func (p *page) encode() []byte {
	b := make([]byte, PageSize)
	if p.leaf {
		b[4] = kindLeaf
	} else {
		b[4] = kindBranch
	}
	binary.LittleEndian.PutUint16(b[5:], uint16(len(p.keys)))
	at := pageHeader
	if !p.leaf {
		binary.LittleEndian.PutUint32(b[at:], p.kids[0])
		at += 4
	}
	for i, k := range p.keys {
		binary.LittleEndian.PutUint16(b[at:], uint16(len(k)))
		if p.leaf {
			binary.LittleEndian.PutUint16(b[at+2:], uint16(len(p.vals[i])))
			binary.LittleEndian.PutUint64(b[at+4:], p.lsns[i])
			at += leafEntry
			at += copy(b[at:], k)
			at += copy(b[at:], p.vals[i])
		} else {
			binary.LittleEndian.PutUint32(b[at+2:], p.kids[i+1])
			at += branchEntry
			at += copy(b[at:], k)
		}
	}
	binary.LittleEndian.PutUint32(b[0:], sum(bind32(p.id), b[4:]))
	return b
}

// checkPage verifies a page's checksum; it is the callback of page reads.
func checkPage(id uint32) func(buf []byte, n int, err error) error {
	return func(buf []byte, n int, err error) error {
		if err != nil {
			return err
		}
		if n != PageSize {
			return fmt.Errorf("%w: page %d: short read of %d bytes", ErrCorrupt, id, n)
		}
		if got, want := sum(bind32(id), buf[4:]), binary.LittleEndian.Uint32(buf); got != want {
			return fmt.Errorf("%w: page %d: checksum %#x, stored %#x", ErrCorrupt, id, got, want)
		}
		return nil
	}
}

// decodePage decodes a page whose checksum was verified.
func decodePage(id uint32, b []byte) (*page, error) {
	bad := func(what string) (*page, error) {
		return nil, fmt.Errorf("%w: page %d: %s", ErrCorrupt, id, what)
	}
	p := &page{id: id}
	switch b[4] {
	case kindLeaf:
		p.leaf = true
	case kindBranch:
	default:
		return bad("unknown kind")
	}
	n := int(binary.LittleEndian.Uint16(b[5:]))
	at := pageHeader
	if !p.leaf {
		p.kids = append(p.kids, binary.LittleEndian.Uint32(b[at:]))
		at += 4
	}
	entry := branchEntry
	if p.leaf {
		entry = leafEntry
	}
	for range n {
		if at+entry > len(b) {
			return bad("entries overrun the page")
		}
		kl := int(binary.LittleEndian.Uint16(b[at:]))
		if p.leaf {
			vl := int(binary.LittleEndian.Uint16(b[at+2:]))
			lsn := binary.LittleEndian.Uint64(b[at+4:])
			at += leafEntry
			if at+kl+vl > len(b) {
				return bad("entry overruns the page")
			}
			p.keys = append(p.keys, slices.Clone(b[at:at+kl]))
			p.vals = append(p.vals, slices.Clone(b[at+kl:at+kl+vl]))
			p.lsns = append(p.lsns, lsn)
			at += kl + vl
		} else {
			p.kids = append(p.kids, binary.LittleEndian.Uint32(b[at+2:]))
			at += branchEntry
			if at+kl > len(b) {
				return bad("key overruns the page")
			}
			p.keys = append(p.keys, slices.Clone(b[at:at+kl]))
			at += kl
		}
	}
	return p, nil
}

// meta is the checkpoint record, kept in two slots (pages 0 and 1) that
// checkpoints write in turn: seq says which is newer.
type meta struct {
	seq       uint64   // checkpoint number; 0: none yet
	root      uint32   // root page of the tree; 0: empty tree
	pageCount uint32   // pages in use or free: the next page allocated at the end
	ckptLSN   uint64   // every record up to this LSN is in the tree
	walGen    uint64   // the oldest WAL generation recovery must replay
	free      []uint32 // pages no tree of this checkpoint reaches
}

// encode returns the meta page for slot.
func (m meta) encode(slot uint32) []byte {
	b := make([]byte, PageSize)
	binary.LittleEndian.PutUint32(b[4:], metaMagic)
	binary.LittleEndian.PutUint64(b[8:], m.seq)
	binary.LittleEndian.PutUint32(b[16:], m.root)
	binary.LittleEndian.PutUint32(b[20:], m.pageCount)
	binary.LittleEndian.PutUint64(b[24:], m.ckptLSN)
	binary.LittleEndian.PutUint64(b[32:], m.walGen)
	free := m.free[:min(len(m.free), maxFree)]
	binary.LittleEndian.PutUint16(b[40:], uint16(len(free)))
	for i, id := range free {
		binary.LittleEndian.PutUint32(b[metaHeader+4*i:], id)
	}
	binary.LittleEndian.PutUint32(b[0:], sum(bind32(slot), b[4:]))
	return b
}

// decodeMeta decodes a meta slot; ok is false for anything but an intact
// meta page (a torn or never written slot).
func decodeMeta(slot uint32, b []byte) (meta, bool) {
	if len(b) != PageSize || binary.LittleEndian.Uint32(b[4:]) != metaMagic ||
		sum(bind32(slot), b[4:]) != binary.LittleEndian.Uint32(b) {
		return meta{}, false
	}
	m := meta{
		seq:       binary.LittleEndian.Uint64(b[8:]),
		root:      binary.LittleEndian.Uint32(b[16:]),
		pageCount: binary.LittleEndian.Uint32(b[20:]),
		ckptLSN:   binary.LittleEndian.Uint64(b[24:]),
		walGen:    binary.LittleEndian.Uint64(b[32:]),
	}
	n := int(binary.LittleEndian.Uint16(b[40:]))
	if n > maxFree {
		return meta{}, false
	}
	for i := range n {
		m.free = append(m.free, binary.LittleEndian.Uint32(b[metaHeader+4*i:]))
	}
	return m, true
}

// walRecord is one logged Put.
type walRecord struct {
	lsn        uint64
	key, value []byte
}

// encodeWAL returns the bytes of r written at off of WAL generation gen.
// The checksum binds the record to both, so a stale record of an earlier
// generation, or one embedded in a value, never passes for a live one.
func encodeWAL(r walRecord, gen uint64, off int64) []byte {
	b := make([]byte, walHeader+len(r.key)+len(r.value))
	binary.LittleEndian.PutUint32(b[0:], walMagic)
	binary.LittleEndian.PutUint64(b[8:], r.lsn)
	binary.LittleEndian.PutUint16(b[16:], uint16(len(r.key)))
	binary.LittleEndian.PutUint16(b[18:], uint16(len(r.value)))
	copy(b[walHeader:], r.key)
	copy(b[walHeader+len(r.key):], r.value)
	binary.LittleEndian.PutUint32(b[4:], sum(bind64(gen, uint64(off)), b[8:]))
	return b
}

// decodeWAL decodes the record at the start of b, read from off of
// generation gen, and returns it with its length.
func decodeWAL(b []byte, gen uint64, off int64) (walRecord, int, bool) {
	if len(b) < walHeader || binary.LittleEndian.Uint32(b) != walMagic {
		return walRecord{}, 0, false
	}
	kl, vl := int(binary.LittleEndian.Uint16(b[16:])), int(binary.LittleEndian.Uint16(b[18:]))
	n := walHeader + kl + vl
	if kl == 0 || kl > MaxKeyLen || vl > MaxValueLen || n > len(b) {
		return walRecord{}, 0, false
	}
	if sum(bind64(gen, uint64(off)), b[8:n]) != binary.LittleEndian.Uint32(b[4:]) {
		return walRecord{}, 0, false
	}
	return walRecord{
		lsn:   binary.LittleEndian.Uint64(b[8:]),
		key:   slices.Clone(b[walHeader : walHeader+kl]),
		value: slices.Clone(b[walHeader+kl : n]),
	}, n, true
}

// scanWAL returns the valid records of a WAL file of generation gen, in
// file order, and how many corrupt ranges it skipped. After a record that
// does not decode it resynchronises on the next offset where one does, so
// a damaged record never costs the valid records after it; a damaged tail
// simply yields nothing.
func scanWAL(b []byte, gen uint64) (recs []walRecord, corrupt int) {
	skipping := false
	for off := 0; off < len(b); {
		r, n, ok := decodeWAL(b[off:], gen, int64(off))
		if !ok {
			if !skipping {
				corrupt++
			}
			skipping = true
			off++
			continue
		}
		skipping = false
		recs = append(recs, r)
		off += n
	}
	if skipping {
		corrupt-- // the damaged tail is not a skipped range
	}
	return recs, corrupt
}
