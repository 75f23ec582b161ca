package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"redress/internal/calendar"
)

// Reception is a leader meeting petitioners: 接访 (reception), 下访 (field
// visit) or 约访 (appointment).
type Reception struct {
	ID            int64         `json:"id"`
	Kind          string        `json:"kind"` // reception | visit | appointment
	UnitID        int64         `json:"unit_id"`
	LeaderName    string        `json:"leader_name"`
	LeaderTitle   string        `json:"leader_title,omitempty"`
	IsHead        bool          `json:"is_head"` // the leader is the unit's head (一把手)
	HeldOn        calendar.Date `json:"held_on"`
	Place         string        `json:"place,omitempty"`
	Promised      string        `json:"promised,omitempty"`
	Notes         string        `json:"notes,omitempty"`
	PetitionIDs   []int64       `json:"petition_ids"`
	PetitionerIDs []int64       `json:"petitioner_ids"`
	CreatedBy     int64         `json:"created_by"`
	CreatedAt     time.Time     `json:"created_at"`
}

// CreateReception stores a reception with the petitions and petitioners it concerned.
func (t *Tx) CreateReception(a Actor, r *Reception) error {
	id, err := t.insert(`INSERT INTO receptions (kind, unit_id, leader_name, leader_title, is_head, held_on, place, promised, notes, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Kind, r.UnitID, r.LeaderName, r.LeaderTitle, r.IsHead, r.HeldOn, r.Place, r.Promised, r.Notes,
		r.CreatedBy, r.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("create reception: %w", err)
	}
	r.ID = id
	for _, p := range r.PetitionIDs {
		if _, err := t.Exec("INSERT INTO reception_petitions (reception_id, petition_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, p); err != nil {
			return fmt.Errorf("link petition %d to reception: %w", p, err)
		}
	}
	for _, p := range r.PetitionerIDs {
		if _, err := t.Exec("INSERT INTO reception_petitioners (reception_id, petitioner_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, p); err != nil {
			return fmt.Errorf("link petitioner %d to reception: %w", p, err)
		}
	}
	return t.Audit(a, "reception.create", "reception", id, nil, map[string]any{
		"kind": r.Kind, "unit_id": r.UnitID, "leader_name": r.LeaderName, "is_head": r.IsHead, "held_on": r.HeldOn.String(),
		"petition_ids": r.PetitionIDs, "promised": r.Promised})
}

// EngagementFilter selects receptions and study meetings.
type EngagementFilter struct {
	UnitIDs    []int64 // nil: all units
	PetitionID int64
	From, To   calendar.Date
}

func (f EngagementFilter) where(table, link string) (string, []any) {
	w := " WHERE 1 = 1"
	var args []any
	if f.UnitIDs != nil {
		if len(f.UnitIDs) == 0 {
			return " WHERE 1 = 0", nil
		}
		w += " AND " + table + ".unit_id IN (" + placeholders(len(f.UnitIDs)) + ")"
		args = append(args, int64sToAny(f.UnitIDs)...)
	}
	if f.PetitionID != 0 {
		w += " AND " + table + ".id IN (SELECT " + link + " FROM " + map[string]string{"r": "reception_petitions", "m": "meeting_cases"}[table] + " WHERE petition_id = ?)"
		args = append(args, f.PetitionID)
	}
	if !f.From.IsZero() {
		w += " AND " + table + ".held_on >= ?"
		args = append(args, f.From)
	}
	if !f.To.IsZero() {
		w += " AND " + table + ".held_on <= ?"
		args = append(args, f.To)
	}
	return w, args
}

// Receptions lists receptions, latest first, with their links.
func (s *Store) Receptions(ctx context.Context, f EngagementFilter) ([]Reception, error) {
	w, args := f.where("r", "reception_id")
	rows, err := s.query(ctx, `SELECT r.id, r.kind, r.unit_id, r.leader_name, r.leader_title, r.is_head, r.held_on, r.place, r.promised, r.notes,
		r.created_by, r.created_at FROM receptions r`+w+" ORDER BY r.held_on DESC, r.id DESC LIMIT 1000", args...)
	if err != nil {
		return nil, fmt.Errorf("list receptions: %w", err)
	}
	out := []Reception{}
	idx := map[int64]int{}
	for rows.Next() {
		var r Reception
		if err := rows.Scan(&r.ID, &r.Kind, &r.UnitID, &r.LeaderName, &r.LeaderTitle, &r.IsHead, &r.HeldOn, &r.Place, &r.Promised, &r.Notes,
			&r.CreatedBy, &r.CreatedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list receptions: %w", mapErr(err))
		}
		r.PetitionIDs, r.PetitionerIDs = []int64{}, []int64{}
		idx[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, mapErr(err)
	}
	ids := make([]any, 0, len(out))
	for _, r := range out {
		ids = append(ids, r.ID)
	}
	for _, link := range []struct {
		q   string
		add func(r *Reception, id int64)
	}{
		{"SELECT reception_id, petition_id FROM reception_petitions", func(r *Reception, id int64) { r.PetitionIDs = append(r.PetitionIDs, id) }},
		{"SELECT reception_id, petitioner_id FROM reception_petitioners", func(r *Reception, id int64) { r.PetitionerIDs = append(r.PetitionerIDs, id) }},
	} {
		rows, err := s.query(ctx, link.q+" WHERE reception_id IN ("+placeholders(len(ids))+") ORDER BY 1, 2", ids...)
		if err != nil {
			return nil, fmt.Errorf("read reception links: %w", err)
		}
		for rows.Next() {
			var rid, id int64
			if err := rows.Scan(&rid, &id); err != nil {
				rows.Close()
				return nil, mapErr(err)
			}
			link.add(&out[idx[rid]], id)
		}
		rows.Close()
	}
	return out, nil
}

// StudyMeeting is a meeting held to study cases (研究会议).
type StudyMeeting struct {
	ID          int64             `json:"id"`
	UnitID      int64             `json:"unit_id"`
	HeldOn      calendar.Date     `json:"held_on"`
	Place       string            `json:"place,omitempty"`
	Chair       string            `json:"chair,omitempty"`
	Attendees   []string          `json:"attendees"`
	PetitionIDs []int64           `json:"petition_ids"`
	Decisions   []MeetingDecision `json:"decisions"`
	CreatedBy   int64             `json:"created_by"`
	CreatedAt   time.Time         `json:"created_at"`
}

// MeetingDecision is one decision of a study meeting, perhaps with the
// assignment it created on the spot.
type MeetingDecision struct {
	ID           int64     `json:"id"`
	MeetingID    int64     `json:"meeting_id"`
	PetitionID   int64     `json:"petition_id,omitempty"`
	Text         string    `json:"text"`
	AssignmentID int64     `json:"assignment_id,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// CreateStudyMeeting stores a meeting and the cases it discussed (decisions are added with AddMeetingDecision).
func (t *Tx) CreateStudyMeeting(a Actor, m *StudyMeeting) error {
	att, err := json.Marshal(m.Attendees)
	if err != nil {
		return fmt.Errorf("attendees: %w", err)
	}
	id, err := t.insert(`INSERT INTO study_meetings (unit_id, held_on, place, chair, attendees, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.UnitID, m.HeldOn, m.Place, m.Chair, string(att), m.CreatedBy, m.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("create study meeting: %w", err)
	}
	m.ID = id
	for _, p := range m.PetitionIDs {
		if _, err := t.Exec("INSERT INTO meeting_cases (meeting_id, petition_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, p); err != nil {
			return fmt.Errorf("link petition %d to meeting: %w", p, err)
		}
	}
	return t.Audit(a, "meeting.create", "study_meeting", id, nil, map[string]any{
		"unit_id": m.UnitID, "held_on": m.HeldOn.String(), "chair": m.Chair, "attendees": m.Attendees, "petition_ids": m.PetitionIDs})
}

// AddMeetingDecision stores one decision of a meeting.
func (t *Tx) AddMeetingDecision(a Actor, d *MeetingDecision) error {
	id, err := t.insert(`INSERT INTO meeting_decisions (meeting_id, petition_id, text, assignment_id, created_at) VALUES (?, ?, ?, ?, ?)`,
		d.MeetingID, nullID(d.PetitionID), d.Text, nullID(d.AssignmentID), d.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("add meeting decision: %w", err)
	}
	d.ID = id
	return t.Audit(a, "meeting.decide", "study_meeting", d.MeetingID, nil, map[string]any{
		"decision_id": id, "petition_id": d.PetitionID, "text": d.Text, "assignment_id": d.AssignmentID})
}

// LatestAssignmentID returns the id of a petition's latest assignment.
func (t *Tx) LatestAssignmentID(petitionID int64) (int64, error) {
	var id int64
	err := t.QueryRow("SELECT COALESCE(MAX(id), 0) FROM assignments WHERE petition_id = ?", petitionID).Scan(&id)
	return id, mapErr(err)
}

// StudyMeetings lists study meetings, latest first, with cases and decisions.
func (s *Store) StudyMeetings(ctx context.Context, f EngagementFilter) ([]StudyMeeting, error) {
	w, args := f.where("m", "meeting_id")
	rows, err := s.query(ctx, `SELECT m.id, m.unit_id, m.held_on, m.place, m.chair, m.attendees, m.created_by, m.created_at
		FROM study_meetings m`+w+" ORDER BY m.held_on DESC, m.id DESC LIMIT 1000", args...)
	if err != nil {
		return nil, fmt.Errorf("list study meetings: %w", err)
	}
	out := []StudyMeeting{}
	idx := map[int64]int{}
	for rows.Next() {
		var m StudyMeeting
		var att string
		if err := rows.Scan(&m.ID, &m.UnitID, &m.HeldOn, &m.Place, &m.Chair, &att, &m.CreatedBy, &m.CreatedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list study meetings: %w", mapErr(err))
		}
		_ = json.Unmarshal([]byte(att), &m.Attendees)
		if m.Attendees == nil {
			m.Attendees = []string{}
		}
		m.PetitionIDs, m.Decisions = []int64{}, []MeetingDecision{}
		idx[m.ID] = len(out)
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, mapErr(err)
	}
	ids := make([]any, 0, len(out))
	for _, m := range out {
		ids = append(ids, m.ID)
	}
	rows, err = s.query(ctx, "SELECT meeting_id, petition_id FROM meeting_cases WHERE meeting_id IN ("+placeholders(len(ids))+") ORDER BY 1, 2", ids...)
	if err != nil {
		return nil, fmt.Errorf("read meeting cases: %w", err)
	}
	for rows.Next() {
		var mid, pid int64
		if err := rows.Scan(&mid, &pid); err != nil {
			rows.Close()
			return nil, mapErr(err)
		}
		out[idx[mid]].PetitionIDs = append(out[idx[mid]].PetitionIDs, pid)
	}
	rows.Close()
	rows, err = s.query(ctx, `SELECT id, meeting_id, COALESCE(petition_id, 0), text, COALESCE(assignment_id, 0), created_at
		FROM meeting_decisions WHERE meeting_id IN (`+placeholders(len(ids))+") ORDER BY id", ids...)
	if err != nil {
		return nil, fmt.Errorf("read meeting decisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d MeetingDecision
		if err := rows.Scan(&d.ID, &d.MeetingID, &d.PetitionID, &d.Text, &d.AssignmentID, &d.CreatedAt); err != nil {
			return nil, mapErr(err)
		}
		out[idx[d.MeetingID]].Decisions = append(out[idx[d.MeetingID]].Decisions, d)
	}
	return out, mapErr(rows.Err())
}
