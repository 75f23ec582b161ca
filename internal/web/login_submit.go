package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"redress/internal/org"
	"redress/internal/password"
	"redress/internal/store"
	"redress/internal/web/i18n"
)

// loginSubmit checks a login and password. Unknown logins and wrong
// passwords get the same answer; the fifth failure in a row locks the
// account for LockFor. Every outcome is audited.
func (w *Web) loginSubmit(rw http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(rw, "bad form", http.StatusBadRequest)
		return
	}
	login := strings.TrimSpace(r.PostForm.Get("login"))
	pw := r.PostForm.Get("password")
	next := localPath(r.PostForm.Get("next"), "/home")
	page := loginPage{Login: login, Next: r.PostForm.Get("next")}
	t := func(key string, params ...any) string { return w.cat.T(i18n.Default, key, params...) }
	now := w.svc.Now()
	ctx := r.Context()

	u, err := w.st.UserByLogin(ctx, login)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			slog.Error("sign-in: read user", "err", err)
			page.Error = t("err.internal")
			w.render(rw, r, nil, http.StatusInternalServerError, "login", page)
			return
		}
		w.decoy.check(pw)
		if err := w.st.Write(ctx, func(tx *store.Tx) error { return tx.RecordUnknownLogin(login, remoteAddr(r)) }); err != nil {
			slog.Error("sign-in: audit unknown login", "err", err)
		}
		page.Error = t("login.wrong")
		w.render(rw, r, nil, http.StatusUnauthorized, "login", page)
		return
	}
	t = func(key string, params ...any) string { return w.cat.T(i18n.Supported(u.Locale), key, params...) }
	if u.LockedUntil != nil && u.LockedUntil.After(now) {
		page.Error = t("login.locked", "until", u.LockedUntil.In(chinaTime).Format("15:04"))
		w.render(rw, r, nil, http.StatusForbidden, "login", page)
		return
	}
	if u.Disabled || u.PasswordHash == "" || password.Check(u.PasswordHash, pw) != nil {
		w.loginFailed(rw, r, u, page, t)
		return
	}
	var tok string
	err = w.st.Write(ctx, func(tx *store.Tx) error {
		var err error
		tok, err = tx.CreateSession(u, store.SessionMeta{UserAgent: r.UserAgent(), RemoteAddr: remoteAddr(r)}, now)
		if err != nil {
			return err
		}
		_, err = tx.DeleteIdleSessions(now.Add(-w.ttl))
		return err
	})
	if err != nil {
		slog.Error("sign-in: create session", "user", u.Login, "err", err)
		page.Error = t("err.internal")
		w.render(rw, r, nil, http.StatusInternalServerError, "login", page)
		return
	}
	w.setCookie(rw, r, tok)
	http.Redirect(rw, r, next, http.StatusSeeOther)
}

func (w *Web) loginFailed(rw http.ResponseWriter, r *http.Request, u org.User, page loginPage, t func(string, ...any) string) {
	var res store.LoginFailure
	err := w.st.Write(r.Context(), func(tx *store.Tx) error {
		var err error
		res, err = tx.RecordLoginFailure(u, w.svc.Now(), MaxFailedLogins, LockFor, remoteAddr(r))
		return err
	})
	if err != nil {
		slog.Error("sign-in: record failure", "user", u.Login, "err", err)
	}
	switch {
	case res.LockedUntil != nil:
		page.Error = t("login.locked", "until", res.LockedUntil.In(chinaTime).Format("15:04"))
		w.render(rw, r, nil, http.StatusForbidden, "login", page)
	case res.Failed >= MaxFailedLogins-2:
		page.Error = t("login.wrong") + " " + t("login.attempts_left", "n", MaxFailedLogins-res.Failed)
		w.render(rw, r, nil, http.StatusUnauthorized, "login", page)
	default:
		page.Error = t("login.wrong")
		w.render(rw, r, nil, http.StatusUnauthorized, "login", page)
	}
}

// decoyHash is computed on first use and never changes after.
type decoyHash struct {
	once sync.Once
	hash string
}

func (d *decoyHash) check(pw string) {
	d.once.Do(func() {
		h, err := password.Hash("decoy-" + strconv.Itoa(len(pw)))
		if err != nil {
			slog.Error("sign-in: decoy hash", "err", err)
		}
		d.hash = h
	})
	if d.hash != "" {
		_ = password.Check(d.hash, pw)
	}
}
