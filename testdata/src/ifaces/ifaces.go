// Package ifaces: calls through interfaces, method values and closures.
package ifaces

import (
	"bytes"
	"io"
	"rt"
	"strings"
)

type Sink interface{ Put(v int) }

type memSink struct{ vals []int }

func (m *memSink) Put(v int) { m.vals = append(m.vals, v) }

type Op struct {
	sink Sink
	w    io.Writer
	buf  bytes.Buffer
	sb   strings.Builder
	cur  *rt.Cursor
	n    int
}

func (o *Op) Interface() (rt.IOResult[int], error) {
	o.sink.Put(1)         // want `calls o\.sink\.Put, which mutates o\.sink`
	o.w.Write(nil)        // want `calls o\.w\.Write, which mutates o\.w`
	o.buf.WriteString("") // want `calls o\.buf\.WriteString, which mutates o\.buf`
	o.sb.WriteByte('x')   // want `calls o\.sb\.WriteByte, which mutates o\.sb`
	r, err := o.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(o.buf.Len()), nil
}

func (o *Op) bump() { o.n++ }

func (o *Op) MethodValue() (rt.IOResult[int], error) {
	f := o.bump
	f() // a dynamic call: unknown callee, taken as effect-free
	func() { o.n++ }() // want `calls a closure that mutates o`
	r, err := o.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(o.n), nil
}

// An interface-typed re-pollable callee.
type Stepper interface {
	Step() (rt.IOResult[int], error)
}

type Driver struct {
	inner Stepper
	out   []int
}

func (d *Driver) Run() (rt.IOResult[int], error) {
	d.out = append(d.out, 0) // want `appends to d\.out before the yield`
	r, err := d.inner.Step()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}
