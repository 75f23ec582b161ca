package store

import (
	"context"
	"fmt"
	"time"

	"redress/internal/calendar"
)

// FollowUp is a call to the petitioner after a reply (回访).
type FollowUp struct {
	ID         int64     `json:"id"`
	PetitionID int64     `json:"petition_id"`
	Result     string    `json:"result"` // satisfied (满意) | basic (基本满意) | dissatisfied (不满意)
	Note       string    `json:"note,omitempty"`
	ByUser     int64     `json:"by_user"`
	At         time.Time `json:"at"`
}

// AddFollowUp stores a follow-up.
func (t *Tx) AddFollowUp(a Actor, f *FollowUp) error {
	id, err := t.insert("INSERT INTO follow_ups (petition_id, result, note, by_user, at) VALUES (?, ?, ?, ?, ?)",
		f.PetitionID, f.Result, f.Note, f.ByUser, f.At.UTC())
	if err != nil {
		return fmt.Errorf("add follow-up: %w", err)
	}
	f.ID = id
	return t.Audit(a, "followup.create", "petition", f.PetitionID, nil, map[string]any{"follow_up_id": id, "result": f.Result})
}

// FollowUps lists a petition's follow-ups in order.
func (s *Store) FollowUps(ctx context.Context, petitionID int64) ([]FollowUp, error) {
	rows, err := s.query(ctx, "SELECT id, petition_id, result, note, by_user, at FROM follow_ups WHERE petition_id = ? ORDER BY id", petitionID)
	if err != nil {
		return nil, fmt.Errorf("list follow-ups: %w", err)
	}
	defer rows.Close()
	out := []FollowUp{}
	for rows.Next() {
		var f FollowUp
		if err := rows.Scan(&f.ID, &f.PetitionID, &f.Result, &f.Note, &f.ByUser, &f.At); err != nil {
			return nil, fmt.Errorf("list follow-ups: %w", mapErr(err))
		}
		out = append(out, f)
	}
	return out, mapErr(rows.Err())
}

// RateRow is one assignment (not returned) with what the rates are computed from.
type RateRow struct {
	UnitID       int64
	PetitionID   int64
	AssignedAt   time.Time
	SignedAt     *time.Time
	NotifyDue    calendar.Date // zero if none
	ReplyDue     calendar.Date // zero if none
	ReplyMet     *time.Time
	RepliedAt    *time.Time
	ReplyOutcome string
	FollowUp     string // the latest follow-up's result, "" if none
}

// RateRows returns the assignments made in [from, to) that were not
// returned, for computing response, on-time, resolution and satisfaction rates.
func (s *Store) RateRows(ctx context.Context, from, to time.Time, unitIDs []int64) ([]RateRow, error) {
	q := `SELECT a.unit_id, a.petition_id, a.assigned_at, a.signed_at, dn.due_on, dr.due_on, dr.met_at, p.replied_at, p.reply_outcome,
			COALESCE((SELECT f.result FROM follow_ups f WHERE f.petition_id = a.petition_id ORDER BY f.id DESC LIMIT 1), '')
		FROM assignments a JOIN petitions p ON p.id = a.petition_id
		LEFT JOIN deadlines dn ON dn.petition_id = a.petition_id AND dn.kind = 'notify'
		LEFT JOIN deadlines dr ON dr.petition_id = a.petition_id AND dr.kind = 'reply'
		WHERE a.state <> 'returned' AND a.assigned_at >= ? AND a.assigned_at < ?`
	args := []any{from.UTC(), to.UTC()}
	if unitIDs != nil {
		if len(unitIDs) == 0 {
			return nil, nil
		}
		q += " AND a.unit_id IN (" + placeholders(len(unitIDs)) + ")"
		args = append(args, int64sToAny(unitIDs)...)
	}
	rows, err := s.query(ctx, q+" ORDER BY a.id", args...)
	if err != nil {
		return nil, fmt.Errorf("read rate rows: %w", err)
	}
	defer rows.Close()
	var out []RateRow
	for rows.Next() {
		var r RateRow
		if err := rows.Scan(&r.UnitID, &r.PetitionID, &r.AssignedAt, &r.SignedAt, &r.NotifyDue, &r.ReplyDue, &r.ReplyMet, &r.RepliedAt,
			&r.ReplyOutcome, &r.FollowUp); err != nil {
			return nil, fmt.Errorf("read rate rows: %w", mapErr(err))
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}
