package api

import (
	"net/http"
	"strconv"

	"redress/internal/failure"
	"redress/internal/matters"
	"redress/internal/org"
	"redress/internal/respond"
	"redress/internal/store"
)

// problemRoutes: hard problems (老大难) led by a leader (包案/领办).
func problemRoutes() []Route {
	idParam := obj{"name": "id", "in": "path", "required": true, "schema": obj{"type": "integer"}}
	midParam := obj{"name": "mid", "in": "path", "required": true, "schema": obj{"type": "integer"}}
	problem := obj{"type": "object", "properties": obj{"id": obj{"type": "integer"}, "title": str(""), "description": str(""),
		"lead_user_id": obj{"type": "integer"}, "lead_name": str(""), "plan": str(""),
		"status":   obj{"type": "string", "enum": []string{store.ProblemOpen, store.ProblemInProgress, store.ProblemResolved}},
		"unit_ids": obj{"type": "array", "items": obj{"type": "integer"}}, "matter_ids": obj{"type": "array", "items": obj{"type": "integer"}},
		"milestones": obj{"type": "array", "items": obj{"type": "object"}}, "notes": obj{"type": "array", "items": obj{"type": "object"}},
		"petitions": obj{"type": "integer"}, "open": obj{"type": "integer"}}}
	input := obj{"type": "object", "properties": obj{"title": str(""), "description": str(""), "lead_user_id": obj{"type": "integer"},
		"plan": str(""), "status": str("open, in_progress or resolved"), "unit_ids": obj{"type": "array", "items": obj{"type": "integer"}}}}
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
	leaders := []org.Role{org.RoleLeader}
	leadersAndBureau := []org.Role{org.RoleLeader, org.RoleBureau}
	return []Route{
		{Method: "GET", Path: "/api/v1/problems", Roles: overseers, handler: (*API).listProblems, Op: obj{
			"summary":    "Hard problems (老大难), newest first",
			"parameters": []any{obj{"name": "status", "in": "query", "required": false, "schema": obj{"type": "string"}}},
			"responses":  std(obj{"200": reply("problems", list(problem))})}},
		{Method: "POST", Path: "/api/v1/problems", Roles: leaders, handler: (*API).createProblem, Op: obj{
			"summary": "Register a problem led by a leader (包案/领办)", "requestBody": jsonBody(input),
			"responses": std(obj{"201": reply("problem", problem), "400": errorReply})}},
		{Method: "GET", Path: "/api/v1/problems/{id}", Roles: overseers, handler: (*API).getProblem, Op: obj{
			"summary": "A problem with its units, milestones, notes, matters and counts", "parameters": []any{idParam},
			"responses": std(obj{"200": reply("problem", problem), "404": errorReply})}},
		{Method: "PATCH", Path: "/api/v1/problems/{id}", Roles: leaders, handler: (*API).updateProblem, Op: obj{
			"summary": "Change a problem's lead, plan, status or units", "parameters": []any{idParam}, "requestBody": jsonBody(input),
			"responses": std(obj{"200": reply("problem", problem), "400": errorReply, "404": errorReply})}},
		{Method: "POST", Path: "/api/v1/problems/{id}/matters", Roles: leadersAndBureau, handler: (*API).attachMatter, Op: obj{
			"summary": "Put a matter under the problem", "parameters": []any{idParam},
			"requestBody": jsonBody(obj{"type": "object", "required": []string{"matter_id"}, "properties": obj{"matter_id": obj{"type": "integer"}}}),
			"responses":   std(obj{"200": reply("problem", problem), "400": errorReply, "404": errorReply})}},
		{Method: "POST", Path: "/api/v1/problems/{id}/milestones", Roles: leaders, handler: (*API).addMilestone, Op: obj{
			"summary": "Add a dated milestone", "parameters": []any{idParam},
			"requestBody": jsonBody(obj{"type": "object", "required": []string{"title", "due_on"}, "properties": obj{"title": str(""),
				"due_on": obj{"type": "string", "format": "date"}}}),
			"responses": std(obj{"201": reply("milestone", obj{"type": "object"}), "400": errorReply, "404": errorReply})}},
		{Method: "POST", Path: "/api/v1/problems/{id}/milestones/{mid}/done", Roles: leaders, handler: (*API).completeMilestone, Op: obj{
			"summary": "Mark a milestone done", "parameters": []any{idParam, midParam},
			"responses": std(obj{"204": obj{"description": "done"}, "404": errorReply})}},
		{Method: "POST", Path: "/api/v1/problems/{id}/notes", Roles: leadersAndBureau, handler: (*API).addProblemNote, Op: obj{
			"summary": "Add a progress note", "parameters": []any{idParam},
			"requestBody": jsonBody(obj{"type": "object", "required": []string{"text"}, "properties": obj{"text": str("")}}),
			"responses":   std(obj{"201": reply("note", obj{"type": "object"}), "400": errorReply, "404": errorReply})}},
		{Method: "GET", Path: "/api/v1/problems/{id}/resolve", Roles: anyRole, handler: (*API).resolveOffer, Op: obj{
			"summary":    "The offer to close the problem's matters together: each open petition with the actions the caller may take now",
			"parameters": []any{idParam}, "responses": std(obj{"200": reply("offer", list(obj{"type": "object"})), "404": errorReply})}},
		{Method: "POST", Path: "/api/v1/problems/{id}/resolve", Roles: anyRole, handler: (*API).resolveProblem, Op: obj{
			"summary": "Take one lifecycle action on each listed petition of the problem (each with its own reply or decision), all or nothing; " +
				"the problem is resolved when none of its petitions is left open",
			"parameters": []any{idParam},
			"requestBody": jsonBody(obj{"type": "object", "required": []string{"steps"}, "properties": obj{"steps": obj{"type": "array",
				"items": obj{"type": "object", "properties": obj{"petition_id": obj{"type": "integer"}, "action": str("lifecycle action"),
					"input": obj{"type": "object", "description": "the action's input, as for POST /api/v1/petitions/{id}/{action}"}}}}}}),
			"responses": std(obj{"200": reply("resolution", obj{"type": "object"}), "400": errorReply, "404": errorReply, "409": errorReply})}},
	}
}

