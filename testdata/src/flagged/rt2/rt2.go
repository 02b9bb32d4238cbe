// Package rt2 declares result types WITHOUT directives: the analyzer knows
// them only through the -ioresult, -done, -completion and -idempotent flags.
package rt2

type Result[T any] struct {
	v    T
	wait *Op
}

type Op struct{ done bool }

func Ready[T any](v T) Result[T] { return Result[T]{v: v} }

func Pending[T any](o *Op) Result[T] { return Result[T]{wait: o} }

func (r Result[T]) Pending() bool { return r.wait != nil }

func (r Result[T]) Get() T { return r.v }

type Store struct{ pos int }

func (s *Store) Fetch() (Result[int], error) { return Ready(s.pos), nil }

func (s *Store) Peek() (Result[int], error) { return Ready(s.pos), nil }

func (s *Store) Submit() *Op { return &Op{} }
