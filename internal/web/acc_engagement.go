package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"redress/internal/calendar"
	"redress/internal/engagement"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/store"
)

// accDecisionRows is how many decisions the study-meeting form offers.
const accDecisionRows = 3

// accEngagementPage lists leaders' receptions and study meetings, filtered
// by unit, period and case, with the forms to record new ones.
type accEngagementPage struct {
	Units       []org.Unit // units the user may filter by and record for
	AssignUnits []org.Unit // units a decision may assign a case to
	Unit        string
	From        string
	To          string
	Petition    string
	Errors      map[string]string // filter errors
	Receptions  []store.Reception
	Meetings    []store.StudyMeeting
	Assigned    map[int64]accAssigned // assignment id → where and by when a decision assigned its case
	CanRecord   bool
	Kinds       []string
	Rows        []int // decision rows of the meeting form
	Done        string
	Query       string // the filter as a query string, for the forms to return to
}

func (w *Web) accEngagementData(ctx context.Context, s *session, q map[string][]string) (accEngagementPage, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	p := accEngagementPage{Units: accUnits(s), Unit: get("unit"), From: get("from"), To: get("to"), Petition: get("petition"),
		Errors: map[string]string{}, Kinds: engagement.Kinds, Receptions: []store.Reception{}, Meetings: []store.StudyMeeting{}}
	for _, r := range accRecorders {
		p.CanRecord = p.CanRecord || s.user.Role == r
	}
	for i := range accDecisionRows {
		p.Rows = append(p.Rows, i)
	}
	for _, u := range s.tree.Units() {
		if u.Kind != org.KindCity {
			p.AssignUnits = append(p.AssignUnits, u)
		}
	}
	var f store.EngagementFilter
	loc := localeOf(s)
	ids, err := accUnitFilter(s, p.Unit)
	if err != nil {
		p.Errors["unit"] = w.cat.T(loc, "acc.err.filter.unit")
	}
	f.UnitIDs = ids
	if p.From != "" {
		if f.From, err = calendar.ParseDate(p.From); err != nil {
			p.Errors["from"] = w.cat.T(loc, "acc.err.filter.date")
		}
	}
	if p.To != "" {
		if f.To, err = calendar.ParseDate(p.To); err != nil {
			p.Errors["to"] = w.cat.T(loc, "acc.err.filter.date")
		}
	}
	if p.Petition != "" {
		if f.PetitionID, err = strconv.ParseInt(strings.TrimPrefix(p.Petition, "#"), 10, 64); err != nil || f.PetitionID <= 0 {
			p.Errors["petition"] = w.cat.T(loc, "acc.err.filter.petition")
		}
	}
	if len(p.Errors) > 0 {
		return p, nil
	}
	f = engagement.Filter(s.user, s.tree, f)
	if p.Receptions, err = w.st.Receptions(ctx, f); err != nil {
		return p, err
	}
	if p.Meetings, err = w.st.StudyMeetings(ctx, f); err != nil {
		return p, err
	}
	if s.user.Role.UnitScoped() {
		// A unit sees only the cases it may open among those linked.
		for i := range p.Receptions {
			p.Receptions[i].PetitionIDs = w.accVisibleIDs(ctx, s, p.Receptions[i].PetitionIDs)
		}
		for i := range p.Meetings {
			p.Meetings[i].PetitionIDs = w.accVisibleIDs(ctx, s, p.Meetings[i].PetitionIDs)
			var ds []store.MeetingDecision
			for _, d := range p.Meetings[i].Decisions {
				if d.PetitionID == 0 || len(w.accVisibleIDs(ctx, s, []int64{d.PetitionID})) == 1 {
					ds = append(ds, d)
				}
			}
			p.Meetings[i].Decisions = ds
		}
	}
	if p.Assigned, err = w.accAssignments(ctx, p.Meetings); err != nil {
		return p, err
	}
	return p, nil
}

// accAssigned is the assignment a meeting's decision made.
type accAssigned struct {
	UnitID int64
	DueOn  string
}

// accAssignments reads the assignments the meetings' decisions made.
func (w *Web) accAssignments(ctx context.Context, ms []store.StudyMeeting) (map[int64]accAssigned, error) {
	out := map[int64]accAssigned{}
	read := map[int64]bool{}
	for _, m := range ms {
		for _, d := range m.Decisions {
			if d.AssignmentID == 0 || read[d.PetitionID] {
				continue
			}
			read[d.PetitionID] = true
			c, err := w.st.Case(ctx, d.PetitionID)
			if err != nil {
				return nil, err
			}
			for _, a := range c.Assignments {
				due := ""
				if a.DueOn != nil {
					due = a.DueOn.String()
				}
				out[a.ID] = accAssigned{UnitID: a.UnitID, DueOn: due}
			}
		}
	}
	return out, nil
}

