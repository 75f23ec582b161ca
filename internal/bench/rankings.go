package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/demo"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/ranking"
	"redress/internal/store"
)

// RankingsOptions configure the rankings benchmark.
type RankingsOptions struct {
	DSN      string // empty: a fresh SQLite database in a temporary directory
	Cases    int    // assigned cases
	Months   int    // months the cases spread over, ending with the ranked month
	Progress io.Writer
}

// rankMonth is the month ranked: the last whole month before webNow.
var rankYear, rankMonth = 2026, time.October

// Rankings measures the monthly ranking of units (ranking.Monthly, the
// function behind GET /api/v1/rankings) over o.Cases assigned cases spread
// over o.Months months, beside two plain SQL queries in the same run: a
// count over the assignments of the months the ranking reads (the ranked
// month and its three-month trend), and the rows the ranking reads (the
// same joins as store.RateRows) streamed to the client.
//
// The cases are bulk-loaded (COPY on PostgreSQL; on PostgreSQL the tables'
// secondary indexes are dropped first and built again after) with the rows
// the ranking reads: a petition, its assignment, its notify and reply
// deadlines and, for most replied cases, a follow-up call. They are
// bench-only rows: one petitioner and one matter for all, no events, no
// audit entries.
func Rankings(ctx context.Context, o RankingsOptions) ([]Result, error) {
	if o.Months <= 0 {
		o.Months = 36
	}
	st, cleanup, err := Fresh(ctx, o.DSN)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	say := func(format string, a ...any) {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, format+"\n", a...)
		}
	}
	// The Huludao units and users, and ten demo petitions.
	svc := lifecycle.New(st, func() time.Time { return webNow })
	if _, err := demo.Load(ctx, svc, demo.LoadOptions{Now: webNow, Count: 10}); err != nil {
		return nil, fmt.Errorf("load demo units: %w", err)
	}
	t0 := time.Now()
	if err := loadRankingCases(ctx, st, o, say); err != nil {
		return nil, err
	}
	load := time.Since(t0)
	say("loaded %d cases in %.1f s", o.Cases, load.Seconds())

	first, _ := monthBounds(rankYear, rankMonth, -3)
	_, end := monthBounds(rankYear, rankMonth, 0)
	var out []Result
	line := func(name string, rows int, el time.Duration) {
		r := Result{Name: name, Rows: rows, Elapsed: el}
		if el > 0 {
			r.PerSecond = float64(rows) / el.Seconds()
		}
		out = append(out, r)
	}
	line("load: COPY / multi-row INSERT of the cases, then indexes", o.Cases, load)

	countQ := rebindAll(st, `SELECT COUNT(*), COUNT(a.signed_at) FROM assignments a
		WHERE a.state <> 'returned' AND a.assigned_at >= ? AND a.assigned_at < ?`)
	t0 = time.Now()
	var n, signed int
	if err := st.DB().QueryRowContext(ctx, countQ, first.UTC(), end.UTC()).Scan(&n, &signed); err != nil {
		return nil, fmt.Errorf("baseline count: %w", err)
	}
	line("baseline: plain COUNT over the 4 months' assignments", n, time.Since(t0))

	readQ := rebindAll(st, `SELECT a.unit_id, a.petition_id, a.assigned_at, a.signed_at, dn.due_on, dr.due_on, dr.met_at, p.replied_at, p.reply_outcome,
			COALESCE((SELECT f.result FROM follow_ups f WHERE f.petition_id = a.petition_id ORDER BY f.id DESC LIMIT 1), '')
		FROM assignments a JOIN petitions p ON p.id = a.petition_id
		LEFT JOIN deadlines dn ON dn.petition_id = a.petition_id AND dn.kind = 'notify'
		LEFT JOIN deadlines dr ON dr.petition_id = a.petition_id AND dr.kind = 'reply'
		WHERE a.state <> 'returned' AND a.assigned_at >= ? AND a.assigned_at < ?`)
	read, el, err := rankingsRead(ctx, st, readQ, first, end)
	if err != nil {
		return nil, err
	}
	line("baseline: plain SELECT of the rows the ranking reads (4 months)", read, el)
	if read != n {
		return nil, fmt.Errorf("baseline read %d rows, count says %d", read, n)
	}

	from, _ := monthBounds(rankYear, rankMonth, 0)
	var inMonth, ignored int
	if err := st.DB().QueryRowContext(ctx, countQ, from.UTC(), end.UTC()).Scan(&inMonth, &ignored); err != nil {
		return nil, fmt.Errorf("count the ranked month: %w", err)
	}
	for _, level := range []string{ranking.LevelUnit, ranking.LevelDistrict} {
		t0 = time.Now()
		rk, err := ranking.Monthly(ctx, st, rankYear, rankMonth, ranking.Options{Level: level})
		if err != nil {
			return nil, fmt.Errorf("ranking: %w", err)
		}
		el := time.Since(t0)
		cases := 0
		for _, e := range append(rk.Ranked, rk.Unranked...) {
			cases += e.Cases
		}
		if level == ranking.LevelUnit && cases != inMonth {
			return nil, fmt.Errorf("ranking counted %d cases in %s, the plain count %d", cases, rk.Month, inMonth)
		}
		line(fmt.Sprintf("ranking.Monthly %s-%02d by %s, 3-month trend (%d ranked)", rk.Month[:4], rankMonth, level, len(rk.Ranked)), n, el)
	}
	// Once more, now that the rankings have warmed the same pages.
	read, el, err = rankingsRead(ctx, st, readQ, first, end)
	if err != nil {
		return nil, err
	}
	line("baseline again: the same plain SELECT, after the rankings", read, el)
	return out, nil
}

