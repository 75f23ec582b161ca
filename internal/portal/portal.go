// Package portal is the petitioners' public portal under /portal/: submit a
// petition with the facts the regulation asks for (and attachments), get a
// tracking code, follow the case with tracking code and phone number, read
// the written reply, rate it and ask for a review in time. Pages are
// server-rendered (html/template), Chinese first, work without JavaScript,
// and use only same-origin forms and a separate style sheet (the CSP
// forbids inline script and style).
package portal

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"redress/internal/calendar"
	"redress/internal/lifecycle"
	"redress/internal/store"
	"redress/internal/web/i18n"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure the portal; zero values take the defaults shown.
type Options struct {
	// DataDir holds the attachments (under attachments/). Required for uploads.
	DataDir string
	// MaxFileBytes caps one attachment (default 5 MiB); MaxFiles the number (default 5).
	MaxFileBytes int64
	MaxFiles     int
	// MaxBodyBytes caps a whole request (default MaxFiles × MaxFileBytes + 1 MiB).
	MaxBodyBytes int64
	// Per client address: AddrBurst requests at once, then AddrRate per
	// second (default 20, 0.2 = one every 5 s). Per phone number on
	// submission: PhoneBurst, PhoneRate (default 3, one per 20 minutes).
	AddrRate   float64
	AddrBurst  int
	PhoneRate  float64
	PhoneBurst int
}

// Portal serves the public pages.
type Portal struct {
	svc     *lifecycle.Service
	st      *store.Store
	o       Options
	pages   map[string]*template.Template
	cat     *i18n.Catalog
	cssHash string
	byAddr  *Limiter
	byPhone *Limiter
	actor   store.Actor
}

// New returns the portal; it parses every template now, so a broken one
// stops the server at start-up, not on a citizen's request.
func New(svc *lifecycle.Service, o Options) (*Portal, error) {
	if o.MaxFileBytes <= 0 {
		o.MaxFileBytes = 5 << 20
	}
	if o.MaxFiles <= 0 {
		o.MaxFiles = 5
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = int64(o.MaxFiles)*o.MaxFileBytes + 1<<20
	}
	if o.AddrBurst <= 0 {
		o.AddrBurst = 20
	}
	if o.AddrRate <= 0 {
		o.AddrRate = 0.2
	}
	if o.PhoneBurst <= 0 {
		o.PhoneBurst = 3
	}
	if o.PhoneRate <= 0 {
		o.PhoneRate = 1.0 / 1200
	}
	p := &Portal{svc: svc, st: svc.Store(), o: o,
		byAddr:  NewLimiter(o.AddrRate, o.AddrBurst, svc.Now),
		byPhone: NewLimiter(o.PhoneRate, o.PhoneBurst, svc.Now),
		actor:   store.Actor{Login: "petitioner"},
	}
	cat, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	p.cat = cat
	css, err := staticFS.ReadFile("static/portal.css")
	if err != nil {
		return nil, fmt.Errorf("portal style sheet: %w", err)
	}
	sum := sha256.Sum256(css)
	p.cssHash = hex.EncodeToString(sum[:6])
	funcs := template.FuncMap{
		"datetime": func(t time.Time) string { return t.In(calendar.Location).Format("2006-01-02 15:04") },
		"css":      func() string { return "/portal/static/portal.css?v=" + p.cssHash },
		"kb":       func(n int64) string { return strconv.FormatInt((n+1023)/1024, 10) + " KB" },
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("portal templates: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("portal templates: %w", err)
	}
	p.pages = map[string]*template.Template{}
	for _, n := range names {
		if n == "templates/layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("portal template %s: %w", n, err)
		}
		p.pages[n[len("templates/"):len(n)-len(".html")]] = t
	}
	return p, nil
}