func (a *API) listProblems(w http.ResponseWriter, r *http.Request, u org.User) {
	ps, err := a.st.Problems(r.Context(), r.URL.Query().Get("status"))
	answer(w, r, http.StatusOK, map[string]any{"items": ps}, err)
}

func (a *API) createProblem(w http.ResponseWriter, r *http.Request, u org.User) {
	in, ok := decodeAs[matters.ProblemInput](a, w, r)
	if !ok {
		return
	}
	p, err := a.matters().CreateProblem(r.Context(), u, in)
	answer(w, r, http.StatusCreated, p, err)
}

func (a *API) getProblem(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "problem")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	p, err := a.matters().Problem(r.Context(), id)
	answer(w, r, http.StatusOK, p, err)
}

func (a *API) updateProblem(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "problem")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	in, ok := decodeAs[matters.ProblemInput](a, w, r)
	if !ok {
		return
	}
	p, err := a.matters().UpdateProblem(r.Context(), u, id, in)
	answer(w, r, http.StatusOK, p, err)
}

func (a *API) attachMatter(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "problem")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var body struct {
		MatterID int64 `json:"matter_id"`
	}
	if err := a.decode(w, r, &body); err != nil {
		respond.Error(w, r, err)
		return
	}
	p, err := a.matters().AttachMatter(r.Context(), u, id, body.MatterID)
	answer(w, r, http.StatusOK, p, err)
}

func (a *API) addMilestone(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "problem")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	in, ok := decodeAs[matters.MilestoneInput](a, w, r)
	if !ok {
		return
	}
	m, err := a.matters().AddMilestone(r.Context(), u, id, in)
	answer(w, r, http.StatusCreated, m, err)
}

func (a *API) completeMilestone(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "problem")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	mid, err := strconv.ParseInt(r.PathValue("mid"), 10, 64)
	if err != nil || mid <= 0 {
		respond.Error(w, r, failure.Invalid("mid", "milestone id %q is not a positive whole number", r.PathValue("mid")))
		return
	}
	if err := a.matters().CompleteMilestone(r.Context(), u, id, mid); err != nil {
		respond.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) addProblemNote(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "problem")
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
	n, err := a.matters().AddNote(r.Context(), u, id, body.Text)
	answer(w, r, http.StatusCreated, n, err)
}

func (a *API) resolveOffer(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "problem")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	offer, err := a.matters().ResolveOffer(r.Context(), u, id)
	answer(w, r, http.StatusOK, map[string]any{"items": offer}, err)
}

func (a *API) resolveProblem(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "problem")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var body struct {
		Steps []matters.Step `json:"steps"`
	}
	if err := a.decode(w, r, &body); err != nil {
		respond.Error(w, r, err)
		return
	}
	res, err := a.matters().Resolve(r.Context(), u, id, body.Steps)
	answer(w, r, http.StatusOK, res, err)
}
