// Package web is the staff web UI: server-rendered pages (html/template and
// htmx) for registrars, unit handlers and heads, city leaders, inspectors and
// administrators. Sign-in uses server-side sessions in a cookie; every state
// change goes through the lifecycle service; every page checks role and scope.
package web

import (
	"fmt"
	"net/http"
	"time"

	"redress/internal/lifecycle"
	"redress/internal/notices"
	"redress/internal/org"
	"redress/internal/store"
	"redress/internal/web/i18n"
)

// Options configure the web UI.
type Options struct {
	// SessionTTL is how long a session lasts without activity.
	SessionTTL time.Duration
	// SecureCookies marks the session cookie Secure (the server is reached
	// over https, perhaps through a proxy). Requests that arrive over TLS
	// get a Secure cookie anyway.
	SecureCookies bool
	// Notices names the issuers printed on official notices (zero: Huludao's).
	Notices notices.Options
	// DashboardMaxAge is how long the dashboard's figures for one scope
	// and period are reused before they are computed again (zero: every
	// request computes them). The page says when they were computed.
	DashboardMaxAge time.Duration
}

// Sign-in lock-out: after MaxFailedLogins failures in a row an account is
// locked for LockFor.
const (
	MaxFailedLogins = 5
	LockFor         = 15 * time.Minute
)

// Web holds the handlers' dependencies. It is read-only after New.
type Web struct {
	svc     *lifecycle.Service
	st      *store.Store
	cat     *i18n.Catalog
	assets  *assets
	pages   *pages
	ttl     time.Duration
	secure  bool
	notices notices.Options
	imports importJobs
	dash    *dashCache
	// decoy is a password hash checked when a login does not exist, so an
	// unknown login takes as long to refuse as a wrong password.
	decoy decoyHash
}

// New loads the catalogues, static assets and templates, failing if any
// template does not parse.
func New(svc *lifecycle.Service, o Options) (*Web, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	as, err := loadAssets()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	ps, err := loadPages()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if o.SessionTTL <= 0 {
		o.SessionTTL = 8 * time.Hour
	}
	if o.Notices == (notices.Options{}) {
		o.Notices = notices.DefaultOptions()
	}
	return &Web{svc: svc, st: svc.Store(), cat: cat, assets: as, pages: ps, ttl: o.SessionTTL, secure: o.SecureCookies, notices: o.Notices,
		dash: &dashCache{maxAge: o.DashboardMaxAge}}, nil
}

// Catalog returns the message catalogues.
func (w *Web) Catalog() *i18n.Catalog { return w.cat }

// AssetPath returns the content-hashed URL of a static file.
func (w *Web) AssetPath(name string) string { return w.assets.url(name) }

var (
	anyone     []org.Role // nil: any signed-in user
	bureauOnly = []org.Role{org.RoleBureau}
	adminOnly  = []org.Role{org.RoleAdmin}
)

// Register adds the web routes to mux.
func (w *Web) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", w.root)
	mux.HandleFunc("GET /static/{path...}", w.assets.serve)
	mux.HandleFunc("GET /login", w.loginForm)
	mux.HandleFunc("POST /login", w.loginSubmit)
	mux.HandleFunc("POST /logout", w.auth(anyone, w.logout))
	mux.HandleFunc("POST /locale", w.auth(anyone, w.localeSet))
	mux.HandleFunc("GET /home", w.auth(anyone, w.home))
	mux.HandleFunc("GET /petitions", w.auth(anyone, w.petitionList))
	mux.HandleFunc("GET /petitions/rows", w.auth(anyone, w.petitionRows))
	mux.HandleFunc("GET /petitions/export.csv", w.auth(anyone, w.exportCSV))
	mux.HandleFunc("GET /petitions/export.xlsx", w.auth(anyone, w.exportXLSX))
	mux.HandleFunc("GET /petitions/new", w.auth(bureauOnly, w.petitionNew))
	mux.HandleFunc("POST /petitions/new", w.auth(bureauOnly, w.petitionCreate))
	mux.HandleFunc("GET /imports", w.auth(bureauOnly, w.importForm))
	mux.HandleFunc("POST /imports", w.auth(bureauOnly, w.importStart))
	mux.HandleFunc("GET /imports/{id}", w.auth(bureauOnly, w.importShow))
	mux.HandleFunc("GET /imports/{id}/status", w.auth(bureauOnly, w.importStatus))
	mux.HandleFunc("GET /petitions/{id}", w.auth(anyone, w.caseShow))
	mux.HandleFunc("POST /petitions/{id}/{action}", w.auth(anyone, w.caseAction))
	mux.HandleFunc("GET /admin/users", w.auth(adminOnly, w.adminUsers))
	mux.HandleFunc("GET /admin/users/new", w.auth(adminOnly, w.adminUserNew))
	mux.HandleFunc("POST /admin/users/new", w.auth(adminOnly, w.adminUserCreate))
	mux.HandleFunc("GET /admin/users/{id}", w.auth(adminOnly, w.adminUserShow))
	mux.HandleFunc("POST /admin/users/{id}", w.auth(adminOnly, w.adminUserSave))
	mux.HandleFunc("GET /admin/time-limits", w.auth(adminOnly, w.timeLimits))
	mux.HandleFunc("POST /admin/time-limits/{kind}", w.auth(adminOnly, w.timeLimitSave))
	mux.HandleFunc("GET /admin/calendar", w.auth(adminOnly, w.calendarShow))
	mux.HandleFunc("POST /admin/calendar/{year}", w.auth(adminOnly, w.calendarSave))
	w.registerDashboard(mux)
	w.registerRepeats(mux)
	w.registerAccountability(mux)
	w.registerInspection(mux)
}

// root sends a visitor to the sign-in page or to their home page.
func (w *Web) root(rw http.ResponseWriter, r *http.Request) {
	if _, ok := w.currentSession(rw, r); ok {
		http.Redirect(rw, r, "/home", http.StatusSeeOther)
		return
	}
	http.Redirect(rw, r, "/login", http.StatusSeeOther)
}

// MustNew is New for start-up wiring: the templates and catalogues are
// embedded, so failing to load them is a programming error.
func MustNew(svc *lifecycle.Service, o Options) *Web {
	w, err := New(svc, o)
	if err != nil {
		panic(err)
	}
	return w
}
