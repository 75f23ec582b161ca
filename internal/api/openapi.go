package api

import (
	"net/http"
	"regexp"
	"sync"

	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/respond"
)

type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func str(desc string) obj { return obj{"type": "string", "description": desc} }

func jsonBody(schema obj) obj {
	return obj{"required": true, "content": obj{"application/json": obj{"schema": schema}}}
}

func reply(desc string, schema obj) obj {
	return obj{"description": desc, "content": obj{"application/json": obj{"schema": schema}}}
}

var errorReply = reply("error", ref("Error"))

// operations documents every route; the test checks it against Routes().
func operations() map[string]obj {
	actions := []string{}
	for _, a := range lifecycle.Actions {
		actions = append(actions, string(a))
	}
	states := []string{}
	for _, s := range petition.States {
		states = append(states, string(s))
	}
	idParam := obj{"name": "id", "in": "path", "required": true, "schema": obj{"type": "integer"}}
	q := func(name, desc string, schema obj) obj {
		return obj{"name": name, "in": "query", "required": false, "description": desc, "schema": schema}
	}
	return map[string]obj{
		"GET /api/v1/openapi.json": {"summary": "This document", "security": []any{},
			"responses": obj{"200": obj{"description": "OpenAPI 3 document"}}},
		"GET /api/v1/me": {"summary": "The signed-in user",
			"responses": obj{"200": reply("user", ref("User")), "401": errorReply}},
		"POST /api/v1/petitions": {"summary": "Register a petition (登记); idempotent on external_id",
			"requestBody": jsonBody(ref("Record")),
			"responses": obj{"201": reply("registered", ref("Registered")), "200": reply("already registered", ref("Registered")),
				"400": errorReply, "401": errorReply, "403": errorReply, "413": errorReply}},
		"GET /api/v1/petitions": {"summary": "List petitions the caller may see, newest first",
			"parameters": []any{
				q("state", "lifecycle state", obj{"type": "string", "enum": states}),
				q("unit", "unit id or code (includes units below it)", obj{"type": "string"}),
				q("district", "GB/T 2260 district code", obj{"type": "string"}),
				q("channel", "intake channel", obj{"type": "string", "enum": petition.Channels}),
				q("overdue", "only overdue (true) or not overdue (false)", obj{"type": "boolean"}),
				q("q", "text to find in title or content", obj{"type": "string"}),
				q("from", "received on or after (YYYY-MM-DD)", obj{"type": "string", "format": "date"}),
				q("to", "received on or before (YYYY-MM-DD)", obj{"type": "string", "format": "date"}),
				q("cursor", "next_cursor of the previous page", obj{"type": "string"}),
				q("limit", "page size, 1–500 (default 50)", obj{"type": "integer", "minimum": 1, "maximum": 500}),
			},
			"responses": obj{"200": reply("one page", ref("Page")), "400": errorReply, "401": errorReply}},
		"GET /api/v1/petitions/{id}": {"summary": "A petition with its state, assignments, deadlines and timeline",
			"parameters": []any{idParam},
			"responses":  obj{"200": reply("case", ref("Case")), "401": errorReply, "404": errorReply}},
		"POST /api/v1/petitions/{id}/{action}": {"summary": "Take a lifecycle action",
			"parameters":  []any{idParam, obj{"name": "action", "in": "path", "required": true, "schema": obj{"type": "string", "enum": actions}}},
			"requestBody": obj{"required": false, "content": obj{"application/json": obj{"schema": ref("ActionInput")}}},
			"responses": obj{"200": reply("case after the action", ref("Case")), "400": errorReply, "401": errorReply,
				"403": errorReply, "404": errorReply, "409": errorReply}},
		"GET /api/v1/units": {"summary": "The unit tree",
			"responses": obj{"200": reply("units", obj{"type": "object", "properties": obj{"items": obj{"type": "array", "items": ref("Unit")}}}), "401": errorReply}},
		"GET /api/v1/time-limits": {"summary": "Statutory time limits in force",
			"responses": obj{"200": reply("time limits", obj{"type": "object"}), "401": errorReply}},
		"PUT /api/v1/time-limits/{kind}": {"summary": "Change a time limit (administrators)",
			"parameters":  []any{obj{"name": "kind", "in": "path", "required": true, "schema": obj{"type": "string"}}},
			"requestBody": jsonBody(obj{"type": "object", "properties": obj{"count": obj{"type": "integer"}, "unit": obj{"type": "string", "enum": []string{"calendar", "working"}}}}),
			"responses":   obj{"200": reply("rule", obj{"type": "object"}), "400": errorReply, "401": errorReply, "403": errorReply, "404": errorReply}},
		"GET /api/v1/calendar/{year}": {"summary": "A year's days off and make-up working days",
			"parameters": []any{obj{"name": "year", "in": "path", "required": true, "schema": obj{"type": "integer"}}},
			"responses":  obj{"200": reply("calendar", obj{"type": "object"}), "400": errorReply, "401": errorReply}},
		"PUT /api/v1/calendar/{year}": {"summary": "Replace a year's arrangement, as a new calendar revision (administrators)",
			"parameters": []any{obj{"name": "year", "in": "path", "required": true, "schema": obj{"type": "integer"}}},
			"requestBody": jsonBody(obj{"type": "object", "required": []string{"note", "days"}, "properties": obj{
				"note": str("source of the arrangement"),
				"days": obj{"type": "array", "items": obj{"type": "object", "properties": obj{
					"date": obj{"type": "string", "format": "date"}, "kind": obj{"type": "string", "enum": []string{"off", "work"}}, "note": str("")}}}}}),
			"responses": obj{"200": reply("new revision", obj{"type": "object"}), "400": errorReply, "401": errorReply, "403": errorReply}},
	}
}

