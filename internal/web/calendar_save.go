package web

import (
	"net/http"
	"strconv"
	"strings"

	"redress/internal/calendar"
	"redress/internal/failure"
)

// calendarSave replaces a year's arrangement with the lines typed, as a new
// calendar revision (lifecycle.SetCalendarYear checks, stores and audits).
func (w *Web) calendarSave(rw http.ResponseWriter, r *http.Request, s *session) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 2000 || year > 2100 {
		w.fail(rw, r, s, failure.NotFound("calendar year"))
		return
	}
	lines, note := r.FormValue("days"), strings.TrimSpace(r.FormValue("note"))
	days, err := parseDays(lines)
	if err == nil {
		_, err = w.svc.SetCalendarYear(r.Context(), s.user, year, days, note)
	}
	if err == nil {
		http.Redirect(rw, r, "/admin/calendar?year="+strconv.Itoa(year)+"&saved=1", http.StatusSeeOther)
		return
	}
	if fe := failure.Public(err); fe.Status >= 500 || fe.Code == failure.CodeForbidden {
		w.fail(rw, r, s, err)
		return
	}
	p, perr := w.calendarPage(r, s, year)
	if perr != nil {
		w.fail(rw, r, s, perr)
		return
	}
	p.Lines, p.Note = lines, note
	msg := w.cat.Error(s.locale, err)
	if failure.Public(err).Field == "days" {
		// "days" here is the list of days, not an extension's length.
		msg = w.cat.T(s.locale, "err.invalid.days_list")
	}
	p.Errors[failure.Public(err).Field] = msg
	w.render(rw, r, s, http.StatusUnprocessableEntity, "calendar", p)
}

// parseDays reads lines of "YYYY-MM-DD off|work [note]".
func parseDays(text string) ([]calendar.Day, error) {
	var days []calendar.Day
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Fields(line)
		if len(parts) < 2 {
			return nil, failure.Invalid("days", "line %d: %q needs a date and off or work", i+1, line).
				With(map[string]string{"line": strconv.Itoa(i + 1)})
		}
		d, err := calendar.ParseDate(parts[0])
		if err != nil {
			return nil, failure.Invalid("days", "line %d: %v", i+1, err).With(map[string]string{"line": strconv.Itoa(i + 1)})
		}
		days = append(days, calendar.Day{Date: d, Kind: calendar.DayKind(parts[1]), Note: strings.Join(parts[2:], " ")})
	}
	return days, nil
}
