//go:build devtools

// Developer tools, built only with -tags devtools so that ordinary test runs
// neither compile nor skip them.

package repeats

import (
	"os"
	"strconv"
	"testing"
)

// TestBenchRun runs Bench at REPEATS_BENCH_N records (opt-in).
func TestBenchRun(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("REPEATS_BENCH_N"))
	if n == 0 {
		t.Skip("set REPEATS_BENCH_N")
	}
	if err := Bench(n, 1000, os.Stdout); err != nil {
		t.Fatal(err)
	}
}
