package web

import (
	"net/http"
	"strconv"
	"strings"

	"sort"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/inspection"
	"redress/internal/org"
	"redress/internal/store"
)

// inspFields are the inputs of the form that opens an inspection.
var inspFields = []string{"unit_code", "period_from", "period_to", "backlog_days"}

// inspListPage lists the inspections the user may read and, for an
// inspector, the form that opens one.
type inspListPage struct {
	Items   []inspListItem
	CanOpen bool
	Units   []org.Unit
	Values  map[string]string
	Errors  map[string]string
}

type inspListItem struct {
	store.InspectionRow
	UnitName string
	OpenedBy string
}

func (w *Web) inspListPage(r *http.Request, s *session) (*inspListPage, error) {
	rows, err := inspection.List(r.Context(), w.st, s.user, s.tree)
	if err != nil {
		return nil, err
	}
	users, err := w.st.Users(r.Context())
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Name
	}
	p := &inspListPage{CanOpen: s.user.Role == org.RoleInspector, Values: map[string]string{}, Errors: map[string]string{}}
	for _, row := range rows {
		u, _ := s.tree.Unit(row.UnitID)
		p.Items = append(p.Items, inspListItem{InspectionRow: row, UnitName: u.Name, OpenedBy: names[row.OpenedBy]})
	}
	if p.CanOpen {
		for _, u := range s.tree.Units() {
			if u.Kind != org.KindCity {
				p.Units = append(p.Units, u)
			}
		}
		sort.Slice(p.Units, func(i, j int) bool { return p.Units[i].Code < p.Units[j].Code })
		today := w.svc.Today()
		p.Values["period_from"] = calendar.NewDate(today.Year(), 1, 1).String()
		p.Values["period_to"] = today.String()
		p.Values["backlog_days"] = strconv.Itoa(inspection.DefaultBacklogDays)
	}
	return p, nil
}

// inspList shows the inspections.
func (w *Web) inspList(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.inspListPage(r, s)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "insp_list", p)
}

// inspOpen opens an inspection through the inspection package, which checks
// the role, validates and audits; errors are shown beside their fields.
func (w *Web) inspOpen(rw http.ResponseWriter, r *http.Request, s *session) {
	if !w.formRead(rw, r, s) {
		return
	}
	p, err := w.inspListPage(r, s)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	for _, f := range inspFields {
		p.Values[f] = strings.TrimSpace(r.PostForm.Get(f))
	}
	var in store.Inspection
	err = inspReadPeriod(p.Values)
	if err == nil {
		from, _ := calendar.ParseDate(p.Values["period_from"])
		to, _ := calendar.ParseDate(p.Values["period_to"])
		days, _ := strconv.Atoi(p.Values["backlog_days"])
		in, err = inspection.Open(r.Context(), w.st, s.user, p.Values["unit_code"], from, to, days, w.svc.Now())
	}
	if err == nil {
		http.Redirect(rw, r, "/inspections/"+strconv.FormatInt(in.ID, 10)+"?done=open", http.StatusSeeOther)
		return
	}
	if fe := failure.Public(err); fe.Status >= 500 || fe.Code == failure.CodeForbidden {
		w.fail(rw, r, s, err)
		return
	}
	field, msg := w.inspErr(s, err)
	p.Errors[field] = msg
	w.render(rw, r, s, http.StatusUnprocessableEntity, "insp_list", p)
}

// inspReadPeriod checks that the form's dates and number can be read.
func inspReadPeriod(v map[string]string) error {
	if v["unit_code"] == "" {
		return failure.Invalid("unit_code", "choose a unit")
	}
	for _, f := range []string{"period_from", "period_to"} {
		if _, err := calendar.ParseDate(v[f]); err != nil {
			return failure.Invalid(f, "%s %q is not a date", f, v[f])
		}
	}
	if s := v["backlog_days"]; s != "" {
		if _, err := strconv.Atoi(s); err != nil {
			return failure.Invalid("backlog_days", "backlog_days %q is not a whole number", s)
		}
	}
	return nil
}
