package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Tx is a write transaction. Within a group commit each caller's work runs
// inside its own savepoint, so one caller's failure leaves the others intact.
type Tx struct {
	s       *Store
	tx      *sql.Tx
	ctx     context.Context
	pending []AuditEntry // audit entries to link and write before commit
	after   []func()
}

// Exec runs a statement.
func (t *Tx) Exec(q string, args ...any) (sql.Result, error) {
	if st := t.s.stmts[q]; st != nil {
		r, err := t.tx.StmtContext(t.ctx, st).ExecContext(t.ctx, args...)
		return r, mapErr(err)
	}
	r, err := t.tx.ExecContext(t.ctx, t.s.rebind(q), args...)
	return r, mapErr(err)
}

// Query runs a query.
func (t *Tx) Query(q string, args ...any) (*sql.Rows, error) {
	rows, err := t.tx.QueryContext(t.ctx, t.s.rebind(q), args...)
	return rows, mapErr(err)
}

// QueryRow runs a query returning one row; map its Scan error with Scan.
func (t *Tx) QueryRow(q string, args ...any) *sql.Row {
	if st := t.s.stmts[q]; st != nil {
		return t.tx.StmtContext(t.ctx, st).QueryRowContext(t.ctx, args...)
	}
	return t.tx.QueryRowContext(t.ctx, t.s.rebind(q), args...)
}

// insert runs an INSERT and returns the new row's id. SQLite reports it
// through LastInsertId, which costs a quarter of RETURNING there; PostgreSQL
// has no LastInsertId, so it gets RETURNING id.
func (t *Tx) insert(q string, args ...any) (int64, error) {
	if t.s.engine == SQLite {
		res, err := t.Exec(q, args...)
		if err != nil {
			return 0, err
		}
		return res.LastInsertId()
	}
	var id int64
	if err := t.QueryRow(q+returningID, args...).Scan(&id); err != nil {
		return 0, mapErr(err)
	}
	return id, nil
}

// Context is the context of the caller whose work is running.
func (t *Tx) Context() context.Context { return t.ctx }

// Store returns the store the transaction belongs to.
func (t *Tx) Store() *Store { return t.s }

// AfterCommit registers f to run once the transaction has committed.
// It does not run if this caller's work fails or the commit fails.
func (t *Tx) AfterCommit(f func()) { t.after = append(t.after, f) }

type job struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
}

// committer gathers concurrent writes into shared transactions (group commit).
type committer struct {
	s        *Store
	jobs     chan job
	maxBatch int
	quit     chan struct{}
	wg       sync.WaitGroup
	once     sync.Once

	batches, jobsDone atomic.Int64
	busy              atomic.Int64 // nanoseconds spent committing
}

// CommitBusy reports the total time the committers spent running batches.
func (s *Store) CommitBusy() time.Duration { return time.Duration(s.commits.busy.Load()) }

// CommitStats reports how many transactions were committed and how many
// writes they carried: the ratio is the group-commit batch size.
func (s *Store) CommitStats() (commits, writes int64) {
	return s.commits.batches.Load(), s.commits.jobsDone.Load()
}

func newCommitter(s *Store, maxBatch, workers int) *committer {
	c := &committer{s: s, jobs: make(chan job, 4*maxBatch), maxBatch: maxBatch, quit: make(chan struct{})}
	for range workers {
		c.wg.Add(1)
		go c.run()
	}
	return c
}

func (c *committer) stop() {
	c.once.Do(func() { close(c.quit) })
	c.wg.Wait()
}

// Write runs fn in a write transaction and returns once the transaction is
// durably committed (or has failed). fn must not call Write itself.
func (s *Store) Write(ctx context.Context, fn func(*Tx) error) error {
	j := job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case s.commits.jobs <- j:
	case <-s.commits.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Wait for the outcome even if ctx ends now: the work may already be committed.
	select {
	case err := <-j.done:
		return err
	case <-s.commits.quit:
		select {
		case err := <-j.done:
			return err
		default:
			return ErrClosed
		}
	}
}

func (c *committer) run() {
	defer c.wg.Done()
	for {
		var first job
		select {
		case first = <-c.jobs:
		case <-c.quit:
			c.drain()
			return
		}
		batch := []job{first}
	gather:
		for len(batch) < c.maxBatch {
			select {
			case j := <-c.jobs:
				batch = append(batch, j)
			default:
				break gather
			}
		}
		c.commit(batch)
	}
}

// drain fails the jobs still queued at shutdown.
func (c *committer) drain() {
	for {
		select {
		case j := <-c.jobs:
			j.done <- ErrClosed
		default:
			return
		}
	}
}

