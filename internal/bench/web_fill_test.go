package bench

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"redress/internal/demo"
	"redress/internal/lifecycle"
	"redress/internal/store"
	"redress/internal/storetest"
)

// TestFillCopies copies 40 lifecycle-made demo petitions to 200 over two
// "years" and checks that each copy reads back as its template does:
// the same state, assignments, deadlines and events, with new ids, unique
// tracking codes, and the older year's dates 364 days earlier.
func TestFillCopies(t *testing.T) {
	if testing.Short() {
		t.Skip("loads demo data")
	}
	defer func(n int) { fillPerYear = n }(fillPerYear)
	fillPerYear = 100
	ctx := context.Background()
	st, cleanup, err := Fresh(ctx, os.Getenv(storetest.EnvDB))
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	svc := lifecycle.New(st, func() time.Time { return webNow })
	if _, err := demo.Load(ctx, svc, demo.LoadOptions{Now: webNow, Count: 40}); err != nil {
		t.Fatal(err)
	}
	rows, err := fillCopies(ctx, st, 200, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rows < 160*3 {
		t.Fatalf("wrote %d rows for 160 petitions", rows)
	}
	var n, codes int
	if err := st.DB().QueryRowContext(ctx, "SELECT COUNT(*), COUNT(DISTINCT tracking_code) FROM petitions").Scan(&n, &codes); err != nil {
		t.Fatal(err)
	}
	if n != 200 || codes != 200 {
		t.Fatalf("%d petitions with %d tracking codes, want 200 and 200", n, codes)
	}
	var maxTpl int64 = 40
	older, current := 0, 0
	for id := maxTpl + 1; id <= 10*maxTpl; id++ {
		c, err := st.Case(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue // an older year copies finished cases only
		}
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := st.Case(ctx, (id-1)%maxTpl+1)
		if err != nil {
			t.Fatal(err)
		}
		if c.Petition.State != tpl.Petition.State || len(c.Assignments) != len(tpl.Assignments) ||
			len(c.Deadlines) != len(tpl.Deadlines) || len(c.Events) != len(tpl.Events) || c.Petition.Title != tpl.Petition.Title {
			t.Fatalf("copy %d differs from its template: %+v\n%+v", id, c.Petition, tpl.Petition)
		}
		if c.Petitioner.Name != tpl.Petitioner.Name || c.Petitioner.ID == tpl.Petitioner.ID {
			t.Fatalf("copy %d: petitioner %+v, template's %+v", id, c.Petitioner, tpl.Petitioner)
		}
		shift := c.Petition.ReceivedAt.Sub(tpl.Petition.ReceivedAt)
		switch shift {
		case 0:
			current++
		case -364 * 24 * time.Hour:
			older++
			switch c.Petition.State {
			case "declined", "replied", "reviewed", "closed":
			default:
				t.Fatalf("copy %d of an older year is %s", id, c.Petition.State)
			}
		default:
			t.Fatalf("copy %d shifted by %v", id, shift)
		}
		for i, d := range c.Deadlines {
			if got, want := d.DueOn, tpl.Deadlines[i].DueOn.AddDays(int(shift.Hours()/24)); got != want {
				t.Fatalf("copy %d: deadline %s due %s, want %s", id, d.Kind, got, want)
			}
			if d.PetitionID != id {
				t.Fatalf("copy %d: deadline of petition %d", id, d.PetitionID)
			}
		}
		for _, e := range c.Events {
			if e.PetitionID != id {
				t.Fatalf("copy %d: event of petition %d", id, e.PetitionID)
			}
		}
	}
	if older == 0 || current == 0 {
		t.Fatalf("%d copies in the older year and %d in the current one, want some of each", older, current)
	}
	page, err := st.ListPetitions(ctx, store.Filter{Limit: 500})
	if err != nil || len(page.Items) != 200 {
		t.Fatalf("list: %d items, %v", len(page.Items), err)
	}
}
