package web

import (
	"net/http"

	"redress/internal/org"
)

// Roles of the accountability pages.
var (
	// accUnitRoles answer supervision notices for their unit.
	accUnitRoles = []org.Role{org.RoleHandler, org.RoleHead}
	// accRecorders record leaders' receptions and study meetings (units only their own).
	accRecorders = []org.Role{org.RoleBureau, org.RoleLeader, org.RoleHead, org.RoleHandler}
	// accKeepers keep leaders' commitments and joint-meeting checklists.
	accKeepers = []org.Role{org.RoleLeader, org.RoleBureau, org.RoleAdmin}
)

// registerAccountability adds the pages for supervision (督办), leaders'
// engagement, inspections, follow-ups, rankings and commitments.
func (w *Web) registerAccountability(mux *http.ServeMux) {
	mux.HandleFunc("GET /supervision", w.auth(anyone, w.accSupervision))
	mux.HandleFunc("GET /supervision/record", w.auth(anyone, w.accRecord))
	mux.HandleFunc("POST /supervision/steps/{id}/explain", w.auth(accUnitRoles, w.accExplain))
	mux.HandleFunc("POST /supervision/steps/{id}/decide", w.auth(bureauOnly, w.accDecide))
	mux.HandleFunc("GET /notices", w.auth(anyone, w.accNotices))
	mux.HandleFunc("POST /notices/{id}/read", w.auth(anyone, w.accNoticeRead))
	mux.HandleFunc("POST /petitions/{id}/follow-up", w.auth(bureauOnly, w.accFollowUp))
	mux.HandleFunc("GET /engagement", w.auth(anyone, w.accEngagement))
	mux.HandleFunc("POST /engagement/receptions", w.auth(accRecorders, w.accReceptionCreate))
	mux.HandleFunc("POST /engagement/meetings", w.auth(accRecorders, w.accMeetingCreate))
	mux.HandleFunc("GET /commitments", w.auth(anyone, w.accCommitments))
	mux.HandleFunc("POST /commitments", w.auth(accKeepers, w.accCommitmentCreate))
	mux.HandleFunc("POST /commitments/{id}/progress", w.auth(accKeepers, w.accCommitmentProgress))
	mux.HandleFunc("POST /commitments/{id}/review", w.auth(accKeepers, w.accCommitmentReview))
	mux.HandleFunc("GET /checklists", w.auth(anyone, w.accChecklists))
	mux.HandleFunc("POST /checklists", w.auth(accKeepers, w.accChecklistCreate))
	mux.HandleFunc("POST /checklist-items/{id}/done", w.auth(anyone, w.accChecklistItemDone))
}
