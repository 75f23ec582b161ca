package web

import (
	"net/http"
	"sort"

	"redress/internal/org"
	"redress/internal/petition"
)

// newPetitionPage is the registration form: what was typed and the errors.
type newPetitionPage struct {
	Values    map[string]string
	Errors    map[string]string
	Channels  []string
	Districts []org.Unit
	Units     []org.Unit
}

func (w *Web) newPetitionPage(s *session) newPetitionPage {
	p := newPetitionPage{Values: map[string]string{}, Errors: map[string]string{}, Channels: petition.Channels}
	for _, u := range s.tree.Units() {
		if u.Kind == org.KindDistrict || u.Kind == org.KindCity {
			p.Districts = append(p.Districts, u)
		}
		if u.Kind != org.KindCity {
			p.Units = append(p.Units, u)
		}
	}
	sort.Slice(p.Districts, func(i, j int) bool { return p.Districts[i].Code < p.Districts[j].Code })
	sort.Slice(p.Units, func(i, j int) bool { return p.Units[i].Code < p.Units[j].Code })
	return p
}

func (w *Web) petitionNew(rw http.ResponseWriter, r *http.Request, s *session) {
	p := w.newPetitionPage(s)
	p.Values["received_at"] = w.svc.Now().In(chinaTime).Format("2006-01-02T15:04")
	p.Values["channel"] = "visit"
	w.render(rw, r, s, http.StatusOK, "petition_new", p)
}