// rankingsRead runs the plain query over [first, end) and reads every row.
func rankingsRead(ctx context.Context, st *store.Store, q string, first, end time.Time) (int, time.Duration, error) {
	t0 := time.Now()
	rows, err := st.DB().QueryContext(ctx, q, first.UTC(), end.UTC())
	if err != nil {
		return 0, 0, fmt.Errorf("baseline read: %w", err)
	}
	defer rows.Close()
	read := 0
	for rows.Next() {
		var unit, pid int64
		var at time.Time
		var signedAt, met, replied *time.Time
		var nd, rd calendar.Date
		var outcome, follow string
		if err := rows.Scan(&unit, &pid, &at, &signedAt, &nd, &rd, &met, &replied, &outcome, &follow); err != nil {
			return 0, 0, fmt.Errorf("baseline read: %w", err)
		}
		read++
	}
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("baseline read: %w", err)
	}
	return read, time.Since(t0), nil
}

// monthBounds is [first instant, first instant of the next) of the month
// delta months from year-month, in China.
func monthBounds(year int, m time.Month, delta int) (time.Time, time.Time) {
	from := time.Date(year, m, 1, 0, 0, 0, 0, calendar.Location).AddDate(0, delta, 0)
	return from, from.AddDate(0, 1, 0)
}

