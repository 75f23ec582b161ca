package web

import "net/http"

// registerRepeats adds the pages for repeat candidates, matters, problems
// (老大难) and resolution templates.
func (w *Web) registerRepeats(mux *http.ServeMux) {}
