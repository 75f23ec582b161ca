// Package store keeps redress's data on one of two real engines: embedded
// SQLite (the default) or PostgreSQL. Every write goes through a group
// committer so that many concurrent changes share one durable commit, and
// every change appends to the hash-chained audit log in the same transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver
	_ "github.com/mattn/go-sqlite3"    // SQLite driver (cgo)
)

// Engine names a storage engine.
type Engine string

// Engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Options say where the data lives.
type Options struct {
	// DSN selects PostgreSQL when it starts with postgres:// or postgresql://.
	// Otherwise the embedded SQLite database under DataDir is used.
	DSN     string
	DataDir string
	Logger  *slog.Logger
	// MaxBatch caps how many writes share one commit (default 256).
	MaxBatch int
}

// Store is the database.
type Store struct {
	engine  Engine
	wdb     *sql.DB // writer: one connection on SQLite
	rdb     *sql.DB // readers
	log     *slog.Logger
	commits *committer
	binds   sync.Map // query text → rebound text (PostgreSQL)
	path    string   // SQLite file, for messages

	unitsMu sync.RWMutex
	units   *unitCache

	rc rulesCache

	stmts map[string]*sql.Stmt // prepared hot statements (SQLite writer)
}

// IsPostgres reports whether dsn selects PostgreSQL.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database. It does not migrate; see Migrate and CheckSchema.
func Open(ctx context.Context, o Options) (*Store, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = 256
	}
	s := &Store{log: o.Logger}
	var err error
	if IsPostgres(o.DSN) {
		s.engine = Postgres
		s.wdb, err = sql.Open("pgx", o.DSN)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s.wdb.SetMaxOpenConns(24)
		s.wdb.SetMaxIdleConns(24)
		s.wdb.SetConnMaxIdleTime(5 * time.Minute)
		s.rdb = s.wdb
	} else {
		if o.DSN != "" && !strings.HasPrefix(o.DSN, "sqlite:") {
			return nil, fmt.Errorf("database %q: use postgres://… for PostgreSQL, or leave it empty for the embedded SQLite database", redactDSN(o.DSN))
		}
		s.engine = SQLite
		path := strings.TrimPrefix(o.DSN, "sqlite:")
		if path == "" {
			if o.DataDir == "" {
				return nil, errors.New("no data directory given for the embedded database")
			}
			if err := os.MkdirAll(o.DataDir, 0o750); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
			path = filepath.Join(o.DataDir, "redress.db")
		}
		s.path = path
		// synchronous=FULL: a petition is acknowledged only after its commit is on disk.
		base := "file:" + path + "?_foreign_keys=1&_busy_timeout=10000&_journal_mode=WAL&_cache_size=-65536"
		s.wdb, err = sql.Open("sqlite3", base+"&_synchronous=FULL&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		s.wdb.SetMaxOpenConns(1)
		s.wdb.SetMaxIdleConns(1)
		s.wdb.SetConnMaxLifetime(0)
		s.rdb, err = sql.Open("sqlite3", base+"&_query_only=1")
		if err != nil {
			return nil, fmt.Errorf("open sqlite readers: %w", err)
		}
		n := max(4, 2*runtime.NumCPU())
		s.rdb.SetMaxOpenConns(n)
		s.rdb.SetMaxIdleConns(n)
	}
	if err := s.wdb.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to %s database: %w", s.engine, err)
	}
	// SQLite has one writer; PostgreSQL takes several transactions at once,
	// serialised only while each links its audit entries into the chain.
	workers := 1
	if s.engine == Postgres {
		workers = 4
	}
	if s.engine == SQLite {
		if err := s.prepareHot(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	s.commits = newCommitter(s, o.MaxBatch, workers)
	return s, nil
}

// Engine reports which engine is in use.
func (s *Store) Engine() Engine { return s.engine }

// Close stops the committer and closes the connections.
func (s *Store) Close() error {
	if s.commits != nil {
		s.commits.stop()
	}
	var errs []error
	if s.wdb != nil {
		errs = append(errs, s.wdb.Close())
	}
	if s.rdb != nil && s.rdb != s.wdb {
		errs = append(errs, s.rdb.Close())
	}
	return errors.Join(errs...)
}

// DB returns the writer pool, for tools that need raw access (benchmarks, tests).
func (s *Store) DB() *sql.DB { return s.wdb }

// rebind turns ? placeholders into $n for PostgreSQL.
func (s *Store) rebind(q string) string {
	if s.engine != Postgres {
		return q
	}
	if v, ok := s.binds.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	inStr := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c == '\'' {
			inStr = !inStr
		}
		if c == '?' && !inStr {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	out := b.String()
	s.binds.Store(q, out)
	return out
}

func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	rows, err := s.rdb.QueryContext(ctx, s.rebind(q), args...)
	return rows, mapErr(err)
}

func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return s.rdb.QueryRowContext(ctx, s.rebind(q), args...)
}

// redactDSN hides a password in a connection string.
func redactDSN(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 {
		return dsn
	}
	userinfo := dsn[scheme+3 : at]
	if colon := strings.Index(userinfo, ":"); colon >= 0 {
		return dsn[:scheme+3] + userinfo[:colon] + ":***" + dsn[at:]
	}
	return dsn
}

// RedactDSN hides a password in a connection string, for printing.
func RedactDSN(dsn string) string { return redactDSN(dsn) }
