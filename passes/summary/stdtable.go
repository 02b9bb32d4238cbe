package summary

import "github.com/reentrycheck/reentrycheck/passes/internal/effect"

// stdEffects describes the standard-library functions and methods that
// mutate what their callers pass them. The standard library is never
// analysed (that would cost an SSA build of every std dependency); anything
// not listed here is taken to leave its arguments alone. Indexes count the
// receiver as 0 for methods. Sorting is absent on purpose: sorting twice
// yields the same order, so it is idempotent.
var stdEffects = map[string]effect.Summary{}

func init() {
	clobberRecv := effect.Summary{Clobber: effect.Bits(0).With(0)}
	blindRecv := effect.Summary{Blind: effect.Bits(0).With(0)}
	clobberArg0 := effect.Summary{Clobber: effect.Bits(0).With(0)}
	add := func(s effect.Summary, what string, names ...string) {
		s.What = what
		s.OtherThanAcquires, s.OtherThanReleases = true, true // no reference counts here
		for _, n := range names {
			stdEffects[n] = s
		}
	}
	add(clobberRecv, "writes to the buffer",
		"bytes.Buffer.Write", "bytes.Buffer.WriteString", "bytes.Buffer.WriteByte", "bytes.Buffer.WriteRune",
		"bytes.Buffer.ReadFrom", "bytes.Buffer.Read", "bytes.Buffer.ReadByte", "bytes.Buffer.ReadRune",
		"bytes.Buffer.ReadBytes", "bytes.Buffer.ReadString", "bytes.Buffer.Next", "bytes.Buffer.WriteTo",
		"bytes.Buffer.UnreadByte", "bytes.Buffer.UnreadRune", "bytes.Buffer.Truncate",
		"strings.Builder.Write", "strings.Builder.WriteString", "strings.Builder.WriteByte", "strings.Builder.WriteRune",
		"bufio.Writer.Write", "bufio.Writer.WriteString", "bufio.Writer.WriteByte", "bufio.Writer.WriteRune",
		"bufio.Writer.ReadFrom", "bufio.Writer.Flush",
		"bufio.Reader.Read", "bufio.Reader.ReadByte", "bufio.Reader.ReadRune", "bufio.Reader.ReadBytes",
		"bufio.Reader.ReadString", "bufio.Reader.ReadLine", "bufio.Reader.ReadSlice", "bufio.Reader.Discard",
		"bufio.Reader.WriteTo", "bufio.Scanner.Scan",
		"io.Writer.Write", "io.StringWriter.WriteString", "io.ByteWriter.WriteByte", "io.Reader.Read",
		"io.ReaderFrom.ReadFrom", "io.WriterAt.WriteAt", "io.ReadWriter.Write", "io.ReadWriter.Read",
		"io.WriteCloser.Write", "io.ReadCloser.Read", "io.ReadWriteCloser.Write", "io.ReadWriteCloser.Read",
		"io.PipeWriter.Write", "io.PipeReader.Read",
		"hash.Hash.Write", "hash.Hash32.Write", "hash.Hash64.Write",
		"os.File.Write", "os.File.WriteString", "os.File.WriteAt", "os.File.Read", "os.File.ReadAt",
		"os.File.ReadFrom", "os.File.Truncate", "os.File.Seek",
		"net.Conn.Write", "net.Conn.Read",
	)
	add(effect.Summary{Empties: effect.Bits(0).With(0)}, "empties the buffer",
		"strings.Builder.Reset", "bytes.Buffer.Reset")
	add(clobberRecv, "changes the list",
		"container/list.List.PushBack", "container/list.List.PushFront", "container/list.List.PushBackList",
		"container/list.List.PushFrontList", "container/list.List.InsertBefore", "container/list.List.InsertAfter",
		"container/list.List.Remove", "container/list.List.MoveToFront", "container/list.List.MoveToBack",
		"container/list.List.MoveBefore", "container/list.List.MoveAfter",
		"container/ring.Ring.Link", "container/ring.Ring.Unlink",
	)
	add(clobberArg0, "changes the heap",
		"container/heap.Push", "container/heap.Pop", "container/heap.Remove")
	add(clobberArg0, "adds atomically",
		"sync/atomic.AddInt32", "sync/atomic.AddInt64", "sync/atomic.AddUint32", "sync/atomic.AddUint64",
		"sync/atomic.AddUintptr", "sync/atomic.SwapInt32", "sync/atomic.SwapInt64", "sync/atomic.SwapUint32",
		"sync/atomic.SwapUint64", "sync/atomic.SwapUintptr", "sync/atomic.SwapPointer",
		"sync/atomic.CompareAndSwapInt32", "sync/atomic.CompareAndSwapInt64", "sync/atomic.CompareAndSwapUint32",
		"sync/atomic.CompareAndSwapUint64", "sync/atomic.CompareAndSwapUintptr", "sync/atomic.CompareAndSwapPointer",
		"sync/atomic.AndInt32", "sync/atomic.AndInt64", "sync/atomic.AndUint32", "sync/atomic.AndUint64",
		"sync/atomic.OrInt32", "sync/atomic.OrInt64", "sync/atomic.OrUint32", "sync/atomic.OrUint64",
	)
	for _, typ := range []string{"Int32", "Int64", "Uint32", "Uint64", "Uintptr"} {
		add(clobberRecv, "adds atomically", "sync/atomic."+typ+".Add", "sync/atomic."+typ+".Swap",
			"sync/atomic."+typ+".CompareAndSwap", "sync/atomic."+typ+".And", "sync/atomic."+typ+".Or")
		add(blindRecv, "stores atomically", "sync/atomic."+typ+".Store")
	}
	add(clobberRecv, "swaps atomically", "sync/atomic.Bool.Swap", "sync/atomic.Bool.CompareAndSwap",
		"sync/atomic.Pointer.Swap", "sync/atomic.Pointer.CompareAndSwap", "sync/atomic.Value.Swap",
		"sync/atomic.Value.CompareAndSwap")
	add(blindRecv, "stores atomically", "sync/atomic.Bool.Store", "sync/atomic.Pointer.Store", "sync/atomic.Value.Store",
		"sync/atomic.StoreInt32", "sync/atomic.StoreInt64", "sync/atomic.StoreUint32", "sync/atomic.StoreUint64",
		"sync/atomic.StoreUintptr", "sync/atomic.StorePointer")
	add(clobberRecv, "changes the wait group", "sync.WaitGroup.Add", "sync.WaitGroup.Done", "sync.WaitGroup.Go")
	add(blindRecv, "stores into the map", "sync.Map.Store", "sync.Map.Delete", "sync.Map.LoadOrStore", "sync.Map.LoadAndDelete")
	add(clobberRecv, "swaps in the map", "sync.Map.Swap", "sync.Map.CompareAndSwap", "sync.Map.CompareAndDelete")
	add(clobberArg0, "writes to the writer", "fmt.Fprint", "fmt.Fprintf", "fmt.Fprintln", "io.WriteString",
		"io.Copy", "io.CopyN", "io.CopyBuffer", "encoding/binary.Write")
	add(effect.Summary{Clobber: effect.Bits(0).With(1)}, "reads from the reader", "io.ReadFull", "io.ReadAtLeast", "encoding/binary.Read")
	add(clobberArg0, "reverses the slice", "slices.Reverse")
	add(clobberRecv, "draws from the source", "math/rand.Rand.Int", "math/rand.Rand.Intn", "math/rand.Rand.Int63",
		"math/rand.Rand.Int63n", "math/rand.Rand.Uint64", "math/rand.Rand.Float64", "math/rand/v2.Rand.IntN",
		"math/rand/v2.Rand.Uint64", "math/rand/v2.Rand.Int", "math/rand/v2.Rand.Float64")
}
