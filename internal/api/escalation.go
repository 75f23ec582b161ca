package api

import (
	"errors"
	"net/http"
	"strconv"

	"redress/internal/calendar"
	"redress/internal/escalation"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/respond"
	"redress/internal/store"
)

// escOverseers see every unit's escalation record.
var escOverseers = []org.Role{org.RoleBureau, org.RoleLeader, org.RoleInspector, org.RoleAdmin}

func escalationRoutes() []Route {
	idParam := obj{"name": "id", "in": "path", "required": true, "schema": obj{"type": "integer"}}
	q := func(name, desc string, schema obj) obj {
		return obj{"name": name, "in": "query", "required": false, "description": desc, "schema": schema}
	}
	rule := obj{"type": "object", "required": []string{"name", "trigger", "action", "recipient"}, "properties": obj{
		"name":      str("unique name of the rung"),
		"trigger":   obj{"type": "string", "enum": []string{escalation.BeforeDue, escalation.DueDay, escalation.Overdue, escalation.Returns}},
		"days":      obj{"type": "integer", "description": "working days before/after the due date, or the number of returns"},
		"action":    obj{"type": "string", "enum": []string{escalation.Reminder, escalation.Supervision, escalation.PartyReport}},
		"recipient": obj{"type": "string", "enum": []string{escalation.Handlers, escalation.Head, escalation.Committee, escalation.Bureau}},
		"active":    obj{"type": "boolean"}}}
	rules := obj{"type": "object", "properties": obj{"items": obj{"type": "array", "items": rule}}}
	step := obj{"type": "object", "properties": obj{"id": obj{"type": "integer"}, "rule": str(""), "subject": str("deadline/<kind> or returns"),
		"due_on": obj{"type": "string", "format": "date"}, "petition_id": obj{"type": "integer"}, "unit_id": obj{"type": "integer"},
		"head_name": str("the unit head at the time"), "action": str(""), "recipient": str(""), "fired_at": obj{"type": "string", "format": "date-time"},
		"note": str(""), "explanations": obj{"type": "array", "items": obj{"type": "object"}}}}
	explanation := obj{"type": "object", "properties": obj{"id": obj{"type": "integer"}, "step_id": obj{"type": "integer"}, "text": str(""),
		"decision": obj{"type": "string", "enum": []string{"pending", "accepted", "rejected"}}, "decision_note": str("")}}
	notice := obj{"type": "object", "properties": obj{"id": obj{"type": "integer"}, "kind": str(""), "title": str(""), "body": str(""),
		"petition_id": obj{"type": "integer"}, "step_id": obj{"type": "integer"}, "created_at": obj{"type": "string", "format": "date-time"}}}
	list := func(item obj) obj {
		return obj{"type": "object", "properties": obj{"items": obj{"type": "array", "items": item}}}
	}
	std := func(extra obj) obj {
		out := obj{"401": errorReply, "403": errorReply}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	return []Route{
		{Method: "GET", Path: "/api/v1/escalation/rules", Roles: anyRole, handler: (*API).escalationRules,
			Op: obj{"summary": "The escalation ladder in force (督办规则)", "responses": std(obj{"200": reply("rules", rules)})}},
		{Method: "PUT", Path: "/api/v1/escalation/rules", Roles: adminOnly, handler: (*API).setEscalationRules,
			Op: obj{"summary": "Replace the escalation ladder (administrators)", "requestBody": jsonBody(rules),
				"responses": std(obj{"200": reply("rules", rules), "400": errorReply})}},
		{Method: "GET", Path: "/api/v1/escalation/steps", Roles: anyRole, handler: (*API).escalationSteps,
			Op: obj{"summary": "Escalation steps fired, newest first; units see their own",
				"parameters": []any{q("unit", "unit id or code (and the units below it)", obj{"type": "string"}),
					q("petition", "petition id", obj{"type": "integer"}),
					q("action", "step action", obj{"type": "string", "enum": []string{escalation.Reminder, escalation.Supervision, escalation.PartyReport}}),
					q("limit", "at most this many (default 200, max 1000)", obj{"type": "integer"})},
				"responses": std(obj{"200": reply("steps", list(step)), "400": errorReply})}},
		{Method: "GET", Path: "/api/v1/escalation/steps/{id}", Roles: anyRole, handler: (*API).escalationStep,
			Op: obj{"summary": "One escalation step with its explanations", "parameters": []any{idParam},
				"responses": std(obj{"200": reply("step", step), "404": errorReply})}},
		{Method: "POST", Path: "/api/v1/escalation/steps/{id}/explanation", Roles: []org.Role{org.RoleHandler, org.RoleHead}, handler: (*API).explainStep,
			Op: obj{"summary": "The supervised unit's written explanation (书面说明)", "parameters": []any{idParam},
				"requestBody": jsonBody(obj{"type": "object", "required": []string{"text"}, "properties": obj{"text": str("10–5000 characters")}}),
				"responses":   std(obj{"201": reply("explanation", explanation), "400": errorReply, "404": errorReply, "409": errorReply})}},
		{Method: "POST", Path: "/api/v1/escalation/steps/{id}/decision", Roles: bureauOnly, handler: (*API).decideExplanation,
			Op: obj{"summary": "Accept or reject the pending explanation (the bureau)", "parameters": []any{idParam},
				"requestBody": jsonBody(obj{"type": "object", "required": []string{"decision"}, "properties": obj{
					"decision": obj{"type": "string", "enum": []string{"accept", "reject"}}, "note": str("required to reject")}}),
				"responses": std(obj{"200": reply("explanation", explanation), "400": errorReply, "404": errorReply, "409": errorReply})}},
		{Method: "GET", Path: "/api/v1/escalation/listings", Roles: escOverseers, handler: (*API).supervisionListings,
			Op: obj{"summary": "Cases listed for 挂牌督办",
				"parameters": []any{q("all", "include cases taken off the list", obj{"type": "boolean"})},
				"responses":  std(obj{"200": reply("listed cases", list(obj{"type": "object"}))})}},
		{Method: "GET", Path: "/api/v1/escalation/record", Roles: anyRole, handler: (*API).nonCooperation,
			Op: obj{"summary": "Non-cooperation record per unit and head; units see their own",
				"parameters": []any{q("unit", "unit id or code (and the units below it)", obj{"type": "string"}),
					q("from", "fired on or after (YYYY-MM-DD)", obj{"type": "string", "format": "date"}),
					q("to", "fired on or before (YYYY-MM-DD)", obj{"type": "string", "format": "date"})},
				"responses": std(obj{"200": reply("record", list(obj{"type": "object"})), "400": errorReply})}},
		{Method: "GET", Path: "/api/v1/me/notices", Roles: anyRole, handler: (*API).myNotices,
			Op: obj{"summary": "The caller's unread in-app notices, newest first",
				"responses": obj{"200": reply("notices", list(notice)), "401": errorReply}}},
		{Method: "POST", Path: "/api/v1/me/notices/{id}/read", Roles: anyRole, handler: (*API).readNotice,
			Op: obj{"summary": "Mark one of the caller's notices read", "parameters": []any{idParam},
				"responses": obj{"204": obj{"description": "marked"}, "401": errorReply, "404": errorReply}}},
	}
}

func (a *API) escalation() *escalation.Service { return escalation.New(a.st, escalation.Options{}) }

func escActor(u org.User) store.Actor { return store.Actor{ID: u.ID, Login: u.Login} }

func (a *API) escalationRules(w http.ResponseWriter, r *http.Request, u org.User) {
	rules, err := a.escalation().Rules(r.Context())
	answer(w, r, http.StatusOK, map[string]any{"items": rules}, err)
}

func (a *API) setEscalationRules(w http.ResponseWriter, r *http.Request, u org.User) {
	var body struct {
		Items []escalation.Rule `json:"items"`
	}
	if err := a.decode(w, r, &body); err != nil {
		respond.Error(w, r, err)
		return
	}
	if err := a.escalation().SetRules(r.Context(), u, body.Items, a.svc.Now()); err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, map[string]any{"items": body.Items})
}

