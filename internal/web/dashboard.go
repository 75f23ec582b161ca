package web

import (
	"net/http"

	"redress/internal/org"
)

// dashRoles may open the dashboard: every signed-in role but the
// administrator, each within its own scope.
var dashRoles = []org.Role{org.RoleBureau, org.RoleHandler, org.RoleHead, org.RoleLeader, org.RoleInspector}

// registerDashboard adds the dashboard (统计分析) and the printable notices
// of a case (受理告知书, 不予受理告知书, 信访事项处理意见书).
func (w *Web) registerDashboard(mux *http.ServeMux) {
	mux.HandleFunc("GET /dashboard", w.auth(dashRoles, w.dashboard))
	mux.HandleFunc("GET /dashboard.xlsx", w.auth(dashRoles, w.dashExport))
	mux.HandleFunc("GET /petitions/{id}/notices/{file}", w.auth(anyone, w.dashNotice))
	mux.HandleFunc("GET "+dashNoticeCSSPath, w.auth(anyone, w.dashNoticeCSS))
}
