package bench

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"redress/internal/storetest"
)

// TestWebSmoke runs the web benchmark at a tiny size so it cannot rot.
func TestWebSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("loads demo data")
	}
	rs, err := Web(context.Background(), WebOptions{DSN: os.Getenv(storetest.EnvDB), Petitions: 60, N: 20, Clients: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 4 {
		t.Fatalf("%d result lines, want 4", len(rs))
	}
	for _, r := range rs {
		if r.Rows != 20 || r.PerSecond <= 0 {
			t.Fatalf("bad figures: %+v", r)
		}
	}
	var b bytes.Buffer
	Print(&b, "web", rs)
	if !strings.Contains(b.String(), "case page, registrar") {
		t.Fatalf("table:\n%s", b.String())
	}
}
