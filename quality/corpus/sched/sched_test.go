package sched

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/quality/internal/qtest"
	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/reentrytest"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
)

var strict = reentrytest.Options{PollTolerant: true, RequireSettled: true}

type op[T any] func() (rt.IOResult[T], error)

func task(out rt.File, i int) *Task {
	return &Task{Out: out, Off: int64(i), Data: []byte{'a' + byte(i)}}
}

func tasks(out rt.File) []*Task { return []*Task{task(out, 0), task(out, 1), task(out, 2)} }

func taskVals(out rt.File) []Task {
	var ts []Task
	for _, t := range tasks(out) {
		ts = append(ts, *t)
	}
	return ts
}

func onOut[T any](opts reentrytest.Options, build func(out rt.File, inj sim.Injector) (op[T], func() any)) func() qtest.Result {
	return func() qtest.Result {
		return qtest.Verify(opts, func(env reentrytest.Env) (reentrytest.Run[T], error) {
			out, err := env.IO.Open("out", rt.OpenCreate)
			if err != nil {
				return reentrytest.Run[T]{}, err
			}
			o, snap := build(out, env.Inject)
			return reentrytest.Run[T]{Op: o, Snapshot: snap}, nil
		})
	}
}

// openOut opens the output file the scheduler's tasks write.
func openOut(io rt.IO, _ *memio.Store) (rt.File, error) { return io.Open("out", rt.OpenCreate) }

func lockCheck(build func(out rt.File) (op[int], qtest.Locker)) func() qtest.Result {
	return qtest.LockCheck(openOut, build)
}

func failCheck[T any](build func(out rt.File) (op[T], func() string)) func() qtest.Result {
	return qtest.FailCheck(openOut, build)
}

func TestLabels(t *testing.T) {
	qtest.Run(t, []qtest.Case{
		{Func: "Task.Step", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[bool], func() any) {
			tk := task(out, 3)
			return tk.Step, func() any { return tk.Ran }
		})},
		{Func: "RunQueue.Tick", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[int], func() any) {
			q := &RunQueue{Tasks: tasks(out)}
			return q.Tick, func() any { return q.Runs }
		})},
		{Func: "PopQueue.Tick", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[int], func() any) {
			q := &PopQueue{Tasks: tasks(out)}
			return q.Tick, func() any { return q.Runs }
		})},
		{Func: "CountingQueue.Tick", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[int], func() any) {
			q := &CountingQueue{Tasks: tasks(out)}
			return q.Tick, func() any { return q.Runs }
		})},
		{Func: "Batcher.Run", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[int], func() any) {
			b := &Batcher{Pending: tasks(out)}
			return b.Run, func() any { return b.Ran }
		})},
		{Func: "RestoringBatcher.Run", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[int], func() any) {
			b := &RestoringBatcher{Pending: tasks(out)}
			return b.Run, func() any { return b.Ran }
		})},
		{Func: "Ticker.Run", Check: onOut(strict, func(_ rt.File, inj sim.Injector) (op[int], func() any) {
			tk := &Ticker{Inj: inj, Target: 4}
			return tk.Run, func() any { return tk.Now }
		})},
		{Func: "Stats.Run", Check: onOut(strict, func(out rt.File, inj sim.Injector) (op[int], func() any) {
			s := &Stats{Inj: inj, Task: task(out, 0)}
			return s.Run, func() any { return s.Runs }
		})},
		{Func: "Hooked.Run", Check: onOut(strict, func(out rt.File, inj sim.Injector) (op[int], func() any) {
			s := &Hooked{Inj: inj, Task: task(out, 0)}
			return s.Run, func() any { return s.Runs }
		})},
		{Func: "Jobs.Start", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[bool], func() any) {
			j := NewJobs(out)
			return func() (rt.IOResult[bool], error) { return j.Start(5) }, func() any { return j.Done }
		})},
		{Func: "Slots.Run", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[int], func() any) {
			s := &Slots{Tasks: taskVals(out)}
			return s.Run, nil
		})},
		{Func: "DeferSlots.Run", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[int], func() any) {
			s := &DeferSlots{Tasks: taskVals(out)}
			return s.Run, nil
		})},
		{Func: "Pair.Run", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[int], func() any) {
			p := &Pair{A: task(out, 0), B: task(out, 1)}
			return p.Run, nil
		})},
		{Func: "PhasedPair.Run", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[int], func() any) {
			p := &PhasedPair{A: task(out, 0), B: task(out, 1)}
			return p.Run, nil
		})},
		{Func: "Launcher.Run", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[int], func() any) {
			l := &Launcher{T: task(out, 0)}
			return l.Run, func() any { return l.Count }
		})},
		{Func: "OrderedLauncher.Run", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[int], func() any) {
			l := &OrderedLauncher{T: task(out, 0)}
			return l.Run, func() any { return l.Count }
		})},
		{Func: "Sched.Run", Check: lockCheck(func(out rt.File) (op[int], qtest.Locker) {
			s := &Sched{T: task(out, 0)}
			return s.Run, s.Mutex()
		})},
		{Func: "HelperSched.Run", Check: qtest.Both(
			onOut(strict, func(out rt.File, _ sim.Injector) (op[int], func() any) {
				s := &HelperSched{T: task(out, 0)}
				return s.Run, func() any { return s.Runs }
			}),
			lockCheck(func(out rt.File) (op[int], qtest.Locker) {
				s := &HelperSched{T: task(out, 0)}
				return s.Run, s.Mutex()
			}))},
		{Func: "Timer.Run", Check: qtest.Both(
			onOut(strict, func(out rt.File, _ sim.Injector) (op[bool], func() any) {
				tm := &Timer{Out: out}
				return tm.Run, func() any { return tm.Synced }
			}),
			failCheck(func(out rt.File) (op[bool], func() string) {
				tm := &Timer{Out: out}
				return tm.Run, func() string { return claimIf(tm.Synced, "the file is marked synced") }
			}))},
		{Func: "FanIn.Run", Check: qtest.Both(
			onOut(strict, func(out rt.File, _ sim.Injector) (op[int32], func() any) {
				f := &FanIn{Out: out}
				return f.Run, func() any { return f.Landed.Load() }
			}),
			failCheck(func(out rt.File) (op[int32], func() string) {
				f := &FanIn{Out: out}
				return f.Run, func() string {
					return claimIf(f.Landed.Load()-f.Failed.Load() != 0 || f.Landed.Load() != 3, "writes counted as succeeded, or not counted")
				}
			}))},
		{Func: "Kick.Run", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[bool], func() any) {
			k := &Kick{T: task(out, 0)}
			return k.Run, func() any { return k.T.Ran }
		})},
		{Func: "Await.Run", Check: onOut(strict, func(out rt.File, _ sim.Injector) (op[bool], func() any) {
			k := &Await{T: task(out, 0)}
			return k.Run, func() any { return k.T.Ran }
		})},
	})
}

func claimIf(b bool, what string) string {
	if b {
		return what
	}
	return ""
}
