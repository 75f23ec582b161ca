package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"redress/internal/calendar"
)

// Problem statuses.
const (
	ProblemOpen       = "open"
	ProblemInProgress = "in_progress"
	ProblemResolved   = "resolved"
)

// Problem is a hard problem (老大难) behind many petitions, led by a leader
// (包案/领办), with responsible units, a plan, milestones and notes.
type Problem struct {
	ID          int64       `json:"id"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	LeadUserID  int64       `json:"lead_user_id"`
	LeadName    string      `json:"lead_name,omitempty"`
	Plan        string      `json:"plan"`
	Status      string      `json:"status"`
	UnitIDs     []int64     `json:"unit_ids"`
	Milestones  []Milestone `json:"milestones"`
	Notes       []Note      `json:"notes"`
	MatterIDs   []int64     `json:"matter_ids"`
	Petitions   int         `json:"petitions"`
	Open        int         `json:"open"` // petitions neither closed nor declined
	CreatedBy   int64       `json:"created_by,omitempty"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
	ResolvedAt  *time.Time  `json:"resolved_at,omitempty"`
}

// Milestone is a dated step of a problem's plan.
type Milestone struct {
	ID     int64         `json:"id"`
	Title  string        `json:"title"`
	DueOn  calendar.Date `json:"due_on"`
	DoneAt *time.Time    `json:"done_at,omitempty"`
}

// Note is a progress note on a problem.
type Note struct {
	ID     int64     `json:"id"`
	UserID int64     `json:"user_id,omitempty"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
}

// InsertProblem stores a new problem with its units.
func (t *Tx) InsertProblem(p *Problem) error {
	id, err := t.insert(`INSERT INTO problems (title, description, lead_user_id, plan, status, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.Title, p.Description, p.LeadUserID, p.Plan, p.Status, nullID(p.CreatedBy), p.CreatedAt.UTC(), p.UpdatedAt.UTC())
	if err != nil {
		return fmt.Errorf("store problem: %w", err)
	}
	p.ID = id
	return t.SetProblemUnits(id, p.UnitIDs)
}

// UpdateProblem saves a problem's own fields.
func (t *Tx) UpdateProblem(p *Problem) error {
	_, err := t.Exec(`UPDATE problems SET title = ?, description = ?, lead_user_id = ?, plan = ?, status = ?, updated_at = ?, resolved_at = ? WHERE id = ?`,
		p.Title, p.Description, p.LeadUserID, p.Plan, p.Status, p.UpdatedAt.UTC(), utcPtr(p.ResolvedAt), p.ID)
	if err != nil {
		return fmt.Errorf("update problem %d: %w", p.ID, err)
	}
	return nil
}

// SetProblemUnits replaces a problem's responsible units.
func (t *Tx) SetProblemUnits(id int64, units []int64) error {
	if _, err := t.Exec("DELETE FROM problem_units WHERE problem_id = ?", id); err != nil {
		return fmt.Errorf("problem %d units: %w", id, err)
	}
	for _, u := range units {
		if _, err := t.Exec("INSERT INTO problem_units (problem_id, unit_id) VALUES (?, ?)", id, u); err != nil {
			return fmt.Errorf("problem %d units: %w", id, err)
		}
	}
	return nil
}

// AddMilestone adds a milestone to a problem.
func (t *Tx) AddMilestone(problemID int64, m *Milestone, at time.Time) error {
	id, err := t.insert("INSERT INTO problem_milestones (problem_id, title, due_on, created_at) VALUES (?, ?, ?, ?)", problemID, m.Title, m.DueOn, at.UTC())
	if err != nil {
		return fmt.Errorf("add milestone: %w", err)
	}
	m.ID = id
	return nil
}

