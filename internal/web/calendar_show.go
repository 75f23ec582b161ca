package web

import (
	"net/http"
	"strconv"
	"strings"

	"redress/internal/store"
)

// calendarPage shows one year's holiday arrangement as editable lines
// ("2026-10-01 off 国庆节") and the list of calendar revisions.
type calendarPage struct {
	Year      int
	Years     []int
	Lines     string
	Note      string
	Revision  int64
	Revisions []store.CalendarRevisionInfo
	Errors    map[string]string
	Saved     bool
}

func (w *Web) calendarPage(r *http.Request, s *session, year int) (calendarPage, error) {
	revs, err := w.st.CalendarRevisions(r.Context())
	if err != nil {
		return calendarPage{}, err
	}
	p := calendarPage{Year: year, Years: s.cal.Years(), Revision: s.cal.Revision(), Revisions: revs, Errors: map[string]string{}}
	if !s.cal.Covers(year) {
		p.Years = append(p.Years, year)
	}
	var b strings.Builder
	for _, d := range s.cal.Days(year) {
		b.WriteString(d.Date.String() + " " + string(d.Kind))
		if d.Note != "" {
			b.WriteString(" " + d.Note)
		}
		b.WriteString("\n")
	}
	p.Lines = b.String()
	return p, nil
}

func (w *Web) calendarShow(rw http.ResponseWriter, r *http.Request, s *session) {
	year := w.svc.Today().Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	p, err := w.calendarPage(r, s, year)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	p.Saved = r.URL.Query().Get("saved") != ""
	w.render(rw, r, s, http.StatusOK, "calendar", p)
}
