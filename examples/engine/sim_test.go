package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
	"github.com/stretchr/testify/require"
)

// simSeeds is the number of seeds of TestSim: ENGINE_SEEDS overrides the
// default (ENGINE_SEEDS=10000 for a long run).
func simSeeds(t *testing.T) int {
	if s := os.Getenv("ENGINE_SEEDS"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(t, err)
		return n
	}
	if testing.Short() {
		return 10
	}
	return 60
}

// simTotals adds up what the runs exercised, so the test can insist that
// every mechanism was really reached.
type simTotals struct {
	acked, failed, abandoned, gets, checkpoints, crashes, restarts int
	groups, records, replayed, survivedUnacked, yields             int
	scans, maxDepth                                                int
}

// TestSim drives concurrent Puts, Gets and Checkpoints on the simulator
// (latency, faults on both channels, seeded injected yields and failures)
// and crashes the machine at a seeded point with the crash model of memio:
// unsynced writes vanish or tear; or the process restarts without a crash,
// leaving the bytes as they are, synced or not. Each time a new database
// recovers from what is left. Invariants, checked on every seed:
//
//   - no acknowledged Put is lost: after recovery every key holds its last
//     acknowledged value or a later one;
//   - nothing appears that was never logged, and no key appears twice in
//     the tree;
//   - reads see committed data: a Get returns a value at least as new as
//     the last one acknowledged before it started, and only a durable one;
//   - recovery never discards a valid synced record (the first invariant,
//     with recovery writing nothing to old WAL files).
func TestSim(t *testing.T) {
	var total simTotals
	n := simSeeds(t)
	for seed := uint64(1); seed <= uint64(n); seed++ {
		if err := simRun(t, seed, true, &total); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
	t.Logf("%d seeds: %+v", n, total)
	require.Positive(t, total.acked)
	require.Positive(t, total.failed)
	require.Positive(t, total.abandoned)
	require.Positive(t, total.checkpoints)
	require.Positive(t, total.crashes)
	require.Positive(t, total.restarts)
	require.Positive(t, total.scans)
	require.Positive(t, total.replayed)
	require.Positive(t, total.survivedUnacked)
	require.Greater(t, total.records, total.groups, "group commit: some groups carried several records")
	require.GreaterOrEqual(t, total.maxDepth, 3, "branches split too")
}

// candidate is a logged value of a key: it may be what a read or a
// recovery finds.
type candidate struct {
	value string
	lsn   uint64
}

// simModel is what the test knows about the database.
type simModel struct {
	// floor is, per key, the newest value known committed: the last
	// acknowledged one or what the last recovery found.
	floor map[string]candidate
	// logged holds, per key, every value appended to the WAL in this epoch
	// (acknowledged or not), and the floor.
	logged map[string][]candidate
}

func (m *simModel) isLogged(key, value string, minLSN uint64) (candidate, bool) {
	for _, c := range m.logged[key] {
		if c.value == value && c.lsn >= minLSN {
			return c, true
		}
	}
	return candidate{}, false
}

// simOp is one operation in flight.
type simOp struct {
	steps  int
	step   func() (rt.StepOutcome, error)
	finish func(err error) error
}

var simKeys = func() []string {
	keys := make([]string, 150)
	for i := range keys {
		keys[i] = fmt.Sprintf("key-%03d-%s", i, strings.Repeat("x", i*7%50)) // up to 58 bytes: branches split
	}
	return keys
}()

// TestSimNeedsSync shows that TestSim depends on syncs: the same runs on a
// backend whose syncs the crash model does not see (as with a Sync that
// does nothing) lose acknowledged Puts.
func TestSimNeedsSync(t *testing.T) {
	lost := 0
	for seed := uint64(1); seed <= 10; seed++ {
		if err := simRun(t, seed, false, &simTotals{}); err != nil {
			t.Logf("seed %d: %v", seed, err)
			lost++
		}
	}
	require.Positive(t, lost)
}

// simRun runs one seed; tracked false hides the syncs from the crash model.
func simRun(t *testing.T, seed uint64, tracked bool, total *simTotals) error {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	store := memio.NewStore()
	model := &simModel{floor: map[string]candidate{}, logged: map[string][]candidate{}}
	faultSyncs := seed%4 == 0
	for epoch := 0; ; epoch++ {
		cfg := sim.Config{Seed: seed*100 + uint64(epoch), Latency: 0.3, MaxDelay: 4, FaultSyncs: faultSyncs, Store: store}
		if rng.IntN(2) == 0 { // half the epochs run without I/O faults
			cfg.SubmitFaults, cfg.CompletionFaults = 0.01, 0.02
		}
		s := sim.New(cfg)
		var io rt.IO = s
		if tracked {
			io = memio.TrackSyncs(s)
		}
		inj := sim.NewSeeded(sim.SeededConfig{Seed: cfg.Seed, MaxYields: 6, MaxFailures: 1})
		db, err := Open(io, Options{CacheClean: 3 + rng.IntN(6), Inject: inj})
		require.NoError(t, err)
		for attempt := 0; ; attempt++ {
			require.Less(t, attempt, 100, "recovery never got through")
			_, err := rt.Block(ctx, io, db.Recover().Resume)
			if err == nil {
				break
			}
			if !sim.IsInjected(err) {
				return fmt.Errorf("epoch %d: recovery: %w", epoch, err)
			}
		}
		total.replayed += db.Stats().Replayed
		if err := checkRecovered(t, s, db, model, total); err != nil {
			return fmt.Errorf("epoch %d: %w", epoch, err)
		}
		if epoch == 3 {
			return nil
		}
		if err := simEpoch(ctx, rng, s, db, model, total); err != nil {
			return fmt.Errorf("epoch %d: %w", epoch, err)
		}
		st := db.Stats()
		total.groups += st.Groups
		total.records += st.Records
		total.checkpoints += st.Checkpoints
		y, _ := inj.Counts()
		total.yields += y
		if rng.IntN(3) == 0 {
			// A restart without a crash: the process goes away with its
			// I/O in flight, the bytes stay, synced or not.
			total.restarts++
			continue
		}
		total.crashes++
		store = store.Crash(rng)
	}
}

// simEpoch runs concurrent operations until a seeded crash point.
func simEpoch(ctx context.Context, rng *rand.Rand, s *sim.IO, db *DB, model *simModel, total *simTotals) error {
	slots := make([]*simOp, 2+rng.IntN(6))
	budget := 20 + rng.IntN(150)
	crashAt := 10 + rng.IntN(800)
	for tick := 0; tick < crashAt; tick++ {
		live := 0
		for i, o := range slots {
			if o == nil {
				if budget == 0 {
					continue
				}
				budget--
				o = newSimOp(rng, db, model, total)
				slots[i] = o
			}
			live++
			if rng.IntN(200) == 0 {
				slots[i] = nil // the client gives up: abandon it at its yield
				total.abandoned++
				continue
			}
			if o.steps++; o.steps > 5000 {
				return fmt.Errorf("an operation made no progress in %d steps (livelock)", o.steps)
			}
			out, err := o.step()
			switch out {
			case rt.StepDone:
				err = nil
				fallthrough
			case rt.StepError:
				slots[i] = nil
				if err := o.finish(err); err != nil {
					return err
				}
			}
		}
		if live == 0 {
			return nil
		}
		if err := s.Step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// expected reports whether err is one the simulation may produce: an
// injected fault, or the poisoned WAL after one.
func expected(err error) bool {
	return sim.IsInjected(err) || errors.Is(err, ErrPoisoned)
}

// newSimOp starts a Put (mostly), a Get or a Checkpoint.
func newSimOp(rng *rand.Rand, db *DB, model *simModel, total *simTotals) *simOp {
	key := simKeys[rng.IntN(len(simKeys))]
	switch r := rng.IntN(100); {
	case r < 60:
		value := fmt.Sprintf("v%d/%s", rng.Uint64(), make([]byte, rng.IntN(80)))
		p := db.Put([]byte(key), []byte(value))
		st := rt.NewStepper(p.Resume)
		logged := false
		return &simOp{
			step: func() (rt.StepOutcome, error) {
				out, err := st.Step()
				if !logged && p.LSN() != 0 {
					logged = true
					model.logged[key] = append(model.logged[key], candidate{value: value, lsn: p.LSN()})
				}
				return out, err
			},
			finish: func(err error) error {
				if err != nil {
					if !expected(err) {
						return fmt.Errorf("put %q: %w", key, err)
					}
					total.failed++
					return nil
				}
				if st.Result() != p.LSN() || p.LSN() > db.DurableLSN() {
					return fmt.Errorf("put %q acknowledged LSN %d, durable %d", key, st.Result(), db.DurableLSN())
				}
				if p.LSN() > model.floor[key].lsn {
					model.floor[key] = candidate{value: value, lsn: p.LSN()}
				}
				total.acked++
				return nil
			},
		}
	case r < 90:
		floor := model.floor[key]
		st := rt.NewStepper(db.Get([]byte(key)).Resume)
		return &simOp{
			step: st.Step,
			finish: func(err error) error {
				total.gets++
				switch {
				case errors.Is(err, ErrNotFound):
					if floor.lsn != 0 {
						return fmt.Errorf("get %q: not found, but %q was committed before it started", key, floor.value)
					}
					return nil
				case err != nil:
					if !expected(err) {
						return fmt.Errorf("get %q: %w", key, err)
					}
					return nil
				}
				c, ok := model.isLogged(key, string(st.Result()), floor.lsn)
				if !ok {
					return fmt.Errorf("get %q = %q: not a value logged at or after the committed %q", key, st.Result(), floor.value)
				}
				if c.lsn > db.DurableLSN() {
					return fmt.Errorf("get %q = %q: LSN %d is not durable (%d)", key, c.value, c.lsn, db.DurableLSN())
				}
				return nil
			},
		}
	case r < 95:
		floors := maps.Clone(model.floor)
		st := rt.NewStepper(db.Scan(nil, len(simKeys)).Resume)
		return &simOp{
			step: st.Step,
			finish: func(err error) error {
				total.scans++
				if err != nil {
					if !expected(err) {
						return fmt.Errorf("scan: %w", err)
					}
					return nil
				}
				seen := map[string]bool{}
				var last string
				for i, p := range st.Result() {
					k := string(p.Key)
					if i > 0 && k <= last {
						return fmt.Errorf("scan: %q after %q", k, last)
					}
					last, seen[k] = k, true
					c, ok := model.isLogged(k, string(p.Value), floors[k].lsn)
					if !ok || c.lsn > db.DurableLSN() {
						return fmt.Errorf("scan: %q = %q is not committed data at least as new as %q", k, p.Value, floors[k].value)
					}
				}
				for k, c := range floors {
					if c.lsn != 0 && !seen[k] {
						return fmt.Errorf("scan: committed key %q missing", k)
					}
				}
				return nil
			},
		}
	default:
		st := rt.NewStepper(db.Checkpoint().Resume)
		return &simOp{
			step: st.Step,
			finish: func(err error) error {
				if err != nil && !expected(err) {
					return fmt.Errorf("checkpoint: %w", err)
				}
				return nil
			},
		}
	}
}

// checkRecovered checks a freshly recovered database against the model
// and then resets the model to what was recovered, which is durable now.
func checkRecovered(t *testing.T, s *sim.IO, db *DB, model *simModel, total *simTotals) error {
	s.SetFaults(false)
	inj := db.inj
	db.inj = sim.Never
	defer func() { s.SetFaults(true); db.inj = inj }()
	if _, err := treeWalk(s, db); err != nil { // sorted, bounded, no key twice
		return fmt.Errorf("the tree: %w", err)
	}
	total.maxDepth = max(total.maxDepth, treeDepth(t, s, db))
	floor := map[string]candidate{}
	for _, key := range simKeys {
		v, err := get(s, db, key)
		want := model.floor[key]
		switch {
		case errors.Is(err, ErrNotFound):
			if want.lsn != 0 {
				return fmt.Errorf("acknowledged %q lost: not found", want.value)
			}
			continue
		case err != nil:
			return fmt.Errorf("get %q: %w", key, err)
		}
		c, ok := model.isLogged(key, v, want.lsn)
		if !ok {
			return fmt.Errorf("key %q = %q after recovery: neither the committed %q nor a later logged value", key, v, want.value)
		}
		if c.value != want.value {
			total.survivedUnacked++
		}
		floor[key] = c
	}
	model.floor = floor
	model.logged = map[string][]candidate{}
	for k, c := range floor {
		model.logged[k] = []candidate{c}
	}
	return nil
}

// treeDepth returns the number of levels of the tree.
func treeDepth(t *testing.T, io rt.IO, db *DB) int {
	depth := 0
	for id := db.pager.root; id != 0; depth++ {
		pg, err := readPageBlocking(io, db, id)
		require.NoError(t, err)
		if pg.leaf {
			return depth + 1
		}
		id = pg.kids[0]
	}
	return depth
}
