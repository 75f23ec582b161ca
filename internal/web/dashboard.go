package web

import "net/http"

// registerDashboard adds the dashboard pages.
func (w *Web) registerDashboard(mux *http.ServeMux) {}