// MustNew is New for start-up wiring: the templates are embedded, so a
// failure is a programming error (caught by the tests), not a runtime one.
func MustNew(svc *lifecycle.Service, o Options) *Portal {
	p, err := New(svc, o)
	if err != nil {
		panic(err)
	}
	return p
}

// Register adds the portal's routes to mux.
func (p *Portal) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /portal/{$}", p.home)
	mux.HandleFunc("GET /portal/submit", p.submitForm)
	mux.HandleFunc("POST /portal/submit", p.limited(p.submit))
	mux.HandleFunc("GET /portal/track", p.trackForm)
	mux.HandleFunc("POST /portal/track", p.limited(p.track))
	mux.HandleFunc("POST /portal/rate", p.limited(p.rate))
	mux.HandleFunc("POST /portal/review", p.limited(p.review))
	mux.HandleFunc("GET /portal/static/{file}", p.static)
	mux.HandleFunc("/portal/", func(w http.ResponseWriter, r *http.Request) {
		p.page(w, r, http.StatusNotFound, "message", pageData{Title: p.t(r, "title.not_found"), Message: p.t(r, "err.page_not_found")})
	})
}

// pageData is what every page template receives. Title, Message, Error
// and Fields are already in the visitor's language; templates translate
// their own text with .T.
type pageData struct {
	Title   string
	Message string // a notice at the top
	Error   string // an error at the top
	Form    map[string]string
	Fields  map[string]string // field → error
	Data    any
	Page    string     // the template's name
	Locale  string     // the visitor's language, for <html lang> and .T
	Langs   []langLink // the header's language switch
	cat     *i18n.Catalog
}

// T translates key with {name} parameters given as name, value pairs.
func (d pageData) T(key string, params ...any) string { return d.cat.T(d.Locale, key, params...) }

// Date writes a day the way the visitor's language does.
func (d pageData) Date(t time.Time) string {
	return t.In(calendar.Location).Format(d.T("format.date"))
}

func (p *Portal) page(w http.ResponseWriter, r *http.Request, status int, name string, d pageData) {
	t := p.pages[name]
	d.Page, d.Locale, d.cat = name, p.locale(r), p.cat
	d.Langs = p.langLinks(r, name, d.Locale)
	h := w.Header()
	rememberLocale(w, r)
	h.Add("Vary", "Accept-Language, Cookie")
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", d); err != nil {
		slog.Error("portal render", "page", name, "err", err)
		http.Error(w, p.cat.T(d.Locale, "err.render"), http.StatusInternalServerError)
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", d.Locale)
	// Pages may carry the petitioner's own data: never cache them.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if _, err := w.Write(buf.Bytes()); err != nil {
		slog.Debug("portal write", "path", r.URL.Path, "err", err)
	}
}

func (p *Portal) home(w http.ResponseWriter, r *http.Request) {
	p.page(w, r, http.StatusOK, "home", pageData{Title: p.t(r, "title.home")})
}

func (p *Portal) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if name == "portal.css" {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(b)
}

// clientAddr is the address the request came from. Behind a reverse proxy
// this is the proxy; the proxy must then do its own limiting.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limited refuses a client address that sends too many requests.
func (p *Portal) limited(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := p.byAddr.Allow(clientAddr(r)); !ok {
			p.tooMany(w, r, wait)
			return
		}
		next(w, r)
	}
}

func (p *Portal) tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := int(wait.Seconds()) + 1
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	p.page(w, r, http.StatusTooManyRequests, "message", pageData{Title: p.t(r, "title.too_many"),
		Error: p.t(r, "err.too_many", "secs", secs)})
}

func (p *Portal) tooLarge(w http.ResponseWriter, r *http.Request) {
	p.page(w, r, http.StatusRequestEntityTooLarge, "message", pageData{Title: p.t(r, "title.too_large"),
		Error: p.t(r, "err.too_large", "file_mb", p.o.MaxFileBytes>>20, "files", p.o.MaxFiles, "total_mb", p.o.MaxBodyBytes>>20)})
}
