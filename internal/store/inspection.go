package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"redress/internal/calendar"
)

// Inspection is an inspection (巡察) of a unit over a period.
type Inspection struct {
	ID          int64         `json:"id"`
	UnitID      int64         `json:"unit_id"`
	From        calendar.Date `json:"period_from"`
	To          calendar.Date `json:"period_to"`
	BacklogDays int           `json:"backlog_days"`
	OpenedBy    int64         `json:"opened_by"`
	OpenedAt    time.Time     `json:"opened_at"`
}

// CreateInspection opens an inspection.
func (t *Tx) CreateInspection(a Actor, in *Inspection) error {
	id, err := t.insert(`INSERT INTO inspections (unit_id, period_from, period_to, backlog_days, opened_by, opened_at) VALUES (?, ?, ?, ?, ?, ?)`,
		in.UnitID, in.From, in.To, in.BacklogDays, in.OpenedBy, in.OpenedAt.UTC())
	if err != nil {
		return fmt.Errorf("open inspection: %w", err)
	}
	in.ID = id
	return t.Audit(a, "inspection.open", "inspection", id, nil, map[string]any{
		"unit_id": in.UnitID, "period_from": in.From.String(), "period_to": in.To.String(), "backlog_days": in.BacklogDays})
}

// Inspection reads one inspection.
func (s *Store) Inspection(ctx context.Context, id int64) (Inspection, error) {
	var in Inspection
	err := s.queryRow(ctx, `SELECT id, unit_id, period_from, period_to, backlog_days, opened_by, opened_at FROM inspections WHERE id = ?`, id).
		Scan(&in.ID, &in.UnitID, &in.From, &in.To, &in.BacklogDays, &in.OpenedBy, &in.OpenedAt)
	if err != nil {
		return in, fmt.Errorf("inspection %d: %w", id, mapErr(err))
	}
	return in, nil
}

// InspectedCase is what an inspection report needs of one case of the unit.
type InspectedCase struct {
	PetitionID    int64
	TrackingCode  string
	Title         string
	State         string
	ReceivedOn    calendar.Date
	ClosedAt      *time.Time
	RepliedAt     *time.Time
	PetitionerID  int64
	MatterID      int64
	MatterCount   int             // petitions sharing the matter
	HeadMeetings  []calendar.Date // receptions by the unit's head concerning the case or its petitioner
	StudyMeetings []calendar.Date // study meetings that discussed the case
	Missed        []MissedDeadline
	Returns       int // times this unit returned it
	Escalations   map[string]int
}

// MissedDeadline is an obligation met late, or still open after its due date.
type MissedDeadline struct {
	Kind  string        `json:"kind"`
	DueOn calendar.Date `json:"due_on"`
	MetOn calendar.Date `json:"met_on,omitempty"` // zero: still open
}

