package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"redress/internal/calendar"
	"redress/internal/deadline"
)

// rulesCache holds the active calendar and time limits, which every
// transition reads and administrators rarely change.
type rulesCache struct {
	mu     sync.RWMutex
	cal    *calendar.Calendar
	limits map[deadline.Kind]deadline.Rule
}

func (s *Store) rules() *rulesCache { return &s.rc }

func (s *Store) forgetRules() {
	c := s.rules()
	c.mu.Lock()
	c.cal, c.limits = nil, nil
	c.mu.Unlock()
}

// Calendar returns the latest calendar revision.
func (s *Store) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	c := s.rules()
	c.mu.RLock()
	cal := c.cal
	c.mu.RUnlock()
	if cal != nil {
		return cal, nil
	}
	var rev int64
	if err := s.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM calendar_revisions").Scan(&rev); err != nil {
		return nil, fmt.Errorf("read calendar revision: %w", mapErr(err))
	}
	cal, err := s.CalendarRevision(ctx, rev)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.cal = cal
	c.mu.Unlock()
	return cal, nil
}

// CalendarRevision loads one revision of the calendar.
func (s *Store) CalendarRevision(ctx context.Context, rev int64) (*calendar.Calendar, error) {
	rows, err := s.query(ctx, "SELECT day, kind, note FROM calendar_days WHERE revision_id = ? ORDER BY day", rev)
	if err != nil {
		return nil, fmt.Errorf("read calendar: %w", err)
	}
	defer rows.Close()
	var days []calendar.Day
	for rows.Next() {
		var d calendar.Day
		if err := rows.Scan(&d.Date, &d.Kind, &d.Note); err != nil {
			return nil, fmt.Errorf("read calendar day: %w", err)
		}
		days = append(days, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read calendar: %w", err)
	}
	return calendar.New(rev, days), nil
}

// CalendarRevisionInfo describes one revision.
type CalendarRevisionInfo struct {
	ID        int64     `json:"id"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
	Days      int       `json:"days"`
}

// CalendarRevisions lists the revisions, newest first.
func (s *Store) CalendarRevisions(ctx context.Context) ([]CalendarRevisionInfo, error) {
	rows, err := s.query(ctx, `SELECT r.id, r.note, r.created_at, (SELECT COUNT(*) FROM calendar_days d WHERE d.revision_id = r.id)
		FROM calendar_revisions r ORDER BY r.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list calendar revisions: %w", err)
	}
	defer rows.Close()
	var out []CalendarRevisionInfo
	for rows.Next() {
		var r CalendarRevisionInfo
		if err := rows.Scan(&r.ID, &r.Note, &r.CreatedAt, &r.Days); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SaveCalendar stores a new revision holding exactly days; later deadlines use it.
func (t *Tx) SaveCalendar(a Actor, days []calendar.Day, note string) (int64, error) {
	var createdBy any
	if a.ID != 0 {
		createdBy = a.ID
	}
	rev, err := t.insert("INSERT INTO calendar_revisions (note, created_at, created_by) VALUES (?, ?, ?)", note, time.Now().UTC(), createdBy)
	if err != nil {
		return 0, fmt.Errorf("create calendar revision: %w", err)
	}
	seen := map[calendar.Date]bool{}
	for _, d := range days {
		if d.Date.IsZero() || (d.Kind != calendar.Off && d.Kind != calendar.Work) {
			return 0, fmt.Errorf("calendar day %q kind %q is not valid", d.Date, d.Kind)
		}
		if seen[d.Date] {
			return 0, fmt.Errorf("calendar day %s is listed twice", d.Date)
		}
		seen[d.Date] = true
		if _, err := t.Exec("INSERT INTO calendar_days (revision_id, day, kind, note) VALUES (?, ?, ?, ?)", rev, d.Date, string(d.Kind), d.Note); err != nil {
			return 0, fmt.Errorf("store calendar day %s: %w", d.Date, err)
		}
	}
	t.AfterCommit(t.s.forgetRules)
	return rev, t.Audit(a, "calendar.revise", "calendar", rev, nil, map[string]any{"note": note, "days": len(days)})
}

// TimeLimits returns every time limit: the defaults with an administrator's changes.
func (s *Store) TimeLimits(ctx context.Context) (map[deadline.Kind]deadline.Rule, error) {
	c := s.rules()
	c.mu.RLock()
	limits := c.limits
	c.mu.RUnlock()
	if limits != nil {
		return limits, nil
	}
	limits = deadline.Defaults()
	rows, err := s.query(ctx, "SELECT kind, count, unit FROM time_limits")
	if err != nil {
		return nil, fmt.Errorf("read time limits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r deadline.Rule
		if err := rows.Scan(&r.Kind, &r.Count, &r.Unit); err != nil {
			return nil, err
		}
		if _, ok := limits[r.Kind]; ok {
			limits[r.Kind] = r
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.limits = limits
	c.mu.Unlock()
	return limits, nil
}

// SetTimeLimit changes one time limit.
func (t *Tx) SetTimeLimit(a Actor, r deadline.Rule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	before, err := t.s.TimeLimits(t.ctx)
	if err != nil {
		return err
	}
	var by any
	if a.ID != 0 {
		by = a.ID
	}
	if _, err := t.Exec("DELETE FROM time_limits WHERE kind = ?", string(r.Kind)); err != nil {
		return fmt.Errorf("set time limit: %w", err)
	}
	if _, err := t.Exec("INSERT INTO time_limits (kind, count, unit, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)",
		string(r.Kind), r.Count, string(r.Unit), time.Now().UTC(), by); err != nil {
		return fmt.Errorf("set time limit: %w", err)
	}
	t.AfterCommit(t.s.forgetRules)
	return t.Audit(a, "time_limit.set", "time_limit", r.Kind, before[r.Kind], r)
}

// Bootstrap installs the data every database starts with: the official
// calendar. It does nothing if a calendar is already there.
func (s *Store) Bootstrap(ctx context.Context) error {
	var n int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM calendar_revisions").Scan(&n); err != nil {
		return fmt.Errorf("bootstrap: %w", mapErr(err))
	}
	if n > 0 {
		return nil
	}
	return s.Write(ctx, func(t *Tx) error {
		_, err := t.SaveCalendar(System, calendar.Official(), "国务院办公厅 2025、2026 年部分节假日安排")
		return err
	})
}
