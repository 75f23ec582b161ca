// Package inspection supports inspections (巡察) of a unit: the inspector
// opens one over a period and the system drafts the report the article
// describes — for each repeat or backlog case of the unit, has its head met
// the petitioner, how many times and when, was a study meeting held, which
// deadlines were missed, how many returns and escalations — with the unit's
// rates. Findings become rectification items (整改) with owners and due
// dates, which climb the escalation ladder like any deadline.
package inspection

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/ranking"
	"redress/internal/store"
)

// DefaultBacklogDays is how long a case must be open to count as backlog (积案) unless the inspector says otherwise.
const DefaultBacklogDays = 90

// Open starts an inspection of the unit with code over [from, to]; only inspectors may.
func Open(ctx context.Context, st *store.Store, u org.User, unitCode string, from, to calendar.Date, backlogDays int, now time.Time) (store.Inspection, error) {
	var in store.Inspection
	if u.Role != org.RoleInspector {
		return in, failure.Forbidden("only inspectors open inspections")
	}
	tree, err := st.Units(ctx)
	if err != nil {
		return in, err
	}
	unit, ok := tree.ByCode(strings.TrimSpace(unitCode))
	if !ok {
		return in, failure.Invalid("unit_code", "unit %q does not exist", unitCode)
	}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return in, failure.Invalid("period_to", "the period needs period_from on or before period_to")
	}
	if from.AddDays(3 * 366).Before(to) {
		return in, failure.Invalid("period_to", "the period may be at most three years")
	}
	if backlogDays == 0 {
		backlogDays = DefaultBacklogDays
	}
	if backlogDays < 1 || backlogDays > 3650 {
		return in, failure.Invalid("backlog_days", "backlog_days must be 1–3650")
	}
	in = store.Inspection{UnitID: unit.ID, From: from, To: to, BacklogDays: backlogDays, OpenedBy: u.ID, OpenedAt: now}
	err = st.Write(ctx, func(tx *store.Tx) error { return tx.CreateInspection(store.Actor{ID: u.ID, Login: u.Login}, &in) })
	return in, err
}

// CaseFinding answers the inspector's questions about one case.
type CaseFinding struct {
	PetitionID      int64         `json:"petition_id"`
	TrackingCode    string        `json:"tracking_code"`
	Title           string        `json:"title"`
	State           string        `json:"state"`
	ReceivedOn      calendar.Date `json:"received_on"`
	Repeat          bool          `json:"repeat"`           // its matter has two petitions or more
	MatterPetitions int           `json:"matter_petitions"` // how many
	Backlog         bool          `json:"backlog"`          // open longer than the backlog threshold
	DaysOpen        int           `json:"days_open"`        // to closing, or to the end of the period
	// Has the unit's head met the petitioner? How many times, when?
	HeadMet          bool            `json:"head_met"`
	HeadMeetings     int             `json:"head_meetings"`
	HeadMeetingDates []calendar.Date `json:"head_meeting_dates"`
	// Was a meeting held to study the problem?
	StudyMeetingHeld  bool                   `json:"study_meeting_held"`
	StudyMeetings     int                    `json:"study_meetings"`
	StudyMeetingDates []calendar.Date        `json:"study_meeting_dates"`
	MissedDeadlines   []store.MissedDeadline `json:"missed_deadlines"`
	Returns           int                    `json:"returns"`
	Escalations       int                    `json:"escalations"`
	EscalationsBy     map[string]int         `json:"escalations_by_action"`
	Resolved          bool                   `json:"resolved"` // replied or closed by the end of the period
}

// Summary counts the report's cases.
type Summary struct {
	Cases             int      `json:"cases"`
	Repeat            int      `json:"repeat"`
	Backlog           int      `json:"backlog"`
	HeadMet           int      `json:"head_met"`
	StudyMeetingHeld  int      `json:"study_meeting_held"`
	WithMissed        int      `json:"with_missed_deadlines"`
	Resolved          int      `json:"resolved"`
	ResolutionRate    *float64 `json:"resolution_rate"` // 化解率 of the repeat and backlog cases
	Returns           int      `json:"returns"`
	Escalations       int      `json:"escalations"`
	OpenRectification int      `json:"open_rectifications"`
}

// Report is the drafted inspection report.
type Report struct {
	Inspection     store.Inspection      `json:"inspection"`
	Unit           org.Unit              `json:"unit"`
	Rates          ranking.Rates         `json:"rates"`
	Summary        Summary               `json:"summary"`
	Cases          []CaseFinding         `json:"cases"`
	Rectifications []store.Rectification `json:"rectifications"`
	DraftedAt      time.Time             `json:"drafted_at"`
}

