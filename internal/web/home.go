package web

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"

	"redress/internal/calendar"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// homePage is a role's work list: figures, sections of cases, and for
// leaders a chart.
type homePage struct {
	Stats    []stat
	Sections []section
	Chart    string // ECharts option as JSON, read by app.js
	Users    []org.User
	// Problems are the hard problems (老大难) a leader leads, with their cases.
	Problems []dashProblem
	// overdueBy counts the overdue cases per unit, as the overdue figure
	// counted them (read by the leader's chart instead of a second count).
	overdueBy map[int64]int
}

type stat struct {
	Label string // message key
	Value int
	Link  string
	Alert bool
}

type section struct {
	Title string // message key
	Empty string // message key
	Items []store.Summary
	More  string
}

// homeRows is how many cases a home-page section shows.
const homeRows = 15

func (w *Web) home(rw http.ResponseWriter, r *http.Request, s *session) {
	var (
		p   homePage
		err error
	)
	switch s.user.Role {
	case org.RoleBureau:
		p, err = w.homeBureau(r.Context(), s)
	case org.RoleHandler:
		p, err = w.homeHandler(r.Context(), s)
	case org.RoleHead:
		p, err = w.homeHead(r.Context(), s)
	case org.RoleLeader:
		p, err = w.homeLeader(r.Context(), s)
	case org.RoleInspector:
		p, err = w.homeInspector(r.Context(), s)
	case org.RoleAdmin:
		p.Users, err = w.st.Users(r.Context())
	}
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "home", p)
}

func (w *Web) baseFilter(s *session) store.Filter {
	f := store.Filter{Today: w.svc.Today(), Limit: homeRows}
	f.Scope = scopeOf(s)
	return f
}

func overdue() *bool { b := true; return &b }

func (w *Web) sectionOf(ctx context.Context, s *session, title, empty, more string, f store.Filter) (section, error) {
	page, err := w.list(ctx, s, f)
	return section{Title: title, Empty: empty, Items: page.Items, More: more}, err
}

func (w *Web) statOf(ctx context.Context, label, link string, alert bool, f store.Filter, byUnit map[int64]int) (stat, error) {
	n, err := w.count(ctx, f, byUnit)
	return stat{Label: label, Value: n, Link: link, Alert: alert && n > 0}, err
}

type spec struct {
	title, empty, more string
	state              petition.State
	overdue            bool
}

func (w *Web) build(ctx context.Context, s *session, specs []spec, withStats bool) (homePage, error) {
	var p homePage
	for _, sp := range specs {
		f := w.baseFilter(s)
		f.State = sp.state
		if sp.overdue {
			f.Overdue = overdue()
		}
		sec, err := w.sectionOf(ctx, s, sp.title, "home.empty", sp.more, f)
		if err != nil {
			return p, err
		}
		p.Sections = append(p.Sections, sec)
		if withStats {
			var by map[int64]int
			if sp.overdue {
				p.overdueBy = map[int64]int{}
				by = p.overdueBy
			}
			st, err := w.statOf(ctx, sp.title, sp.more, sp.overdue, f, by)
			if err != nil {
				return p, err
			}
			p.Stats = append(p.Stats, st)
		}
	}
	return p, nil
}

func (w *Web) homeBureau(ctx context.Context, s *session) (homePage, error) {
	return w.build(ctx, s, []spec{
		{title: "home.to_accept", more: "/petitions?state=registered", state: petition.Registered},
		{title: "home.to_assign", more: "/petitions?state=accepted", state: petition.Accepted},
		{title: "home.returned", more: "/petitions?state=returned", state: petition.Returned},
		{title: "home.review", more: "/petitions?state=review_requested", state: petition.ReviewRequested},
		{title: "home.overdue", more: "/petitions?overdue=1", overdue: true},
	}, true)
}

func (w *Web) homeHandler(ctx context.Context, s *session) (homePage, error) {
	p, err := w.build(ctx, s, []spec{
		{title: "home.to_sign", more: "/petitions?state=assigned", state: petition.Assigned},
		{title: "home.overdue", more: "/petitions?overdue=1", overdue: true},
		{title: "home.returned", more: "/petitions?state=returned", state: petition.Returned},
	}, true)
	if err != nil {
		return p, err
	}
	soon, err := w.dueSoon(ctx, s)
	if err != nil {
		return p, err
	}
	p.Sections = append(p.Sections[:1], append([]section{soon}, p.Sections[1:]...)...)
	return p, nil
}

