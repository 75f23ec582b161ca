package web

import (
	"net/http"

	"redress/internal/org"
)

// Roles of the repeats pages. Overseers read candidates, matters and
// problems; the bureau decides candidates and makes templates; leaders own
// problems; a unit's handlers and heads apply templates to the cases they
// handle and keep their 容缺 items.
var (
	repReaders  = []org.Role{org.RoleBureau, org.RoleLeader, org.RoleInspector, org.RoleAdmin}
	repLeaders  = []org.Role{org.RoleLeader}
	repOwners   = []org.Role{org.RoleLeader, org.RoleBureau}
	repAppliers = []org.Role{org.RoleBureau, org.RoleHandler, org.RoleHead}
)

// registerRepeats adds the pages for repeat candidates, matters, problems
// (老大难) and resolution templates.
func (w *Web) registerRepeats(mux *http.ServeMux) {
	mux.HandleFunc("GET /repeats", w.auth(repReaders, w.repCandidates))
	mux.HandleFunc("GET /repeats/{id}", w.auth(repReaders, w.repCandidate))
	mux.HandleFunc("POST /repeats/{id}/confirm", w.auth(bureauOnly, w.repConfirm))
	mux.HandleFunc("POST /repeats/{id}/reject", w.auth(bureauOnly, w.repReject))

	mux.HandleFunc("GET /matters", w.auth(repReaders, w.repMatterList))
	mux.HandleFunc("GET /matters/frequent", w.auth(repReaders, w.repFrequent))
	mux.HandleFunc("GET /matters/{id}", w.auth(repReaders, w.repMatterShow))

	mux.HandleFunc("GET /problems", w.auth(repReaders, w.repProblemList))
	mux.HandleFunc("GET /problems/new", w.auth(repLeaders, w.repProblemNew))
	mux.HandleFunc("POST /problems", w.auth(repLeaders, w.repProblemCreate))
	mux.HandleFunc("GET /problems/{id}", w.auth(repReaders, w.repProblemShow))
	mux.HandleFunc("POST /problems/{id}/status", w.auth(repLeaders, w.repProblemStatus))
	mux.HandleFunc("POST /problems/{id}/matters", w.auth(repOwners, w.repProblemAttach))
	mux.HandleFunc("POST /problems/{id}/matters/{mid}/detach", w.auth(repOwners, w.repProblemDetach))
	mux.HandleFunc("POST /problems/{id}/milestones", w.auth(repLeaders, w.repMilestoneAdd))
	mux.HandleFunc("POST /problems/{id}/milestones/{mid}/done", w.auth(repLeaders, w.repMilestoneDone))
	mux.HandleFunc("POST /problems/{id}/notes", w.auth(repOwners, w.repNoteAdd))
	mux.HandleFunc("GET /problems/{id}/resolve", w.auth(anyone, w.repResolveForm))
	mux.HandleFunc("POST /problems/{id}/resolve", w.auth(anyone, w.repResolve))

	mux.HandleFunc("GET /templates", w.auth(anyone, w.repTemplateList))
	mux.HandleFunc("GET /templates/new", w.auth(bureauOnly, w.repTemplateNew))
	mux.HandleFunc("POST /templates", w.auth(bureauOnly, w.repTemplateCreate))
	mux.HandleFunc("GET /templates/{id}", w.auth(anyone, w.repTemplateShow))
	mux.HandleFunc("POST /templates/{id}/preview", w.auth(repAppliers, w.repTemplatePreview))
	mux.HandleFunc("POST /templates/{id}/apply", w.auth(repAppliers, w.repTemplateApply))

	mux.HandleFunc("GET /deficiencies", w.auth(anyone, w.repDeficiencies))
	mux.HandleFunc("POST /deficiencies/{id}/supplied", w.auth(repAppliers, w.repSupply))
}
