package web

import (
	"net/http"
	"strconv"
	"strings"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/lifecycle"
)

// caseAction takes one lifecycle action from its form. The lifecycle checks
// role, unit and state; a failed action changes nothing and the form comes
// back with the error beside the field at fault.
func (w *Web) caseAction(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := pathID(r)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	act, ok := lifecycle.ParseAction(r.PathValue("action"))
	if !ok {
		w.fail(rw, r, s, failure.NotFound("action"))
		return
	}
	if !w.formRead(rw, r, s) {
		return
	}
	form := actionForm{Action: act, Fields: actionFields[act], Values: map[string]string{}, Errors: map[string]string{}, Open: true}
	for _, f := range form.Fields {
		form.Values[f.Name] = r.PostForm.Get(f.Name)
	}
	in, err := readInput(r, act)
	if err == nil {
		_, err = w.svc.Do(r.Context(), s.user, id, act, in)
	}
	if err == nil {
		http.Redirect(rw, r, "/petitions/"+strconv.FormatInt(id, 10)+"?done="+string(act), http.StatusSeeOther)
		return
	}
	fe := failure.Public(err)
	if fe.Code == failure.CodeNotFound || fe.Status >= 500 {
		w.fail(rw, r, s, err)
		return
	}
	c, lerr := w.loadVisible(r.Context(), s, id)
	if lerr != nil {
		w.fail(rw, r, s, lerr)
		return
	}
	key := ""
	for _, f := range form.Fields {
		if f.Name == fe.Field || (fe.Field == "unit_id" && f.Name == "unit") {
			key = f.Name
		}
	}
	form.Errors[key] = w.cat.Error(s.locale, err)
	p := w.casePage(s, c, &form, "")
	if !containsAction(p.View.Allowed, act) {
		// The action is not (or no longer) allowed: say so at the top.
		form.Refused = true
		p.Forms = append([]actionForm{form}, p.Forms...)
	}
	w.render(rw, r, s, http.StatusUnprocessableEntity, "case", p)
}

func containsAction(as []lifecycle.Action, a lifecycle.Action) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// readInput turns an action's form into lifecycle.Input.
func readInput(r *http.Request, act lifecycle.Action) (lifecycle.Input, error) {
	get := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	in := lifecycle.Input{Note: get("note"), Reason: get("reason"), UnitCode: get("unit"), Mode: get("mode"),
		Outcome: get("outcome"), Text: get("text"), Satisfied: get("satisfied") != ""}
	if s := get("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return in, failure.Invalid("days", "days %q is not a whole number", s)
		}
		in.Days = n
	}
	if s := get("due_on"); s != "" {
		d, err := calendar.ParseDate(s)
		if err != nil {
			return in, failure.Invalid("due_on", "%v", err)
		}
		in.DueOn = &d
	}
	return in, nil
}
