package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// ImportJob is a batch import started in the browser, as recorded while it
// runs and after it ends.
type ImportJob struct {
	ID          string
	OwnerID     int64
	File        string
	SkipInvalid bool
	Phase       string // checking | storing | done | refused | failed
	Done, Total int    // progress of the current phase
	Rows        int    // rows read
	Created     int
	Existing    int
	RejectCount int
	Rejects     []ImportReject // the first invalid rows (at most MaxImportRejects)
	Message     string         // why it failed, in the owner's language
	StartedAt   time.Time
	HeartbeatAt time.Time
	FinishedAt  *time.Time
}

// ImportReject is an invalid row of an import as recorded.
type ImportReject struct {
	Line  int    `json:"line"`
	Error string `json:"error"`
}

// MaxImportRejects is how many invalid rows a job keeps.
const MaxImportRejects = 100

// Running reports whether the job is still checking or storing.
func (j ImportJob) Running() bool { return j.Phase == "checking" || j.Phase == "storing" }

// Interrupted reports whether the job was running when its process ended:
// it is running but its heartbeat is older than stale on now.
func (j ImportJob) Interrupted(now time.Time, stale time.Duration) bool {
	return j.Running() && now.Sub(j.HeartbeatAt) > stale
}

// SaveImportJob records the job (a new one, or its progress). Its start and
// its end are audited; progress in between is not.
func (t *Tx) SaveImportJob(a Actor, j ImportJob) error {
	if len(j.Rejects) > MaxImportRejects {
		j.Rejects = j.Rejects[:MaxImportRejects]
	}
	if j.Rejects == nil {
		j.Rejects = []ImportReject{}
	}
	rejects, err := json.Marshal(j.Rejects)
	if err != nil {
		return fmt.Errorf("save import job: %w", err)
	}
	var before struct{ Phase string }
	err = t.QueryRow("SELECT phase FROM import_jobs WHERE id = ?", j.ID).Scan(&before.Phase)
	isNew := mapErr(err) == ErrNotFound
	if err != nil && !isNew {
		return fmt.Errorf("save import job: %w", mapErr(err))
	}
	var finished any
	if j.FinishedAt != nil {
		finished = j.FinishedAt.UTC()
	}
	if _, err := t.Exec(`INSERT INTO import_jobs (id, owner_id, file, skip_invalid, phase, done, total, rows_read, created, existing,
			reject_count, rejects, message, started_at, heartbeat_at, finished_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET phase = excluded.phase, done = excluded.done, total = excluded.total,
			rows_read = excluded.rows_read, created = excluded.created, existing = excluded.existing,
			reject_count = excluded.reject_count, rejects = excluded.rejects, message = excluded.message,
			heartbeat_at = excluded.heartbeat_at, finished_at = excluded.finished_at`,
		j.ID, j.OwnerID, j.File, j.SkipInvalid, j.Phase, j.Done, j.Total, j.Rows, j.Created, j.Existing,
		j.RejectCount, string(rejects), j.Message, j.StartedAt.UTC(), j.HeartbeatAt.UTC(), finished); err != nil {
		return fmt.Errorf("save import job: %w", mapErr(err))
	}
	switch {
	case isNew:
		return t.Audit(a, "import.start", "import_job", j.ID, nil, map[string]any{"file": j.File, "skip_invalid": j.SkipInvalid})
	case before.Phase != j.Phase && !j.Running():
		return t.Audit(a, "import.finish", "import_job", j.ID, before, map[string]any{"phase": j.Phase, "rows": j.Rows,
			"created": j.Created, "existing": j.Existing, "rejects": j.RejectCount})
	}
	return nil
}

const importJobCols = `id, owner_id, file, skip_invalid, phase, done, total, rows_read, created, existing,
	reject_count, rejects, message, started_at, heartbeat_at, finished_at`

func scanImportJob(row interface{ Scan(...any) error }) (ImportJob, error) {
	var j ImportJob
	var rejects string
	if err := row.Scan(&j.ID, &j.OwnerID, &j.File, &j.SkipInvalid, &j.Phase, &j.Done, &j.Total, &j.Rows, &j.Created, &j.Existing,
		&j.RejectCount, &rejects, &j.Message, &j.StartedAt, &j.HeartbeatAt, &j.FinishedAt); err != nil {
		return j, mapErr(err)
	}
	if err := json.Unmarshal([]byte(rejects), &j.Rejects); err != nil {
		return j, fmt.Errorf("import job %s: rejects: %w", j.ID, err)
	}
	return j, nil
}

// ImportJob returns the job with id (ErrNotFound if there is none).
func (s *Store) ImportJob(ctx context.Context, id string) (ImportJob, error) {
	j, err := scanImportJob(s.queryRow(ctx, "SELECT "+importJobCols+" FROM import_jobs WHERE id = ?", id))
	if err != nil {
		return j, fmt.Errorf("read import job: %w", err)
	}
	return j, nil
}

// ImportJobs lists the owner's newest jobs, at most limit.
func (s *Store) ImportJobs(ctx context.Context, ownerID int64, limit int) ([]ImportJob, error) {
	rows, err := s.query(ctx, "SELECT "+importJobCols+" FROM import_jobs WHERE owner_id = ? ORDER BY started_at DESC, id DESC LIMIT ?", ownerID, limit)
	if err != nil {
		return nil, fmt.Errorf("list import jobs: %w", err)
	}
	defer rows.Close()
	var out []ImportJob
	for rows.Next() {
		j, err := scanImportJob(rows)
		if err != nil {
			return nil, fmt.Errorf("list import jobs: %w", err)
		}
		out = append(out, j)
	}
	return out, mapErr(rows.Err())
}