// InspectedCases returns the cases ever assigned to unitID that were
// received by to and not closed before from, with their engagement
// records, missed deadlines (as of asOf), returns and escalations.
func (s *Store) InspectedCases(ctx context.Context, unitID int64, from, to, asOf calendar.Date) ([]InspectedCase, error) {
	start, _ := time.ParseInLocation(time.DateOnly, from.String(), calendar.Location)
	rows, err := s.query(ctx, `SELECT p.id, p.tracking_code, p.title, p.state, p.received_on, p.closed_at, p.replied_at, p.petitioner_id, p.matter_id,
			(SELECT COUNT(*) FROM petitions m WHERE m.matter_id = p.matter_id),
			(SELECT COUNT(*) FROM assignments r WHERE r.petition_id = p.id AND r.unit_id = ? AND r.state = 'returned')
		FROM petitions p
		WHERE p.id IN (SELECT a.petition_id FROM assignments a WHERE a.unit_id = ?)
		AND p.received_on <= ? AND (p.closed_at IS NULL OR p.closed_at >= ?)
		ORDER BY p.id`, unitID, unitID, to, start.UTC())
	if err != nil {
		return nil, fmt.Errorf("inspected cases: %w", err)
	}
	var out []InspectedCase
	for rows.Next() {
		var c InspectedCase
		if err := rows.Scan(&c.PetitionID, &c.TrackingCode, &c.Title, &c.State, &c.ReceivedOn, &c.ClosedAt, &c.RepliedAt, &c.PetitionerID, &c.MatterID,
			&c.MatterCount, &c.Returns); err != nil {
			rows.Close()
			return nil, fmt.Errorf("inspected cases: %w", mapErr(err))
		}
		c.Escalations = map[string]int{}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("inspected cases: %w", mapErr(err))
	}
	for i := range out {
		c := &out[i]
		dates := func(q string, args ...any) ([]calendar.Date, error) {
			rows, err := s.query(ctx, q, args...)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			var ds []calendar.Date
			for rows.Next() {
				var d calendar.Date
				if err := rows.Scan(&d); err != nil {
					return nil, mapErr(err)
				}
				ds = append(ds, d)
			}
			return ds, mapErr(rows.Err())
		}
		if c.HeadMeetings, err = dates(`SELECT r.held_on FROM receptions r WHERE r.unit_id = ? AND r.is_head AND r.held_on <= ?
				AND (r.id IN (SELECT reception_id FROM reception_petitions WHERE petition_id = ?)
				  OR r.id IN (SELECT reception_id FROM reception_petitioners WHERE petitioner_id = ?))
				ORDER BY r.held_on, r.id`, unitID, to, c.PetitionID, c.PetitionerID); err != nil {
			return nil, fmt.Errorf("receptions of petition %d: %w", c.PetitionID, err)
		}
		if c.StudyMeetings, err = dates(`SELECT m.held_on FROM study_meetings m JOIN meeting_cases mc ON mc.meeting_id = m.id
				WHERE mc.petition_id = ? AND m.held_on <= ? ORDER BY m.held_on, m.id`, c.PetitionID, to); err != nil {
			return nil, fmt.Errorf("meetings of petition %d: %w", c.PetitionID, err)
		}
		drows, err := s.query(ctx, `SELECT kind, due_on, met_at FROM deadlines WHERE petition_id = ? AND obligation AND due_on < ? ORDER BY due_on, id`,
			c.PetitionID, asOf)
		if err != nil {
			return nil, fmt.Errorf("deadlines of petition %d: %w", c.PetitionID, err)
		}
		for drows.Next() {
			var m MissedDeadline
			var met *time.Time
			if err := drows.Scan(&m.Kind, &m.DueOn, &met); err != nil {
				drows.Close()
				return nil, mapErr(err)
			}
			if met != nil {
				m.MetOn = calendar.DateOf(*met)
				if !m.MetOn.After(m.DueOn) {
					continue
				}
			}
			c.Missed = append(c.Missed, m)
		}
		drows.Close()
		erows, err := s.query(ctx, `SELECT action, COUNT(*) FROM escalation_steps WHERE petition_id = ? AND unit_id = ? AND fired_on <= ? GROUP BY action`,
			c.PetitionID, unitID, asOf)
		if err != nil {
			return nil, fmt.Errorf("escalations of petition %d: %w", c.PetitionID, err)
		}
		for erows.Next() {
			var a string
			var n int
			if err := erows.Scan(&a, &n); err != nil {
				erows.Close()
				return nil, mapErr(err)
			}
			c.Escalations[a] = n
		}
		erows.Close()
	}
	return out, nil
}

// Rectification is an item an inspection requires a unit to put right (整改),
// with an owner and a due date; the escalation ladder applies to it.
type Rectification struct {
	ID           int64         `json:"id"`
	InspectionID int64         `json:"inspection_id"`
	UnitID       int64         `json:"unit_id"`
	PetitionID   int64         `json:"petition_id,omitempty"`
	Finding      string        `json:"finding"`
	OwnerName    string        `json:"owner_name"`
	DueOn        calendar.Date `json:"due_on"`
	State        string        `json:"state"` // open | done
	DoneAt       *time.Time    `json:"done_at,omitempty"`
	DoneNote     string        `json:"done_note,omitempty"`
	CreatedBy    int64         `json:"created_by"`
	CreatedAt    time.Time     `json:"created_at"`
}

// CreateRectification stores a rectification item.
func (t *Tx) CreateRectification(a Actor, r *Rectification) error {
	r.State = "open"
	id, err := t.insert(`INSERT INTO rectifications (inspection_id, unit_id, petition_id, finding, owner_name, due_on, state, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)`, r.InspectionID, r.UnitID, nullID(r.PetitionID), r.Finding, r.OwnerName, r.DueOn, r.CreatedBy, r.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("create rectification: %w", err)
	}
	r.ID = id
	return t.Audit(a, "rectification.create", "rectification", id, nil, map[string]any{
		"inspection_id": r.InspectionID, "unit_id": r.UnitID, "petition_id": r.PetitionID, "finding": r.Finding, "owner_name": r.OwnerName,
		"due_on": r.DueOn.String()})
}

