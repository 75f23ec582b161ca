package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"redress/internal/calendar"
)

// Commitment is a leader's commitment for a year: a hard problem (硬骨头)
// to crack or a reform result to produce.
type Commitment struct {
	ID         int64      `json:"id"`
	Year       int        `json:"year"`
	LeaderName string     `json:"leader_name"`
	UnitID     int64      `json:"unit_id"`
	Kind       string     `json:"kind"` // hard_problem | reform
	Title      string     `json:"title"`
	Target     string     `json:"target,omitempty"`
	State      string     `json:"state"` // open | achieved | missed
	Review     string     `json:"review,omitempty"`
	ReviewedAt *time.Time `json:"reviewed_at,omitempty"`
	Progress   []Progress `json:"progress"`
	CreatedBy  int64      `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
}

// Progress is one progress note on a commitment.
type Progress struct {
	ID     int64     `json:"id"`
	Note   string    `json:"note"`
	ByUser int64     `json:"by_user"`
	At     time.Time `json:"at"`
}

// CountCommitments counts a leader's commitments of a kind in a year.
func (t *Tx) CountCommitments(year int, leader string, unitID int64, kind string) (int, error) {
	var n int
	err := t.QueryRow("SELECT COUNT(*) FROM commitments WHERE year = ? AND leader_name = ? AND unit_id = ? AND kind = ?", year, leader, unitID, kind).Scan(&n)
	return n, mapErr(err)
}

// CreateCommitment stores a commitment.
func (t *Tx) CreateCommitment(a Actor, c *Commitment) error {
	c.State = "open"
	id, err := t.insert(`INSERT INTO commitments (year, leader_name, unit_id, kind, title, target, state, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)`, c.Year, c.LeaderName, c.UnitID, c.Kind, c.Title, c.Target, c.CreatedBy, c.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("create commitment: %w", err)
	}
	c.ID = id
	return t.Audit(a, "commitment.create", "commitment", id, nil, map[string]any{
		"year": c.Year, "leader_name": c.LeaderName, "unit_id": c.UnitID, "kind": c.Kind, "title": c.Title, "target": c.Target})
}

// AddProgress records progress on an open commitment.
func (t *Tx) AddProgress(a Actor, commitmentID int64, p *Progress) error {
	var state string
	if err := t.QueryRow("SELECT state FROM commitments WHERE id = ?", commitmentID).Scan(&state); err != nil {
		return fmt.Errorf("commitment %d: %w", commitmentID, mapErr(err))
	}
	if state != "open" {
		return fmt.Errorf("commitment %d: %w: it was reviewed already", commitmentID, ErrConflict)
	}
	id, err := t.insert("INSERT INTO commitment_progress (commitment_id, note, by_user, at) VALUES (?, ?, ?, ?)", commitmentID, p.Note, p.ByUser, p.At.UTC())
	if err != nil {
		return fmt.Errorf("add progress: %w", err)
	}
	p.ID = id
	return t.Audit(a, "commitment.progress", "commitment", commitmentID, nil, map[string]any{"progress_id": id, "note": p.Note})
}

// ReviewCommitment records the year-end review of an open commitment.
func (t *Tx) ReviewCommitment(a Actor, id int64, state, review string, now time.Time) error {
	res, err := t.Exec("UPDATE commitments SET state = ?, review = ?, reviewed_at = ? WHERE id = ? AND state = 'open'", state, review, now.UTC(), id)
	if err != nil {
		return fmt.Errorf("review commitment %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("open commitment %d: %w", id, ErrNotFound)
	}
	return t.Audit(a, "commitment.review", "commitment", id, map[string]any{"state": "open"}, map[string]any{"state": state, "review": review})
}

// Commitments lists a year's commitments (one when id is not 0) with their progress.
func (s *Store) Commitments(ctx context.Context, year int, id int64) ([]Commitment, error) {
	q := `SELECT id, year, leader_name, unit_id, kind, title, target, state, review, reviewed_at, created_by, created_at FROM commitments`
	var args []any
	if id != 0 {
		q += " WHERE id = ?"
		args = append(args, id)
	} else {
		q += " WHERE year = ?"
		args = append(args, year)
	}
	rows, err := s.query(ctx, q+" ORDER BY unit_id, leader_name, kind, id", args...)
	if err != nil {
		return nil, fmt.Errorf("list commitments: %w", err)
	}
	out := []Commitment{}
	idx := map[int64]int{}
	for rows.Next() {
		var c Commitment
		if err := rows.Scan(&c.ID, &c.Year, &c.LeaderName, &c.UnitID, &c.Kind, &c.Title, &c.Target, &c.State, &c.Review, &c.ReviewedAt,
			&c.CreatedBy, &c.CreatedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list commitments: %w", mapErr(err))
		}
		c.Progress = []Progress{}
		idx[c.ID] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, mapErr(err)
	}
	ids := make([]any, 0, len(out))
	for _, c := range out {
		ids = append(ids, c.ID)
	}
	prows, err := s.query(ctx, "SELECT commitment_id, id, note, by_user, at FROM commitment_progress WHERE commitment_id IN ("+placeholders(len(ids))+") ORDER BY id", ids...)
	if err != nil {
		return nil, fmt.Errorf("read progress: %w", err)
	}
	defer prows.Close()
	for prows.Next() {
		var cid int64
		var p Progress
		if err := prows.Scan(&cid, &p.ID, &p.Note, &p.ByUser, &p.At); err != nil {
			return nil, mapErr(err)
		}
		out[idx[cid]].Progress = append(out[idx[cid]].Progress, p)
	}
	return out, mapErr(prows.Err())
}

// Checklist is a list of items a joint meeting (联席会议) owns.
type Checklist struct {
	ID        int64           `json:"id"`
	Title     string          `json:"title"`
	Meeting   string          `json:"meeting"`
	Items     []ChecklistItem `json:"items"`
	CreatedBy int64           `json:"created_by"`
	CreatedAt time.Time       `json:"created_at"`
}

// ChecklistItem is one item with its responsible unit and due date; the
// escalation ladder applies to it.
type ChecklistItem struct {
	ID          int64         `json:"id"`
	ChecklistID int64         `json:"checklist_id"`
	Title       string        `json:"title"`
	UnitID      int64         `json:"unit_id"`
	DueOn       calendar.Date `json:"due_on"`
	State       string        `json:"state"` // open | done
	DoneAt      *time.Time    `json:"done_at,omitempty"`
	DoneNote    string        `json:"done_note,omitempty"`
}

// CreateChecklist stores a checklist and its items.
func (t *Tx) CreateChecklist(a Actor, c *Checklist) error {
	id, err := t.insert("INSERT INTO checklists (title, meeting, created_by, created_at) VALUES (?, ?, ?, ?)", c.Title, c.Meeting, c.CreatedBy, c.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("create checklist: %w", err)
	}
	c.ID = id
	for i := range c.Items {
		it := &c.Items[i]
		it.ChecklistID, it.State = id, "open"
		if it.ID, err = t.insert("INSERT INTO checklist_items (checklist_id, title, unit_id, due_on, state, created_at) VALUES (?, ?, ?, ?, 'open', ?)",
			id, it.Title, it.UnitID, it.DueOn, c.CreatedAt.UTC()); err != nil {
			return fmt.Errorf("add checklist item: %w", err)
		}
	}
	return t.Audit(a, "checklist.create", "checklist", id, nil, c)
}

// CompleteChecklistItem marks an open item done.
func (t *Tx) CompleteChecklistItem(a Actor, id int64, note string, now time.Time) error {
	res, err := t.Exec("UPDATE checklist_items SET state = 'done', done_at = ?, done_note = ? WHERE id = ? AND state = 'open'", now.UTC(), note, id)
	if err != nil {
		return fmt.Errorf("complete checklist item %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("open checklist item %d: %w", id, ErrNotFound)
	}
	return t.Audit(a, "checklist.item.done", "checklist_item", id, map[string]any{"state": "open"}, map[string]any{"state": "done", "note": note})
}

const itemCols = "id, checklist_id, title, unit_id, due_on, state, done_at, done_note"

func scanItem(sc interface{ Scan(...any) error }) (ChecklistItem, error) {
	var it ChecklistItem
	err := sc.Scan(&it.ID, &it.ChecklistID, &it.Title, &it.UnitID, &it.DueOn, &it.State, &it.DoneAt, &it.DoneNote)
	return it, mapErr(err)
}

// ChecklistItem reads one item.
func (s *Store) ChecklistItem(ctx context.Context, id int64) (ChecklistItem, error) {
	it, err := scanItem(s.queryRow(ctx, "SELECT "+itemCols+" FROM checklist_items WHERE id = ?", id))
	if err != nil {
		return it, fmt.Errorf("checklist item %d: %w", id, err)
	}
	return it, nil
}

// Checklist reads a checklist with its items.
func (s *Store) Checklist(ctx context.Context, id int64) (Checklist, error) {
	var c Checklist
	if err := s.queryRow(ctx, "SELECT id, title, meeting, created_by, created_at FROM checklists WHERE id = ?", id).
		Scan(&c.ID, &c.Title, &c.Meeting, &c.CreatedBy, &c.CreatedAt); err != nil {
		return c, fmt.Errorf("checklist %d: %w", id, mapErr(err))
	}
	rows, err := s.query(ctx, "SELECT "+itemCols+" FROM checklist_items WHERE checklist_id = ? ORDER BY id", id)
	if err != nil {
		return c, fmt.Errorf("checklist items: %w", err)
	}
	defer rows.Close()
	c.Items = []ChecklistItem{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return c, fmt.Errorf("checklist items: %w", err)
		}
		c.Items = append(c.Items, it)
	}
	return c, mapErr(rows.Err())
}

// DueChecklistItems lists open checklist items due on or before maxDue (and
// on or after minDue unless zero) on which rule has not fired yet.
func (s *Store) DueChecklistItems(ctx context.Context, rule string, maxDue, minDue calendar.Date, limit int) ([]EscalationCandidate, error) {
	q := `SELECT i.id, i.due_on, i.unit_id FROM checklist_items i WHERE i.state = 'open' AND i.due_on <= ?`
	args := []any{maxDue}
	if !minDue.IsZero() {
		q += " AND i.due_on >= ?"
		args = append(args, minDue)
	}
	q += ` AND NOT EXISTS (SELECT 1 FROM escalation_steps s WHERE s.rule = ? AND s.subject = 'checklist_item' AND s.subject_id = i.id AND s.due_on = i.due_on)
		ORDER BY i.due_on, i.id LIMIT ?`
	args = append(args, rule, limit)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find due checklist items for %s: %w", rule, err)
	}
	defer rows.Close()
	var out []EscalationCandidate
	for rows.Next() {
		c := EscalationCandidate{Subject: "checklist_item"}
		if err := rows.Scan(&c.SubjectID, &c.DueOn, &c.UnitID); err != nil {
			return nil, fmt.Errorf("find due checklist items: %w", mapErr(err))
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// recheckChecklistItem is RecheckCandidate for a checklist item.
func (t *Tx) recheckChecklistItem(c EscalationCandidate) (CandidateNow, bool, error) {
	var now CandidateNow
	var title string
	err := t.QueryRow("SELECT unit_id, title FROM checklist_items WHERE id = ? AND state = 'open' AND due_on = ?", c.SubjectID, c.DueOn).
		Scan(&now.UnitID, &title)
	if errors.Is(err, sql.ErrNoRows) {
		return now, false, nil
	}
	if err != nil {
		return now, false, fmt.Errorf("re-read checklist item %d: %w", c.SubjectID, mapErr(err))
	}
	now.TrackingCode = fmt.Sprintf("清单#%d", c.SubjectID)
	now.Title = title
	return now, true, nil
}
