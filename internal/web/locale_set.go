package web

import (
	"net/http"
	"slices"

	"redress/internal/failure"
	"redress/internal/store"
	"redress/internal/web/i18n"
)

// localeSet stores the language the user reads pages in.
func (w *Web) localeSet(rw http.ResponseWriter, r *http.Request, s *session) {
	loc := r.FormValue("locale")
	if !slices.Contains(i18n.Locales, loc) {
		w.fail(rw, r, s, failure.Invalid("locale", "locale %q is not offered", loc))
		return
	}
	actor := store.Actor{ID: s.user.ID, Login: s.user.Login}
	if err := w.st.Write(r.Context(), func(tx *store.Tx) error { return tx.SetUserLocale(actor, s.user.ID, loc) }); err != nil {
		w.fail(rw, r, s, err)
		return
	}
	http.Redirect(rw, r, localPath(r.FormValue("next"), "/home"), http.StatusSeeOther)
}
