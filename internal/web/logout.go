package web

import (
	"log/slog"
	"net/http"

	"redress/internal/store"
)

func (w *Web) logout(rw http.ResponseWriter, r *http.Request, s *session) {
	if err := w.st.Write(r.Context(), func(tx *store.Tx) error { return tx.EndSession(s.user, s.token) }); err != nil {
		slog.Error("sign-out", "user", s.user.Login, "err", err)
	}
	w.clearCookie(rw, r)
	http.Redirect(rw, r, "/login", http.StatusSeeOther)
}
