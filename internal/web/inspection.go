package web

import "net/http"

// registerInspection adds the pages for inspections (巡察) with their
// reports and rectification items, and the monthly rankings.
func (w *Web) registerInspection(mux *http.ServeMux) {}
