package engine

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/stretchr/testify/require"
)

// open opens and recovers a database on io.
func open(t testing.TB, io rt.IO, opts Options) *DB {
	t.Helper()
	db, err := Open(io, opts)
	require.NoError(t, err)
	_, err = rt.Block(context.Background(), io, db.Recover().Resume)
	require.NoError(t, err)
	return db
}

func put(t testing.TB, io rt.IO, db *DB, k, v string) uint64 {
	t.Helper()
	lsn, err := rt.Block(context.Background(), io, db.Put([]byte(k), []byte(v)).Resume)
	require.NoError(t, err)
	return lsn
}

func get(io rt.IO, db *DB, k string) (string, error) {
	v, err := rt.Block(context.Background(), io, db.Get([]byte(k)).Resume)
	return string(v), err
}

func checkpoint(t testing.TB, io rt.IO, db *DB) {
	t.Helper()
	_, err := rt.Block(context.Background(), io, db.Checkpoint().Resume)
	require.NoError(t, err)
}

// treeKeys walks the whole tree in key order, checking page invariants:
// sorted keys, separators bounding their children, no key twice.
func treeKeys(t testing.TB, io rt.IO, db *DB) map[string]string {
	t.Helper()
	out, err := treeWalk(io, db)
	require.NoError(t, err)
	return out
}

// treeWalk is treeKeys, returning the first violation as an error.
func treeWalk(io rt.IO, db *DB) (map[string]string, error) {
	out := map[string]string{}
	var last []byte
	var walk func(id uint32, lo, hi []byte) error
	walk = func(id uint32, lo, hi []byte) error {
		pg, err := readPageBlocking(io, db, id)
		if err != nil {
			return err
		}
		for i, k := range pg.keys {
			if lo != nil && string(k) < string(lo) || hi != nil && string(k) >= string(hi) {
				return fmt.Errorf("page %d: key %q outside its bounds [%q, %q)", id, k, lo, hi)
			}
			if pg.leaf {
				if last != nil && string(k) <= string(last) {
					return fmt.Errorf("page %d: keys out of order or twice: %q after %q", id, k, last)
				}
				last = k
				out[string(k)] = string(pg.vals[i])
			}
		}
		if pg.leaf {
			return nil
		}
		if len(pg.kids) != len(pg.keys)+1 {
			return fmt.Errorf("page %d: %d children for %d keys", id, len(pg.kids), len(pg.keys))
		}
		for i, kid := range pg.kids {
			clo, chi := lo, hi
			if i > 0 {
				clo = pg.keys[i-1]
			}
			if i < len(pg.keys) {
				chi = pg.keys[i]
			}
			if err := walk(kid, clo, chi); err != nil {
				return err
			}
		}
		return nil
	}
	if db.pager.root != 0 {
		if err := walk(db.pager.root, nil, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readPageBlocking reads one page through the pager, waiting for it.
func readPageBlocking(io rt.IO, db *DB, id uint32) (*page, error) {
	return rt.Block(context.Background(), io, func() (rt.IOResult[*page], error) { return db.pager.readPage(id) })
}

func TestPutGetCheckpointRecover(t *testing.T) {
	for _, name := range []string{"inline", "deferring"} {
		t.Run(name, func(t *testing.T) {
			store := memio.NewStore()
			newIO := func() rt.IO {
				if name == "inline" {
					return memio.TrackSyncs(memio.NewOn(store))
				}
				return memio.TrackSyncs(memio.NewDeferringOn(store))
			}
			io := newIO()
			db := open(t, io, Options{CacheClean: 4})
			want := map[string]string{}
			for i := range 300 {
				k, v := fmt.Sprintf("key%03d", (i*37)%150), fmt.Sprintf("value-%d", i)
				put(t, io, db, k, v)
				want[k] = v
				if i%70 == 69 {
					checkpoint(t, io, db)
				}
			}
			for k, v := range want {
				got, err := get(io, db, k)
				require.NoError(t, err)
				require.Equal(t, v, got)
			}
			_, err := get(io, db, "missing")
			require.ErrorIs(t, err, ErrNotFound)
			requireScan(t, io, db, want)
			require.Equal(t, 4, db.Stats().Checkpoints)

			// The tree holds what the checkpoints covered, sorted, once each.
			inTree := treeKeys(t, io, db)
			require.NotEmpty(t, inTree)
			require.Greater(t, db.pager.pageCount, uint32(10), "the tree grew beyond one page")

			// A restart replays the WAL written since the last checkpoint.
			checkpoint(t, io, db)
			put(t, io, db, "after", "checkpoint")
			want["after"] = "checkpoint"
			require.NoError(t, db.Close())
			io2 := newIO()
			db2 := open(t, io2, Options{})
			require.Equal(t, 1, db2.Stats().Replayed)
			require.Equal(t, len(want)-1, len(treeKeys(t, io2, db2)))
			for k, v := range want {
				got, err := get(io2, db2, k)
				require.NoError(t, err, k)
				require.Equal(t, v, got)
			}
			requireScan(t, io2, db2, want)
			// Only the generations after the last checkpoint are left.
			require.Equal(t, []string{DBPath, walPath(6), walPath(7)}, store.Paths())
		})
	}
}

// requireScan checks that scans return exactly want, in key order, from
// the start and from inside the range, across memtables and tree.
func requireScan(t *testing.T, io rt.IO, db *DB, want map[string]string) {
	t.Helper()
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	all, err := rt.Block(context.Background(), io, db.Scan(nil, len(keys)+10).Resume)
	require.NoError(t, err)
	require.Len(t, all, len(keys))
	for i, p := range all {
		require.Equal(t, keys[i], string(p.Key))
		require.Equal(t, want[keys[i]], string(p.Value))
	}
	mid := keys[len(keys)/2]
	part, err := rt.Block(context.Background(), io, db.Scan([]byte(mid), 5).Resume)
	require.NoError(t, err)
	require.Len(t, part, 5)
	require.Equal(t, mid, string(part[0].Key))
	require.Equal(t, keys[len(keys)/2+4], string(part[4].Key))
}
