package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/store"
	"redress/internal/web/i18n"
)

// cookieName is the session cookie.
const cookieName = "redress_session"

// touchEvery limits how often a session's last activity is written.
const touchEvery = time.Minute

// session is a signed-in request: who, in which language, with the unit
// tree and calendar read once for the request.
type session struct {
	id     int64
	token  string
	user   org.User
	locale string
	tree   *org.Tree
	cal    *calendar.Calendar
}

// currentSession reads the session cookie. A missing, unknown or expired
// session, or a disabled user, is no session.
func (w *Web) currentSession(rw http.ResponseWriter, r *http.Request) (*session, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		return nil, false
	}
	now := w.svc.Now()
	ses, u, err := w.st.SessionUser(r.Context(), c.Value, now, w.ttl)
	if err != nil {
		// Only a session that is gone loses its cookie: when the store
		// could not be read (a database restart, a cancelled request), the
		// session may be fine, and the next request finds it again.
		if errors.Is(err, store.ErrNotFound) {
			w.clearCookie(rw, r)
		} else {
			logError("read session", err)
		}
		return nil, false
	}
	if u.Disabled {
		w.clearCookie(rw, r)
		return nil, false
	}
	if now.Sub(ses.LastSeenAt) > touchEvery {
		if err := w.st.Write(r.Context(), func(tx *store.Tx) error { return tx.TouchSession(ses.ID, now) }); err != nil {
			logError("touch session", err)
		}
	}
	s := &session{id: ses.ID, token: c.Value, user: u, locale: i18n.Supported(u.Locale)}
	if s.tree, err = w.st.Units(r.Context()); err != nil {
		slog.Error("read units", "err", err)
		return nil, false
	}
	if s.cal, err = w.st.Calendar(r.Context()); err != nil {
		slog.Error("read calendar", "err", err)
		return nil, false
	}
	return s, true
}

// auth wraps a page that needs a signed-in user with one of roles (nil: any).
// Without a session a page load goes to the sign-in page and comes back.
func (w *Web) auth(roles []org.Role, h func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		s, ok := w.currentSession(rw, r)
		if !ok {
			target := "/login"
			if r.Method == http.MethodGet {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			if r.Header.Get("HX-Request") == "true" {
				rw.Header().Set("HX-Redirect", target)
				rw.WriteHeader(http.StatusUnauthorized)
				return
			}
			http.Redirect(rw, r, target, http.StatusSeeOther)
			return
		}
		if roles != nil && !slices.Contains(roles, s.user.Role) {
			w.fail(rw, r, s, failure.Forbidden("the %s role may not open %s", s.user.Role, r.URL.Path).
				With(map[string]string{"role": string(s.user.Role)}))
			return
		}
		h(rw, r, s)
	}
}

func (w *Web) secureRequest(r *http.Request) bool {
	return w.secure || r.TLS != nil
}

func (w *Web) setCookie(rw http.ResponseWriter, r *http.Request, tok string) {
	http.SetCookie(rw, &http.Cookie{Name: cookieName, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: w.secureRequest(r)})
}

func (w *Web) clearCookie(rw http.ResponseWriter, r *http.Request) {
	http.SetCookie(rw, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: w.secureRequest(r)})
}

// localPath returns next if it is a path on this site, else fallback, so a
// crafted ?next= cannot send a user elsewhere.
func localPath(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return fallback
	}
	return next
}

func remoteAddr(r *http.Request) string {
	return r.RemoteAddr
}
