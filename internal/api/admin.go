package api

import (
	"net/http"
	"strconv"

	"redress/internal/calendar"
	"redress/internal/deadline"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/respond"
)

func (a *API) listTimeLimits(w http.ResponseWriter, r *http.Request, u org.User) {
	limits, err := a.st.TimeLimits(r.Context())
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	type item struct {
		deadline.Rule
		Article string `json:"article"`
		Name    string `json:"name"`
		Window  bool   `json:"window"`
	}
	var items []item
	for _, info := range deadline.Kinds {
		items = append(items, item{Rule: limits[info.Kind], Article: info.Article, Name: info.NameZH, Window: info.Window})
	}
	respond.JSON(w, r, http.StatusOK, map[string]any{"items": items})
}

func (a *API) setTimeLimit(w http.ResponseWriter, r *http.Request, u org.User) {
	k, err := deadline.ParseKind(r.PathValue("kind"))
	if err != nil {
		respond.Error(w, r, failure.NotFound("time limit "+strconv.Quote(r.PathValue("kind"))))
		return
	}
	var body struct {
		Count int           `json:"count"`
		Unit  calendar.Unit `json:"unit"`
	}
	if err := a.decode(w, r, &body); err != nil {
		respond.Error(w, r, err)
		return
	}
	rule := deadline.Rule{Kind: k, Count: body.Count, Unit: body.Unit}
	if err := a.svc.SetTimeLimit(r.Context(), u, rule); err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, rule)
}

func parseYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, failure.Invalid("year", "year %q must be between 2000 and 2100", r.PathValue("year"))
	}
	return y, nil
}

func (a *API) showCalendar(w http.ResponseWriter, r *http.Request, u org.User) {
	y, err := parseYear(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	cal, err := a.st.Calendar(r.Context())
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	days := cal.Days(y)
	if days == nil {
		days = []calendar.Day{}
	}
	respond.JSON(w, r, http.StatusOK, map[string]any{"year": y, "revision": cal.Revision(), "known": cal.Covers(y), "days": days})
}

// setCalendarYear replaces one year's arrangement, creating a new calendar revision.
func (a *API) setCalendarYear(w http.ResponseWriter, r *http.Request, u org.User) {
	y, err := parseYear(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var body struct {
		Note string         `json:"note"`
		Days []calendar.Day `json:"days"`
	}
	if err := a.decode(w, r, &body); err != nil {
		respond.Error(w, r, err)
		return
	}
	rev, err := a.svc.SetCalendarYear(r.Context(), u, y, body.Days, body.Note)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, map[string]any{"year": y, "revision": rev})
}
