package engine

import (
	"context"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/stretchr/testify/require"
)

func TestScanWALResynchronises(t *testing.T) {
	var file []byte
	add := func(lsn uint64, k, v string) {
		file = append(file, encodeWAL(walRecord{lsn: lsn, key: []byte(k), value: []byte(v)}, 7, int64(len(file)))...)
	}
	add(1, "a", "1")
	bad := len(file) + walHeader + 1
	add(2, "b", "2")
	add(3, "c", "3")
	embedded := encodeWAL(walRecord{lsn: 9, key: []byte("x"), value: []byte("fake")}, 7, 0)
	add(4, "d", string(embedded))
	add(5, "e", "5")
	file[bad] ^= 0xff // a flipped byte in record 2

	recs, corrupt := scanWAL(file, 7)
	var lsns []uint64
	for _, r := range recs {
		lsns = append(lsns, r.lsn)
	}
	require.Equal(t, []uint64{1, 3, 4, 5}, lsns, "only the damaged record is lost; the embedded one is not taken")
	require.Equal(t, 1, corrupt)

	recs, _ = scanWAL(file, 8)
	require.Empty(t, recs, "records of another generation never pass")

	torn := file[:len(file)-2]
	recs, corrupt = scanWAL(torn, 7)
	require.Len(t, recs, 3)
	require.Equal(t, 1, corrupt, "the torn tail is not counted as a skipped range")
}

// TestRecoveryUsesTheOtherMetaWhenOneIsTorn checkpoints twice, then tears
// the newer meta slot: recovery falls back to the older checkpoint, whose
// WAL generations are still there, and loses nothing.
func TestRecoveryUsesTheOtherMetaWhenOneIsTorn(t *testing.T) {
	store := memio.NewStore()
	io := memio.TrackSyncs(memio.NewDeferringOn(store))
	db := open(t, io, Options{})
	put(t, io, db, "a", "1")
	checkpoint(t, io, db)
	put(t, io, db, "b", "2")
	// Freeze and write the second checkpoint's pages and meta, but stop
	// before it syncs the meta and removes the WAL generation.
	ck := rt.NewStepper(db.Checkpoint().Resume)
	for db.ckpt.state != ckMetaWait {
		out, err := ck.Step()
		require.NoError(t, err)
		require.NotEqual(t, rt.StepDone, out)
		require.NoError(t, io.Step(context.Background()))
	}
	b, _ := store.Bytes(DBPath)
	slot := int(db.ckpt.newMeta.seq % 2)
	b[slot*PageSize+100] ^= 1 // the newer meta is torn
	store.SetBytes(DBPath, b)

	io2 := memio.TrackSyncs(memio.NewOn(store))
	db2 := open(t, io2, Options{})
	require.Equal(t, uint64(1), db2.meta.seq, "the older meta")
	for k, v := range map[string]string{"a": "1", "b": "2"} {
		got, err := get(io2, db2, k)
		require.NoError(t, err)
		require.Equal(t, v, got)
	}
}

// TestRestartTrustsOnlyADurableMeta restarts while a checkpoint's meta is
// written but not synced. Recovery takes that meta as the newest and
// removes the WAL generations it covers, so it must make it durable first:
// a crash afterwards that drops every unsynced write must lose nothing.
func TestRestartTrustsOnlyADurableMeta(t *testing.T) {
	store := memio.NewStore()
	io := memio.TrackSyncs(memio.NewDeferringOn(store))
	db := open(t, io, Options{})
	put(t, io, db, "a", "1")
	checkpoint(t, io, db)
	put(t, io, db, "b", "2")
	ck := rt.NewStepper(db.Checkpoint().Resume)
	for db.ckpt.state != ckMetaWait {
		out, err := ck.Step()
		require.NoError(t, err)
		require.NotEqual(t, rt.StepDone, out)
		require.NoError(t, io.Step(context.Background()))
	}
	// Restart: the meta is in the file, unsynced.
	io2 := memio.TrackSyncs(memio.NewOn(store))
	db2 := open(t, io2, Options{})
	require.Equal(t, uint64(2), db2.meta.seq, "the unsynced meta is the newest")
	require.NotContains(t, store.Paths(), walPath(2), "recovery removed the generation that meta covers")

	crashed := store.Crash(nil) // every unsynced write vanishes
	io3 := memio.TrackSyncs(memio.NewOn(crashed))
	db3 := open(t, io3, Options{})
	for k, v := range map[string]string{"a": "1", "b": "2"} {
		got, err := get(io3, db3, k)
		require.NoError(t, err, "key %q", k)
		require.Equal(t, v, got)
	}
}
