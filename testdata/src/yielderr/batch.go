package yielderr

// A batch write that returns how many frames went out with the
// would-block hands its progress to the caller, who resumes past them
// (the io.Writer contract); one that reports nothing sent loses it.

// WriteBatch is correct: the count it returns with the would-block is the
// loop's own progress.
func (e *Endpoint) WriteBatch(frames [][]byte) (int, error) {
	sent := 0
	for _, f := range frames {
		if err := e.Send(f); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// WriteBatchBuggy reports nothing sent when a frame would block: a caller
// that retries the rest sends the first frames again.
func (e *Endpoint) WriteBatchBuggy(frames [][]byte) (int, error) {
	sent := 0
	for _, f := range frames {
		if err := e.Send(f); err != nil { // want `e\.Send runs in a loop whose progress is held in locals: when it yields \(at batch\.go:\d+\)`
			return 0, err
		}
		sent++
	}
	return sent, nil
}

// WriteBatchLength returns a length, not the loop's progress: it counts
// nothing the loop carried.
func (e *Endpoint) WriteBatchLength(frames [][]byte) (int, error) {
	for _, f := range frames {
		if err := e.Send(f); err != nil { // want `e\.Send runs in a loop whose progress is held in locals: when it yields \(at batch\.go:\d+\)`
			return len(frames), err
		}
	}
	return len(frames), nil
}

// WriteBatchFrames returns the frames it sent, not a count: a partial
// result of another type does not say where the caller resumes.
func (e *Endpoint) WriteBatchFrames(frames [][]byte) ([][]byte, error) {
	var sent [][]byte
	for _, f := range frames {
		if err := e.Send(f); err != nil { // want `e\.Send runs in a loop whose progress is held in locals: when it yields \(at batch\.go:\d+\)`
			return sent, err
		}
		sent = append(sent, f)
	}
	return sent, nil
}
