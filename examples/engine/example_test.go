package engine_test

import (
	"context"
	"fmt"

	"github.com/reentrycheck/reentrycheck/examples/engine"
	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Open, recover, write, checkpoint, read and scan, each operation driven to
// its end by rt.Block on the deferring memory backend (every I/O a yield).
func Example() {
	ctx := context.Background()
	io := memio.TrackSyncs(memio.NewDeferring())
	db, err := engine.Open(io, engine.Options{})
	if err != nil {
		panic(err)
	}
	if _, err := rt.Block(ctx, io, db.Recover().Resume); err != nil {
		panic(err)
	}
	for _, kv := range [][2]string{{"b", "2"}, {"a", "1"}, {"c", "3"}} {
		if _, err := rt.Block(ctx, io, db.Put([]byte(kv[0]), []byte(kv[1])).Resume); err != nil {
			panic(err)
		}
	}
	seq, err := rt.Block(ctx, io, db.Checkpoint().Resume)
	fmt.Println("checkpoint", seq, err)
	if _, err := rt.Block(ctx, io, db.Put([]byte("a"), []byte("one")).Resume); err != nil {
		panic(err)
	}
	v, err := rt.Block(ctx, io, db.Get([]byte("a")).Resume)
	fmt.Println("a =", string(v), err)
	pairs, err := rt.Block(ctx, io, db.Scan(nil, 10).Resume)
	for _, p := range pairs {
		fmt.Printf("%s=%s ", p.Key, p.Value)
	}
	fmt.Println(err)
	// Output:
	// checkpoint 1 <nil>
	// a = one <nil>
	// a=one b=2 c=3 <nil>
}
