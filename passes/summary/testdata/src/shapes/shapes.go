// Package shapes holds the call-graph shapes the summary fixpoint must
// handle: helpers of helpers, recursion, unbounded pointer walks and
// interface dispatch. Each fact names the parameters written (receiver
// first).
package shapes

type N struct {
	next  *N
	child *N
	state int
	n     int
}

func finish(x *N) { // want finish:`^overwrites\(0\) moves\(0\.state=3\)$`
	x.state = 3
}

func advance(x *N) { // want advance:`^overwrites\(0\) moves\(0\.next\.state=3\)$`
	finish(x.next)
}

func bump(x *N) { // want bump:`^clobbers\(0\)$`
	x.n++
}

func bumpSecond(x, y *N) { // want bumpSecond:`^clobbers\(1\)$`
	bump(y)
}

func self(x *N, k int) { // want self:`^clobbers\(0\)$`
	if k > 0 {
		self(x, k-1)
	}
	x.n += k
}

func even(x *N, k int) { // want even:`^clobbers\(0\)$`
	if k > 0 {
		odd(x, k-1)
	}
}

func odd(x *N, k int) { // want odd:`^clobbers\(0\)$`
	x.n++
	if k > 0 {
		even(x, k-1)
	}
}

func walk(x *N) { // want walk:`^overwrites\(0\) moves\(0\.state=1\)$`
	x.state = 1
	walk(x.next)
}

func walkBoth(x *N) { // want walkBoth:`^overwrites\(0\) moves\(0\.state=1\)$`
	x.state = 1
	walkBoth(x.next)
	walkBoth(x.child)
}

type I interface{ Touch(x *N) }

type A struct{}

func (A) Touch(x *N) { // want Touch:`^clobbers\(1\)$`
	x.n++
}

func viaIface(i I, x *N) { // want viaIface:`^clobbers\(1\)$`
	i.Touch(x)
}

var total int

func count() { // want count:`^globals$`
	total++
}

func countVia() { // want countVia:`^globals$`
	count()
}

// local writes only what it allocates: no fact.
func local(k int) int {
	y := &N{}
	y.n += k
	return y.n
}
