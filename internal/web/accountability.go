package web

import "net/http"

// registerAccountability adds the pages for supervision (督办), leaders'
// engagement, inspections, follow-ups, rankings and commitments.
func (w *Web) registerAccountability(mux *http.ServeMux) {}
