package web

import "net/http"

// loginPage is the sign-in form's data.
type loginPage struct {
	Login string
	Next  string
	Error string
}

func (w *Web) loginForm(rw http.ResponseWriter, r *http.Request) {
	if _, ok := w.currentSession(rw, r); ok {
		http.Redirect(rw, r, localPath(r.URL.Query().Get("next"), "/home"), http.StatusSeeOther)
		return
	}
	w.render(rw, r, nil, http.StatusOK, "login", loginPage{Next: localPath(r.URL.Query().Get("next"), "")})
}
