package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/matters"
	"redress/internal/org"
	"redress/internal/store"
)

func (w *Web) repProblemList(rw http.ResponseWriter, r *http.Request, s *session) {
	status := r.URL.Query().Get("status")
	switch status {
	case "", store.ProblemOpen, store.ProblemInProgress, store.ProblemResolved:
	default:
		status = ""
	}
	ps, err := w.st.Problems(r.Context(), status)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "rep_problems", struct {
		Status string
		Items  []store.Problem
	}{status, ps})
}

// repProblemForm is the new-problem form: values and errors beside fields.
type repProblemForm struct {
	Title, Description, Plan string
	LeadID                   int64
	UnitIDs                  map[int64]bool
	Errors                   map[string]string
	Leaders                  []org.User
	Units                    []org.Unit
}

func (w *Web) repProblemFormFor(ctx context.Context, s *session) (repProblemForm, error) {
	f := repProblemForm{UnitIDs: map[int64]bool{}, Errors: map[string]string{}, LeadID: s.user.ID}
	us, err := w.st.Users(ctx)
	if err != nil {
		return f, err
	}
	for _, u := range us {
		if u.Role == org.RoleLeader && !u.Disabled {
			f.Leaders = append(f.Leaders, u)
		}
	}
	for _, u := range s.tree.Units() {
		if u.Kind != org.KindCity {
			f.Units = append(f.Units, u)
		}
	}
	sort.Slice(f.Units, func(i, j int) bool { return f.Units[i].Code < f.Units[j].Code })
	return f, nil
}

func (w *Web) repProblemNew(rw http.ResponseWriter, r *http.Request, s *session) {
	f, err := w.repProblemFormFor(r.Context(), s)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "rep_problem_new", f)
}

func (w *Web) repProblemCreate(rw http.ResponseWriter, r *http.Request, s *session) {
	if !w.formRead(rw, r, s) {
		return
	}
	f, err := w.repProblemFormFor(r.Context(), s)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	f.Title, f.Description, f.Plan = strings.TrimSpace(r.PostForm.Get("title")), strings.TrimSpace(r.PostForm.Get("description")), strings.TrimSpace(r.PostForm.Get("plan"))
	in := matters.ProblemInput{Title: f.Title, Description: f.Description, Plan: f.Plan}
	if lead, ok := repFormInt(r.PostForm.Get("lead_user_id")); ok {
		in.LeadUserID, f.LeadID = lead, lead
	} else {
		f.Errors["lead_user_id"] = w.cat.T(s.locale, "rep.err.invalid.lead_user_id")
	}
	for _, v := range r.PostForm["unit_ids"] {
		if id, ok := repFormInt(v); ok && id > 0 {
			in.UnitIDs = append(in.UnitIDs, id)
			f.UnitIDs[id] = true
		}
	}
	if len(f.Errors) == 0 {
		var p store.Problem
		if p, err = w.repService().CreateProblem(r.Context(), s.user, in); err == nil {
			http.Redirect(rw, r, "/problems/"+strconv.FormatInt(p.ID, 10)+"?done=created", http.StatusSeeOther)
			return
		}
		if fe := failure.Public(err); fe.Status >= 500 {
			w.fail(rw, r, s, err)
			return
		}
		field, msg := w.repFieldError(s, err)
		f.Errors[field] = msg
	}
	w.render(rw, r, s, http.StatusUnprocessableEntity, "rep_problem_new", f)
}

// repProblemPage is a problem with its matters, and the forms of the
// sections the reader may change, with values and errors after a failure.
type repProblemPage struct {
	P       store.Problem
	Matters []store.MatterInfo
	// Options: matters of repeats (two or more petitions) not under this problem, to attach.
	Options []store.MatterRow
	Names   map[int64]string // user id → name (notes)
	Done    string
	Values  map[string]string
	Errors  map[string]string // form.field → message
	// CanLead: a leader (leaders own problems); CanOwn: a leader or the bureau.
	CanLead, CanOwn, CanResolve bool
}

func (w *Web) repProblemShow(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := idOf(r, "id", "id")
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.repRenderProblem(rw, r, s, id, http.StatusOK, nil, nil)
}

