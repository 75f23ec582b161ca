package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed migrations
var migrations embed.FS

// ErrSchemaOutOfDate means the database needs `redress migrate`.
var ErrSchemaOutOfDate = errors.New("database schema is out of date")

func (s *Store) provider() (*goose.Provider, error) {
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	if s.engine == Postgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	// Features add migrations in parallel; a database may have a later one
	// before an earlier number exists, so missing ones are applied too.
	p, err := goose.NewProvider(dialect, s.wdb, sub, goose.WithAllowOutofOrder(true))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// SchemaVersion returns the database's schema version and the version this binary needs.
func (s *Store) SchemaVersion(ctx context.Context) (current, wanted int64, err error) {
	p, err := s.provider()
	if err != nil {
		return 0, 0, err
	}
	current, wanted, err = p.GetVersions(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("read schema version: %w", err)
	}
	return current, wanted, nil
}

// Migrate brings the schema up to date, one transaction per migration.
// It returns the versions applied.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	p, err := s.provider()
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var applied []int64
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	if len(applied) > 0 {
		if err := s.analyze(ctx); err != nil {
			return applied, err
		}
	}
	if s.engine == SQLite && s.stmts == nil {
		if err := s.prepareHot(ctx); err != nil {
			return applied, err
		}
	}
	return applied, nil
}

// analyze gathers the planner's statistics after a migration. A new index
// has none, and without them SQLite may prefer a worse one: the dashboard's
// settled-in-month count took 1.9 s through the state index and 0.1 s
// through petitions_settled at 1,000,000 petitions. SQLite's optimize
// analyzes only the tables that need it, in full (about 2 s for a million
// petitions, once per upgrade): sampled statistics misjudged the state
// index badly enough to choose it again. PostgreSQL samples each table.
func (s *Store) analyze(ctx context.Context) error {
	q := "ANALYZE"
	if s.engine == SQLite {
		q = "PRAGMA optimize = 0x10002"
	}
	if _, err := s.wdb.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// CheckSchema refuses an old (or newer) schema with a message naming the fix.
func (s *Store) CheckSchema(ctx context.Context) error {
	current, wanted, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	p, err := s.provider()
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if pending || current < wanted {
		return fmt.Errorf("%w: the database is at schema version %d and this redress needs %d (or lacks an earlier migration); run `redress migrate` (with the same --db/--data-dir) first", ErrSchemaOutOfDate, current, wanted)
	}
	if current > wanted {
		return fmt.Errorf("%w: the database is at schema version %d, newer than this redress (%d); run a newer redress", ErrSchemaOutOfDate, current, wanted)
	}
	return nil
}
