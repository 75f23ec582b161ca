package bench

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"redress/internal/storetest"
)

// TestWebSmoke runs the web benchmark at a tiny size so it cannot rot:
// demo petitions and bulk copies of them, every page open- and closed-loop
// (the dashboard skipped with a note where this build has none).
func TestWebSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("loads demo data")
	}
	rs, err := Web(context.Background(), WebOptions{DSN: os.Getenv(storetest.EnvDB), Petitions: 300, Demo: 60, N: 20, Clients: 2, Rate: 100})
	if err != nil {
		t.Fatal(err)
	}
	measured := 0
	for _, r := range rs {
		if r.Skipped {
			if !strings.HasPrefix(r.Name, "dashboard") {
				t.Fatalf("skipped %q", r.Name)
			}
			continue
		}
		measured++
		if r.Rows != 20 || r.PerSecond <= 0 || !r.HasLatency {
			t.Fatalf("bad figures: %+v", r)
		}
	}
	if measured < 10 {
		t.Fatalf("%d measured lines, want 2 for each of at least 5 pages", measured)
	}
	var b bytes.Buffer
	Print(&b, "web", rs)
	for _, s := range []string{"case page, registrar, open loop at 100 req/s", "home page, leader, closed loop, 2 clients"} {
		if !strings.Contains(b.String(), s) {
			t.Fatalf("no %q in\n%s", s, b.String())
		}
	}
}
