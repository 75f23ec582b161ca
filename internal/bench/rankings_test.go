package bench

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"redress/internal/storetest"
)

// TestRankingsSmoke runs the rankings benchmark at a tiny size so it cannot
// rot; Rankings itself checks the ranking counted the cases the plain
// query counts.
func TestRankingsSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("loads demo units")
	}
	rs, err := Rankings(context.Background(), RankingsOptions{DSN: os.Getenv(storetest.EnvDB), Cases: 3000, Months: 12})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 6 {
		t.Fatalf("%d result lines, want 6: %+v", len(rs), rs)
	}
	// 3000 cases over 12 months: 250 a month, 1000 in the four months read.
	if rs[1].Rows != rs[2].Rows || rs[1].Rows < 1000 || rs[1].Rows > 1010 {
		t.Fatalf("baselines read %d and %d rows, want the same, 1000 and the demo petitions' few", rs[1].Rows, rs[2].Rows)
	}
	var b bytes.Buffer
	Print(&b, "rankings", rs)
	if !strings.Contains(b.String(), "ranking.Monthly 2026-10 by unit") {
		t.Fatalf("table:\n%s", b.String())
	}
}
