package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"redress/internal/calendar"
	"redress/internal/escalation"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/store"
)

// accSupervisionPage lists the 挂牌督办 cases and the supervision notices
// in the caller's scope, each notice with its explanations and the forms
// the caller may use on it.
type accSupervisionPage struct {
	Listings []store.Listing
	Steps    []accStep
	All      bool   // also notices whose explanation was accepted
	Done     string // the form just submitted
}

// accStep is one escalation step as a user sees it.
type accStep struct {
	store.EscalationStep
	Names      map[int64]string // user id → name, for explanations
	Pending    bool             // an explanation awaits the bureau
	Accepted   bool             // an explanation was accepted
	CanExplain bool             // the user's unit may answer it now
	CanDecide  bool             // the user (the bureau) may accept or reject now
	Next       string           // where the forms return to
}

func (w *Web) accEscalation() *escalation.Service { return escalation.New(w.st, escalation.Options{}) }

// accScope is the units whose records user may see: nil for all.
func accScope(s *session) []int64 {
	if !s.user.Role.UnitScoped() {
		return nil
	}
	return s.tree.Subtree(s.user.UnitID)
}

// accUnitFilter resolves a unit code chosen in a filter, limited to the
// user's scope; nil means every unit.
func accUnitFilter(s *session, code string) ([]int64, error) {
	scope := accScope(s)
	if code == "" {
		return scope, nil
	}
	unit, ok := s.tree.ByCode(code)
	if !ok {
		return nil, failure.Invalid("unit", "unit %q does not exist", code)
	}
	ids := s.tree.Subtree(unit.ID)
	if scope == nil {
		return ids, nil
	}
	both := []int64{}
	for _, id := range ids {
		if slices.Contains(scope, id) {
			both = append(both, id)
		}
	}
	return both, nil
}

// accUnits lists the units a filter offers: all but the city, or the user's own.
func accUnits(s *session) []org.Unit {
	var out []org.Unit
	scope := accScope(s)
	for _, u := range s.tree.Units() {
		if u.Kind == org.KindCity {
			continue
		}
		if scope != nil && !slices.Contains(scope, u.ID) {
			continue
		}
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b org.Unit) int {
		if a.Code < b.Code {
			return -1
		}
		if a.Code > b.Code {
			return 1
		}
		return 0
	})
	return out
}

func (w *Web) accNames(ctx context.Context) (map[int64]string, error) {
	us, err := w.st.Users(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(us))
	for _, u := range us {
		m[u.ID] = u.Name
	}
	return m, nil
}

// accSteps dresses steps for user u with the forms u may use.
func accSteps(u org.User, steps []store.EscalationStep, names map[int64]string, next string) []accStep {
	out := make([]accStep, 0, len(steps))
	for _, st := range steps {
		a := accStep{EscalationStep: st, Names: names, Next: next}
		for _, e := range st.Explanations {
			a.Pending = a.Pending || e.Decision == "pending"
			a.Accepted = a.Accepted || e.Decision == "accepted"
		}
		answerable := st.Action != escalation.Reminder
		a.CanExplain = answerable && u.Role.UnitScoped() && st.UnitID != 0 && st.UnitID == u.UnitID && !a.Pending && !a.Accepted
		a.CanDecide = u.Role == org.RoleBureau && a.Pending
		out = append(out, a)
	}
	return out
}

// accSupervisionSteps lists the supervision notices and Party-committee reports in scope.
func (w *Web) accSupervisionSteps(ctx context.Context, s *session, all bool) ([]accStep, error) {
	scope := accScope(s)
	var steps []store.EscalationStep
	for _, action := range []string{escalation.Supervision, escalation.PartyReport} {
		got, err := w.st.EscalationSteps(ctx, store.StepFilter{UnitIDs: scope, Action: action, Limit: 1000})
		if err != nil {
			return nil, err
		}
		steps = append(steps, got...)
	}
	slices.SortFunc(steps, func(a, b store.EscalationStep) int { return int(b.ID - a.ID) })
	names, err := w.accNames(ctx)
	if err != nil {
		return nil, err
	}
	out := []accStep{}
	for _, st := range accSteps(s.user, steps, names, "/supervision") {
		if all || !st.Accepted {
			out = append(out, st)
		}
	}
	return out, nil
}

func (w *Web) accSupervisionData(ctx context.Context, s *session, all bool) (accSupervisionPage, error) {
	p := accSupervisionPage{All: all}
	var err error
	if p.Steps, err = w.accSupervisionSteps(ctx, s, all); err != nil {
		return p, err
	}
	ls, err := w.st.Listings(ctx, false)
	if err != nil {
		return p, err
	}
	for _, l := range ls {
		// The list shows only cases the user may open: a unit sees its own,
		// and nobody sees an accusation against their own unit.
		if _, err := w.loadVisible(ctx, s, l.PetitionID); err != nil {
			if failure.Public(err).Code == failure.CodeNotFound {
				continue
			}
			return p, err
		}
		p.Listings = append(p.Listings, l)
	}
	return p, nil
}

func (w *Web) accSupervision(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.accSupervisionData(r.Context(), s, r.URL.Query().Get("all") == "1")
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	switch d := r.URL.Query().Get("acc"); d {
	case "explain", "decide":
		p.Done = d
	}
	w.render(rw, r, s, http.StatusOK, "acc_supervision", p)
}