// unitScope resolves ?unit= and limits a unit-scoped caller to its own units.
// nil means every unit.
func (a *API) escUnitScope(r *http.Request, u org.User) ([]int64, error) {
	tree, err := a.st.Units(r.Context())
	if err != nil {
		return nil, err
	}
	var ids []int64
	if s := r.URL.Query().Get("unit"); s != "" {
		unit, ok := tree.ByCode(s)
		if !ok {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil {
				unit, ok = tree.Unit(id)
			}
		}
		if !ok {
			return nil, failure.Invalid("unit", "unit %q does not exist", s)
		}
		ids = tree.Subtree(unit.ID)
	}
	if !u.Role.UnitScoped() {
		return ids, nil
	}
	own := tree.Subtree(u.UnitID)
	if ids == nil {
		return own, nil
	}
	var both []int64
	for _, id := range ids {
		if tree.Within(id, u.UnitID) {
			both = append(both, id)
		}
	}
	if both == nil {
		both = []int64{}
	}
	return both, nil
}

func (a *API) escalationSteps(w http.ResponseWriter, r *http.Request, u org.User) {
	ids, err := a.escUnitScope(r, u)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	f := store.StepFilter{UnitIDs: ids, Action: r.URL.Query().Get("action")}
	if s := r.URL.Query().Get("petition"); s != "" {
		if f.PetitionID, err = strconv.ParseInt(s, 10, 64); err != nil || f.PetitionID <= 0 {
			respond.Error(w, r, failure.Invalid("petition", "petition %q is not a positive whole number", s))
			return
		}
	}
	if s := r.URL.Query().Get("limit"); s != "" {
		if f.Limit, err = strconv.Atoi(s); err != nil || f.Limit < 1 || f.Limit > 1000 {
			respond.Error(w, r, failure.Invalid("limit", "limit must be 1–1000"))
			return
		}
	}
	steps, err := a.st.EscalationSteps(r.Context(), f)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if steps == nil {
		steps = []store.EscalationStep{}
	}
	respond.JSON(w, r, http.StatusOK, map[string]any{"items": steps})
}

