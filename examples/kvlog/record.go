package kvlog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// Record layout: a fixed header, then the key, then the value.
const (
	headerSize = 12 // crc32, key length, value length

	// MaxKeyLen and MaxValueLen bound a record. Recovery also uses them to
	// tell a torn or garbage header from a real one.
	MaxKeyLen   = 1 << 10
	MaxValueLen = 1 << 20
)

var (
	// ErrCorrupt is matched by every error about a record that does not
	// decode: impossible lengths, a checksum mismatch, a key that is not
	// the one the index promised.
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

// encodeRecord returns the bytes of one record. The key and value must
// have passed validate.
func encodeRecord(key, value []byte) []byte {
	rec := make([]byte, headerSize+len(key)+len(value))
	binary.LittleEndian.PutUint32(rec[4:], uint32(len(key)))
	binary.LittleEndian.PutUint32(rec[8:], uint32(len(value)))
	copy(rec[headerSize:], key)
	copy(rec[headerSize+len(key):], value)
	binary.LittleEndian.PutUint32(rec[0:], crc32.ChecksumIEEE(rec[4:]))
	return rec
}

// parseHeader decodes a header and rejects lengths no Put could have
// written (an empty key included, which also rules out a zeroed header).
func parseHeader(b []byte, off int64) (header, error) {
	h := header{
		sum:      binary.LittleEndian.Uint32(b[0:]),
		keyLen:   binary.LittleEndian.Uint32(b[4:]),
		valueLen: binary.LittleEndian.Uint32(b[8:]),
	}
	if h.keyLen == 0 || h.keyLen > MaxKeyLen || h.valueLen > MaxValueLen {
		return header{}, fmt.Errorf("%w at offset %d: key length %d, value length %d", ErrCorrupt, off, h.keyLen, h.valueLen)
	}
	return h, nil
}

// checkBody verifies a record body against its header's checksum and
// splits it into key and value (sub-slices of body).
func checkBody(h header, body []byte, off int64) (key, value []byte, err error) {
	if len(body) != h.bodySize() {
		return nil, nil, fmt.Errorf("%w at offset %d: body of %d bytes, header says %d", ErrCorrupt, off, len(body), h.bodySize())
	}
	var lens [8]byte
	binary.LittleEndian.PutUint32(lens[0:], h.keyLen)
	binary.LittleEndian.PutUint32(lens[4:], h.valueLen)
	sum := crc32.Update(crc32.ChecksumIEEE(lens[:]), crc32.IEEETable, body)
	if sum != h.sum {
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
