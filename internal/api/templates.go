package api

import (
	"net/http"

	"redress/internal/failure"
	"redress/internal/matters"
	"redress/internal/org"
	"redress/internal/respond"
	"redress/internal/store"
)

// templateRoutes: resolution templates by precedent and their 容缺 items.
func templateRoutes() []Route {
	idParam := obj{"name": "id", "in": "path", "required": true, "schema": obj{"type": "integer"}}
	q := func(name, desc string, schema obj) obj {
		return obj{"name": name, "in": "query", "required": false, "description": desc, "schema": schema}
	}
	item := obj{"type": "object", "required": []string{"name", "due_days"}, "properties": obj{"name": str("document to supply later"),
		"due_days": obj{"type": "integer", "minimum": 1, "maximum": 365}}}
	tmpl := obj{"type": "object", "properties": obj{"id": obj{"type": "integer"}, "name": str(""), "source_petition_id": obj{"type": "integer"},
		"outcome": obj{"type": "string", "enum": []string{"support", "explain", "reject"}}, "text": str(""),
		"items": obj{"type": "array", "items": item}, "created_at": obj{"type": "string", "format": "date-time"}}}
	selection := obj{"type": "object", "description": "the parts add up", "properties": obj{
		"petition_ids": obj{"type": "array", "items": obj{"type": "integer"}},
		"filter": obj{"type": "object", "description": "a petition search within the caller's scope", "properties": obj{
			"q": str("text in title or content"), "state": str(""), "district": str(""), "unit": str("unit code (and below)"), "channel": str(""),
			"from": obj{"type": "string", "format": "date"}, "to": obj{"type": "string", "format": "date"}}},
		"problem_id": obj{"type": "integer", "description": "every petition in the problem's matters"},
		"repeat_of":  obj{"type": "integer", "description": "a petition, its matter and its repeat candidates not rejected"}}}
	deficiency := obj{"type": "object", "properties": obj{"id": obj{"type": "integer"}, "petition_id": obj{"type": "integer"},
		"tracking_code": str(""), "template_id": obj{"type": "integer"}, "unit_id": obj{"type": "integer"}, "name": str(""),
		"due_on": obj{"type": "string", "format": "date"}, "supplied_at": obj{"type": "string", "format": "date-time"},
		"terminated_at": obj{"type": "string", "format": "date-time"}}}
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
	appliers := []org.Role{org.RoleBureau, org.RoleHandler, org.RoleHead}
	return []Route{
		{Method: "GET", Path: "/api/v1/templates", Roles: anyRole, handler: (*API).listTemplates, Op: obj{
			"summary": "Resolution templates, newest first", "responses": std(obj{"200": reply("templates", list(tmpl))})}},
		{Method: "POST", Path: "/api/v1/templates", Roles: bureauOnly, handler: (*API).createTemplate, Op: obj{
			"summary": "Make a template from a replied case: its reply, and the 容缺 items (documents to supply later, with due periods)",
			"requestBody": jsonBody(obj{"type": "object", "required": []string{"petition_id", "name"}, "properties": obj{
				"petition_id": obj{"type": "integer"}, "name": str(""), "items": obj{"type": "array", "items": item},
				"outcome": obj{"type": "string", "description": "default: the precedent's"}, "text": str("default: the precedent's reply")}}),
			"responses": std(obj{"201": reply("template", tmpl), "400": errorReply, "409": errorReply})}},
		{Method: "GET", Path: "/api/v1/templates/{id}", Roles: anyRole, handler: (*API).getTemplate, Op: obj{
			"summary": "A template with its 容缺 items", "parameters": []any{idParam},
			"responses": std(obj{"200": reply("template", tmpl), "404": errorReply})}},
		{Method: "POST", Path: "/api/v1/templates/{id}/preview", Roles: appliers, handler: (*API).previewTemplate, Op: obj{
			"summary":    "What applying the template to the selected cases would do: per case, allowed or why not, and its items' due dates",
			"parameters": []any{idParam}, "requestBody": jsonBody(selection),
			"responses": std(obj{"200": reply("preview", obj{"type": "object"}), "400": errorReply, "404": errorReply})}},
		{Method: "POST", Path: "/api/v1/templates/{id}/apply", Roles: appliers, handler: (*API).applyTemplate, Op: obj{
			"summary":    "Reply to every selected case with the template and give each its 容缺 items, all or nothing: if one case may not be replied to now, nothing changes and the error names it",
			"parameters": []any{idParam}, "requestBody": jsonBody(selection),
			"responses": std(obj{"200": reply("applied", obj{"type": "object"}), "400": errorReply, "404": errorReply, "409": errorReply})}},
		{Method: "GET", Path: "/api/v1/deficiencies", Roles: anyRole, handler: (*API).listDeficiencies, Op: obj{
			"summary": "容缺 items by due date: a unit sees its own; overdue=true lists only open items past due (the unit's to-do list)",
			"parameters": []any{q("unit", "unit id (and below); units see only their own", obj{"type": "integer"}),
				q("overdue", "only open items past due", obj{"type": "boolean"})},
			"responses": std(obj{"200": reply("items", list(deficiency)), "400": errorReply})}},
		{Method: "POST", Path: "/api/v1/deficiencies/{id}/supplied", Roles: []org.Role{org.RoleBureau, org.RoleHandler, org.RoleHead},
			handler: (*API).supplyDeficiency, Op: obj{
				"summary": "Record that a 容缺 item was handed in", "parameters": []any{idParam},
				"responses": std(obj{"200": reply("item", deficiency), "404": errorReply, "409": errorReply})}},
	}
}

