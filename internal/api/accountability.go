package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/engagement"
	"redress/internal/failure"
	"redress/internal/inspection"
	"redress/internal/org"
	"redress/internal/ranking"
	"redress/internal/respond"
	"redress/internal/store"
)

// accountabilityRoutes: leaders' engagement, inspections with their
// rectification items, follow-ups and monthly rankings.
func accountabilityRoutes() []Route {
	idParam := obj{"name": "id", "in": "path", "required": true, "schema": obj{"type": "integer"}}
	q := func(name, desc string, schema obj) obj {
		return obj{"name": name, "in": "query", "required": false, "description": desc, "schema": schema}
	}
	date := obj{"type": "string", "format": "date"}
	ids := obj{"type": "array", "items": obj{"type": "integer"}}
	list := obj{"type": "object", "properties": obj{"items": obj{"type": "array", "items": obj{"type": "object"}}}}
	std := func(extra obj) obj {
		out := obj{"401": errorReply, "403": errorReply}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	filters := []any{q("unit", "unit id or code (and the units below it)", obj{"type": "string"}), q("petition", "petition id", obj{"type": "integer"}),
		q("from", "held on or after", date), q("to", "held on or before", date)}
	recorders := []org.Role{org.RoleBureau, org.RoleLeader, org.RoleHead, org.RoleHandler}
	inspectors := []org.Role{org.RoleInspector}
	readers := []org.Role{org.RoleInspector, org.RoleLeader, org.RoleBureau, org.RoleAdmin}
	return []Route{
		{Method: "POST", Path: "/api/v1/receptions", Roles: recorders, handler: (*API).createReception,
			Op: obj{"summary": "Record a leader's reception, field visit or appointment (接访/下访/约访)",
				"requestBody": jsonBody(obj{"type": "object", "required": []string{"kind", "unit_code", "leader_name", "held_on"}, "properties": obj{
					"kind": obj{"type": "string", "enum": engagement.Kinds}, "unit_code": str("the leader's unit"), "leader_name": str(""),
					"leader_title": str(""), "is_head": obj{"type": "boolean", "description": "the leader is the unit's head (一把手)"},
					"held_on": date, "place": str(""), "promised": str("what was promised"), "notes": str(""), "petition_ids": ids}}),
				"responses": std(obj{"201": reply("reception", obj{"type": "object"}), "400": errorReply})}},
		{Method: "GET", Path: "/api/v1/receptions", Roles: anyRole, handler: (*API).listReceptions,
			Op: obj{"summary": "Receptions, latest first; units see their own", "parameters": filters,
				"responses": std(obj{"200": reply("receptions", list), "400": errorReply})}},
		{Method: "POST", Path: "/api/v1/study-meetings", Roles: recorders, handler: (*API).createStudyMeeting,
			Op: obj{"summary": "Record a study meeting (研究会议); a decision with assign_unit_code assigns the case on the spot (bureau)",
				"requestBody": jsonBody(obj{"type": "object", "required": []string{"unit_code", "held_on", "chair"}, "properties": obj{
					"unit_code": str(""), "held_on": date, "place": str(""), "chair": str(""),
					"attendees": obj{"type": "array", "items": obj{"type": "string"}}, "petition_ids": ids,
					"decisions": obj{"type": "array", "items": obj{"type": "object", "required": []string{"text"}, "properties": obj{
						"petition_id": obj{"type": "integer"}, "text": str(""), "assign_unit_code": str(""), "due_on": date}}}}}),
				"responses": std(obj{"201": reply("meeting", obj{"type": "object"}), "400": errorReply, "409": errorReply})}},
		{Method: "GET", Path: "/api/v1/study-meetings", Roles: anyRole, handler: (*API).listStudyMeetings,
			Op: obj{"summary": "Study meetings with their decisions, latest first; units see their own", "parameters": filters,
				"responses": std(obj{"200": reply("meetings", list), "400": errorReply})}},
		{Method: "POST", Path: "/api/v1/inspections", Roles: inspectors, handler: (*API).openInspection,
			Op: obj{"summary": "Open an inspection (巡察) of a unit over a period",
				"requestBody": jsonBody(obj{"type": "object", "required": []string{"unit_code", "period_from", "period_to"}, "properties": obj{
					"unit_code": str(""), "period_from": date, "period_to": date,
					"backlog_days": obj{"type": "integer", "description": "open longer than this is backlog (积案); default 90"}}}),
				"responses": std(obj{"201": reply("inspection", obj{"type": "object"}), "400": errorReply})}},
		{Method: "GET", Path: "/api/v1/inspections/{id}/report", Roles: readers, handler: (*API).inspectionReport,
			Op: obj{"summary": "The drafted report: per repeat or backlog case, head met / times / dates, study meetings, missed deadlines, returns, escalations; the unit's rates",
				"parameters": []any{idParam}, "responses": std(obj{"200": reply("report", obj{"type": "object"}), "404": errorReply})}},
		{Method: "GET", Path: "/api/v1/inspections/{id}/report.xlsx", Roles: readers, handler: (*API).inspectionReportExcel,
			Op: obj{"summary": "The drafted report as an Excel workbook", "parameters": []any{idParam},
				"responses": std(obj{"200": obj{"description": "workbook", "content": obj{
					"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": obj{"schema": obj{"type": "string", "format": "binary"}}}},
					"404": errorReply})}},
		{Method: "POST", Path: "/api/v1/inspections/{id}/rectifications", Roles: inspectors, handler: (*API).addRectification,
			Op: obj{"summary": "Turn a finding into a rectification item (整改) with an owner and due date",
				"parameters": []any{idParam},
				"requestBody": jsonBody(obj{"type": "object", "required": []string{"finding", "owner_name", "due_on"}, "properties": obj{
					"petition_id": obj{"type": "integer"}, "finding": str(""), "owner_name": str(""), "due_on": date}}),
				"responses": std(obj{"201": reply("item", obj{"type": "object"}), "400": errorReply, "404": errorReply})}},
		{Method: "POST", Path: "/api/v1/rectifications/{id}/done", Roles: []org.Role{org.RoleHandler, org.RoleHead, org.RoleInspector}, handler: (*API).completeRectification,
			Op: obj{"summary": "Mark a rectification item done (the unit concerned or an inspector)", "parameters": []any{idParam},
				"requestBody": jsonBody(obj{"type": "object", "required": []string{"note"}, "properties": obj{"note": str("what was done")}}),
				"responses":   std(obj{"200": reply("item", obj{"type": "object"}), "400": errorReply, "404": errorReply, "409": errorReply})}},
		{Method: "POST", Path: "/api/v1/follow-ups", Roles: bureauOnly, handler: (*API).recordFollowUp,
			Op: obj{"summary": "Record a follow-up call (回访) after the reply; dissatisfied points to the review route",
				"requestBody": jsonBody(obj{"type": "object", "required": []string{"petition_id", "result"}, "properties": obj{
					"petition_id": obj{"type": "integer"}, "result": obj{"type": "string", "enum": []string{ranking.Satisfied, ranking.Basic, ranking.Dissatisfied}},
					"note": str("")}}),
				"responses": std(obj{"201": reply("follow-up", obj{"type": "object", "properties": obj{
					"review_prompt": obj{"type": "boolean"}, "next_action": str("")}}), "400": errorReply, "404": errorReply, "409": errorReply})}},
		{Method: "GET", Path: "/api/v1/rankings/{month}", Roles: readers, handler: (*API).monthlyRanking,
			Op: obj{"summary": "Monthly ranking of units or districts: response, on-time, resolution and satisfaction rates, composite, trend",
				"parameters": []any{obj{"name": "month", "in": "path", "required": true, "schema": obj{"type": "string", "pattern": `^\d{4}-\d{2}$`}},
					q("level", "unit or district", obj{"type": "string", "enum": []string{ranking.LevelUnit, ranking.LevelDistrict}}),
					q("min_cases", "fewest cases to be ranked (default 5)", obj{"type": "integer"}),
					q("months", "earlier months in the trend (default 3)", obj{"type": "integer"}),
					q("w_response", "weight of the response rate (default 0.1)", obj{"type": "number"}),
					q("w_resolution", "weight of the resolution rate (default 0.5)", obj{"type": "number"}),
					q("w_satisfaction", "weight of the satisfaction rate (default 0.4)", obj{"type": "number"})},
				"responses": std(obj{"200": reply("ranking", obj{"type": "object"}), "400": errorReply})}},
	}
}

func (a *API) engagementFilter(r *http.Request, u org.User) (store.EngagementFilter, error) {
	var f store.EngagementFilter
	var err error
	if f.UnitIDs, err = a.escUnitScope(r, u); err != nil {
		return f, err
	}
	if s := r.URL.Query().Get("petition"); s != "" {
		if f.PetitionID, err = strconv.ParseInt(s, 10, 64); err != nil || f.PetitionID <= 0 {
			return f, failure.Invalid("petition", "petition %q is not a positive whole number", s)
		}
	}
	if f.From, err = escQueryDate(r, "from"); err != nil {
		return f, err
	}
	f.To, err = escQueryDate(r, "to")
	return f, err
}

func (a *API) createReception(w http.ResponseWriter, r *http.Request, u org.User) {
	in, ok := decodeAs[engagement.ReceptionInput](a, w, r)
	if !ok {
		return
	}
	rec, err := engagement.New(a.svc).RecordReception(r.Context(), u, in, a.svc.Now())
	answer(w, r, http.StatusCreated, rec, err)
}

func (a *API) listReceptions(w http.ResponseWriter, r *http.Request, u org.User) {
	f, err := a.engagementFilter(r, u)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	rs, err := a.st.Receptions(r.Context(), f)
	answer(w, r, http.StatusOK, map[string]any{"items": rs}, err)
}

func (a *API) createStudyMeeting(w http.ResponseWriter, r *http.Request, u org.User) {
	in, ok := decodeAs[engagement.MeetingInput](a, w, r)
	if !ok {
		return
	}
	m, err := engagement.New(a.svc).RecordMeeting(r.Context(), u, in, a.svc.Now())
	answer(w, r, http.StatusCreated, m, err)
}

func (a *API) listStudyMeetings(w http.ResponseWriter, r *http.Request, u org.User) {
	f, err := a.engagementFilter(r, u)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	ms, err := a.st.StudyMeetings(r.Context(), f)
	answer(w, r, http.StatusOK, map[string]any{"items": ms}, err)
}

func (a *API) openInspection(w http.ResponseWriter, r *http.Request, u org.User) {
	var body struct {
		UnitCode    string        `json:"unit_code"`
		From        calendar.Date `json:"period_from"`
		To          calendar.Date `json:"period_to"`
		BacklogDays int           `json:"backlog_days"`
	}
	if err := a.decode(w, r, &body); err != nil {
		respond.Error(w, r, err)
		return
	}
	in, err := inspection.Open(r.Context(), a.st, u, body.UnitCode, body.From, body.To, body.BacklogDays, a.svc.Now())
	answer(w, r, http.StatusCreated, in, err)
}

func accPathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, failure.Invalid("id", "%s id %q is not a positive whole number", what, r.PathValue("id"))
	}
	return id, nil
}