// accVisibleStep reads a step the user may see: a unit sees its own.
func (w *Web) accVisibleStep(ctx context.Context, s *session, id int64) (store.EscalationStep, error) {
	st, err := w.st.EscalationStep(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return st, failure.NotFound("escalation step")
	}
	if err != nil {
		return st, err
	}
	if s.user.Role.UnitScoped() && (st.UnitID == 0 || !s.tree.Within(st.UnitID, s.user.UnitID)) {
		return st, failure.NotFound("escalation step")
	}
	return st, nil
}

// accExplain records the supervised unit's written explanation.
func (w *Web) accExplain(rw http.ResponseWriter, r *http.Request, s *session) {
	w.accStepPost(rw, r, s, "explain", []string{"text"}, func(ctx context.Context, id int64, f *accForm) error {
		_, err := w.accEscalation().Explain(ctx, s.user, id, f.Values["text"], w.svc.Now())
		return err
	})
}

// accDecide accepts or rejects the pending explanation (the bureau).
func (w *Web) accDecide(rw http.ResponseWriter, r *http.Request, s *session) {
	w.accStepPost(rw, r, s, "decide", []string{"decision", "note"}, func(ctx context.Context, id int64, f *accForm) error {
		_, err := w.accEscalation().Decide(ctx, s.user, id, f.Values["decision"], f.Values["note"], w.svc.Now())
		return err
	})
}

// accStepPost runs one form on a step and returns to the page it came from
// (the case or the supervision page); a failure shows that page again with
// the form's error beside its field.
func (w *Web) accStepPost(rw http.ResponseWriter, r *http.Request, s *session, name string, fields []string, do func(context.Context, int64, *accForm) error) {
	id, err := idOf(r, "id", "escalation step")
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	if !w.formRead(rw, r, s) {
		return
	}
	step, err := w.accVisibleStep(r.Context(), s, id)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	next := "/supervision"
	if step.PetitionID != 0 && r.PostForm.Get("next") == "case" {
		next = "/petitions/" + strconv.FormatInt(step.PetitionID, 10)
	}
	f := accNewForm(r, name, id, fields...)
	err = do(r.Context(), id, f)
	if err == nil {
		http.Redirect(rw, r, next+"?acc="+name+"#step-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	if accIsPageError(err) {
		w.fail(rw, r, s, err)
		return
	}
	w.accFail(s, f, err, nil)
	rr := accWithForm(r, f)
	if next != "/supervision" {
		c, lerr := w.loadVisible(r.Context(), s, step.PetitionID)
		if lerr == nil {
			w.render(rw, rr, s, http.StatusUnprocessableEntity, "case", w.casePage(s, c, nil, ""))
			return
		}
	}
	p, perr := w.accSupervisionData(r.Context(), s, true)
	if perr != nil {
		w.fail(rw, r, s, perr)
		return
	}
	w.render(rw, rr, s, http.StatusUnprocessableEntity, "acc_supervision", p)
}

// accRecordPage is the record of non-cooperation: steps per unit and head
// over a period, and one unit's steps when a unit is chosen.
type accRecordPage struct {
	Units    []org.Unit
	Unit     string
	UnitName string
	From     string
	To       string
	Errors   map[string]string
	Rows     []accRecordRow
	Steps    []accStep
}

// accRecordRow is one unit and head's line of the record.
type accRecordRow struct {
	store.UnitRecord
	Code, Name string
}

func (w *Web) accRecord(rw http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	p := accRecordPage{Units: accUnits(s), Unit: q.Get("unit"), From: q.Get("from"), To: q.Get("to"), Errors: map[string]string{}}
	ids, err := accUnitFilter(s, p.Unit)
	if err != nil {
		p.Errors["unit"] = w.cat.T(localeOf(s), "acc.err.filter.unit")
	}
	var from, to calendar.Date
	for _, d := range []struct {
		name string
		in   string
		out  *calendar.Date
	}{{"from", p.From, &from}, {"to", p.To, &to}} {
		if d.in == "" {
			continue
		}
		if *d.out, err = calendar.ParseDate(d.in); err != nil {
			p.Errors[d.name] = w.cat.T(localeOf(s), "acc.err.filter.date")
		}
	}
	status := http.StatusOK
	if len(p.Errors) > 0 {
		status = http.StatusUnprocessableEntity
		w.render(rw, r, s, status, "acc_record", p)
		return
	}
	rows, err := w.st.NonCooperation(r.Context(), ids, from, to)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	for _, row := range rows {
		u, _ := s.tree.Unit(row.UnitID)
		p.Rows = append(p.Rows, accRecordRow{UnitRecord: row, Code: u.Code, Name: u.Name})
	}
	if p.Unit != "" {
		if u, ok := s.tree.ByCode(p.Unit); ok {
			p.UnitName = u.Name
		}
		steps, err := w.st.EscalationSteps(r.Context(), store.StepFilter{UnitIDs: ids, Limit: 500})
		if err != nil {
			w.fail(rw, r, s, err)
			return
		}
		var in []store.EscalationStep
		for _, st := range steps {
			if (from.IsZero() || !st.FiredOn.Before(from)) && (to.IsZero() || !st.FiredOn.After(to)) {
				in = append(in, st)
			}
		}
		names, err := w.accNames(r.Context())
		if err != nil {
			w.fail(rw, r, s, err)
			return
		}
		p.Steps = accSteps(s.user, in, names, "/supervision")
	}
	w.render(rw, r, s, status, "acc_record", p)
}

// accStepArg is what the acc-step partial sees: the page's view and one step.
type accStepArg struct {
	V *view
	S accStep
}

// AccStep wraps a step for the acc-step partial.
func (v *view) AccStep(s accStep) accStepArg { return accStepArg{V: v, S: s} }