// CompleteRectification marks an open item done.
func (t *Tx) CompleteRectification(a Actor, id int64, note string, now time.Time) error {
	res, err := t.Exec("UPDATE rectifications SET state = 'done', done_at = ?, done_note = ? WHERE id = ? AND state = 'open'", now.UTC(), note, id)
	if err != nil {
		return fmt.Errorf("complete rectification %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("open rectification %d: %w", id, ErrNotFound)
	}
	return t.Audit(a, "rectification.done", "rectification", id, map[string]any{"state": "open"}, map[string]any{"state": "done", "note": note})
}

const rectCols = `id, inspection_id, unit_id, COALESCE(petition_id, 0), finding, owner_name, due_on, state, done_at, done_note, created_by, created_at`

func scanRect(sc interface{ Scan(...any) error }) (Rectification, error) {
	var r Rectification
	err := sc.Scan(&r.ID, &r.InspectionID, &r.UnitID, &r.PetitionID, &r.Finding, &r.OwnerName, &r.DueOn, &r.State, &r.DoneAt, &r.DoneNote, &r.CreatedBy, &r.CreatedAt)
	return r, mapErr(err)
}

// Rectification reads one item.
func (s *Store) Rectification(ctx context.Context, id int64) (Rectification, error) {
	r, err := scanRect(s.queryRow(ctx, "SELECT "+rectCols+" FROM rectifications WHERE id = ?", id))
	if err != nil {
		return r, fmt.Errorf("rectification %d: %w", id, err)
	}
	return r, nil
}

// Rectifications lists an inspection's items.
func (s *Store) Rectifications(ctx context.Context, inspectionID int64) ([]Rectification, error) {
	rows, err := s.query(ctx, "SELECT "+rectCols+" FROM rectifications WHERE inspection_id = ? ORDER BY id", inspectionID)
	if err != nil {
		return nil, fmt.Errorf("list rectifications: %w", err)
	}
	defer rows.Close()
	out := []Rectification{}
	for rows.Next() {
		r, err := scanRect(rows)
		if err != nil {
			return nil, fmt.Errorf("list rectifications: %w", err)
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// DueRectifications lists open rectification items due on or before maxDue
// (and on or after minDue unless zero) on which rule has not fired yet.
func (s *Store) DueRectifications(ctx context.Context, rule string, maxDue, minDue calendar.Date, limit int) ([]EscalationCandidate, error) {
	q := `SELECT r.id, r.due_on, r.unit_id, COALESCE(r.petition_id, 0) FROM rectifications r WHERE r.state = 'open' AND r.due_on <= ?`
	args := []any{maxDue}
	if !minDue.IsZero() {
		q += " AND r.due_on >= ?"
		args = append(args, minDue)
	}
	q += ` AND NOT EXISTS (SELECT 1 FROM escalation_steps s WHERE s.rule = ? AND s.subject = 'rectification' AND s.subject_id = r.id AND s.due_on = r.due_on)
		ORDER BY r.due_on, r.id LIMIT ?`
	args = append(args, rule, limit)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find due rectifications for %s: %w", rule, err)
	}
	defer rows.Close()
	var out []EscalationCandidate
	for rows.Next() {
		c := EscalationCandidate{Subject: "rectification"}
		if err := rows.Scan(&c.SubjectID, &c.DueOn, &c.UnitID, &c.PetitionID); err != nil {
			return nil, fmt.Errorf("find due rectifications: %w", mapErr(err))
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// recheckRectification is RecheckCandidate for a rectification item.
func (t *Tx) recheckRectification(c EscalationCandidate) (CandidateNow, bool, error) {
	var now CandidateNow
	var finding string
	err := t.QueryRow("SELECT unit_id, finding FROM rectifications WHERE id = ? AND state = 'open' AND due_on = ?", c.SubjectID, c.DueOn).
		Scan(&now.UnitID, &finding)
	if errors.Is(err, sql.ErrNoRows) {
		return now, false, nil
	}
	if err != nil {
		return now, false, fmt.Errorf("re-read rectification %d: %w", c.SubjectID, mapErr(err))
	}
	now.TrackingCode = fmt.Sprintf("整改#%d", c.SubjectID)
	now.Title = finding
	if r := []rune(finding); len(r) > 40 {
		now.Title = string(r[:40]) + "…"
	}
	return now, true, nil
}
