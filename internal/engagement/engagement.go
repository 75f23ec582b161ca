// Package engagement records leaders' engagement with petitioners and their
// cases: receptions, field visits and appointments (接访/下访/约访) with what
// was promised, and study meetings (研究会议) whose decisions may assign a
// case to a unit with a deadline on the spot. Inspections ask of these
// records whether a unit's head met the petitioner, how often and when, and
// whether a meeting studied the problem.
package engagement

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"redress/internal/access"
	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// Kinds of reception.
var Kinds = []string{"reception", "visit", "appointment"}

// Service records engagement on a store, through the lifecycle for assignments.
type Service struct {
	lc *lifecycle.Service
	st *store.Store
}

// New returns the service.
func New(lc *lifecycle.Service) *Service { return &Service{lc: lc, st: lc.Store()} }

// ReceptionInput is a reception to record.
type ReceptionInput struct {
	Kind        string         `json:"kind"`
	UnitCode    string         `json:"unit_code"`
	LeaderName  string         `json:"leader_name"`
	LeaderTitle string         `json:"leader_title"`
	IsHead      bool           `json:"is_head"`
	HeldOn      *calendar.Date `json:"held_on"`
	Place       string         `json:"place"`
	Promised    string         `json:"promised"`
	Notes       string         `json:"notes"`
	PetitionIDs []int64        `json:"petition_ids"`
}

// recorders may record engagement; handlers and heads only for their own unit.
var recorders = []org.Role{org.RoleBureau, org.RoleLeader, org.RoleHead, org.RoleHandler}

func (s *Service) unitFor(u org.User, tree *org.Tree, code string) (org.Unit, error) {
	if !slices.Contains(recorders, u.Role) {
		return org.Unit{}, failure.Forbidden("the %s role may not record leaders' engagement", u.Role)
	}
	unit, ok := tree.ByCode(strings.TrimSpace(code))
	if !ok {
		return unit, failure.Invalid("unit_code", "unit %q does not exist", code)
	}
	if u.Role.UnitScoped() && !tree.Within(unit.ID, u.UnitID) {
		return unit, failure.Forbidden("a unit may record only its own engagement")
	}
	return unit, nil
}

