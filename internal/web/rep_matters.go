package web

import (
	"errors"
	"net/http"

	"redress/internal/access"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

type repMattersPage struct {
	Min   int
	Items []store.MatterRow
}

func (w *Web) repMatterList(rw http.ResponseWriter, r *http.Request, s *session) {
	minN := 2
	if n, ok := repFormInt(r.URL.Query().Get("min")); ok && n > 0 && n < 1<<20 {
		minN = int(n)
	}
	ms, err := w.st.Matters(r.Context(), minN, 200)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "rep_matters", repMattersPage{Min: minN, Items: ms})
}

// repMatterPetition is one petition of a matter with its petitioner masked for the reader.
type repMatterPetition struct {
	P          petition.Petition
	Petitioner petition.Petitioner
}

type repMatterPage struct {
	M       store.MatterInfo
	Items   []repMatterPetition
	Hidden  int // petitions the reader may not see
	Problem string
}

func (w *Web) repMatterShow(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := idOf(r, "id", "id")
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	m, err := w.st.Matter(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		err = failure.NotFound("matter")
	}
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	ps, err := w.st.MatterPetitions(r.Context(), id)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	p := repMatterPage{M: m}
	for _, mp := range ps {
		c, err := w.st.Case(r.Context(), mp.ID)
		if err != nil {
			w.fail(rw, r, s, err)
			return
		}
		if !access.CanSee(s.user, s.tree, c) {
			p.Hidden++
			continue
		}
		c = access.MaskCase(s.user, c)
		p.Items = append(p.Items, repMatterPetition{P: c.Petition, Petitioner: c.Petitioner})
	}
	if m.ProblemID != 0 {
		if pb, err := w.st.Problem(r.Context(), m.ProblemID); err == nil {
			p.Problem = pb.Title
		}
	}
	w.render(rw, r, s, http.StatusOK, "rep_matter", p)
}

type repFrequentPage struct {
	Min   int
	Items []store.FrequentPetitioner
}

// repFrequent lists petitioners with many petitions (信访大户); personal
// data is shown in full to the bureau only, as in the API.
func (w *Web) repFrequent(rw http.ResponseWriter, r *http.Request, s *session) {
	minN := 3
	if n, ok := repFormInt(r.URL.Query().Get("min")); ok && n >= 2 && n < 1<<20 {
		minN = int(n)
	}
	fs, err := w.st.FrequentPetitioners(r.Context(), minN, 200)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	lvl := access.Named
	if s.user.Role == org.RoleBureau {
		lvl = access.Full
	}
	for i := range fs {
		fs[i].Petitioner = access.MaskPetitioner(fs[i].Petitioner, lvl)
	}
	w.render(rw, r, s, http.StatusOK, "rep_frequent", repFrequentPage{Min: minN, Items: fs})
}
