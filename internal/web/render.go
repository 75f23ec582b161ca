package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/deadline"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
	"redress/internal/web/i18n"
)

//go:embed templates
var templateFS embed.FS

// pages holds one parsed template set per page: the layout, the partials and
// the page's own file.
type pages struct {
	sets map[string]*template.Template
}

var funcs = template.FuncMap{
	"add":  func(a, b int) int { return a + b },
	"str":  func(v any) string { return fmt.Sprint(v) },
	"has":  func(m map[string]string, k string) bool { _, ok := m[k]; return ok },
	"rows": func(v *view, id string, items []store.Summary) rowsArg { return rowsArg{V: v, ID: id, Items: items} },
	"ferr": func(id, msg string) fieldErr { return fieldErr{ID: id, Msg: msg} },
	"kind": func(s string) deadline.Kind { return deadline.Kind(s) },
	"ptr":  func(d calendar.Date) *calendar.Date { return &d },
	"outcomes": func() []string {
		return []string{petition.OutcomeSupport, petition.OutcomeExplain, petition.OutcomeReject}
	},
}

// rowsArg is what the summary-table and summary-rows partials see.
type rowsArg struct {
	V     *view
	ID    string
	Items []store.Summary
}

// fieldErr is an error shown beside a field.
type fieldErr struct{ ID, Msg string }

func loadPages() (*pages, error) {
	shared := []string{"templates/layout.html"}
	parts, err := fs.Glob(templateFS, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	shared = append(shared, parts...)
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	ps := &pages{sets: map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, append(append([]string{}, shared...), f)...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		ps.sets[name] = t
	}
	return ps, nil
}

// view is what every template sees as its root: the page's data and the
// helpers that translate and format in the reader's language.
type view struct {
	w       *Web
	Locale  string
	User    org.User
	Signed  bool
	Page    string
	Title   string
	Path    string
	Data    any
	Notice  string
	tree    *org.Tree
	cal     *calendar.Calendar
	today   calendar.Date
	request *http.Request
}

// T translates key with {name} parameters given as name, value pairs.
func (v *view) T(key string, params ...any) string { return v.w.cat.T(v.Locale, key, params...) }

// Asset is the hashed URL of a static file.
func (v *view) Asset(name string) string { return v.w.assets.url(name) }

// State names a petition state.
func (v *view) State(s petition.State) string { return v.T("state." + string(s)) }

// Action names a lifecycle action.
// Events written by other features may carry actions this catalogue does
// not name; those show as their code rather than as a missing message.
func (v *view) Action(a any) string {
	name := fmt.Sprint(a)
	return v.w.cat.Maybe(v.Locale, "action."+name, name)
}

// Channel names a channel.
func (v *view) Channel(c string) string { return v.T("channel." + c) }

// Role names a role.
func (v *view) Role(r org.Role) string { return v.T("role." + string(r)) }

// Outcome names a reply or review outcome.
func (v *view) Outcome(o string) string {
	if o == "" {
		return ""
	}
	return v.T("outcome." + o)
}

// DeadlineName names a time limit.
func (v *view) DeadlineName(k deadline.Kind) string { return v.T("deadline." + string(k)) }

// Article is the article of the regulation that sets a time limit.
func (v *view) Article(k deadline.Kind) string {
	info, _ := deadline.Lookup(k)
	if v.Locale == "en" {
		return strings.NewReplacer("第", "Art. ", "条", "").Replace(info.Article)
	}
	return info.Article
}

// Unit names a unit by id ("" for none).
func (v *view) Unit(id int64) string {
	if id == 0 || v.tree == nil {
		return ""
	}
	u, ok := v.tree.Unit(id)
	if !ok {
		return ""
	}
	return u.Name
}

// District names a district by its code.
func (v *view) District(code string) string {
	if v.tree == nil {
		return code
	}
	if u, ok := v.tree.ByCode(code); ok {
		return u.Name
	}
	return code
}

// Date formats an instant as a date in China.
func (v *view) Date(t any) string {
	switch x := t.(type) {
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return calendar.DateOf(x).String()
	case *time.Time:
		if x == nil {
			return ""
		}
		return calendar.DateOf(*x).String()
	case calendar.Date:
		if x.IsZero() {
			return ""
		}
		return x.String()
	case *calendar.Date:
		if x == nil {
			return ""
		}
		return x.String()
	}
	return fmt.Sprint(t)
}

// DateTime formats an instant in China's time zone.
func (v *view) DateTime(t time.Time) string { return dateTime(t) }

func dateTime(t time.Time) string { return t.In(chinaTime).Format("2006-01-02 15:04") }

// DaysLeft is the number of working days from today until due (negative when overdue).
func (v *view) DaysLeft(due calendar.Date) int {
	if v.cal == nil || due.IsZero() {
		return 0
	}
	if due.Before(v.today) {
		return -v.cal.WorkingDaysBetween(due, v.today)
	}
	return v.cal.WorkingDaysBetween(v.today, due)
}

// Clock describes the time left until due, in words.
func (v *view) Clock(due *calendar.Date) string {
	if due == nil || due.IsZero() {
		return ""
	}
	n := v.DaysLeft(*due)
	switch {
	case due.Before(v.today):
		return v.T("clock.overdue", "n", -n)
	case n == 0:
		return v.T("clock.today")
	default:
		return v.T("clock.left", "n", n)
	}
}

// ClockClass is the CSS class for a deadline's urgency.
func (v *view) ClockClass(due *calendar.Date) string {
	if due == nil || due.IsZero() {
		return "clock"
	}
	switch n := v.DaysLeft(*due); {
	case due.Before(v.today):
		return "clock clock-overdue"
	case n <= 3:
		return "clock clock-soon"
	}
	return "clock"
}

// Is reports whether the user has one of the roles.
func (v *view) Is(roles ...string) bool {
	for _, r := range roles {
		if string(v.User.Role) == r {
			return true
		}
	}
	return false
}

// Today is today's date in China.
func (v *view) Today() calendar.Date { return v.today }

// UnitName names the user's own unit.
func (v *view) UnitName() string { return v.Unit(v.User.UnitID) }

// Locales lists the languages the user may choose.
func (v *view) Locales() []string { return i18n.Locales }

var chinaTime = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return l
}()

