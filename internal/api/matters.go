package api

import (
	"errors"
	"net/http"
	"strconv"

	"redress/internal/access"
	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/matters"
	"redress/internal/org"
	"redress/internal/respond"
	"redress/internal/stats"
	"redress/internal/store"
)

// overseers read matters, repeat candidates and the lists built on them.
var overseers = []org.Role{org.RoleBureau, org.RoleLeader, org.RoleInspector, org.RoleAdmin}

// matterRoutes: repeat candidates and the registrar's decision on them,
// matters with their counts, petitioners with many petitions (信访大户).
func matterRoutes() []Route {
	idParam := obj{"name": "id", "in": "path", "required": true, "schema": obj{"type": "integer"}}
	q := func(name, desc string, schema obj) obj {
		return obj{"name": name, "in": "query", "required": false, "description": desc, "schema": schema}
	}
	cand := obj{"type": "object", "properties": obj{"id": obj{"type": "integer"}, "petition_id": obj{"type": "integer"},
		"earlier_id": obj{"type": "integer"}, "score": obj{"type": "number"}, "reasons": obj{"type": "array", "items": str("")},
		"decision":  obj{"type": "string", "enum": []string{store.DecisionPending, store.DecisionConfirmed, store.DecisionRejected}},
		"new_facts": obj{"type": "boolean"}, "note": str(""), "decided_by": obj{"type": "integer"},
		"decided_at": obj{"type": "string", "format": "date-time"}, "petition_tracking_code": str(""), "earlier_tracking_code": str("")}}
	matter := obj{"type": "object", "properties": obj{"id": obj{"type": "integer"}, "title": str(""),
		"final_at":   obj{"type": "string", "format": "date-time", "description": "closed for good (终结)"},
		"problem_id": obj{"type": "integer"}, "merged_into": obj{"type": "integer"},
		"petitions": obj{"type": "integer"}, "petitioners": obj{"type": "integer", "description": "distinct petitioners"},
		"channels": obj{"type": "array", "items": str("")}, "first_on": obj{"type": "string", "format": "date"},
		"last_on": obj{"type": "string", "format": "date"}, "open": obj{"type": "integer"},
		"items": obj{"type": "array", "description": "the matter's petitions, oldest first", "items": obj{"type": "object"}}}}
	outcome := obj{"type": "object", "properties": obj{"candidate": cand, "matter_id": obj{"type": "integer"},
		"merged_matter": obj{"type": "integer"}, "declined": obj{"type": "boolean", "description": "the new petition was declined as a repeat without new facts"},
		"reference_id": obj{"type": "integer", "description": "the case the declined repeat refers to"}}}
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
		{Method: "GET", Path: "/api/v1/repeats/candidates", Roles: overseers, handler: (*API).listRepeatCandidates, Op: obj{
			"summary": "Repeat candidates found at intake (重复信访), oldest first",
			"parameters": []any{q("decision", "pending, confirmed or rejected", obj{"type": "string", "enum": []string{"pending", "confirmed", "rejected"}}),
				q("petition", "the new or the earlier petition's id", obj{"type": "integer"}),
				q("after", "candidates with a larger id (paging)", obj{"type": "integer"}),
				q("limit", "1–1000 (default 100)", obj{"type": "integer"})},
			"responses": std(obj{"200": reply("candidates", list(cand)), "400": errorReply})}},
		{Method: "POST", Path: "/api/v1/repeats/candidates/{id}/confirm", Roles: bureauOnly, handler: (*API).confirmRepeat, Op: obj{
			"summary":     "Confirm a repeat: both petitions join one matter; without new facts a registered repeat is declined with a reference to the open case",
			"parameters":  []any{idParam},
			"requestBody": jsonBody(obj{"type": "object", "properties": obj{"new_facts": obj{"type": "boolean"}, "note": str("")}}),
			"responses":   std(obj{"200": reply("outcome", outcome), "400": errorReply, "404": errorReply, "409": errorReply})}},
		{Method: "POST", Path: "/api/v1/repeats/candidates/{id}/reject", Roles: bureauOnly, handler: (*API).rejectRepeat, Op: obj{
			"summary":     "Reject a repeat candidate: not the same matter",
			"parameters":  []any{idParam},
			"requestBody": jsonBody(obj{"type": "object", "properties": obj{"note": str("")}}),
			"responses":   std(obj{"200": reply("candidate", cand), "400": errorReply, "404": errorReply, "409": errorReply})}},
		{Method: "GET", Path: "/api/v1/matters/{id}", Roles: overseers, handler: (*API).getMatter, Op: obj{
			"summary":    "A matter (信访事项) with its counts and petitions",
			"parameters": []any{idParam},
			"responses":  std(obj{"200": reply("matter", matter), "404": errorReply})}},
		{Method: "GET", Path: "/api/v1/rates", Roles: anyRole, handler: (*API).resolutionRates, Op: obj{
			"summary": "Resolution rates (化解率) of repeat cases, backlog cases (积案) and all cases received in a period, per unit and district, within the caller's scope",
			"description": "Base: petitions received in the period that were accepted (not registered only, not declined). Resolved: closed, or replied or reviewed " +
				"with the latest outcome 支持. Repeat: the petition's matter holds two or more petitions. Backlog, judged on the period's last day (or today): " +
				"open longer than open_days days, or reopened by a review request, or in a matter of min_petitions or more petitions.",
			"parameters": []any{q("from", "first day (default: 29 days before to)", obj{"type": "string", "format": "date"}),
				q("to", "last day (default: today)", obj{"type": "string", "format": "date"}),
				q("open_days", "backlog: open longer than this many days (default 90; 0 turns the test off)", obj{"type": "integer", "minimum": 0}),
				q("reopened", "backlog: count reopened cases (default true)", obj{"type": "boolean"}),
				q("min_petitions", "backlog: matters with at least this many petitions (default 3; 0 turns the test off)", obj{"type": "integer", "minimum": 0})},
			"responses": std(obj{"200": reply("rates", obj{"type": "object"}), "400": errorReply})}},
		{Method: "GET", Path: "/api/v1/petitioners/frequent", Roles: overseers, handler: (*API).frequentPetitioners, Op: obj{
			"summary": "Petitioners with many petitions (信访大户), most first; personal data masked except for the bureau",
			"parameters": []any{q("min", "least number of petitions (default 3)", obj{"type": "integer", "minimum": 2}),
				q("limit", "1–1000 (default 100)", obj{"type": "integer"})},
			"responses": std(obj{"200": reply("petitioners", list(obj{"type": "object"})), "400": errorReply})}},
	}
}