// CompleteMilestone marks a milestone of a problem done; ErrNotFound if it
// is not the problem's or is done already.
func (t *Tx) CompleteMilestone(problemID, milestoneID int64, at time.Time) error {
	res, err := t.Exec("UPDATE problem_milestones SET done_at = ? WHERE id = ? AND problem_id = ? AND done_at IS NULL", at.UTC(), milestoneID, problemID)
	if err != nil {
		return fmt.Errorf("complete milestone %d: %w", milestoneID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("complete milestone %d: %w", milestoneID, ErrNotFound)
	}
	return nil
}

// AddProblemNote adds a progress note.
func (t *Tx) AddProblemNote(problemID int64, n *Note) error {
	id, err := t.insert("INSERT INTO problem_notes (problem_id, user_id, text, at) VALUES (?, ?, ?, ?)", problemID, nullID(n.UserID), n.Text, n.At.UTC())
	if err != nil {
		return fmt.Errorf("add problem note: %w", err)
	}
	n.ID = id
	return nil
}

// AttachMatter puts a matter (not merged away) under a problem and returns
// the problem it was under before (0: none).
func (t *Tx) AttachMatter(problemID, matterID int64) (int64, error) {
	var before sql.NullInt64
	var merged sql.NullInt64
	if err := t.QueryRow("SELECT problem_id, merged_into FROM matters WHERE id = ?", matterID).Scan(&before, &merged); err != nil {
		return 0, fmt.Errorf("matter %d: %w", matterID, mapErr(err))
	}
	if merged.Valid {
		return 0, fmt.Errorf("matter %d was merged into %d: %w", matterID, merged.Int64, ErrConflict)
	}
	if _, err := t.Exec("UPDATE matters SET problem_id = ? WHERE id = ?", problemID, matterID); err != nil {
		return 0, fmt.Errorf("attach matter %d: %w", matterID, err)
	}
	return before.Int64, nil
}

// ProblemTx reads a problem's own fields inside the transaction.
func (t *Tx) ProblemTx(id int64) (Problem, error) {
	p := Problem{ID: id}
	err := t.QueryRow(`SELECT title, description, lead_user_id, plan, status, COALESCE(created_by, 0), created_at, updated_at, resolved_at
		FROM problems WHERE id = ?`, id).Scan(&p.Title, &p.Description, &p.LeadUserID, &p.Plan, &p.Status, &p.CreatedBy, &p.CreatedAt, &p.UpdatedAt, &p.ResolvedAt)
	if err != nil {
		return p, fmt.Errorf("problem %d: %w", id, mapErr(err))
	}
	return p, nil
}

// ProblemOpenPetitions counts the petitions of a problem's matters that are
// neither closed nor declined, inside the transaction.
func (t *Tx) ProblemOpenPetitions(id int64) (int, error) {
	var n int
	err := t.QueryRow(`SELECT COUNT(*) FROM petitions p JOIN matters m ON m.id = p.matter_id
		WHERE m.problem_id = ? AND p.state NOT IN ('closed', 'declined')`, id).Scan(&n)
	return n, mapErr(err)
}

// Problem reads a problem with its units, milestones, notes, matters and counts.
func (s *Store) Problem(ctx context.Context, id int64) (Problem, error) {
	p := Problem{ID: id, UnitIDs: []int64{}, Milestones: []Milestone{}, Notes: []Note{}, MatterIDs: []int64{}}
	err := s.queryRow(ctx, `SELECT pb.title, pb.description, pb.lead_user_id, COALESCE(u.name, ''), pb.plan, pb.status, COALESCE(pb.created_by, 0),
		pb.created_at, pb.updated_at, pb.resolved_at FROM problems pb LEFT JOIN users u ON u.id = pb.lead_user_id WHERE pb.id = ?`, id).
		Scan(&p.Title, &p.Description, &p.LeadUserID, &p.LeadName, &p.Plan, &p.Status, &p.CreatedBy, &p.CreatedAt, &p.UpdatedAt, &p.ResolvedAt)
	if err != nil {
		return p, fmt.Errorf("problem %d: %w", id, mapErr(err))
	}
	if p.UnitIDs, err = s.ids(ctx, "SELECT unit_id FROM problem_units WHERE problem_id = ? ORDER BY unit_id", id); err != nil {
		return p, err
	}
	if p.MatterIDs, err = s.ids(ctx, "SELECT id FROM matters WHERE problem_id = ? ORDER BY id", id); err != nil {
		return p, err
	}
	if p.UnitIDs == nil {
		p.UnitIDs = []int64{}
	}
	if p.MatterIDs == nil {
		p.MatterIDs = []int64{}
	}
	rows, err := s.query(ctx, "SELECT id, title, due_on, done_at FROM problem_milestones WHERE problem_id = ? ORDER BY due_on, id", id)
	if err != nil {
		return p, fmt.Errorf("problem %d milestones: %w", id, err)
	}
	for rows.Next() {
		var m Milestone
		if err := rows.Scan(&m.ID, &m.Title, &m.DueOn, &m.DoneAt); err != nil {
			rows.Close()
			return p, mapErr(err)
		}
		p.Milestones = append(p.Milestones, m)
	}
	rows.Close()
	rows, err = s.query(ctx, "SELECT id, COALESCE(user_id, 0), text, at FROM problem_notes WHERE problem_id = ? ORDER BY id", id)
	if err != nil {
		return p, fmt.Errorf("problem %d notes: %w", id, err)
	}
	for rows.Next() {
		var n Note
		if err := rows.Scan(&n.ID, &n.UserID, &n.Text, &n.At); err != nil {
			rows.Close()
			return p, mapErr(err)
		}
		p.Notes = append(p.Notes, n)
	}
	rows.Close()
	err = s.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN p.state IN ('closed','declined') THEN 0 ELSE 1 END), 0)
		FROM petitions p JOIN matters m ON m.id = p.matter_id WHERE m.problem_id = ?`, id).Scan(&p.Petitions, &p.Open)
	return p, mapErr(err)
}

// Problems lists problems (own fields and counts only), newest first;
// status "" for any.
func (s *Store) Problems(ctx context.Context, status string) ([]Problem, error) {
	rows, err := s.query(ctx, `SELECT pb.id, pb.title, pb.lead_user_id, COALESCE(u.name, ''), pb.status, pb.created_at, pb.updated_at, pb.resolved_at,
		(SELECT COUNT(*) FROM petitions p JOIN matters m ON m.id = p.matter_id WHERE m.problem_id = pb.id),
		(SELECT COUNT(*) FROM petitions p JOIN matters m ON m.id = p.matter_id WHERE m.problem_id = pb.id AND p.state NOT IN ('closed','declined'))
		FROM problems pb LEFT JOIN users u ON u.id = pb.lead_user_id WHERE (? = '' OR pb.status = ?) ORDER BY pb.id DESC`, status, status)
	if err != nil {
		return nil, fmt.Errorf("problems: %w", err)
	}
	defer rows.Close()
	out := []Problem{}
	for rows.Next() {
		var p Problem
		if err := rows.Scan(&p.ID, &p.Title, &p.LeadUserID, &p.LeadName, &p.Status, &p.CreatedAt, &p.UpdatedAt, &p.ResolvedAt, &p.Petitions, &p.Open); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, p)
	}
	return out, mapErr(rows.Err())
}