// render executes page into a buffer (so a template error never sends half
// a page) and writes it with status.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, s *session, status int, page string, data any) {
	v := w.newView(r, s, page, data)
	w.renderView(rw, r, status, page, "layout", v)
}

// renderFragment executes one named template of page without the layout (htmx swaps).
func (w *Web) renderFragment(rw http.ResponseWriter, r *http.Request, s *session, status int, page, name string, data any) {
	v := w.newView(r, s, page, data)
	w.renderView(rw, r, status, page, name, v)
}

func (w *Web) newView(r *http.Request, s *session, page string, data any) *view {
	v := &view{w: w, Locale: i18n.Default, Page: page, Path: r.URL.Path, Data: data, request: r}
	if s != nil {
		v.User, v.Signed, v.Locale = s.user, true, s.locale
		v.tree, v.cal = s.tree, s.cal
	}
	v.today = w.svc.Today()
	if v.tree == nil {
		v.tree, _ = w.st.Units(r.Context())
	}
	v.Title = v.T("title." + page)
	return v
}

func (w *Web) renderView(rw http.ResponseWriter, r *http.Request, status int, page, name string, v *view) {
	set, ok := w.pages.sets[page]
	if !ok {
		slog.Error("no such page template", "page", page)
		http.Error(rw, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, name, v); err != nil {
		slog.Error("render page", "page", page, "template", name, "path", r.URL.Path, "err", err)
		http.Error(rw, "internal error", http.StatusInternalServerError)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	if r.Method == http.MethodPost {
		// A form shown again with its errors keeps the page's own URL in the
		// address bar (htmx would push the form's action), so reloading works.
		rw.Header().Set("HX-Push-Url", "false")
	}
	rw.WriteHeader(status)
	_, _ = buf.WriteTo(rw)
}

// fail shows err to the user as a page: not found, forbidden or a generic
// error, in their language. The full error goes only to the log.
func (w *Web) fail(rw http.ResponseWriter, r *http.Request, s *session, err error) {
	fe := failure.Public(err)
	if fe.Status >= 500 {
		logError("web request failed", err, "method", r.Method, "path", r.URL.Path)
	}
	status := fe.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	msg := w.cat.Error(localeOf(s), err)
	w.render(rw, r, s, status, "error", errorPage{Status: status, Message: msg})
}

// logError logs a failure at level error, unless it only says that the
// request was cancelled (the client went away, as a browser does when the
// user navigates on): that is no fault of the server and is logged at debug.
func logError(msg string, err error, args ...any) {
	level := slog.LevelError
	if errors.Is(err, context.Canceled) {
		level = slog.LevelDebug
	}
	slog.Log(context.Background(), level, msg, append(args, "err", err)...)
}

type errorPage struct {
	Status  int
	Message string
}

func localeOf(s *session) string {
	if s == nil {
		return i18n.Default
	}
	return s.locale
}
