package web

import (
	"net/http"
	"sort"

	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// listPage is a filtered petition list and one page of it.
type listPage struct {
	Form      listForm
	Page      store.Page
	Error     map[string]string
	States    []petition.State
	Channels  []string
	Districts []org.Unit
	Units     []org.Unit
}

func (w *Web) listPage(r *http.Request, s *session) (listPage, error) {
	lf, f, err := w.readListForm(r, s)
	p := listPage{Form: lf, Error: map[string]string{}, States: petition.States, Channels: petition.Channels}
	for _, u := range s.tree.Units() {
		if u.Kind == org.KindDistrict || u.Kind == org.KindCity {
			p.Districts = append(p.Districts, u)
		}
		if u.Kind != org.KindCity && (!s.user.Role.UnitScoped() || s.tree.Within(u.ID, s.user.UnitID)) {
			p.Units = append(p.Units, u)
		}
	}
	sort.Slice(p.Districts, func(i, j int) bool { return p.Districts[i].Code < p.Districts[j].Code })
	sort.Slice(p.Units, func(i, j int) bool { return p.Units[i].Code < p.Units[j].Code })
	if err != nil {
		p.Error[failure.Public(err).Field] = w.cat.Error(s.locale, err)
		return p, err
	}
	f.Limit = 50
	p.Page, err = w.list(r.Context(), s, f)
	return p, err
}

func (w *Web) petitionList(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.listPage(r, s)
	if err != nil {
		if fe := failure.Public(err); fe.Code == failure.CodeInvalid {
			w.render(rw, r, s, http.StatusUnprocessableEntity, "list", p)
			return
		}
		w.fail(rw, r, s, err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "list", p)
}

// petitionRows is the next page of rows, for the "more" button (htmx).
func (w *Web) petitionRows(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.listPage(r, s)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.renderFragment(rw, r, s, http.StatusOK, "list", "rows", p)
}