func (a *API) draftReport(r *http.Request) (inspection.Report, error) {
	id, err := accPathID(r, "inspection")
	if err != nil {
		return inspection.Report{}, err
	}
	return inspection.Draft(r.Context(), a.st, id, a.svc.Now())
}

func (a *API) inspectionReport(w http.ResponseWriter, r *http.Request, u org.User) {
	rep, err := a.draftReport(r)
	answer(w, r, http.StatusOK, rep, err)
}

func (a *API) inspectionReportExcel(w http.ResponseWriter, r *http.Request, u org.User) {
	rep, err := a.draftReport(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := inspection.WriteExcel(&buf, rep); err != nil {
		respond.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="inspection-%d.xlsx"`, rep.Inspection.ID))
	_, _ = w.Write(buf.Bytes())
}

func (a *API) addRectification(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := accPathID(r, "inspection")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	in, ok := decodeAs[inspection.RectificationInput](a, w, r)
	if !ok {
		return
	}
	item, err := inspection.AddRectification(r.Context(), a.st, u, id, in, a.svc.Now())
	answer(w, r, http.StatusCreated, item, err)
}

func (a *API) completeRectification(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := accPathID(r, "rectification")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var body struct {
		Note string `json:"note"`
	}
	if err := a.decode(w, r, &body); err != nil {
		respond.Error(w, r, err)
		return
	}
	item, err := inspection.CompleteRectification(r.Context(), a.st, u, id, body.Note, a.svc.Now())
	answer(w, r, http.StatusOK, item, err)
}

func (a *API) recordFollowUp(w http.ResponseWriter, r *http.Request, u org.User) {
	var body struct {
		PetitionID int64  `json:"petition_id"`
		Result     string `json:"result"`
		Note       string `json:"note"`
	}
	if err := a.decode(w, r, &body); err != nil {
		respond.Error(w, r, err)
		return
	}
	res, err := ranking.RecordFollowUp(r.Context(), a.svc, u, body.PetitionID, body.Result, body.Note, a.svc.Now())
	answer(w, r, http.StatusCreated, res, err)
}

func (a *API) monthlyRanking(w http.ResponseWriter, r *http.Request, u org.User) {
	t, err := time.Parse("2006-01", r.PathValue("month"))
	if err != nil {
		respond.Error(w, r, failure.Invalid("month", "month %q is not of the form YYYY-MM", r.PathValue("month")))
		return
	}
	qv := r.URL.Query()
	o := ranking.Options{Level: qv.Get("level"), Weights: ranking.DefaultWeights}
	if o.Level != "" && o.Level != ranking.LevelUnit && o.Level != ranking.LevelDistrict {
		respond.Error(w, r, failure.Invalid("level", "level %q is not one of unit, district", o.Level))
		return
	}
	for _, p := range []struct {
		name string
		dst  *int
		lo   int
		hi   int
	}{{"min_cases", &o.MinCases, 1, 100000}, {"months", &o.Months, 0, 24}} {
		if s := qv.Get(p.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < p.lo || n > p.hi {
				respond.Error(w, r, failure.Invalid(p.name, "%s must be a whole number from %d to %d", p.name, p.lo, p.hi))
				return
			}
			*p.dst = n
			if p.name == "months" && n == 0 {
				*p.dst = -1
			}
		}
	}
	custom := false
	for _, p := range []struct {
		name string
		dst  *float64
	}{{"w_response", &o.Weights.Response}, {"w_resolution", &o.Weights.Resolution}, {"w_satisfaction", &o.Weights.Satisfaction}} {
		if s := qv.Get(p.name); s != "" {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				respond.Error(w, r, failure.Invalid(p.name, "%s must be a number", p.name))
				return
			}
			*p.dst, custom = v, true
		}
	}
	if custom {
		if err := o.Weights.Validate(); err != nil {
			respond.Error(w, r, failure.Invalid("w_response", "%s", strings.TrimSpace(err.Error())))
			return
		}
	}
	rk, err := ranking.Monthly(r.Context(), a.st, t.Year(), t.Month(), o)
	if errors.Is(err, store.ErrNotFound) {
		err = failure.NotFound("ranking")
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, rk)
}
