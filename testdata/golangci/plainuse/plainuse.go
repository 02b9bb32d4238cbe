// Package plainuse has the bug of scan.Scan on top of plainrt. It is reported
// only when the settings declare plainrt's types.
package plainuse

import "example.com/sample/plainrt"

// Reader reads one value per completed I/O.
type Reader struct{ c *plainrt.Completion }

// Read is resumable once plainrt.Result is declared an ioresult.
func (r *Reader) Read() (plainrt.Result[int], error) { return plainrt.Wait[int](r.c), nil }

// Batch gathers values from a reader.
type Batch struct {
	r     *Reader
	items []int
}

// Fill appends before the yield.
func (b *Batch) Fill(v int) (plainrt.Result[int], error) {
	b.items = append(b.items, v)
	x, err := b.r.Read()
	if err != nil || x.IsIO() {
		return plainrt.Forward[int](x, err)
	}
	return plainrt.Done(x.Value()), nil
}