// dueSoon lists cases being handled whose next deadline is within five
// working days, soonest first.
func (w *Web) dueSoon(ctx context.Context, s *session) (section, error) {
	today := w.svc.Today()
	f := w.baseFilter(s)
	// Only cases with an open deadline in the next five working days are
	// read (the open-deadline index finds them), then ordered by due date.
	f.State, f.Limit = petition.Handling, 500
	f.DueFrom, f.DueTo = today, s.cal.Add(today, 5, calendar.WorkingDays)
	page, err := w.list(ctx, s, f)
	if err != nil {
		return section{}, err
	}
	var items []store.Summary
	for _, it := range page.Items {
		if it.NextDue == nil || it.NextDue.Before(today) {
			continue
		}
		if s.cal.WorkingDaysBetween(today, *it.NextDue) <= 5 {
			items = append(items, it)
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].NextDue.Before(*items[j].NextDue) })
	if len(items) > homeRows {
		items = items[:homeRows]
	}
	return section{Title: "home.due_soon", Empty: "home.empty", Items: items, More: "/petitions?state=handling"}, nil
}

func (w *Web) homeHead(ctx context.Context, s *session) (homePage, error) {
	p, err := w.build(ctx, s, []spec{
		{title: "home.extensions", more: "/petitions?state=extension_requested", state: petition.ExtensionRequested},
		{title: "home.overdue", more: "/petitions?overdue=1", overdue: true},
		{title: "home.to_sign", more: "/petitions?state=assigned", state: petition.Assigned},
	}, true)
	if err != nil {
		return p, err
	}
	f := w.baseFilter(s)
	f.State = petition.Handling
	st, err := w.statOf(ctx, "home.handling", "/petitions?state=handling", false, f, nil)
	if err != nil {
		return p, err
	}
	p.Stats = append(p.Stats, st)
	return p, nil
}

func (w *Web) homeLeader(ctx context.Context, s *session) (homePage, error) {
	p, err := w.build(ctx, s, []spec{
		{title: "home.review", more: "/petitions?state=review_requested", state: petition.ReviewRequested},
		{title: "home.rereview", more: "/petitions?state=rereview_requested", state: petition.RereviewRequested},
		{title: "home.overdue", more: "/petitions?overdue=1", overdue: true},
	}, true)
	if err != nil {
		return p, err
	}
	if p.Problems, err = w.dashLeaderProblems(ctx, s); err != nil {
		return p, err
	}
	p.Chart, err = w.overdueChart(s, p.overdueBy)
	return p, err
}

// overdueChart is a bar chart of the ten units with the most overdue cases,
// from the overdue cases counted per unit.
func (w *Web) overdueChart(s *session, by map[int64]int) (string, error) {
	type row struct {
		name string
		n    int
	}
	var rows []row
	for id, n := range by {
		name := w.cat.T(s.locale, "home.unassigned")
		if u, ok := s.tree.Unit(id); ok {
			name = u.Name
		}
		rows = append(rows, row{name, n})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].n != rows[j].n {
			return rows[i].n > rows[j].n
		}
		return rows[i].name < rows[j].name
	})
	if len(rows) > 10 {
		rows = rows[:10]
	}
	names, counts := []string{}, []int{}
	for i := len(rows) - 1; i >= 0; i-- {
		names = append(names, rows[i].name)
		counts = append(counts, rows[i].n)
	}
	opt := map[string]any{
		"title":   map[string]any{"text": w.cat.T(s.locale, "home.chart_overdue"), "textStyle": map[string]any{"fontSize": 14}},
		"grid":    map[string]any{"left": 8, "right": 24, "top": 36, "bottom": 8, "containLabel": true},
		"tooltip": map[string]any{},
		"xAxis":   map[string]any{"type": "value", "minInterval": 1},
		"yAxis":   map[string]any{"type": "category", "data": names},
		"series":  []any{map[string]any{"type": "bar", "data": counts, "itemStyle": map[string]any{"color": "#b3261e"}}},
	}
	b, err := json.Marshal(opt)
	return string(b), err
}

func (w *Web) homeInspector(ctx context.Context, s *session) (homePage, error) {
	return w.build(ctx, s, []spec{
		{title: "home.overdue", more: "/petitions?overdue=1", overdue: true},
		{title: "home.recent", more: "/petitions"},
	}, false)
}
