package web

import (
	"fmt"
	"net/http"
	"strconv"

	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/petition"
)

var (
	inspInspectors = []org.Role{org.RoleInspector}
	// inspReaders read every inspection report and the rankings.
	inspReaders = []org.Role{org.RoleInspector, org.RoleLeader, org.RoleBureau, org.RoleAdmin}
	// inspUnitReaders also include a unit's staff, who see their own unit's
	// rectification items (and a head their unit's ranking position).
	inspUnitReaders = []org.Role{org.RoleInspector, org.RoleLeader, org.RoleBureau, org.RoleAdmin, org.RoleHead, org.RoleHandler}
	inspRankReaders = []org.Role{org.RoleInspector, org.RoleLeader, org.RoleBureau, org.RoleAdmin, org.RoleHead}
	inspCompleters  = []org.Role{org.RoleInspector, org.RoleHead, org.RoleHandler}
)

// registerInspection adds the pages for inspections (巡察) with their
// reports and rectification items, and the monthly rankings.
func (w *Web) registerInspection(mux *http.ServeMux) {
	mux.HandleFunc("GET /inspections", w.auth(inspUnitReaders, w.inspList))
	mux.HandleFunc("POST /inspections", w.auth(inspInspectors, w.inspOpen))
	mux.HandleFunc("GET /inspections/{id}", w.auth(inspUnitReaders, w.inspReport))
	mux.HandleFunc("POST /inspections/{id}/rectifications", w.auth(inspInspectors, w.inspAddRectification))
	mux.HandleFunc("POST /rectifications/{id}/done", w.auth(inspCompleters, w.inspCompleteRectification))
	mux.HandleFunc("GET /inspections/{id}/print", w.auth(inspReaders, w.inspPrint))
	mux.HandleFunc("GET /inspections/{id}/report.pdf", w.auth(inspReaders, w.inspPDF))
	mux.HandleFunc("GET /inspections/{id}/report.xlsx", w.auth(inspReaders, w.inspExcel))
	mux.HandleFunc("GET /rankings", w.auth(inspRankReaders, w.inspRankings))
	mux.HandleFunc("GET /rankings/export.xlsx", w.auth(inspReaders, w.inspRankingsExcel))
}

// inspPathID reads the {id} of the path.
func inspPathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, failure.NotFound(what)
	}
	return id, nil
}

// inspErr is the sentence shown beside field for err: this area's own
// message for the field when there is one, else the catalogue's.
func (w *Web) inspErr(s *session, err error) (field, msg string) {
	fe := failure.Public(err)
	if fe.Code == failure.CodeInvalid {
		if key := "insp.err." + fe.Field; w.cat.Has(key) {
			return fe.Field, w.cat.T(s.locale, key)
		}
	}
	if key := "insp.err." + fe.Code; w.cat.Has(key) {
		return fe.Field, w.cat.T(s.locale, key)
	}
	return fe.Field, w.cat.Error(s.locale, err)
}

// inspPct formats a rate as a percentage, "—" when there is none.
func (v *view) InspPct(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *p*100)
}

// InspState names a petition state given as text (as inspection findings carry it).
func (v *view) InspState(s string) string { return v.State(petition.State(s)) }

// InspEscalation names an escalation action; an unknown one shows as its code.
func (v *view) InspEscalation(a string) string { return v.w.cat.Maybe(v.Locale, "insp.esc."+a, a) }
