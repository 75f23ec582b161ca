package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"redress/internal/calendar"
)

// MatterRow is a matter (信访事项) in a list, with the counts of its petitions.
type MatterRow struct {
	ID          int64         `json:"id"`
	Title       string        `json:"title"`
	ProblemID   int64         `json:"problem_id,omitempty"`
	FinalAt     *time.Time    `json:"final_at,omitempty"`
	Petitions   int           `json:"petitions"`
	Petitioners int           `json:"petitioners"`
	Channels    int           `json:"channels"`
	FirstOn     calendar.Date `json:"first_on"`
	LastOn      calendar.Date `json:"last_on"`
	Open        int           `json:"open"`
}

// Matters lists matters not merged away that hold at least minPetitions
// petitions, most petitions first (then the newest matter).
func (s *Store) Matters(ctx context.Context, minPetitions, limit int) ([]MatterRow, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := s.query(ctx, `SELECT m.id, m.title, COALESCE(m.problem_id, 0), m.final_at, COUNT(p.id), COUNT(DISTINCT p.petitioner_id),
		COUNT(DISTINCT p.channel), `+s.dateText("MIN(p.received_on)")+`, `+s.dateText("MAX(p.received_on)")+`,
		COALESCE(SUM(CASE WHEN p.state IN ('closed','declined') THEN 0 ELSE 1 END), 0)
		FROM matters m JOIN petitions p ON p.matter_id = m.id WHERE m.merged_into IS NULL
		GROUP BY m.id, m.title, m.problem_id, m.final_at HAVING COUNT(p.id) >= ?
		ORDER BY COUNT(p.id) DESC, m.id DESC LIMIT ?`, minPetitions, limit)
	if err != nil {
		return nil, fmt.Errorf("list matters: %w", err)
	}
	defer rows.Close()
	var out []MatterRow
	for rows.Next() {
		var m MatterRow
		var first, last sql.NullString
		if err := rows.Scan(&m.ID, &m.Title, &m.ProblemID, &m.FinalAt, &m.Petitions, &m.Petitioners, &m.Channels, &first, &last, &m.Open); err != nil {
			return nil, fmt.Errorf("list matters: %w", mapErr(err))
		}
		m.FirstOn, _ = calendar.ParseDate(first.String)
		m.LastOn, _ = calendar.ParseDate(last.String)
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}

// DetachMatter takes a matter out of a problem; ErrNotFound when the
// matter is not under that problem.
func (t *Tx) DetachMatter(problemID, matterID int64) error {
	res, err := t.Exec("UPDATE matters SET problem_id = NULL WHERE id = ? AND problem_id = ?", matterID, problemID)
	if err != nil {
		return fmt.Errorf("detach matter %d: %w", matterID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("detach matter %d from problem %d: %w", matterID, problemID, ErrNotFound)
	}
	return nil
}
