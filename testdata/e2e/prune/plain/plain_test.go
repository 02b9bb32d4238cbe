package plain

import "testing"

func TestStep(t *testing.T) {
	var c Counter
	if _, err := c.Step("x"); err != nil {
		t.Fatal(err)
	}
}
