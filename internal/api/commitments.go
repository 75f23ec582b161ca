package api

import (
	"errors"
	"net/http"
	"strconv"

	"redress/internal/commitments"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/respond"
	"redress/internal/store"
)

// commitmentRoutes: leaders' yearly commitments and joint-meeting checklists.
func commitmentRoutes() []Route {
	idParam := obj{"name": "id", "in": "path", "required": true, "schema": obj{"type": "integer"}}
	keepers := []org.Role{org.RoleLeader, org.RoleBureau, org.RoleAdmin}
	std := func(extra obj) obj {
		out := obj{"401": errorReply, "403": errorReply}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	item := obj{"type": "object"}
	return []Route{
		{Method: "POST", Path: "/api/v1/commitments", Roles: keepers, handler: (*API).createCommitment,
			Op: obj{"summary": "Record a leader's yearly commitment (a hard problem or a reform result; at most 2 of each a year)",
				"requestBody": jsonBody(obj{"type": "object", "required": []string{"year", "leader_name", "unit_code", "kind", "title"}, "properties": obj{
					"year": obj{"type": "integer"}, "leader_name": str(""), "unit_code": str(""),
					"kind": obj{"type": "string", "enum": commitments.Kinds}, "title": str(""), "target": str("")}}),
				"responses": std(obj{"201": reply("commitment", item), "400": errorReply, "409": errorReply})}},
		{Method: "GET", Path: "/api/v1/commitments", Roles: anyRole, handler: (*API).listCommitments,
			Op: obj{"summary": "A year's commitments with their progress",
				"parameters": []any{obj{"name": "year", "in": "query", "required": true, "schema": obj{"type": "integer"}}},
				"responses":  std(obj{"200": reply("commitments", obj{"type": "object"}), "400": errorReply})}},
		{Method: "POST", Path: "/api/v1/commitments/{id}/progress", Roles: keepers, handler: (*API).commitmentProgress,
			Op: obj{"summary": "Note progress on a commitment", "parameters": []any{idParam},
				"requestBody": jsonBody(obj{"type": "object", "required": []string{"note"}, "properties": obj{"note": str("")}}),
				"responses":   std(obj{"201": reply("progress", item), "400": errorReply, "404": errorReply, "409": errorReply})}},
		{Method: "POST", Path: "/api/v1/commitments/{id}/review", Roles: keepers, handler: (*API).reviewCommitment,
			Op: obj{"summary": "Year-end review of a commitment", "parameters": []any{idParam},
				"requestBody": jsonBody(obj{"type": "object", "required": []string{"outcome", "review"}, "properties": obj{
					"outcome": obj{"type": "string", "enum": []string{"achieved", "missed"}}, "review": str("")}}),
				"responses": std(obj{"200": reply("commitment", item), "400": errorReply, "409": errorReply})}},
		{Method: "POST", Path: "/api/v1/checklists", Roles: keepers, handler: (*API).createChecklist,
			Op: obj{"summary": "Record a joint meeting's (联席会议) checklist; its items climb the escalation ladder",
				"requestBody": jsonBody(obj{"type": "object", "required": []string{"title", "meeting", "items"}, "properties": obj{
					"title": str(""), "meeting": str("the joint meeting that owns it"),
					"items": obj{"type": "array", "items": obj{"type": "object", "required": []string{"title", "unit_code", "due_on"}, "properties": obj{
						"title": str(""), "unit_code": str("responsible unit"), "due_on": obj{"type": "string", "format": "date"}}}}}}),
				"responses": std(obj{"201": reply("checklist", item), "400": errorReply})}},
		{Method: "GET", Path: "/api/v1/checklists/{id}", Roles: anyRole, handler: (*API).showChecklist,
			Op: obj{"summary": "A checklist with its items", "parameters": []any{idParam},
				"responses": std(obj{"200": reply("checklist", item), "404": errorReply})}},
		{Method: "POST", Path: "/api/v1/checklist-items/{id}/done", Roles: anyRole, handler: (*API).completeChecklistItem,
			Op: obj{"summary": "Mark a checklist item done (the responsible unit, or the meeting's keepers)", "parameters": []any{idParam},
				"requestBody": jsonBody(obj{"type": "object", "required": []string{"note"}, "properties": obj{"note": str("")}}),
				"responses":   std(obj{"200": reply("item", item), "400": errorReply, "404": errorReply, "409": errorReply})}},
	}
}

func (a *API) createCommitment(w http.ResponseWriter, r *http.Request, u org.User) {
	in, ok := decodeAs[commitments.CommitmentInput](a, w, r)
	if !ok {
		return
	}
	c, err := commitments.Create(r.Context(), a.st, u, in, a.svc.Now())
	answer(w, r, http.StatusCreated, c, err)
}

func (a *API) listCommitments(w http.ResponseWriter, r *http.Request, u org.User) {
	year, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil || year < 2000 || year > 2100 {
		respond.Error(w, r, failure.Invalid("year", "year must be between 2000 and 2100"))
		return
	}
	cs, err := a.st.Commitments(r.Context(), year, 0)
	answer(w, r, http.StatusOK, map[string]any{"items": cs}, err)
}

func (a *API) commitmentProgress(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := accPathID(r, "commitment")
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
	p, err := commitments.AddProgress(r.Context(), a.st, u, id, body.Note, a.svc.Now())
	answer(w, r, http.StatusCreated, p, err)
}

func (a *API) reviewCommitment(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := accPathID(r, "commitment")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var body struct {
		Outcome string `json:"outcome"`
		Review  string `json:"review"`
	}
	if err := a.decode(w, r, &body); err != nil {
		respond.Error(w, r, err)
		return
	}
	c, err := commitments.Review(r.Context(), a.st, u, id, body.Outcome, body.Review, a.svc.Now())
	answer(w, r, http.StatusOK, c, err)
}

func (a *API) createChecklist(w http.ResponseWriter, r *http.Request, u org.User) {
	in, ok := decodeAs[commitments.ChecklistInput](a, w, r)
	if !ok {
		return
	}
	c, err := commitments.CreateChecklist(r.Context(), a.st, u, in, a.svc.Now())
	answer(w, r, http.StatusCreated, c, err)
}

func (a *API) showChecklist(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := accPathID(r, "checklist")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	c, err := a.st.Checklist(r.Context(), id)
	if err != nil {
		respond.Error(w, r, accNotFound(err, "checklist"))
		return
	}
	respond.JSON(w, r, http.StatusOK, c)
}

func (a *API) completeChecklistItem(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := accPathID(r, "checklist item")
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
	it, err := commitments.CompleteItem(r.Context(), a.st, u, id, body.Note, a.svc.Now())
	answer(w, r, http.StatusOK, it, err)
}

// accNotFound turns store.ErrNotFound into a 404 naming what.
func accNotFound(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return failure.NotFound(what)
	}
	return err
}
