package sim

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzSchedule explores simulator schedules: seed, latency, delays, both
// fault channels and injected yields and failures, over the chunked writer.
// Whatever the schedule, the writer either returns exactly the bytes it
// wrote (and the store holds them), or fails with an injected fault and
// leaves every byte of the file either unwritten (zero) or correct: no
// schedule makes it corrupt data or report a fault that was not injected.
func FuzzSchedule(f *testing.F) {
	f.Add(uint64(1), uint8(0), uint8(0), uint8(0), uint8(0), uint8(4), []byte("hello, world"))
	f.Add(uint64(2), uint8(255), uint8(0), uint8(0), uint8(5), uint8(3), []byte("all queued"))
	f.Add(uint64(3), uint8(128), uint8(20), uint8(20), uint8(20), uint8(1), []byte("faults on both channels"))
	f.Add(uint64(4), uint8(200), uint8(0), uint8(60), uint8(0), uint8(16), bytes.Repeat([]byte{0xff}, 100))
	f.Add(uint64(5), uint8(90), uint8(40), uint8(0), uint8(10), uint8(7), []byte{})
	f.Fuzz(func(t *testing.T, seed uint64, latency, submitFaults, completionFaults, maxYields, chunk uint8, data []byte) {
		if len(data) > 4096 {
			data = data[:4096]
		}
		cfg := Config{
			Seed:             seed,
			Latency:          float64(latency) / 255,
			MaxDelay:         1 + int(seed%7),
			SubmitFaults:     float64(submitFaults) / 255 / 2,
			CompletionFaults: float64(completionFaults) / 255 / 2,
		}
		s := New(cfg)
		inj := NewSeeded(SeededConfig{Seed: seed, MaxYields: int(maxYields % 21), MaxFailures: int(seed % 2)})
		got, err := runChunk(t, s, inj, data, 1+int(chunk%32))

		// Let every queued operation land before judging the file.
		for s.Pending() > 0 {
			if err := s.Step(bg); err != nil {
				t.Fatal(err)
			}
		}
		stored, _ := s.Store().Bytes("db")
		if err == nil {
			if !bytes.Equal(got, data) || !bytes.Equal(stored, data) {
				t.Fatalf("completed with wrong bytes:\nwant   %q\nresult %q\nstored %q", data, got, stored)
			}
			return
		}
		if errors.Is(err, errCorrupt) || !IsInjected(err) {
			t.Fatalf("failed with a fault that was not injected: %v\ntrace: %v", err, s.Trace())
		}
		if len(stored) > len(data) {
			t.Fatalf("file grew past the data: %d > %d bytes", len(stored), len(data))
		}
		for i, b := range stored {
			if b != 0 && b != data[i] {
				t.Fatalf("byte %d corrupt after %v: %#x, want 0 or %#x", i, err, b, data[i])
			}
		}
	})
}