// cases loads the linked petitions, refusing any the user may not see.
func (s *Service) cases(ctx context.Context, u org.User, tree *org.Tree, ids []int64) ([]*petition.Case, error) {
	if len(ids) > 200 {
		return nil, failure.Invalid("petition_ids", "at most 200 petitions may be linked")
	}
	var out []*petition.Case
	for _, id := range ids {
		c, err := s.st.Case(ctx, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !access.CanSee(u, tree, c)) {
			return nil, failure.Invalid("petition_ids", "petition %d does not exist", id)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func text(field, v string, minLen, maxLen int) (string, error) {
	v = strings.TrimSpace(v)
	if n := len([]rune(v)); n < minLen || n > maxLen {
		if minLen == 0 {
			return "", failure.Invalid(field, "%s may have at most %d characters", field, maxLen)
		}
		return "", failure.Invalid(field, "%s needs %d–%d characters", field, minLen, maxLen)
	}
	return v, nil
}

// RecordReception stores a reception, linking the petitioners of the petitions it concerned.
func (s *Service) RecordReception(ctx context.Context, u org.User, in ReceptionInput, now time.Time) (store.Reception, error) {
	var r store.Reception
	tree, err := s.st.Units(ctx)
	if err != nil {
		return r, err
	}
	unit, err := s.unitFor(u, tree, in.UnitCode)
	if err != nil {
		return r, err
	}
	if !slices.Contains(Kinds, in.Kind) {
		return r, failure.Invalid("kind", "kind %q is not one of reception, visit, appointment", in.Kind)
	}
	if in.HeldOn == nil || in.HeldOn.After(calendar.DateOf(now)) {
		return r, failure.Invalid("held_on", "held_on is required and may not be in the future")
	}
	r = store.Reception{Kind: in.Kind, UnitID: unit.ID, IsHead: in.IsHead, HeldOn: *in.HeldOn, CreatedBy: u.ID, CreatedAt: now,
		PetitionIDs: []int64{}, PetitionerIDs: []int64{}}
	if r.LeaderName, err = text("leader_name", in.LeaderName, 1, 100); err != nil {
		return r, err
	}
	for _, f := range []struct {
		name string
		in   string
		out  *string
	}{{"leader_title", in.LeaderTitle, &r.LeaderTitle}, {"place", in.Place, &r.Place}, {"promised", in.Promised, &r.Promised}, {"notes", in.Notes, &r.Notes}} {
		if *f.out, err = text(f.name, f.in, 0, 5000); err != nil {
			return r, err
		}
	}
	cs, err := s.cases(ctx, u, tree, in.PetitionIDs)
	if err != nil {
		return r, err
	}
	for _, c := range cs {
		if !slices.Contains(r.PetitionIDs, c.Petition.ID) {
			r.PetitionIDs = append(r.PetitionIDs, c.Petition.ID)
		}
		if !slices.Contains(r.PetitionerIDs, c.Petitioner.ID) {
			r.PetitionerIDs = append(r.PetitionerIDs, c.Petitioner.ID)
		}
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateReception(store.Actor{ID: u.ID, Login: u.Login}, &r); err != nil {
			return err
		}
		for _, id := range r.PetitionIDs {
			if err := tx.AddEvent(&petition.Event{PetitionID: id, At: now, ActorID: u.ID, Action: "engagement." + r.Kind, Note: r.Promised,
				Data: map[string]any{"reception_id": r.ID, "leader_name": r.LeaderName, "is_head": r.IsHead, "held_on": r.HeldOn.String()}}); err != nil {
				return err
			}
		}
		return nil
	})
	return r, err
}

// DecisionInput is one decision of a study meeting; with UnitCode (and
// DueOn) it assigns the petition to that unit on the spot.
type DecisionInput struct {
	PetitionID int64          `json:"petition_id"`
	Text       string         `json:"text"`
	UnitCode   string         `json:"assign_unit_code"`
	DueOn      *calendar.Date `json:"due_on"`
}

// MeetingInput is a study meeting to record.
type MeetingInput struct {
	UnitCode    string          `json:"unit_code"`
	HeldOn      *calendar.Date  `json:"held_on"`
	Place       string          `json:"place"`
	Chair       string          `json:"chair"`
	Attendees   []string        `json:"attendees"`
	PetitionIDs []int64         `json:"petition_ids"`
	Decisions   []DecisionInput `json:"decisions"`
}

// RecordMeeting stores a study meeting and its decisions in one transaction;
// a decision that assigns a case goes through the lifecycle (the case must be
// accepted or returned, and the caller must be the bureau), so its deadlines
// and escalation follow as for any assignment.
func (s *Service) RecordMeeting(ctx context.Context, u org.User, in MeetingInput, now time.Time) (store.StudyMeeting, error) {
	var m store.StudyMeeting
	tree, err := s.st.Units(ctx)
	if err != nil {
		return m, err
	}
	unit, err := s.unitFor(u, tree, in.UnitCode)
	if err != nil {
		return m, err
	}
	if in.HeldOn == nil || in.HeldOn.After(calendar.DateOf(now)) {
		return m, failure.Invalid("held_on", "held_on is required and may not be in the future")
	}
	m = store.StudyMeeting{UnitID: unit.ID, HeldOn: *in.HeldOn, CreatedBy: u.ID, CreatedAt: now, Attendees: []string{}, PetitionIDs: []int64{}}
	if m.Place, err = text("place", in.Place, 0, 200); err != nil {
		return m, err
	}
	if m.Chair, err = text("chair", in.Chair, 1, 100); err != nil {
		return m, err
	}
	for _, a := range in.Attendees {
		if a = strings.TrimSpace(a); a != "" {
			m.Attendees = append(m.Attendees, a)
		}
	}
	if len(m.Attendees) > 100 {
		return m, failure.Invalid("attendees", "at most 100 attendees")
	}
	ids := slices.Clone(in.PetitionIDs)
	for _, d := range in.Decisions {
		if d.PetitionID != 0 && !slices.Contains(ids, d.PetitionID) {
			ids = append(ids, d.PetitionID)
		}
	}
	if _, err := s.cases(ctx, u, tree, ids); err != nil {
		return m, err
	}
	m.PetitionIDs = ids
	if len(in.Decisions) > 100 {
		return m, failure.Invalid("decisions", "at most 100 decisions")
	}
	for i, d := range in.Decisions {
		if _, err := text("decisions.text", d.Text, 2, 5000); err != nil {
			return m, err
		}
		if d.UnitCode != "" && d.PetitionID == 0 {
			return m, failure.Invalid("decisions.petition_id", "decision %d assigns a unit but names no petition", i+1)
		}
	}
	actor := store.Actor{ID: u.ID, Login: u.Login}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		m.Decisions = []store.MeetingDecision{}
		if err := tx.CreateStudyMeeting(actor, &m); err != nil {
			return err
		}
		for _, id := range m.PetitionIDs {
			if err := tx.AddEvent(&petition.Event{PetitionID: id, At: now, ActorID: u.ID, Action: "engagement.meeting",
				Data: map[string]any{"meeting_id": m.ID, "chair": m.Chair, "held_on": m.HeldOn.String()}}); err != nil {
				return err
			}
		}
		for _, in := range in.Decisions {
			d := store.MeetingDecision{MeetingID: m.ID, PetitionID: in.PetitionID, Text: strings.TrimSpace(in.Text), CreatedAt: now}
			if in.UnitCode != "" {
				err := s.lc.DoTx(tx, u, in.PetitionID, lifecycle.Assign, lifecycle.Input{UnitCode: in.UnitCode, DueOn: in.DueOn, Note: d.Text})
				if err != nil {
					return err
				}
				if d.AssignmentID, err = tx.LatestAssignmentID(in.PetitionID); err != nil {
					return err
				}
			}
			if err := tx.AddMeetingDecision(actor, &d); err != nil {
				return err
			}
			m.Decisions = append(m.Decisions, d)
		}
		return nil
	})
	return m, err
}

// Filter selects engagement records as user may see them: units see their own.
func Filter(u org.User, tree *org.Tree, f store.EngagementFilter) store.EngagementFilter {
	if !u.Role.UnitScoped() {
		return f
	}
	own := tree.Subtree(u.UnitID)
	if f.UnitIDs == nil {
		f.UnitIDs = own
		return f
	}
	keep := []int64{}
	for _, id := range f.UnitIDs {
		if slices.Contains(own, id) {
			keep = append(keep, id)
		}
	}
	f.UnitIDs = keep
	return f
}
