package bench

import (
	"context"
	"os"
	"testing"

	"redress/internal/storetest"
)

// TestSweepSmoke runs the sweep benchmark at a tiny size so it cannot rot.
func TestSweepSmoke(t *testing.T) {
	rs, err := Sweep(context.Background(), SweepOptions{DSN: os.Getenv(storetest.EnvDB), N: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || rs[0].Rows != 5 || rs[1].Rows != 5 {
		t.Fatalf("figures %+v", rs)
	}
}
