package qtest

import (
	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/reentrytest"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Open prepares the fixture an operation runs on (its files, a pager) on a
// run's backend and store.
type Open[F any] func(io rt.IO, store *memio.Store) (F, error)

// OnFixture checks the operation build makes on a fresh fixture with
// Verify: one fixture per run.
func OnFixture[F any, O ~func() (rt.IOResult[T], error), T any](open Open[F], opts reentrytest.Options, build func(F) (O, func() any)) func() Result {
	return func() Result {
		return Verify(opts, func(env reentrytest.Env) (reentrytest.Run[T], error) {
			fx, err := open(env.IO, env.Store)
			if err != nil {
				return reentrytest.Run[T]{}, err
			}
			o, snap := build(fx)
			return reentrytest.Run[T]{Op: o, Snapshot: snap}, nil
		})
	}
}

// LockCheck checks the operation build makes on a fresh fixture with
// LockAtYield.
func LockCheck[F any, O ~func() (rt.IOResult[T], error), T any](open Open[F], build func(F) (O, Locker)) func() Result {
	return func() Result {
		return LockAtYield(func(io rt.IO, store *memio.Store) (func() (rt.IOResult[T], error), Locker, error) {
			fx, err := open(io, store)
			if err != nil {
				return nil, nil, err
			}
			o, mu := build(fx)
			return o, mu, nil
		})
	}
}

// FailCheck checks the operation build makes on a fresh fixture with
// FailedIO.
func FailCheck[F any, O ~func() (rt.IOResult[T], error), T any](open Open[F], build func(F) (O, func() string)) func() Result {
	return func() Result {
		return FailedIO(func(io rt.IO, store *memio.Store) (func() (rt.IOResult[T], error), func() string, error) {
			fx, err := open(io, store)
			if err != nil {
				return nil, nil, err
			}
			o, claims := build(fx)
			return o, claims, nil
		})
	}
}