func (a *API) listTemplates(w http.ResponseWriter, r *http.Request, u org.User) {
	ts, err := a.st.Templates(r.Context())
	answer(w, r, http.StatusOK, map[string]any{"items": ts}, err)
}

func (a *API) createTemplate(w http.ResponseWriter, r *http.Request, u org.User) {
	in, ok := decodeAs[matters.TemplateInput](a, w, r)
	if !ok {
		return
	}
	tp, err := a.matters().CreateTemplate(r.Context(), u, in)
	answer(w, r, http.StatusCreated, tp, err)
}

func (a *API) getTemplate(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "template")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	tp, err := a.st.Template(r.Context(), id)
	if err != nil {
		respond.Error(w, r, notFoundAs(err, "template"))
		return
	}
	respond.JSON(w, r, http.StatusOK, tp)
}

func (a *API) previewTemplate(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "template")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	sel, ok := decodeAs[matters.Selection](a, w, r)
	if !ok {
		return
	}
	pv, err := a.matters().PreviewTemplate(r.Context(), u, id, sel)
	answer(w, r, http.StatusOK, pv, err)
}

func (a *API) applyTemplate(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "template")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	sel, ok := decodeAs[matters.Selection](a, w, r)
	if !ok {
		return
	}
	out, err := a.matters().ApplyTemplate(r.Context(), u, id, sel)
	answer(w, r, http.StatusOK, out, err)
}

func (a *API) listDeficiencies(w http.ResponseWriter, r *http.Request, u org.User) {
	unit, err := queryInt(r, "unit", 0, 1, 1<<62)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	overdue := false
	switch r.URL.Query().Get("overdue") {
	case "", "false":
	case "true":
		overdue = true
	default:
		respond.Error(w, r, failure.Invalid("overdue", "overdue must be true or false"))
		return
	}
	ds, err := a.matters().Deficiencies(r.Context(), u, unit, overdue)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if ds == nil {
		ds = []store.Deficiency{}
	}
	respond.JSON(w, r, http.StatusOK, map[string]any{"items": ds})
}

func (a *API) supplyDeficiency(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "容缺 item")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	d, err := a.matters().Supply(r.Context(), u, id)
	answer(w, r, http.StatusOK, d, err)
}
