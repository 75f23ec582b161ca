package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"redress/internal/calendar"
	"redress/internal/store"
)

// bulkLoader writes many rows straight into tables: multi-row INSERTs in
// one transaction per flush on SQLite, COPY on PostgreSQL. It bypasses the
// group committer and the audit log, so the rows it writes are bench-only:
// no audit entries, no repeat signatures. While it is open it holds the
// SQLite writer's only connection; close it before anything else writes.
type bulkLoader struct {
	st      *store.Store
	conn    *sql.Conn
	order   []*bulkBatch
	byTable map[string]*bulkBatch
	pgRole  bool // session_replication_role was set to replica
	closed  bool
	Rows    int // rows written so far
}

type bulkBatch struct {
	table string
	cols  []string
	rows  [][]any
}

func newBulkLoader(ctx context.Context, st *store.Store) (*bulkLoader, error) {
	conn, err := st.DB().Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("bulk load: %w", err)
	}
	b := &bulkLoader{st: st, conn: conn, byTable: map[string]*bulkBatch{}}
	if st.Engine() == store.SQLite {
		// The loader writes parents before children; checking each
		// reference costs a lookup per row.
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			conn.Close()
			return nil, fmt.Errorf("bulk load: %w", err)
		}
	}
	if st.Engine() == store.Postgres {
		// Skip the foreign-key triggers while copying (the loader writes
		// parents before children); this needs a superuser, so a refusal
		// only makes the load slower.
		if _, err := conn.ExecContext(ctx, "SET session_replication_role = replica"); err == nil {
			b.pgRole = true
		}
	}
	return b, nil
}

// add queues one row; tables are written in the order first added.
func (b *bulkLoader) add(table string, cols []string, row ...any) {
	bt := b.byTable[table]
	if bt == nil {
		bt = &bulkBatch{table: table, cols: cols}
		b.byTable[table] = bt
		b.order = append(b.order, bt)
	}
	bt.rows = append(bt.rows, row)
}

// flush writes the queued rows, parents first, and commits them.
func (b *bulkLoader) flush(ctx context.Context) error {
	var err error
	if b.st.Engine() == store.Postgres {
		err = b.flushCopy(ctx)
	} else {
		err = b.flushInsert(ctx)
	}
	for _, bt := range b.order {
		b.Rows += len(bt.rows)
		bt.rows = bt.rows[:0]
	}
	return err
}

func (b *bulkLoader) flushCopy(ctx context.Context) error {
	return b.conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		for _, bt := range b.order {
			if len(bt.rows) == 0 {
				continue
			}
			for _, row := range bt.rows {
				for i, v := range row {
					if d, ok := v.(calendar.Date); ok {
						row[i] = pgDate(d)
					}
				}
			}
			if _, err := pc.CopyFrom(ctx, pgx.Identifier{bt.table}, bt.cols, pgx.CopyFromRows(bt.rows)); err != nil {
				return fmt.Errorf("copy into %s: %w", bt.table, err)
			}
		}
		return nil
	})
}

func pgDate(d calendar.Date) any {
	if d.IsZero() {
		return nil
	}
	t, _ := time.Parse(time.DateOnly, d.String())
	return t
}

func (b *bulkLoader) flushInsert(ctx context.Context) error {
	tx, err := b.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	defer tx.Rollback()
	stmts := map[int]*sql.Stmt{} // rows per statement → multi-row INSERT, per table
	for _, bt := range b.order {
		clear(stmts)
		// SQLite binds at most 32766 parameters per statement.
		per := min(500, 30000/len(bt.cols))
		for lo := 0; lo < len(bt.rows); lo += per {
			rows := bt.rows[lo:min(len(bt.rows), lo+per)]
			stmt := stmts[len(rows)]
			if stmt == nil {
				one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(bt.cols)), ",") + ")"
				q := "INSERT INTO " + bt.table + " (" + strings.Join(bt.cols, ", ") + ") VALUES " +
					strings.TrimSuffix(strings.Repeat(one+",", len(rows)), ",")
				if stmt, err = tx.PrepareContext(ctx, q); err != nil {
					return fmt.Errorf("prepare insert into %s: %w", bt.table, err)
				}
				stmts[len(rows)] = stmt
			}
			args := make([]any, 0, len(rows)*len(bt.cols))
			for _, r := range rows {
				args = append(args, r...)
			}
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("insert into %s: %w", bt.table, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bulk load: commit: %w", err)
	}
	return nil
}

// close resets the session, moves PostgreSQL's id sequences past the
// copied ids and gives the connection back.
func (b *bulkLoader) close(ctx context.Context) error {
	if b.closed {
		return nil
	}
	b.closed = true
	defer b.conn.Close()
	if b.st.Engine() != store.Postgres {
		if _, err := b.conn.ExecContext(ctx, "PRAGMA foreign_keys = ON"); err != nil {
			return fmt.Errorf("bulk load: %w", err)
		}
		return nil
	}
	if b.pgRole {
		if _, err := b.conn.ExecContext(ctx, "SET session_replication_role = DEFAULT"); err != nil {
			return fmt.Errorf("bulk load: reset session: %w", err)
		}
	}
	for _, bt := range b.order {
		if len(bt.cols) == 0 || bt.cols[0] != "id" {
			continue
		}
		q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), GREATEST((SELECT MAX(id) FROM %s), 1))", bt.table, bt.table)
		if _, err := b.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("bulk load: sequence of %s: %w", bt.table, err)
		}
	}
	// Fresh statistics, as autovacuum would give a table this size soon.
	for _, bt := range b.order {
		if _, err := b.conn.ExecContext(ctx, "ANALYZE "+bt.table); err != nil {
			return fmt.Errorf("bulk load: analyze %s: %w", bt.table, err)
		}
	}
	return nil
}