func (a *API) matters() *matters.Service { return matters.New(a.svc) }

// queryInt reads an optional positive whole-number query parameter.
func queryInt(r *http.Request, name string, def, lo, hi int64) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < lo || v > hi {
		return 0, failure.Invalid(name, "%s must be a whole number from %d to %d", name, lo, hi)
	}
	return v, nil
}

func idOf(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, failure.Invalid("id", "%s id %q is not a positive whole number", what, r.PathValue("id"))
	}
	return id, nil
}

func (a *API) listRepeatCandidates(w http.ResponseWriter, r *http.Request, u org.User) {
	f := store.CandidateFilter{Decision: r.URL.Query().Get("decision")}
	switch f.Decision {
	case "", store.DecisionPending, store.DecisionConfirmed, store.DecisionRejected:
	default:
		respond.Error(w, r, failure.Invalid("decision", "decision %q is not one of pending, confirmed, rejected", f.Decision))
		return
	}
	var err error
	var limit int64
	if f.PetitionID, err = queryInt(r, "petition", 0, 1, 1<<62); err == nil {
		if f.AfterID, err = queryInt(r, "after", 0, 0, 1<<62); err == nil {
			limit, err = queryInt(r, "limit", 100, 1, 1000)
		}
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	f.Limit = int(limit)
	cs, err := a.st.RepeatCandidates(r.Context(), f)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if cs == nil {
		cs = []store.RepeatCandidate{}
	}
	respond.JSON(w, r, http.StatusOK, map[string]any{"items": cs})
}

func (a *API) confirmRepeat(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "candidate")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	d, ok := decodeAs[matters.Decision](a, w, r)
	if !ok {
		return
	}
	out, err := a.matters().Confirm(r.Context(), u, id, d)
	answer(w, r, http.StatusOK, out, err)
}

func (a *API) rejectRepeat(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "candidate")
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
	c, err := a.matters().Reject(r.Context(), u, id, body.Note)
	answer(w, r, http.StatusOK, c, err)
}

func (a *API) getMatter(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := idOf(r, "matter")
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	m, err := a.st.Matter(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		err = failure.NotFound("matter")
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	ps, err := a.st.MatterPetitions(r.Context(), id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if ps == nil {
		ps = []store.MatterPetition{}
	}
	respond.JSON(w, r, http.StatusOK, struct {
		store.MatterInfo
		Items []store.MatterPetition `json:"items"`
	}{m, ps})
}

func (a *API) frequentPetitioners(w http.ResponseWriter, r *http.Request, u org.User) {
	minN, err := queryInt(r, "min", 3, 2, 1<<20)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	limit, err := queryInt(r, "limit", 100, 1, 1000)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	fs, err := a.st.FrequentPetitioners(r.Context(), int(minN), int(limit))
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	lvl := access.Named
	if u.Role == org.RoleBureau {
		lvl = access.Full
	}
	for i := range fs {
		fs[i].Petitioner = access.MaskPetitioner(fs[i].Petitioner, lvl)
	}
	if fs == nil {
		fs = []store.FrequentPetitioner{}
	}
	respond.JSON(w, r, http.StatusOK, map[string]any{"items": fs})
}

func (a *API) resolutionRates(w http.ResponseWriter, r *http.Request, u org.User) {
	q := r.URL.Query()
	p, err := stats.ParsePeriod(q.Get("from"), q.Get("to"), calendar.DateOf(a.svc.Now()))
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	b := matters.DefaultBacklog()
	open, err := queryInt(r, "open_days", int64(b.OpenDays), 0, 36500)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	minP, err := queryInt(r, "min_petitions", int64(b.MinPetitions), 0, 1<<20)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	b.OpenDays, b.MinPetitions = int(open), int(minP)
	if s := q.Get("reopened"); s != "" {
		v, err := strconv.ParseBool(s)
		if err != nil {
			respond.Error(w, r, failure.Invalid("reopened", "reopened must be true or false"))
			return
		}
		b.Reopened = v
	}
	rs, err := a.matters().Rates(r.Context(), u, p, matters.RateOptions{Backlog: &b})
	answer(w, r, http.StatusOK, rs, err)
}

// notFoundAs turns the store's ErrNotFound into a client's 404 for what.
func notFoundAs(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return failure.NotFound(what)
	}
	return err
}