// rebindAll turns ? placeholders into $n on PostgreSQL.
func rebindAll(st *store.Store, q string) string {
	if st.Engine() != store.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// loadRankingCases writes o.Cases assigned cases, o.Cases/o.Months a month
// over the o.Months months that end with the ranked month, among the
// departments and townships.
func loadRankingCases(ctx context.Context, st *store.Store, o RankingsOptions, say func(string, ...any)) error {
	tree, err := st.Units(ctx)
	if err != nil {
		return err
	}
	var units []org.Unit
	var districts []string
	for _, u := range tree.Units() {
		switch u.Kind {
		case org.KindDepartment, org.KindTownship:
			units = append(units, u)
		case org.KindDistrict:
			districts = append(districts, u.Code)
		}
	}
	users, err := st.Users(ctx)
	if err != nil {
		return err
	}
	var bureau int64
	for _, u := range users {
		if u.Role == org.RoleBureau {
			bureau = u.ID
			break
		}
	}
	if len(units) == 0 || len(districts) == 0 || bureau == 0 {
		return fmt.Errorf("no units, districts or registrar to load cases for")
	}
	var base, petitioner, matter, assignBase, deadlineBase int64
	db := st.DB()
	for _, x := range []struct {
		q   string
		dst *int64
	}{
		{"SELECT COALESCE(MAX(id), 0) FROM petitions", &base},
		{"SELECT COALESCE(MAX(id), 0) FROM assignments", &assignBase},
		{"SELECT COALESCE(MAX(id), 0) FROM deadlines", &deadlineBase},
		{"SELECT MIN(id) FROM petitioners", &petitioner},
		{"SELECT MIN(id) FROM matters", &matter},
	} {
		if err := db.QueryRowContext(ctx, x.q).Scan(x.dst); err != nil {
			return fmt.Errorf("load cases: %w", err)
		}
	}
	restore, err := dropSecondaryIndexes(ctx, st, []string{"petitions", "assignments", "deadlines", "follow_ups"})
	if err != nil {
		return err
	}
	bl, err := newBulkLoader(ctx, st)
	if err != nil {
		return err
	}
	defer bl.close(context.Background())
	pCols := []string{"id", "tracking_code", "received_at", "received_on", "channel", "petitioner_id", "matter_id", "district_code",
		"title", "content", "state", "accusation", "unit_id", "reply_outcome", "replied_at", "created_at", "updated_at", "version"}
	aCols := []string{"id", "petition_id", "unit_id", "mode", "state", "assigned_at", "assigned_by", "signed_at"}
	dCols := []string{"id", "petition_id", "kind", "started_on", "due_on", "rule_count", "rule_unit", "calendar_revision", "obligation", "met_at", "computed_at"}
	fCols := []string{"id", "petition_id", "result", "by_user", "at"}
	rng := rand.New(rand.NewPCG(uint64(o.Cases), 5))
	outcomes := []string{"support", "support", "explain", "explain", "reject"}
	results := []string{"satisfied", "satisfied", "satisfied", "basic", "basic", "dissatisfied"}
	channels := []string{"hotline", "hotline", "hotline", "online", "letter", "visit", "mailbox"}
	var follow int64
	t0 := time.Now()
	for i := range o.Cases {
		id := base + int64(i) + 1
		from, next := monthBounds(rankYear, rankMonth, -(i % o.Months))
		at := from.Add(time.Duration(rng.Int64N(int64(next.Sub(from)))))
		unit := units[rng.IntN(len(units))]
		received := at.Add(-time.Duration(24+rng.IntN(72)) * time.Hour)
		signed := at.Add(time.Duration(1+rng.IntN(96)) * time.Hour)
		day := calendar.DateOf(at)
		notifyDue, replyDue := day.AddDays(15), day.AddDays(60)
		replied := at.Add(time.Duration(5+rng.IntN(70)) * 24 * time.Hour)
		state, aState, outcome := "replied", "replied", outcomes[rng.IntN(len(outcomes))]
		var repliedAt, met any = replied.UTC(), replied.UTC()
		if replied.After(webNow) || rng.IntN(20) == 0 {
			state, aState, outcome, repliedAt, met = "handling", "signed", "", nil, nil
		}
		bl.add("petitions", pCols, id, benchTrackingCode(id), received.UTC(), calendar.DateOf(received), channels[rng.IntN(len(channels))],
			petitioner, matter, districts[rng.IntN(len(districts))], "供暖不热", "室温长期低于16度，诉求尽快维修", state, false, unit.ID,
			outcome, repliedAt, received.UTC(), at.UTC(), 1)
		bl.add("assignments", aCols, assignBase+int64(i)+1, id, unit.ID, "assign", aState, at.UTC(), bureau, signed.UTC())
		dID := deadlineBase + 2*int64(i)
		bl.add("deadlines", dCols, dID+1, id, "notify", day, notifyDue, 15, "calendar", 1, true, signed.UTC(), at.UTC())
		bl.add("deadlines", dCols, dID+2, id, "reply", day, replyDue, 60, "calendar", 1, true, met, at.UTC())
		if repliedAt != nil && rng.IntN(10) < 7 {
			follow++
			bl.add("follow_ups", fCols, follow, id, results[rng.IntN(len(results))], bureau, replied.Add(72*time.Hour).UTC())
		}
		if (i+1)%50_000 == 0 {
			if err := bl.flush(ctx); err != nil {
				return err
			}
			if (i+1)%1_000_000 == 0 {
				say("  %d cases (%.0f s)", i+1, time.Since(t0).Seconds())
			}
		}
	}
	if err := bl.flush(ctx); err != nil {
		return err
	}
	if err := bl.close(ctx); err != nil {
		return err
	}
	say("copied %d rows in %.1f s; building indexes", bl.Rows, time.Since(t0).Seconds())
	return restore(ctx)
}

// dropSecondaryIndexes drops the indexes and unique constraints (not the
// primary keys) of tables on PostgreSQL, so a bulk load does not update
// them row by row; restore builds them again and analyzes the tables. On
// SQLite it does nothing.
func dropSecondaryIndexes(ctx context.Context, st *store.Store, tables []string) (restore func(context.Context) error, err error) {
	noop := func(context.Context) error { return nil }
	if st.Engine() != store.Postgres {
		return noop, nil
	}
	db := st.DB()
	var again []string
	list := "'" + strings.Join(tables, "','") + "'"
	rows, err := db.QueryContext(ctx, `SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
		WHERE c.contype = 'u' AND c.connamespace = current_schema()::regnamespace AND c.conrelid::regclass::text IN (`+list+`)`)
	if err != nil {
		return nil, fmt.Errorf("list constraints: %w", err)
	}
	var drops []string
	for rows.Next() {
		var table, name, def string
		if err := rows.Scan(&table, &name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		drops = append(drops, fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", table, name))
		again = append(again, fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s", table, name, def))
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema()
		AND i.tablename IN (`+list+`) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)`)
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		drops = append(drops, "DROP INDEX "+name)
		again = append(again, def)
	}
	rows.Close()
	for _, q := range drops {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("%s: %w", q, err)
		}
	}
	return func(ctx context.Context) error {
		conn, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SET maintenance_work_mem = '512MB'"); err != nil {
			return err
		}
		for _, q := range again {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		for _, t := range tables {
			if _, err := conn.ExecContext(ctx, "ANALYZE "+t); err != nil {
				return fmt.Errorf("analyze %s: %w", t, err)
			}
		}
		return nil
	}, nil
}
