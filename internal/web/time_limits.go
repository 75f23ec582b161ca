package web

import (
	"net/http"

	"redress/internal/deadline"
)

// limitsPage is the table of statutory time limits, each editable.
type limitsPage struct {
	Rows   []limitRow
	Saved  string
	Errors map[string]string // kind → message
}

type limitRow struct {
	Kind    deadline.Kind
	Count   int
	Unit    string
	Default string
}

func (w *Web) limitsPage(r *http.Request, s *session) (limitsPage, error) {
	rules, err := w.st.TimeLimits(r.Context())
	if err != nil {
		return limitsPage{}, err
	}
	p := limitsPage{Errors: map[string]string{}}
	for _, info := range deadline.Kinds {
		rule := rules[info.Kind]
		p.Rows = append(p.Rows, limitRow{Kind: info.Kind, Count: rule.Count, Unit: string(rule.Unit),
			Default: w.cat.T(s.locale, "limits.default", "n", info.DefaultN, "unit", w.cat.T(s.locale, "unit."+string(info.DefaultUse)))})
	}
	return p, nil
}

func (w *Web) timeLimits(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.limitsPage(r, s)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	if k := r.URL.Query().Get("saved"); k != "" {
		if _, err := deadline.ParseKind(k); err == nil {
			p.Saved = k
		}
	}
	w.render(rw, r, s, http.StatusOK, "limits", p)
}
