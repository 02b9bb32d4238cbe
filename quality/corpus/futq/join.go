package futq

// Both is the result of a join.
type Both[A, B any] struct {
	A A
	B B
}

// Join polls two futures concurrently and is ready when both are; it keeps
// the result of the one that finished first while it waits for the other.
type Join[A, B any] struct {
	FA    Future[A]
	FB    Future[B]
	a     A
	b     B
	aDone bool
	bDone bool
}

// PollRepoll joins the two futures.
//
// quality: bug C2 both sides are polled on every poll: when one is ready and the other is not, the re-poll polls the ready one again after it returned Ready
func (j *Join[A, B]) PollRepoll(cx *Context) Poll[Both[A, B]] {
	p := j.FA.Poll(cx)
	q := j.FB.Poll(cx)
	if !p.IsReady() || !q.IsReady() {
		// Bug: a side that was ready is polled again by the re-poll.
		return Pending[Both[A, B]]()
	}
	return Ready(Both[A, B]{p.Value(), q.Value()})
}

// Poll joins the two futures.
//
// quality: ok C2 each side's result is kept in the join once it is ready, and that side is not polled again; the join is pending while either side is
func (j *Join[A, B]) Poll(cx *Context) Poll[Both[A, B]] {
	if !j.aDone {
		if p := j.FA.Poll(cx); p.IsReady() {
			j.a, j.aDone = p.Value(), true
		}
	}
	if !j.bDone {
		if q := j.FB.Poll(cx); q.IsReady() {
			j.b, j.bDone = q.Value(), true
		}
	}
	if !j.aDone || !j.bDone {
		// Re-entrancy: a side still pending is re-polled; a finished one
		// is skipped by its done flag, its result kept.
		return Pending[Both[A, B]]()
	}
	return Ready(Both[A, B]{j.a, j.b})
}

// Seq awaits futures one after the other and keeps their results.
type Seq[T any] struct {
	Futs []Future[T]
	Out  []T
	next int
}

// NewSeq returns a sequence of futs.
func NewSeq[T any](futs ...Future[T]) *Seq[T] {
	return &Seq[T]{Futs: futs, Out: make([]T, len(futs))}
}

// PollLocal awaits the futures in order.
//
// quality: bug C4 the index of the future awaited is a local: the re-poll starts again at the first future, which already returned Ready
func (f *Seq[T]) PollLocal(cx *Context) Poll[[]T] {
	for i := 0; i < len(f.Futs); i++ {
		p := f.Futs[i].Poll(cx)
		if !p.IsReady() {
			// Bug: i is lost; the re-poll polls f.Futs[0] again.
			return Pending[[]T]()
		}
		f.Out[i] = p.Value()
	}
	return Ready(f.Out)
}

// Poll awaits the futures in order.
//
// quality: ok C4 the index of the future awaited is kept in the Seq: the re-poll resumes at the unfinished future, and the finished ones are not polled again
func (f *Seq[T]) Poll(cx *Context) Poll[[]T] {
	for f.next < len(f.Futs) {
		p := f.Futs[f.next].Poll(cx)
		if !p.IsReady() {
			// Re-entrancy: f.next is the unfinished future; the re-poll
			// polls it again.
			return Pending[[]T]()
		}
		f.Out[f.next] = p.Value()
		f.next++
	}
	return Ready(f.Out)
}