func (a *API) escVisibleStep(r *http.Request, u org.User) (store.EscalationStep, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return store.EscalationStep{}, failure.Invalid("id", "step id %q is not a positive whole number", r.PathValue("id"))
	}
	step, err := a.st.EscalationStep(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return step, failure.NotFound("escalation step")
	}
	if err != nil {
		return step, err
	}
	if u.Role.UnitScoped() {
		tree, err := a.st.Units(r.Context())
		if err != nil {
			return step, err
		}
		if step.UnitID == 0 || !tree.Within(step.UnitID, u.UnitID) {
			return step, failure.NotFound("escalation step")
		}
	}
	return step, nil
}

func (a *API) escalationStep(w http.ResponseWriter, r *http.Request, u org.User) {
	step, err := a.escVisibleStep(r, u)
	answer(w, r, http.StatusOK, step, err)
}

func (a *API) explainStep(w http.ResponseWriter, r *http.Request, u org.User) {
	step, err := a.escVisibleStep(r, u)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var body struct {
		Text string `json:"text"`
	}
	if err := a.decode(w, r, &body); err != nil {
		respond.Error(w, r, err)
		return
	}
	e, err := a.escalation().Explain(r.Context(), u, step.ID, body.Text, a.svc.Now())
	answer(w, r, http.StatusCreated, e, err)
}

func (a *API) decideExplanation(w http.ResponseWriter, r *http.Request, u org.User) {
	step, err := a.escVisibleStep(r, u)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var body struct {
		Decision string `json:"decision"`
		Note     string `json:"note"`
	}
	if err := a.decode(w, r, &body); err != nil {
		respond.Error(w, r, err)
		return
	}
	e, err := a.escalation().Decide(r.Context(), u, step.ID, body.Decision, body.Note, a.svc.Now())
	answer(w, r, http.StatusOK, e, err)
}

func (a *API) supervisionListings(w http.ResponseWriter, r *http.Request, u org.User) {
	all, _ := strconv.ParseBool(r.URL.Query().Get("all"))
	ls, err := a.st.Listings(r.Context(), all)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if ls == nil {
		ls = []store.Listing{}
	}
	respond.JSON(w, r, http.StatusOK, map[string]any{"items": ls})
}

func escQueryDate(r *http.Request, name string) (calendar.Date, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return calendar.Date{}, nil
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		return d, failure.Invalid(name, "%s %q is not a date (YYYY-MM-DD)", name, s)
	}
	return d, nil
}

func (a *API) nonCooperation(w http.ResponseWriter, r *http.Request, u org.User) {
	ids, err := a.escUnitScope(r, u)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	from, err := escQueryDate(r, "from")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	to, err := escQueryDate(r, "to")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	rec, err := a.st.NonCooperation(r.Context(), ids, from, to)
	answer(w, r, http.StatusOK, map[string]any{"items": rec}, err)
}

func (a *API) myNotices(w http.ResponseWriter, r *http.Request, u org.User) {
	ns, err := a.st.UnreadNotices(r.Context(), u.ID, 100)
	answer(w, r, http.StatusOK, map[string]any{"items": ns}, err)
}

func (a *API) readNotice(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		respond.Error(w, r, failure.Invalid("id", "notice id %q is not a positive whole number", r.PathValue("id")))
		return
	}
	err = a.st.Write(r.Context(), func(tx *store.Tx) error { return tx.MarkNoticeRead(escActor(u), u.ID, id, a.svc.Now()) })
	if errors.Is(err, store.ErrNotFound) {
		err = failure.NotFound("unread notice")
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
