package bench

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"redress/internal/storetest"
)

// TestIntakeSmoke runs the intake benchmark at a tiny size so it cannot rot.
func TestIntakeSmoke(t *testing.T) {
	n := 200
	if s := os.Getenv("REDRESS_BENCH_N"); s != "" {
		n = 3000
	}
	rs, err := Intake(context.Background(), IntakeOptions{DSN: os.Getenv(storetest.EnvDB), N: n, Clients: clientsFromEnv()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 4 {
		t.Fatalf("%d result lines, want 4", len(rs))
	}
	for _, r := range rs {
		if r.Rows != n || r.PerSecond <= 0 {
			t.Fatalf("bad figures: %+v", r)
		}
	}
	var b bytes.Buffer
	Print(&b, "intake", rs)
	if !strings.Contains(b.String(), "HTTP intake, 64 clients") {
		t.Fatalf("table:\n%s", b.String())
	}
	t.Log("\n" + b.String())
}

func clientsFromEnv() []int {
	if os.Getenv("REDRESS_BENCH_ONLY64") != "" {
		return []int{64, 64}
	}
	return []int{1, 64}
}
