package mutants

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Each operator on a small source: the sites it finds and the mutated
// source of the first one.
var opCases = []struct {
	op   string
	src  string
	want []string // the mutated sources, one per site
}{
	{op: "hoist-mutation", src: `package p

func (s *S) Resume() (rt.IOResult[int], error) {
	r, err := s.sub.Resume()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.n++
	return rt.Done(r.Value()), nil
}
`, want: []string{
		`
package p

func (s *S) Resume() (rt.IOResult[int], error) {
	s.n++
	r, err := s.sub.Resume()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}
`,
	}},
	{op: "early-transition", src: `package p

func (s *S) Resume() (rt.IOResult[int], error) {
	for {
		switch s.state {
		case 0:
			c, err := s.f.WriteAt(s.buf, 0, rt.NewWrite(nil))
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			s.c, s.state = c, 1
			return rt.Wait[int](c), nil
		default:
			return rt.Done(0), nil
		}
	}
}
`, want: []string{
		`
package p

func (s *S) Resume() (rt.IOResult[int], error) {
	for {
		switch s.state {
		case 0:
			s.state = 1
			c, err := s.f.WriteAt(s.buf, 0, rt.NewWrite(nil))
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			s.c = c
			return rt.Wait[int](c), nil
		default:
			return rt.Done(0), nil
		}
	}
}
`,
	}},
	{op: "drop-io", src: `package p

func (s *S) Resume() (rt.IOResult[int], error) {
	r, err := s.sub.Resume()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}
`, want: []string{
		`
package p

func (s *S) Resume() (rt.IOResult[int], error) {
	r, err := s.sub.Resume()
	_, _ = err, r
	return rt.Done(r.Value()), nil
}
`,
	}},
	{op: "half-test", src: `package p

func (s *S) Resume() (rt.IOResult[int], error) {
	r, err := s.sub.Resume()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}
`, want: []string{
		`
package p

func (s *S) Resume() (rt.IOResult[int], error) {
	r, err := s.sub.Resume()
	if err != nil {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}
`,
	}},
	{op: "second-call", src: `package p

func (s *S) Resume() (rt.IOResult[int], error) {
	for {
		switch s.state {
		case 0:
			r, err := s.a.Resume()
			if err != nil || r.IsIO() {
				return rt.Forward[int](r, err)
			}
			s.state = 1
		case 1:
			r, err := s.b.Resume()
			if err != nil || r.IsIO() {
				return rt.Forward[int](r, err)
			}
			s.state = 2
		default:
			return rt.Done(0), nil
		}
	}
}
`, want: []string{
		`
package p

func (s *S) Resume() (rt.IOResult[int], error) {
	for {
		switch s.state {
		case 0:
			r, err := s.a.Resume()
			if err != nil || r.IsIO() {
				return rt.Forward[int](r, err)
			}

			{
				r, err := s.b.Resume()
				if err != nil || r.IsIO() {
					return rt.Forward[int](r, err)
				}
				s.state = 2
			}

		case 1:
			r, err := s.b.Resume()
			if err != nil || r.IsIO() {
				return rt.Forward[int](r, err)
			}
			s.state = 2
		default:
			return rt.Done(0), nil
		}
	}
}
`,
	}},
	{op: "copy-update", src: `package p

type S struct {
	cur  cursor
	st   stats
	sub  sub
	next *S
	log  *Log
}

type cursor struct{ n int }
type stats struct{ n int }
type sub struct{ state int }
type Log struct{ n int }

func (s *S) Resume() (rt.IOResult[int], error) {
	cur := &s.cur
	s.st.count(1)
	s.st.n++
	s.next.st.n++
	l := s.log
	l.n++
	r, err := s.sub.Resume()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(cur.n), nil
}
`, want: []string{
		`
package p

type S struct {
	cur  cursor
	st   stats
	sub  sub
	next *S
	log  *Log
}

type cursor struct{ n int }
type stats struct{ n int }
type sub struct{ state int }
type Log struct{ n int }

func (s *S) Resume() (rt.IOResult[int], error) {
	mutantCopy := s.cur
	cur := &mutantCopy
	s.st.count(1)
	s.st.n++
	s.next.st.n++
	l := s.log
	l.n++
	r, err := s.sub.Resume()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(cur.n), nil
}
`,
		`
package p

type S struct {
	cur  cursor
	st   stats
	sub  sub
	next *S
	log  *Log
}

type cursor struct{ n int }
type stats struct{ n int }
type sub struct{ state int }
type Log struct{ n int }

func (s *S) Resume() (rt.IOResult[int], error) {
	cur := &s.cur
	{
		mutantCopy := s.st
		mutantCopy.count(1)
	}
	s.st.n++
	s.next.st.n++
	l := s.log
	l.n++
	r, err := s.sub.Resume()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(cur.n), nil
}
`,
		`
package p

type S struct {
	cur  cursor
	st   stats
	sub  sub
	next *S
	log  *Log
}

type cursor struct{ n int }
type stats struct{ n int }
type sub struct{ state int }
type Log struct{ n int }

func (s *S) Resume() (rt.IOResult[int], error) {
	cur := &s.cur
	s.st.count(1)
	{
		mutantCopy := s.st
		mutantCopy.n++
	}
	s.next.st.n++
	l := s.log
	l.n++
	r, err := s.sub.Resume()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(cur.n), nil
}
`,
		`
package p

type S struct {
	cur  cursor
	st   stats
	sub  sub
	next *S
	log  *Log
}

type cursor struct{ n int }
type stats struct{ n int }
type sub struct{ state int }
type Log struct{ n int }

func (s *S) Resume() (rt.IOResult[int], error) {
	cur := &s.cur
	s.st.count(1)
	s.st.n++
	s.next.st.n++
	mutantCopy := *s.log
	l := &mutantCopy
	l.n++
	r, err := s.sub.Resume()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(cur.n), nil
}
`,
		`
package p

type S struct {
	cur  cursor
	st   stats
	sub  sub
	next *S
	log  *Log
}

type cursor struct{ n int }
type stats struct{ n int }
type sub struct{ state int }
type Log struct{ n int }

func (s *S) Resume() (rt.IOResult[int], error) {
	cur := &s.cur
	s.st.count(1)
	s.st.n++
	s.next.st.n++
	l := s.log
	l.n++
	mutantCopy := s.sub
	r, err := mutantCopy.Resume()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(cur.n), nil
}
`,
	}},
	{op: "rebuild-group", src: `package p

func (s *S) Resume() (rt.IOResult[int], error) {
	if s.g == nil {
		g := rt.NewGroup(nil)
		g.Add(s.c)
		s.g = g.Build()
	}
	if !s.g.Finished() {
		return rt.Wait[int](s.g), nil
	}
	return rt.Done(0), nil
}
`, want: []string{
		`
package p

func (s *S) Resume() (rt.IOResult[int], error) {
	{
		g := rt.NewGroup(nil)
		g.Add(s.c)
		s.g = g.Build()
	}
	if !s.g.Finished() {
		return rt.Wait[int](s.g), nil
	}
	return rt.Done(0), nil
}
`,
	}},
}

func TestOperators(t *testing.T) {
	require.Len(t, opCases, len(Operators), "one case per operator")
	for _, c := range opCases {
		t.Run(c.op, func(t *testing.T) {
			op, ok := OperatorByName(c.op)
			require.True(t, ok)
			ms, err := Generate(op, "x.go", []byte(c.src))
			require.NoError(t, err)
			require.Len(t, ms, len(c.want))
			for i, m := range ms {
				require.Equal(t, c.op, m.Op)
				require.Equal(t, "S.Resume", m.Func)
				require.Equal(t, strings.TrimLeft(c.want[i], "\n"), string(m.Src))
			}
		})
	}
}

// Functions that do not return an IO result are left alone.
func TestOnlyResumables(t *testing.T) {
	src := `package p

func (s *S) helper() error {
	r, err := s.sub.Resume()
	if err != nil || r.IsIO() {
		return err
	}
	s.n++
	return nil
}
`
	for _, op := range Operators {
		ms, err := Generate(op, "x.go", []byte(src))
		require.NoError(t, err)
		require.Empty(t, ms, op.Name)
	}
}