func (w *Web) repRenderProblem(rw http.ResponseWriter, r *http.Request, s *session, id int64, status int, values, errs map[string]string) {
	ctx := r.Context()
	p, err := w.repService().Problem(ctx, id)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	pg := repProblemPage{P: p, Names: map[int64]string{}, Done: r.URL.Query().Get("done"), Values: values, Errors: errs,
		CanLead: s.user.Role == org.RoleLeader, CanOwn: s.user.Role == org.RoleLeader || s.user.Role == org.RoleBureau,
		CanResolve: s.user.Role != org.RoleInspector && s.user.Role != org.RoleAdmin}
	if pg.Values == nil {
		pg.Values = map[string]string{}
	}
	if pg.Errors == nil {
		pg.Errors = map[string]string{}
	}
	for _, mid := range p.MatterIDs {
		m, err := w.st.Matter(ctx, mid)
		if err != nil {
			w.fail(rw, r, s, err)
			return
		}
		pg.Matters = append(pg.Matters, m)
	}
	if pg.CanOwn {
		ms, err := w.st.Matters(ctx, 2, 200)
		if err != nil {
			w.fail(rw, r, s, err)
			return
		}
		for _, m := range ms {
			if m.ProblemID != p.ID {
				pg.Options = append(pg.Options, m)
			}
		}
	}
	us, err := w.st.Users(ctx)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	for _, u := range us {
		pg.Names[u.ID] = u.Name
	}
	w.render(rw, r, s, status, "rep_problem", pg)
}

// repProblemPost parses a problem section's form, runs do and either goes
// back to the problem page or shows it again with the error beside form's field.
func (w *Web) repProblemPost(rw http.ResponseWriter, r *http.Request, s *session, form string, fields []string, do func(id int64) error) {
	id, err := idOf(r, "id", "id")
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	if !w.formRead(rw, r, s) {
		return
	}
	err = do(id)
	if err == nil {
		http.Redirect(rw, r, "/problems/"+strconv.FormatInt(id, 10)+"?done="+form+"#"+form, http.StatusSeeOther)
		return
	}
	fe := failure.Public(err)
	if fe.Status >= 500 || fe.Code == failure.CodeNotFound && fe.Field == "" {
		w.fail(rw, r, s, err)
		return
	}
	values := map[string]string{}
	for _, f := range fields {
		values[form+"."+f] = r.PostForm.Get(f)
	}
	field, msg := w.repFieldError(s, err)
	found := false
	for _, f := range fields {
		found = found || f == field
	}
	if !found {
		field = ""
	}
	w.repRenderProblem(rw, r, s, id, http.StatusUnprocessableEntity, values, map[string]string{form + "." + field: msg})
}

func (w *Web) repProblemStatus(rw http.ResponseWriter, r *http.Request, s *session) {
	w.repProblemPost(rw, r, s, "status", []string{"status", "plan"}, func(id int64) error {
		_, err := w.repService().UpdateProblem(r.Context(), s.user, id, matters.ProblemInput{Status: r.PostForm.Get("status"), Plan: r.PostForm.Get("plan")})
		return err
	})
}

func (w *Web) repProblemAttach(rw http.ResponseWriter, r *http.Request, s *session) {
	w.repProblemPost(rw, r, s, "attach", []string{"matter_id"}, func(id int64) error {
		mid, ok := repFormInt(r.PostForm.Get("matter_id"))
		if !ok || mid == 0 {
			return failure.Invalid("matter_id", "matter_id must be a positive whole number")
		}
		_, err := w.repService().AttachMatter(r.Context(), s.user, id, mid)
		return err
	})
}

func (w *Web) repProblemDetach(rw http.ResponseWriter, r *http.Request, s *session) {
	w.repProblemPost(rw, r, s, "matters", nil, func(id int64) error {
		mid, err := idOf(r, "mid", "mid")
		if err != nil {
			return err
		}
		_, err = w.repService().DetachMatter(r.Context(), s.user, id, mid)
		return err
	})
}

func (w *Web) repMilestoneAdd(rw http.ResponseWriter, r *http.Request, s *session) {
	w.repProblemPost(rw, r, s, "milestone", []string{"title", "due_on"}, func(id int64) error {
		in := matters.MilestoneInput{Title: r.PostForm.Get("title")}
		if strings.TrimSpace(in.Title) == "" {
			return failure.Invalid("title", "a milestone needs a title")
		}
		d, err := calendar.ParseDate(strings.TrimSpace(r.PostForm.Get("due_on")))
		if err != nil {
			return failure.Invalid("due_on", "due_on is not a date")
		}
		in.DueOn = d
		_, err = w.repService().AddMilestone(r.Context(), s.user, id, in)
		return err
	})
}

func (w *Web) repMilestoneDone(rw http.ResponseWriter, r *http.Request, s *session) {
	w.repProblemPost(rw, r, s, "milestones", nil, func(id int64) error {
		mid, err := idOf(r, "mid", "mid")
		if err != nil {
			return err
		}
		return w.repService().CompleteMilestone(r.Context(), s.user, id, mid)
	})
}

func (w *Web) repNoteAdd(rw http.ResponseWriter, r *http.Request, s *session) {
	w.repProblemPost(rw, r, s, "note", []string{"text"}, func(id int64) error {
		_, err := w.repService().AddNote(r.Context(), s.user, id, r.PostForm.Get("text"))
		return err
	})
}
