package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/escalation"
	"redress/internal/org"
	"redress/internal/store"
)

// SweepOptions configure the escalation sweep benchmark.
type SweepOptions struct {
	DSN string // empty: a fresh SQLite database in a temporary directory
	N   int    // open cases
}

// Sweep measures one escalation sweep over N open cases of which 1% are
// overdue (each fires one supervision notice), beside the plain SQL query
// that reads the same due rows, then a second sweep that finds nothing new
// (the steady state of the minute-by-minute loop).
func Sweep(ctx context.Context, o SweepOptions) ([]Result, error) {
	st, cleanup, err := Fresh(ctx, o.DSN)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	due, err := seedOpenCases(ctx, st, o.N)
	if err != nil {
		return nil, err
	}
	now := time.Date(2026, 3, 12, 9, 0, 0, 0, calendar.Location) // Thursday; the due ones were due Tuesday
	svc := escalation.New(st, escalation.Options{})
	cal, err := st.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	// The rung that fires: overdue by at least one working day.
	maxDue, _ := escalation.Window(cal, escalation.Defaults()[2], calendar.DateOf(now))

	q := `SELECT d.petition_id, d.kind, d.due_on, COALESCE(p.unit_id, 0) FROM deadlines d JOIN petitions p ON p.id = d.petition_id
		WHERE d.met_at IS NULL AND d.obligation AND d.due_on <= ?`
	if st.Engine() == store.Postgres {
		q = strings.Replace(q, "?", "$1", 1)
	}
	start := time.Now()
	rows, err := st.DB().QueryContext(ctx, q, maxDue)
	if err != nil {
		return nil, fmt.Errorf("baseline query: %w", err)
	}
	read := 0
	for rows.Next() {
		var id, unit int64
		var kind string
		var d calendar.Date
		if err := rows.Scan(&id, &kind, &d, &unit); err != nil {
			rows.Close()
			return nil, err
		}
		read++
	}
	rows.Close()
	baseline := time.Since(start)
	if read != due {
		return nil, fmt.Errorf("baseline read %d rows, want %d", read, due)
	}

	start = time.Now()
	res, err := svc.Sweep(ctx, now)
	if err != nil {
		return nil, err
	}
	first, fired := time.Since(start), res.Fired
	if res.Fired != due || res.Failed != 0 {
		return nil, fmt.Errorf("sweep fired %d (failed %d), want %d", res.Fired, res.Failed, due)
	}
	start = time.Now()
	res, err = svc.Sweep(ctx, now.Add(time.Minute))
	if err != nil {
		return nil, err
	}
	second := time.Since(start)
	if res.Fired != 0 {
		return nil, fmt.Errorf("second sweep fired %d", res.Fired)
	}
	line := func(name string, rows int, el time.Duration) Result {
		r := Result{Name: name, Rows: rows, Elapsed: el}
		if el > 0 {
			r.PerSecond = float64(rows) / el.Seconds()
		}
		return r
	}
	return []Result{
		line("baseline: plain SELECT of the due rows", read, baseline),
		line("sweep: find, fire and commit each step (event, audit, notices)", fired, first),
		line("sweep again: nothing new to fire", 0, second),
	}, nil
}

// seedOpenCases writes n cases being handled by one department, 1% of them
// with a reply deadline that passed on 2026-03-10 and the rest due in May. It
// returns how many are overdue.
func seedOpenCases(ctx context.Context, st *store.Store, n int) (int, error) {
	if _, err := seedMinimal(ctx, st); err != nil {
		return 0, err
	}
	var unitID, petitionerID, matterID int64
	err := st.Write(ctx, func(tx *store.Tx) error {
		tree, err := st.Units(ctx)
		if err != nil {
			return err
		}
		city, _ := tree.ByCode("211400")
		u := org.Unit{Code: "211400-zjj", Name: "市住建局", Kind: org.KindDepartment, ParentID: city.ID, HeadName: "周明", HeadTitle: "局长"}
		if err := tx.CreateUnit(store.System, &u); err != nil {
			return err
		}
		unitID = u.ID
		for _, usr := range []org.User{
			{Login: "bench-handler", Name: "经办", Role: org.RoleHandler, UnitID: u.ID},
			{Login: "bench-head", Name: "周明", Role: org.RoleHead, UnitID: u.ID},
		} {
			if err := tx.CreateUser(store.System, &usr); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`INSERT INTO petitioners (kind, name, created_at) VALUES ('person', '张明', ?)`, time.Now().UTC()); err != nil {
			return err
		}
		if err := tx.QueryRow(`SELECT MAX(id) FROM petitioners`).Scan(&petitionerID); err != nil {
			return err
		}
		matterID, err = tx.CreateMatter("供暖不热", time.Now())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("seed: %w", err)
	}
	received := time.Date(2026, 1, 9, 9, 0, 0, 0, calendar.Location)
	soon, later := calendar.NewDate(2026, 3, 10), calendar.NewDate(2026, 5, 8)
	// Bulk-loaded (COPY on PostgreSQL) in batches: row-by-row INSERTs
	// through the store took 45 minutes for a million cases there.
	b, err := newBulkLoader(ctx, st)
	if err != nil {
		return 0, err
	}
	defer b.close(ctx)
	pcols := []string{"id", "tracking_code", "received_at", "received_on", "channel", "petitioner_id", "matter_id", "district_code",
		"title", "content", "state", "accusation", "unit_id", "created_at", "updated_at", "version"}
	dcols := []string{"petition_id", "kind", "started_on", "due_on", "rule_count", "rule_unit", "calendar_revision", "obligation", "computed_at"}
	const batch = 20000
	due := 0
	for i := 1; i <= n; i++ {
		b.add("petitions", pcols, int64(i), fmt.Sprintf("XFBENCH%07d", i), received.UTC(), calendar.DateOf(received), "hotline",
			petitionerID, matterID, "211402", "供暖不热", "室温长期低于16度", "handling", false, unitID, received.UTC(), received.UTC(), 1)
		dueOn := later
		if i%100 == 0 {
			dueOn = soon
			due++
		}
		b.add("deadlines", dcols, int64(i), "reply", calendar.DateOf(received), dueOn, 60, "calendar", 1, true, received.UTC())
		if i%batch == 0 || i == n {
			if err := b.flush(ctx); err != nil {
				return 0, err
			}
		}
	}
	if err := b.close(ctx); err != nil {
		return 0, err
	}
	return due, nil
}
