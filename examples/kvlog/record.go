package kvlog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// Record layout: a fixed header, then the key, then the value.
const (
	headerSize = 16 // magic, crc32, key length, value length

	// recordMagic starts every record. Recovery looks for it when it
	// resynchronises after a corrupt record.
	recordMagic = 0x314c564b // "KVL1", little-endian

	// MaxKeyLen and MaxValueLen bound a record. Recovery also uses them to
	// tell a torn or garbage header from a real one.
	MaxKeyLen   = 1 << 10
	MaxValueLen = 1 << 20
)

var (
	// ErrCorrupt is matched by every error about a record that does not
	// decode: a missing magic, impossible lengths, a checksum mismatch, a
	// key that is not the one the index promised.
	ErrCorrupt = errors.New("kvlog: corrupt record")
	// ErrBadKey rejects an empty key or one longer than MaxKeyLen.
	ErrBadKey = errors.New("kvlog: key must have 1 to MaxKeyLen bytes")
	// ErrValueTooLong rejects a value longer than MaxValueLen.
	ErrValueTooLong = errors.New("kvlog: value longer than MaxValueLen")
)

// header is the decoded fixed part of a record.
type header struct {
	sum      uint32
	keyLen   uint32
	valueLen uint32
}

// bodySize is how many bytes follow the header.
func (h header) bodySize() int { return int(h.keyLen) + int(h.valueLen) }

// validate checks a key and a value before they are encoded.
func validate(key, value []byte) error {
	if len(key) == 0 || len(key) > MaxKeyLen {
		return ErrBadKey
	}
	if len(value) > MaxValueLen {
		return ErrValueTooLong
	}
	return nil
}

// checksum is the record checksum: IEEE CRC-32 over the record's offset
// (8 bytes, little-endian, not stored), the two lengths, the key and the
// value. Binding the offset in makes a record valid only where it was
// written, so a value that happens to contain an encoded record cannot pass
// for one when recovery scans for the next record.
func checksum(off int64, lens, body []byte) uint32 {
	var o [8]byte
	binary.LittleEndian.PutUint64(o[:], uint64(off))
	sum := crc32.ChecksumIEEE(o[:])
	sum = crc32.Update(sum, crc32.IEEETable, lens)
	return crc32.Update(sum, crc32.IEEETable, body)
}

// encodeRecord returns the bytes of one record to be written at off. The
// key and value must have passed validate.
func encodeRecord(key, value []byte, off int64) []byte {
	rec := make([]byte, headerSize+len(key)+len(value))
	binary.LittleEndian.PutUint32(rec[0:], recordMagic)
	binary.LittleEndian.PutUint32(rec[8:], uint32(len(key)))
	binary.LittleEndian.PutUint32(rec[12:], uint32(len(value)))
	copy(rec[headerSize:], key)
	copy(rec[headerSize+len(key):], value)
	binary.LittleEndian.PutUint32(rec[4:], checksum(off, rec[8:16], rec[headerSize:]))
	return rec
}

// parseHeader decodes a header and rejects one without the magic or with
// lengths no Put could have written (an empty key included, which also
// rules out a zeroed header).
func parseHeader(b []byte, off int64) (header, error) {
	if m := binary.LittleEndian.Uint32(b[0:]); m != recordMagic {
		return header{}, fmt.Errorf("%w at offset %d: magic %#x", ErrCorrupt, off, m)
	}
	h := header{
		sum:      binary.LittleEndian.Uint32(b[4:]),
		keyLen:   binary.LittleEndian.Uint32(b[8:]),
		valueLen: binary.LittleEndian.Uint32(b[12:]),
	}
	if h.keyLen == 0 || h.keyLen > MaxKeyLen || h.valueLen > MaxValueLen {
		return header{}, fmt.Errorf("%w at offset %d: key length %d, value length %d", ErrCorrupt, off, h.keyLen, h.valueLen)
	}
	return h, nil
}

// checkBody verifies the body of the record at off against its header's
// checksum and splits it into key and value (sub-slices of body).
func checkBody(h header, body []byte, off int64) (key, value []byte, err error) {
	if len(body) != h.bodySize() {
		return nil, nil, fmt.Errorf("%w at offset %d: body of %d bytes, header says %d", ErrCorrupt, off, len(body), h.bodySize())
	}
	var lens [8]byte
	binary.LittleEndian.PutUint32(lens[0:], h.keyLen)
	binary.LittleEndian.PutUint32(lens[4:], h.valueLen)
	if sum := checksum(off, lens[:], body); sum != h.sum {
		return nil, nil, fmt.Errorf("%w at offset %d: checksum %#x, header says %#x", ErrCorrupt, off, sum, h.sum)
	}
	return body[:h.keyLen], body[h.keyLen:], nil
}

// decodeRecord decodes one whole record read from off.
func decodeRecord(rec []byte, off int64) (key, value []byte, err error) {
	if len(rec) < headerSize {
		return nil, nil, fmt.Errorf("%w at offset %d: %d bytes, shorter than a header", ErrCorrupt, off, len(rec))
	}
	h, err := parseHeader(rec, off)
	if err != nil {
		return nil, nil, err
	}
	return checkBody(h, rec[headerSize:], off)
}

// nextRecord returns the position in b of the first record that decodes
// completely inside b, given that b was read from the file at base, or -1.
// Recovery uses it to resynchronise after a corrupt record.
func nextRecord(b []byte, base int64) int {
	for p := 0; p+headerSize <= len(b); p++ {
		if binary.LittleEndian.Uint32(b[p:]) != recordMagic {
			continue
		}
		h, err := parseHeader(b[p:], base+int64(p))
		if err != nil || p+headerSize+h.bodySize() > len(b) {
			continue
		}
		if _, _, err := checkBody(h, b[p+headerSize:p+headerSize+h.bodySize()], base+int64(p)); err == nil {
			return p
		}
	}
	return -1
}
