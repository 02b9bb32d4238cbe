package sim

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestNeverInjects(t *testing.T) {
	p := chunkBeforeWrite.Point()
	for range 10 {
		assert.False(t, Never.ShouldYield(p))
		assert.NoError(t, Never.ShouldFail(p))
	}
}

func TestFixedFiresExactlyAsArmed(t *testing.T) {
	a, b := chunkBeforeWrite.Point(), chunkBeforeSync.Point()
	custom := errors.New("disk on fire")
	f := NewFixed().YieldAt(a, 2).FailAt(b, custom).FailAt(a, nil)

	assert.True(t, f.ShouldYield(a))
	assert.False(t, f.ShouldYield(b))
	assert.True(t, f.ShouldYield(a))
	assert.False(t, f.ShouldYield(a), "armed yields are consumed")
	assert.Equal(t, []Point{a, a}, f.Fired())

	require.ErrorIs(t, f.ShouldFail(b), custom)
	assert.NoError(t, f.ShouldFail(b), "a failure fires once")
	err := f.ShouldFail(a)
	require.True(t, IsInjected(err))
	var pf *PointFault
	require.ErrorAs(t, err, &pf)
	assert.Equal(t, a, pf.Point)
	assert.Equal(t, "chunk#0", a.String())
}

func TestEverywhereYieldsAtEveryArrival(t *testing.T) {
	a, b := chunkBeforeWrite.Point(), chunkBeforeSync.Point()
	e := NewEverywhere()
	assert.True(t, e.ShouldYield(a))
	assert.True(t, e.TakeFired())
	assert.False(t, e.TakeFired())
	// The re-entry replays its prologue (b) on the way back to a: both pass.
	assert.False(t, e.ShouldYield(b))
	assert.False(t, e.ShouldYield(a))
	// The next arrival, at any point, yields again.
	assert.True(t, e.ShouldYield(a))
	assert.False(t, e.ShouldYield(a))
	assert.True(t, e.ShouldYield(b))
	// A new round forgets the pending way back.
	e.NewRound()
	assert.True(t, e.ShouldYield(a))
	assert.Equal(t, 4, e.Yields())
	assert.NoError(t, e.ShouldFail(a))
}

// TestSeededIsDeterministicAndFinite: the same seed answers the same query
// sequence the same way, and a subsystem yields at most MaxYields times in
// total, so an operation that polls one point forever still moves on.
func TestSeededIsDeterministicAndFinite(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		seed := rapid.Uint64().Draw(t, "seed")
		maxY := rapid.IntRange(0, 20).Draw(t, "maxYields")
		maxF := rapid.IntRange(0, 3).Draw(t, "maxFailures")
		queries := rapid.SliceOfN(rapid.IntRange(0, int(numChunkPoints)-1), 1, 200).Draw(t, "queries")
		run := func() ([]bool, []bool) {
			s := NewSeeded(SeededConfig{Seed: seed, MaxYields: maxY, MaxFailures: maxF})
			var ys, fs []bool
			for _, q := range queries {
				p := chunkPoint(q).Point()
				ys = append(ys, s.ShouldYield(p))
				fs = append(fs, s.ShouldFail(p) != nil)
			}
			y, f := s.Counts()
			count := func(bs []bool) int {
				n := 0
				for _, b := range bs {
					if b {
						n++
					}
				}
				return n
			}
			require.Equal(t, y, count(ys))
			require.Equal(t, f, count(fs))
			require.LessOrEqual(t, y, maxY)
			require.LessOrEqual(t, f, maxF)
			return ys, fs
		}
		y1, f1 := run()
		y2, f2 := run()
		require.Equal(t, y1, y2)
		require.Equal(t, f1, f2)
	})
}

func TestSeededDiffersAcrossSeeds(t *testing.T) {
	p := chunkBeforeWrite.Point()
	patterns := map[string]bool{}
	for seed := range uint64(20) {
		s := NewSeeded(SeededConfig{Seed: seed, MaxYields: 20})
		var pat []byte
		for range 30 {
			if s.ShouldYield(p) {
				pat = append(pat, 'y')
			} else {
				pat = append(pat, '.')
			}
		}
		patterns[string(pat)] = true
	}
	assert.Greater(t, len(patterns), 3, "seeds select different schedules")
}