// accVisibleIDs keeps the petitions the user may open.
func (w *Web) accVisibleIDs(ctx context.Context, s *session, ids []int64) []int64 {
	out := []int64{}
	for _, id := range ids {
		if _, err := w.loadVisible(ctx, s, id); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func (w *Web) accEngagement(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.accEngagementData(r.Context(), s, r.URL.Query())
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	status := http.StatusOK
	if len(p.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	switch d := r.URL.Query().Get("done"); d {
	case "reception", "meeting":
		p.Done = d
	}
	w.render(rw, r, s, status, "acc_engagement", p)
}

// accEngagementFail shows the engagement page again with the failed form.
func (w *Web) accEngagementFail(rw http.ResponseWriter, r *http.Request, s *session, f *accForm) {
	p, err := w.accEngagementData(r.Context(), s, r.URL.Query())
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.render(rw, accWithForm(r, f), s, http.StatusUnprocessableEntity, "acc_engagement", p)
}

func accDate(field, s string) (*calendar.Date, error) {
	if s == "" {
		return nil, nil
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		return nil, failure.Invalid(field, "%q is not a date", s)
	}
	return &d, nil
}

// accReceptionCreate records a reception, field visit or appointment.
func (w *Web) accReceptionCreate(rw http.ResponseWriter, r *http.Request, s *session) {
	if !w.formRead(rw, r, s) {
		return
	}
	f := accNewForm(r, "reception", 0, "kind", "unit", "leader_name", "leader_title", "is_head", "held_on", "place", "petitions", "promised", "notes")
	in := engagement.ReceptionInput{Kind: f.Values["kind"], UnitCode: f.Values["unit"], LeaderName: f.Values["leader_name"],
		LeaderTitle: f.Values["leader_title"], IsHead: f.Values["is_head"] != "", Place: f.Values["place"],
		Promised: f.Values["promised"], Notes: f.Values["notes"]}
	var err error
	if in.HeldOn, err = accDate("held_on", f.Values["held_on"]); err == nil {
		in.PetitionIDs, err = accIDs("petition_ids", f.Values["petitions"])
	}
	if err == nil {
		_, err = engagement.New(w.svc).RecordReception(r.Context(), s.user, in, w.svc.Now())
	}
	if err == nil {
		http.Redirect(rw, r, "/engagement?done=reception", http.StatusSeeOther)
		return
	}
	if accIsPageError(err) {
		w.fail(rw, r, s, err)
		return
	}
	w.accFail(s, f, err, map[string]string{"unit_code": "unit", "petition_ids": "petitions"})
	w.accEngagementFail(rw, r, s, f)
}

// accMeetingCreate records a study meeting; a decision naming a unit
// assigns its case to that unit on the spot, all in one transaction.
func (w *Web) accMeetingCreate(rw http.ResponseWriter, r *http.Request, s *session) {
	if !w.formRead(rw, r, s) {
		return
	}
	fields := []string{"unit", "held_on", "place", "chair", "attendees", "petitions", "decisions"}
	for i := range accDecisionRows {
		n := strconv.Itoa(i)
		fields = append(fields, "d"+n+"_petition", "d"+n+"_text", "d"+n+"_unit", "d"+n+"_due")
	}
	f := accNewForm(r, "meeting", 0, fields...)
	in := engagement.MeetingInput{UnitCode: f.Values["unit"], Place: f.Values["place"], Chair: f.Values["chair"]}
	in.Attendees = strings.FieldsFunc(f.Values["attendees"], func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == '\n' || r == '\r' })
	var err error
	in.HeldOn, err = accDate("held_on", f.Values["held_on"])
	if err == nil {
		in.PetitionIDs, err = accIDs("petition_ids", f.Values["petitions"])
	}
	for i := 0; i < accDecisionRows && err == nil; i++ {
		n := strconv.Itoa(i)
		pid, text, unit, due := f.Values["d"+n+"_petition"], f.Values["d"+n+"_text"], f.Values["d"+n+"_unit"], f.Values["d"+n+"_due"]
		if pid == "" && text == "" && unit == "" && due == "" {
			continue
		}
		d := engagement.DecisionInput{Text: text, UnitCode: unit}
		if pid != "" {
			var ids []int64
			if ids, err = accIDs("decisions.petition_id", pid); err == nil && len(ids) != 1 {
				err = failure.Invalid("decisions.petition_id", "one petition per decision")
			}
			if err == nil {
				d.PetitionID = ids[0]
			}
		}
		if err == nil {
			d.DueOn, err = accDate("decisions.due_on", due)
		}
		in.Decisions = append(in.Decisions, d)
	}
	if err == nil {
		_, err = engagement.New(w.svc).RecordMeeting(r.Context(), s.user, in, w.svc.Now())
	}
	if err == nil {
		http.Redirect(rw, r, "/engagement?done=meeting", http.StatusSeeOther)
		return
	}
	if accIsPageError(err) {
		w.fail(rw, r, s, err)
		return
	}
	// Errors of a decision, or of the assignment it makes, go beside the decisions.
	w.accFail(s, f, err, map[string]string{"unit_code": "unit", "petition_ids": "petitions", "decisions.text": "decisions",
		"decisions.petition_id": "decisions", "decisions.due_on": "decisions", "unit": "decisions", "unit_id": "decisions", "due_on": "decisions"})
	if fe := failure.Public(err); f.Errors[""] != "" && (fe.Code == failure.CodeIllegalState || fe.Code == failure.CodeForbidden || fe.Code == failure.CodePeriodExpired) {
		f.Errors["decisions"], f.Errors[""] = f.Errors[""], ""
		delete(f.Errors, "")
	}
	w.accEngagementFail(rw, r, s, f)
}
