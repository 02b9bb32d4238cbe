package kvlog

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRecordRoundTrip(t *testing.T) {
	rec := encodeRecord([]byte("key"), []byte("value"), 0)
	require.Len(t, rec, headerSize+8)
	k, v, err := decodeRecord(rec, 0)
	require.NoError(t, err)
	require.Equal(t, "key", string(k))
	require.Equal(t, "value", string(v))

	empty := encodeRecord([]byte("k"), nil, 0)
	k, v, err = decodeRecord(empty, 0)
	require.NoError(t, err)
	require.Equal(t, "k", string(k))
	require.Empty(t, v)
}

func TestRecordCorruption(t *testing.T) {
	rec := encodeRecord([]byte("key"), []byte("value"), 7)
	_, _, err := decodeRecord(rec, 7)
	require.NoError(t, err)
	_, _, err = decodeRecord(rec, 8)
	require.ErrorIs(t, err, ErrCorrupt, "a record is valid only at the offset it was written for")
	for i := range rec {
		bad := append([]byte(nil), rec...)
		bad[i] ^= 0x40
		_, _, err := decodeRecord(bad, 7)
		require.ErrorIs(t, err, ErrCorrupt, "flipped byte %d", i)
	}
	_, _, err = decodeRecord(rec[:headerSize-1], 7)
	require.ErrorIs(t, err, ErrCorrupt)
	_, _, err = decodeRecord(rec[:len(rec)-1], 7)
	require.ErrorIs(t, err, ErrCorrupt)

	// A zeroed header is not a record: keys are never empty.
	_, err = parseHeader(make([]byte, headerSize), 0)
	require.ErrorIs(t, err, ErrCorrupt)
}

func TestValidate(t *testing.T) {
	require.ErrorIs(t, validate(nil, []byte("v")), ErrBadKey)
	require.ErrorIs(t, validate(make([]byte, MaxKeyLen+1), nil), ErrBadKey)
	require.ErrorIs(t, validate([]byte("k"), make([]byte, MaxValueLen+1)), ErrValueTooLong)
	require.NoError(t, validate(make([]byte, MaxKeyLen), make([]byte, MaxValueLen)))
}