func schemas() obj {
	return obj{
		"Error": obj{"type": "object", "required": []string{"code", "message"}, "properties": obj{
			"code": str("stable error code"), "message": str("safe, human-readable message"), "field": str("input field at fault"),
			"params": obj{"type": "object", "additionalProperties": obj{"type": "string"}}}},
		"Record": obj{"type": "object", "required": []string{"channel", "petitioner_name", "district_code", "title", "content"}, "properties": obj{
			"external_id":     str("the sender's id; re-sending it returns the existing petition"),
			"received_at":     obj{"type": "string", "format": "date-time", "description": "RFC 3339; defaults to now"},
			"channel":         obj{"type": "string", "enum": petition.Channels},
			"petitioner_name": str(""), "petitioner_id_number": str("18-character resident ID number"), "phone": str(""),
			"district_code": str("GB/T 2260 code of the district"), "address": str(""), "title": str(""), "content": str(""),
			"group_size": obj{"type": "integer"}, "accusation": obj{"type": "boolean"}, "accused_unit_code": str("")}},
		"Registered": obj{"type": "object", "properties": obj{"id": obj{"type": "integer"}, "tracking_code": str(""),
			"state": str(""), "existing": obj{"type": "boolean"}, "deadlines": obj{"type": "array", "items": ref("Deadline")}}},
		"Deadline": obj{"type": "object", "properties": obj{"kind": str(""), "started_on": obj{"type": "string", "format": "date"},
			"due_on": obj{"type": "string", "format": "date"}, "calendar_revision": obj{"type": "integer"}, "obligation": obj{"type": "boolean"},
			"met_at": obj{"type": "string", "format": "date-time"}, "working_days_left": obj{"type": "integer"}, "overdue": obj{"type": "boolean"}}},
		"ActionInput": obj{"type": "object", "properties": obj{
			"note": str(""), "reason": str("decline, return, extension, review requests"),
			"unit_id": obj{"type": "integer"}, "unit_code": str("assign"), "mode": obj{"type": "string", "enum": []string{"assign", "forward"}},
			"due_on": obj{"type": "string", "format": "date"}, "days": obj{"type": "integer", "description": "request-extension: 1–30"},
			"outcome": obj{"type": "string", "enum": []string{"support", "explain", "reject"}}, "text": str("reply or decision text"),
			"petitioner_satisfied": obj{"type": "boolean"}}},
		"Case": obj{"type": "object", "properties": obj{"petition": obj{"type": "object"}, "petitioner": obj{"type": "object"},
			"assignments": obj{"type": "array", "items": obj{"type": "object"}}, "deadlines": obj{"type": "array", "items": ref("Deadline")},
			"timeline": obj{"type": "array", "items": obj{"type": "object"}}, "overdue": obj{"type": "boolean"},
			"allowed_actions": obj{"type": "array", "items": obj{"type": "string"}}}},
		"Page": obj{"type": "object", "properties": obj{"items": obj{"type": "array", "items": obj{"type": "object"}}, "next_cursor": str("")}},
		"Unit": obj{"type": "object", "properties": obj{"id": obj{"type": "integer"}, "code": str(""), "name": str(""),
			"parent_id": obj{"type": "integer"}, "kind": str(""), "head_name": str(""), "head_title": str("")}},
		"User": obj{"type": "object", "properties": obj{"id": obj{"type": "integer"}, "login": str(""), "name": str(""),
			"role": obj{"type": "string", "enum": org.Roles}, "unit_id": obj{"type": "integer"}}},
	}
}

var pathParam = regexp.MustCompile(`\{[a-z_]+\}`)

// OpenAPI builds the OpenAPI 3 document from the route table.
func OpenAPI() obj {
	ops := operations()
	paths := obj{}
	for _, rt := range Routes() {
		op, ok := ops[rt.Method+" "+rt.Path]
		if rt.Op != nil {
			op, ok = rt.Op, true
		}
		if !ok {
			continue
		}
		item, _ := paths[rt.Path].(obj)
		if item == nil {
			item = obj{}
			paths[rt.Path] = item
		}
		item[lower(rt.Method)] = op
	}
	return obj{
		"openapi": "3.0.3",
		"info":    obj{"title": "redress API", "version": "1", "description": "Petitions and complaints: the statutory lifecycle (《信访工作条例》2022)."},
		"servers": []any{obj{"url": "/"}},
		"paths":   paths,
		"components": obj{"schemas": schemas(),
			"securitySchemes": obj{"bearer": obj{"type": "http", "scheme": "bearer", "description": "token from `redress token create --user NAME`"}}},
		"security": []any{obj{"bearer": []any{}}},
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

var (
	openAPIOnce sync.Once
	openAPIDoc  obj
)

func (a *API) openAPI(w http.ResponseWriter, r *http.Request, _ org.User) {
	openAPIOnce.Do(func() { openAPIDoc = OpenAPI() })
	respond.JSON(w, r, http.StatusOK, openAPIDoc)
}