func (c *committer) commit(batch []job) {
	start := time.Now()
	defer func() { c.busy.Add(int64(time.Since(start))) }()
	// Optimistically run the whole batch as one transaction; writes are
	// validated before they get here, so failures are rare. Only when one
	// fails is the batch run again with each job in its own savepoint.
	if retry := c.attempt(batch, false); retry {
		c.attempt(batch, true)
	}
}

// attempt runs batch in one transaction and delivers every job's result,
// unless isolate is false, a job of several failed, and it rolled back to
// ask for a retry with savepoints.
func (c *committer) attempt(batch []job, isolate bool) (retry bool) {
	results := make([]error, len(batch))
	afters := make([][]func(), len(batch))
	sqlTx, err := c.s.wdb.BeginTx(context.Background(), nil)
	if err != nil {
		for _, j := range batch {
			j.done <- fmt.Errorf("begin transaction: %w", mapErr(err))
		}
		return false
	}
	t := &Tx{s: c.s, tx: sqlTx, ctx: context.Background()}
	solo := !isolate || len(batch) == 1 // no savepoints
	ran := 0
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		// The job has started and is short: it runs to the end. A context
		// without a Done channel also spares the SQLite driver from running
		// every statement on a goroutine of its own to watch for cancellation.
		t.ctx = context.WithoutCancel(j.ctx)
		t.after = nil
		saved := len(t.pending)
		if !solo {
			if _, err := t.Exec(qSavepoint); err != nil {
				results[i] = fmt.Errorf("savepoint: %w", err)
				continue
			}
		}
		err := runJob(j.fn, t)
		if err != nil && !isolate && len(batch) > 1 {
			_ = sqlTx.Rollback()
			return true
		}
		if err != nil {
			results[i] = err
			t.pending = t.pending[:saved]
			if !solo {
				if _, rbErr := t.Exec(qRollbackSavepoint); rbErr != nil {
					// The transaction is unusable: fail everything.
					_ = sqlTx.Rollback()
					c.failAll(batch, results, fmt.Errorf("rollback to savepoint: %w", rbErr))
					return false
				}
				_, _ = t.Exec(qReleaseSavepoint)
			}
			continue
		}
		if !solo {
			if _, err := t.Exec(qReleaseSavepoint); err != nil {
				_ = sqlTx.Rollback()
				c.failAll(batch, results, fmt.Errorf("release savepoint: %w", err))
				return false
			}
		}
		afters[i] = t.after
		ran++
	}
	t.ctx = context.Background()
	if ran == 0 {
		_ = sqlTx.Rollback()
		for i, j := range batch {
			j.done <- results[i]
		}
		return false
	}
	if err := t.flushAudit(); err != nil {
		_ = sqlTx.Rollback()
		c.failAll(batch, results, err)
		return false
	}
	if err := sqlTx.Commit(); err != nil {
		c.failAll(batch, results, fmt.Errorf("commit: %w", mapErr(err)))
		return false
	}

	c.batches.Add(1)
	c.jobsDone.Add(int64(ran))
	for i, j := range batch {
		if results[i] == nil {
			for _, f := range afters[i] {
				f()
			}
		}
		j.done <- results[i]
	}
	return false
}

func (c *committer) failAll(batch []job, results []error, err error) {
	for i, j := range batch {
		if results[i] == nil {
			results[i] = err
		}
		j.done <- results[i]
	}
}

// runJob runs fn, turning a panic into an error so one bad caller cannot
// take down the committer.
func runJob(fn func(*Tx) error, t *Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in write: %v", r)
		}
	}()
	return fn(t)
}

const returningID = " RETURNING id"

var (
	qSavepoint         = hot("SAVEPOINT w")
	qRollbackSavepoint = hot("ROLLBACK TO SAVEPOINT w")
	qReleaseSavepoint  = hot("RELEASE SAVEPOINT w")
)

// hotQueries are the statements on the intake and transition paths. On
// SQLite they are prepared once on the writer connection at start-up, so
// a write does not pay for parsing SQL (the driver keeps no statement cache;
// pgx does, so PostgreSQL needs none of this).
var hotQueries []string

// hot registers a statement for preparation and returns it.
func hot(q string) string {
	hotQueries = append(hotQueries, q)
	return q
}

// hotInsert registers an INSERT for insert.
func hotInsert(q string) string { return hot(q) }

// prepareHot prepares the hot statements on the (single, idle) writer connection.
func (s *Store) prepareHot(ctx context.Context) error {
	s.stmts = make(map[string]*sql.Stmt, len(hotQueries))
	for _, q := range hotQueries {
		st, err := s.wdb.PrepareContext(ctx, q)
		if err != nil {
			if strings.Contains(err.Error(), "no such table") {
				// Not migrated yet: run without prepared statements until the next start.
				s.stmts = nil
				return nil
			}
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		s.stmts[q] = st
	}
	return nil
}
