package web

import (
	"net/http"
	"net/url"

	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/store"
)

type repDeficienciesPage struct {
	Items     []store.Deficiency
	Overdue   bool
	UnitID    int64
	Units     []org.Unit // the unit filter, for overseers
	CanSupply bool
	Error     map[int64]string
	Done      bool
}

// repDeficiencies lists 容缺 items: a unit's handlers and heads see their
// unit's (matters.Deficiencies enforces it), overseers any unit's.
func (w *Web) repDeficiencies(rw http.ResponseWriter, r *http.Request, s *session) {
	w.repRenderDeficiencies(rw, r, s, r.URL.Query(), http.StatusOK, nil)
}

func (w *Web) repRenderDeficiencies(rw http.ResponseWriter, r *http.Request, s *session, q url.Values, status int, errs map[int64]string) {
	pg := repDeficienciesPage{Overdue: q.Get("overdue") != "", CanSupply: s.user.Role == org.RoleBureau || s.user.Role.UnitScoped(),
		Error: errs, Done: q.Get("done") != ""}
	if id, ok := repFormInt(q.Get("unit")); ok {
		pg.UnitID = id
	}
	ds, err := w.repService().Deficiencies(r.Context(), s.user, pg.UnitID, pg.Overdue)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	pg.Items = ds
	if !s.user.Role.UnitScoped() {
		for _, u := range s.tree.Units() {
			if u.Kind != org.KindCity {
				pg.Units = append(pg.Units, u)
			}
		}
	}
	w.render(rw, r, s, status, "rep_deficiencies", pg)
}

func (w *Web) repSupply(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := idOf(r, "id", "id")
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	if !w.formRead(rw, r, s) {
		return
	}
	back := url.Values{"overdue": {r.PostForm.Get("overdue")}, "unit": {r.PostForm.Get("unit")}}
	_, err = w.repService().Supply(r.Context(), s.user, id)
	if err == nil {
		back.Set("done", "1")
		http.Redirect(rw, r, "/deficiencies?"+back.Encode(), http.StatusSeeOther)
		return
	}
	fe := failure.Public(err)
	if fe.Status >= 500 || fe.Code == failure.CodeNotFound {
		w.fail(rw, r, s, err)
		return
	}
	_, msg := w.repFieldError(s, err)
	w.repRenderDeficiencies(rw, r, s, back, http.StatusUnprocessableEntity, map[int64]string{id: msg})
}
