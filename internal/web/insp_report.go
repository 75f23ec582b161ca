package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/inspection"
	"redress/internal/org"
	"redress/internal/store"
)

// rectFields are the inputs of the form that turns a finding into a rectification item.
var rectFields = []string{"petition_id", "finding", "owner_name", "due_on"}

// inspReportPage is the drafted report: every repeat or backlog case of the
// unit with the inspector's questions answered, the unit's rates, and the
// rectification items. A unit's own staff see only the items.
type inspReportPage struct {
	Rep        inspection.Report
	Full       bool
	CanAdd     bool
	Head       string
	Number     string
	Items      []inspRectItem
	Values     map[string]string
	Errors     map[string]string
	DoneErrors map[int64]string
	Done       string
}

type inspRectItem struct {
	store.Rectification
	Due         *calendar.Date
	Overdue     bool
	CanComplete bool
}

// inspDraft drafts inspection id if s may read it; full says whether s may read all of it.
func (w *Web) inspDraft(ctx context.Context, s *session, id int64) (inspection.Report, bool, error) {
	rep, err := inspection.Draft(ctx, w.st, id, w.svc.Now())
	if err != nil {
		return rep, false, err
	}
	read, full := inspection.Reader(s.user, s.tree, rep.Inspection.UnitID)
	if !read {
		return rep, false, failure.Forbidden("the %s role may not read inspections of unit %d", s.user.Role, rep.Inspection.UnitID).
			With(map[string]string{"role": string(s.user.Role)})
	}
	if !full {
		rep.Cases = nil
	}
	return rep, full, nil
}

// inspFail shows an error page; an inspection that does not exist reads as such.
func (w *Web) inspFail(rw http.ResponseWriter, r *http.Request, s *session, err error) {
	if fe := failure.Public(err); fe.Code == failure.CodeNotFound {
		w.render(rw, r, s, http.StatusNotFound, "error", errorPage{Status: http.StatusNotFound, Message: w.cat.T(s.locale, "insp.err.not_found")})
		return
	}
	w.fail(rw, r, s, err)
}

func (w *Web) inspReportPage(r *http.Request, s *session) (*inspReportPage, error) {
	id, err := inspPathID(r, "inspection")
	if err != nil {
		return nil, err
	}
	rep, full, err := w.inspDraft(r.Context(), s, id)
	if err != nil {
		return nil, err
	}
	p := &inspReportPage{Rep: rep, Full: full, CanAdd: s.user.Role == org.RoleInspector,
		Head:   strings.TrimSpace(rep.Unit.HeadTitle + " " + rep.Unit.HeadName),
		Values: map[string]string{}, Errors: map[string]string{}, DoneErrors: map[int64]string{}, Done: r.URL.Query().Get("done")}
	p.Number = inspection.Number(rep, inspDocOptions)
	today := w.svc.Today()
	for _, it := range rep.Rectifications {
		due := it.DueOn
		p.Items = append(p.Items, inspRectItem{Rectification: it, Due: &due, Overdue: it.State == "open" && due.Before(today),
			CanComplete: it.State == "open" && inspection.MayComplete(s.user, s.tree, it.UnitID)})
	}
	if p.CanAdd {
		p.Values["owner_name"] = strings.TrimSpace(rep.Unit.HeadTitle + rep.Unit.HeadName)
		p.Values["due_on"] = today.AddDays(30).String()
	}
	return p, nil
}

// inspReport shows the drafted report.
func (w *Web) inspReport(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.inspReportPage(r, s)
	if err != nil {
		w.inspFail(rw, r, s, err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "insp_report", p)
}

// inspAddRectification turns a finding into a rectification item.
func (w *Web) inspAddRectification(rw http.ResponseWriter, r *http.Request, s *session) {
	if !w.formRead(rw, r, s) {
		return
	}
	p, err := w.inspReportPage(r, s)
	if err != nil {
		w.inspFail(rw, r, s, err)
		return
	}
	for _, f := range rectFields {
		p.Values[f] = strings.TrimSpace(r.PostForm.Get(f))
	}
	in := inspection.RectificationInput{Finding: p.Values["finding"], OwnerName: p.Values["owner_name"]}
	if v := p.Values["petition_id"]; v != "" {
		in.PetitionID, err = strconv.ParseInt(v, 10, 64)
		if err != nil {
			err = failure.Invalid("petition_id", "petition_id %q is not a number", v)
		}
	}
	if err == nil && p.Values["due_on"] != "" {
		d, derr := calendar.ParseDate(p.Values["due_on"])
		if derr != nil {
			err = failure.Invalid("due_on", "due_on %q is not a date", p.Values["due_on"])
		}
		in.DueOn = &d
	}
	if err == nil {
		_, err = inspection.AddRectification(r.Context(), w.st, s.user, p.Rep.Inspection.ID, in, w.svc.Now())
	}
	if err == nil {
		http.Redirect(rw, r, "/inspections/"+strconv.FormatInt(p.Rep.Inspection.ID, 10)+"?done=rectification#rectifications", http.StatusSeeOther)
		return
	}
	if fe := failure.Public(err); fe.Status >= 500 || fe.Code == failure.CodeForbidden {
		w.fail(rw, r, s, err)
		return
	}
	field, msg := w.inspErr(s, err)
	p.Errors[field] = msg
	w.render(rw, r, s, http.StatusUnprocessableEntity, "insp_report", p)
}

// inspCompleteRectification marks an item done: the unit concerned or an inspector.
func (w *Web) inspCompleteRectification(rw http.ResponseWriter, r *http.Request, s *session) {
	if !w.formRead(rw, r, s) {
		return
	}
	id, err := inspPathID(r, "rectification item")
	if err != nil {
		w.inspFail(rw, r, s, err)
		return
	}
	item, err := w.st.Rectification(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		w.inspFail(rw, r, s, failure.NotFound("rectification item"))
		return
	}
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	_, err = inspection.CompleteRectification(r.Context(), w.st, s.user, id, r.PostForm.Get("note"), w.svc.Now())
	back := "/inspections/" + strconv.FormatInt(item.InspectionID, 10)
	if err == nil {
		http.Redirect(rw, r, back+"?done=complete#rect-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	if fe := failure.Public(err); fe.Status >= 500 || fe.Code == failure.CodeForbidden {
		w.fail(rw, r, s, err)
		return
	}
	r.SetPathValue("id", strconv.FormatInt(item.InspectionID, 10))
	p, perr := w.inspReportPage(r, s)
	if perr != nil {
		w.inspFail(rw, r, s, perr)
		return
	}
	_, msg := w.inspErr(s, err)
	p.DoneErrors[id] = msg
	p.Values["note-"+strconv.FormatInt(id, 10)] = r.PostForm.Get("note")
	w.render(rw, r, s, http.StatusUnprocessableEntity, "insp_report", p)
}