// Draft builds the report of inspection id from the records as they are now.
func Draft(ctx context.Context, st *store.Store, id int64, now time.Time) (Report, error) {
	var rep Report
	in, err := st.Inspection(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return rep, failure.NotFound("inspection")
	}
	if err != nil {
		return rep, err
	}
	tree, err := st.Units(ctx)
	if err != nil {
		return rep, err
	}
	unit, _ := tree.Unit(in.UnitID)
	rep = Report{Inspection: in, Unit: unit, Cases: []CaseFinding{}, DraftedAt: now.UTC()}
	rates, err := ranking.For(ctx, st, []int64{in.UnitID}, in.From, in.To, ranking.DefaultWeights)
	if err != nil {
		return rep, err
	}
	if r := rates[in.UnitID]; r != nil {
		rep.Rates = *r
	}
	cases, err := st.InspectedCases(ctx, in.UnitID, in.From, in.To, in.To.AddDays(1))
	if err != nil {
		return rep, err
	}
	for _, c := range cases {
		end := in.To
		if c.ClosedAt != nil && !calendar.DateOf(*c.ClosedAt).After(in.To) {
			end = calendar.DateOf(*c.ClosedAt)
		}
		f := CaseFinding{
			PetitionID: c.PetitionID, TrackingCode: c.TrackingCode, Title: c.Title, State: c.State, ReceivedOn: c.ReceivedOn,
			MatterPetitions: c.MatterCount, Repeat: c.MatterCount >= 2, DaysOpen: c.ReceivedOn.DaysUntil(end),
			HeadMeetingDates: nonNil(c.HeadMeetings), StudyMeetingDates: nonNil(c.StudyMeetings),
			MissedDeadlines: c.Missed, Returns: c.Returns, EscalationsBy: c.Escalations,
		}
		f.Backlog = f.DaysOpen > in.BacklogDays
		if !f.Repeat && !f.Backlog {
			continue
		}
		if f.MissedDeadlines == nil {
			f.MissedDeadlines = []store.MissedDeadline{}
		}
		f.HeadMeetings, f.HeadMet = len(f.HeadMeetingDates), len(f.HeadMeetingDates) > 0
		f.StudyMeetings, f.StudyMeetingHeld = len(f.StudyMeetingDates), len(f.StudyMeetingDates) > 0
		for _, n := range c.Escalations {
			f.Escalations += n
		}
		f.Resolved = (c.RepliedAt != nil && !calendar.DateOf(*c.RepliedAt).After(in.To)) ||
			(c.ClosedAt != nil && !calendar.DateOf(*c.ClosedAt).After(in.To))
		rep.Cases = append(rep.Cases, f)
		s := &rep.Summary
		s.Cases++
		s.Returns += f.Returns
		s.Escalations += f.Escalations
		for _, x := range []struct {
			ok bool
			n  *int
		}{{f.Repeat, &s.Repeat}, {f.Backlog, &s.Backlog}, {f.HeadMet, &s.HeadMet}, {f.StudyMeetingHeld, &s.StudyMeetingHeld},
			{len(f.MissedDeadlines) > 0, &s.WithMissed}, {f.Resolved, &s.Resolved}} {
			if x.ok {
				*x.n++
			}
		}
	}
	if rep.Summary.Cases > 0 {
		v := float64(rep.Summary.Resolved) / float64(rep.Summary.Cases)
		rep.Summary.ResolutionRate = &v
	}
	if rep.Rectifications, err = st.Rectifications(ctx, id); err != nil {
		return rep, err
	}
	for _, r := range rep.Rectifications {
		if r.State == "open" {
			rep.Summary.OpenRectification++
		}
	}
	return rep, nil
}

func nonNil(ds []calendar.Date) []calendar.Date {
	if ds == nil {
		return []calendar.Date{}
	}
	return ds
}

// RectificationInput is a finding to turn into a rectification item.
type RectificationInput struct {
	PetitionID int64          `json:"petition_id"`
	Finding    string         `json:"finding"`
	OwnerName  string         `json:"owner_name"`
	DueOn      *calendar.Date `json:"due_on"`
}

// AddRectification turns a finding of inspection id into a tracked item; only inspectors may.
func AddRectification(ctx context.Context, st *store.Store, u org.User, id int64, in RectificationInput, now time.Time) (store.Rectification, error) {
	var r store.Rectification
	if u.Role != org.RoleInspector {
		return r, failure.Forbidden("only inspectors set rectification items")
	}
	insp, err := st.Inspection(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return r, failure.NotFound("inspection")
	}
	if err != nil {
		return r, err
	}
	finding := strings.TrimSpace(in.Finding)
	owner := strings.TrimSpace(in.OwnerName)
	if n := len([]rune(finding)); n < 4 || n > 5000 {
		return r, failure.Invalid("finding", "the finding needs 4–5000 characters")
	}
	if n := len([]rune(owner)); n < 1 || n > 100 {
		return r, failure.Invalid("owner_name", "owner_name is required")
	}
	if in.DueOn == nil || in.DueOn.Before(calendar.DateOf(now)) {
		return r, failure.Invalid("due_on", "due_on is required and may not be in the past")
	}
	r = store.Rectification{InspectionID: id, UnitID: insp.UnitID, PetitionID: in.PetitionID, Finding: finding, OwnerName: owner,
		DueOn: *in.DueOn, CreatedBy: u.ID, CreatedAt: now}
	err = st.Write(ctx, func(tx *store.Tx) error { return tx.CreateRectification(store.Actor{ID: u.ID, Login: u.Login}, &r) })
	if errors.Is(err, store.ErrBadReference) {
		return r, failure.Invalid("petition_id", "petition %d does not exist", in.PetitionID)
	}
	return r, err
}

// CompleteRectification marks an item done: the unit it concerns, or an inspector.
func CompleteRectification(ctx context.Context, st *store.Store, u org.User, id int64, note string, now time.Time) (store.Rectification, error) {
	r, err := st.Rectification(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return r, failure.NotFound("rectification item")
	}
	if err != nil {
		return r, err
	}
	tree, err := st.Units(ctx)
	if err != nil {
		return r, err
	}
	own := u.Role.UnitScoped() && tree.Within(u.UnitID, r.UnitID)
	if u.Role != org.RoleInspector && !own {
		return r, failure.Forbidden("only the unit concerned or an inspector may complete a rectification item")
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) < 4 {
		return r, failure.Invalid("note", "say what was done (at least 4 characters)")
	}
	err = st.Write(ctx, func(tx *store.Tx) error {
		return tx.CompleteRectification(store.Actor{ID: u.ID, Login: u.Login}, id, note, now)
	})
	if errors.Is(err, store.ErrNotFound) {
		return r, failure.New(failure.CodeIllegalState, http.StatusConflict, "the item is already done")
	}
	if err != nil {
		return r, err
	}
	return st.Rectification(ctx, id)
}
