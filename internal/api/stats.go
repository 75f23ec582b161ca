package api

import (
	"net/http"

	"redress/internal/org"
	"redress/internal/respond"
	"redress/internal/stats"
)

// statsRoutes serve the dashboard figures (package stats), within the caller's scope.
func statsRoutes() []Route {
	dateQ := func(name, desc string) obj {
		return obj{"name": name, "in": "query", "required": false, "description": desc, "schema": obj{"type": "string", "format": "date"}}
	}
	rate := obj{"type": "object", "properties": obj{"hits": obj{"type": "integer"}, "total": obj{"type": "integer"},
		"rate": obj{"type": "number", "nullable": true, "description": "hits / total; null without cases"}}}
	month := obj{"type": "object", "properties": obj{"received": obj{"type": "integer"}, "resolved": obj{"type": "integer"},
		"overdue": obj{"type": "integer", "description": "obligations that fell due in the month and were missed"}}}
	period := obj{"type": "object", "properties": obj{"from": obj{"type": "string", "format": "date"}, "to": obj{"type": "string", "format": "date"}}}
	months := obj{"type": "object", "properties": obj{"this_month": period, "last_month": period, "this": month, "last": month,
		"this_up_to_today": obj{"type": "boolean"}}}
	dashboard := obj{"type": "object", "properties": obj{
		"period": period, "today": obj{"type": "string", "format": "date"},
		"received": obj{"type": "array", "description": "petitions received per day, every day of the period",
			"items": obj{"type": "object", "properties": obj{"day": obj{"type": "string", "format": "date"}, "count": obj{"type": "integer"}}}},
		"total_received": obj{"type": "integer"}, "open": obj{"type": "integer"}, "overdue": obj{"type": "integer"},
		"on_time": rate, "resolution": rate,
		"units": obj{"type": "array", "items": obj{"type": "object", "properties": obj{
			"unit_id":   obj{"type": "integer", "description": "0: the petition bureau's own work and petitions with no unit"},
			"unit_code": str(""), "unit_name": str(""), "open": obj{"type": "integer"}, "overdue": obj{"type": "integer"},
			"on_time": rate, "resolution": rate}}},
		"districts": obj{"type": "array", "items": obj{"type": "object", "properties": obj{
			"code": str("GB/T 2260 code"), "name": str(""), "on_time": rate, "resolution": rate}}},
		"months": months}}
	return []Route{
		{Method: "GET", Path: "/api/v1/stats/dashboard", Roles: anyRole, handler: (*API).statsDashboard, Op: obj{
			"summary": "Dashboard figures: received per day, open and overdue by unit, on-time and resolution rates by unit and district, this month against last",
			"description": "Counted within the caller's scope. On time: obligation deadlines that fell due in the period and were met on or before the due date, " +
				"out of those due in the period that were met or have passed. Resolution: petitions received in the period and accepted that are closed, " +
				"or replied or reviewed with the outcome 支持.",
			"parameters": []any{dateQ("from", "first day (default: 29 days before to)"), dateQ("to", "last day (default: today); at most 366 days in all")},
			"responses":  obj{"200": reply("figures", dashboard), "400": errorReply, "401": errorReply}}},
		{Method: "GET", Path: "/api/v1/stats/months", Roles: anyRole, handler: (*API).statsMonths, Op: obj{
			"summary":   "This month against last month: received, resolved and overdue, within the caller's scope",
			"responses": obj{"200": reply("figures", months), "401": errorReply}}},
	}
}

func (a *API) statsDashboard(w http.ResponseWriter, r *http.Request, u org.User) {
	svc := stats.New(a.st, a.svc.Now)
	q := r.URL.Query()
	p, err := stats.ParsePeriod(q.Get("from"), q.Get("to"), svc.Today())
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	d, err := svc.Dashboard(r.Context(), u, p)
	answer(w, r, http.StatusOK, d, err)
}

func (a *API) statsMonths(w http.ResponseWriter, r *http.Request, u org.User) {
	c, err := stats.New(a.st, a.svc.Now).Months(r.Context(), u)
	answer(w, r, http.StatusOK, c, err)
}
