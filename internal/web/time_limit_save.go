package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"redress/internal/calendar"
	"redress/internal/deadline"
	"redress/internal/failure"
)

// timeLimitSave changes one time limit through the lifecycle service, which
// checks the role, validates and audits.
func (w *Web) timeLimitSave(rw http.ResponseWriter, r *http.Request, s *session) {
	kind, err := deadline.ParseKind(r.PathValue("kind"))
	if err != nil {
		w.fail(rw, r, s, failure.NotFound("time limit"))
		return
	}
	count, cerr := strconv.Atoi(strings.TrimSpace(r.FormValue("count")))
	rule := deadline.Rule{Kind: kind, Count: count, Unit: calendar.Unit(r.FormValue("unit"))}
	if cerr != nil {
		err = failure.Invalid("count", "count %q is not a whole number", r.FormValue("count"))
	} else {
		err = w.svc.SetTimeLimit(r.Context(), s.user, rule)
	}
	if err == nil {
		http.Redirect(rw, r, "/admin/time-limits?saved="+url.QueryEscape(string(kind)), http.StatusSeeOther)
		return
	}
	p, perr := w.limitsPage(r, s)
	if perr != nil {
		w.fail(rw, r, s, perr)
		return
	}
	if fe := failure.Public(err); fe.Status >= 500 || fe.Code == failure.CodeForbidden {
		w.fail(rw, r, s, err)
		return
	}
	p.Errors[string(kind)] = w.cat.Error(s.locale, err)
	w.render(rw, r, s, http.StatusUnprocessableEntity, "limits", p)
}
