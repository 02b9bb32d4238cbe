package engine

import "github.com/reentrycheck/reentrycheck/runtime/rt"

// Item is what Cursor.Next returns: a record, or OK false at the end.
type Item struct {
	Val uint64
	OK  bool
}

// Cursor walks the records of pages [0, Pages) through a Pager.
type Cursor struct {
	Pager  *Pager
	Pages  int
	pageNo int
	page   []byte
	slot   int
}

// Pos is the cursor's position, for snapshots.
func (c *Cursor) Pos() [2]int { return [2]int{c.pageNo, c.slot} }

// Next returns the next record. It moves in memory while the current page
// lasts and reads the next page through the pager when it is used up.
//
// quality: ok C4 consume cursor: the position is committed with the record it returns
func (c *Cursor) Next() (rt.IOResult[Item], error) {
	for {
		if c.page != nil && c.slot < RecsPerPage {
			v := Rec(c.page, c.slot)
			c.slot++
			return rt.Done(Item{Val: v, OK: true}), nil
		}
		next := c.pageNo
		if c.page != nil {
			next++
		}
		if next >= c.Pages {
			return rt.Done(Item{}), nil
		}
		r, err := c.Pager.ReadPage(next)
		if err != nil || r.IsIO() {
			// Re-entrancy: nothing moved yet; re-entry asks the pager for
			// the same page, and the pager waits on its in-flight read.
			return rt.Forward[Item](r, err)
		}
		c.page, c.pageNo, c.slot = r.Value(), next, 0
	}
}

// SeekPage positions the cursor at the first record of page n.
//
// quality: ok C3 the position is written only after the page read returned Done
func (c *Cursor) SeekPage(n int) (rt.IOResult[bool], error) {
	if n >= c.Pages {
		return rt.Done(false), nil
	}
	r, err := c.Pager.ReadPage(n)
	if err != nil || r.IsIO() {
		// Re-entrancy: the cursor has not moved; re-entry reads again.
		return rt.Forward[bool](r, err)
	}
	c.page, c.pageNo, c.slot = r.Value(), n, 0
	return rt.Done(true), nil
}
