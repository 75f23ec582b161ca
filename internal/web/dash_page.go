package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/matters"
	"redress/internal/stats"
	"redress/internal/store"
)

// dashTopUnits is how many units the per-unit charts show; the tables
// beside them list the same units.
const dashTopUnits = 10

// dashPage is the dashboard: the period form and, when the period is
// valid, the figures of stats.Dashboard and matters.Rates (the functions
// behind GET /api/v1/stats/dashboard and GET /api/v1/rates) for the user's scope.
type dashPage struct {
	From, To string            // the period as typed, or as used
	Backlog  dashBacklogForm   // the backlog rule (积案认定) as typed, or as used
	Errors   map[string]string // field → message
	// BacklogText says which cases count as backlog cases, in words.
	BacklogText string
	D           *stats.Dashboard
	Rates       *matters.Rates
	At          time.Time // when the figures were computed
	Busiest     dashDay   // the day with the most petitions
	Load        []stats.UnitRow
	Units       []stats.UnitRow // units with on-time or resolution figures, busiest first
	Resolved    []dashRateRow   // 化解率 per unit
	ResDist     []dashRateRow   // 化解率 per district
	ResTables   []dashRateTable // the two above as tables
	Overall     []dashCategory  // 化解率 overall, per category
	Months      []dashMonthRow
	Charts      dashCharts
}

// dashDay is one day's count as shown beside the received chart.
type dashDay struct {
	Day   calendar.Date
	Count int
}

// dashCharts are the ECharts options (JSON) read by app.js.
type dashCharts struct {
	Received, Load, UnitRates, DistrictRates, Months, Resolution string
}

// dashCategory is one category of the resolution rate: repeat, backlog or all.
type dashCategory struct {
	Category string
	Rate     stats.Rate
}

// dashRateRow is a unit's or district's resolution rates, one per category
// in dashCategories order.
type dashRateRow struct {
	Key   string // unit code or district code
	Name  string
	Rates []stats.Rate
}

// dashRateTable is a table of resolution rates: per district or per unit.
type dashRateTable struct {
	ID, Head string // element id, message key of the first column
	Rows     []dashRateRow
}

// Categories are the resolution rate's categories, in the order shown.
func (p dashPage) Categories() []string { return dashCategories }

// dashMonthRow is one figure of this month against last month.
type dashMonthRow struct {
	Key        string // message key
	Last, This int
}

// Delta is this month minus last month, with its sign.
func (m dashMonthRow) Delta() string {
	d := m.This - m.Last
	if d > 0 {
		return fmt.Sprintf("+%d", d)
	}
	return fmt.Sprint(d)
}

// dashCategories are the categories of matters.Rates in the order shown.
var dashCategories = []string{"repeat", "backlog", "all"}

func (w *Web) dashboard(rw http.ResponseWriter, r *http.Request, s *session) {
	if p, ok := w.dashPrepare(rw, r, s); ok {
		w.render(rw, r, s, http.StatusOK, "dashboard", p)
	}
}

// dashPrepare reads the period and backlog rule of the request and fills
// the page's figures. When the form has errors it renders the page with
// them (the export answers the same way) and reports false.
func (w *Web) dashPrepare(rw http.ResponseWriter, r *http.Request, s *session) (dashPage, bool) {
	q := r.URL.Query()
	p := dashPage{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), Errors: map[string]string{}}
	var backlog store.BacklogRule
	bad := map[string]string{} // field → message key
	p.Backlog, backlog = dashReadBacklog(q, bad)
	for field, key := range bad {
		p.Errors[field] = w.cat.T(s.locale, key, "max", map[string]int{"open_days": dashMaxOpenDays, "min_petitions": dashMaxMinPetitions}[field])
	}
	sv := stats.New(w.st, w.svc.Now)
	period, err := stats.ParsePeriod(p.From, p.To, sv.Today())
	if err != nil {
		fe := failure.Public(err)
		if fe.Code != failure.CodeInvalid {
			w.fail(rw, r, s, err)
			return p, false
		}
		p.Errors[fe.Field] = w.dashPeriodError(s.locale, p, fe)
	}
	if len(p.Errors) > 0 {
		w.render(rw, r, s, http.StatusBadRequest, "dashboard", p)
		return p, false
	}
	p.From, p.To = period.From.String(), period.To.String()
	if err := w.dashFill(r.Context(), s, sv, period, backlog, &p); err != nil {
		w.fail(rw, r, s, err)
		return p, false
	}
	return p, true
}

// dashPeriodError says in the user's language what is wrong with the period.
func (w *Web) dashPeriodError(locale string, p dashPage, fe *failure.Error) string {
	typed := map[string]string{"from": p.From, "to": p.To}[fe.Field]
	switch {
	case typed != "" && !dashIsDate(typed):
		return w.cat.T(locale, "dash.err.date")
	case fe.Params["max"] != "":
		return w.cat.T(locale, "dash.err.too_long", "max", fe.Params["max"])
	case fe.Field == "to":
		return w.cat.T(locale, "dash.err.order")
	}
	return w.cat.Error(locale, fe)
}

func dashIsDate(s string) bool {
	_, err := calendar.ParseDate(s)
	return err == nil
}

// dashFill computes the figures and the charts of a valid period.
func (w *Web) dashFill(ctx context.Context, s *session, sv *stats.Service, period stats.Period, backlog store.BacklogRule, p *dashPage) error {
	f, err := w.dash.get(ctx, dashKey(s, period, backlog), w.svc.Now(), func(ctx context.Context) (dashFigures, error) {
		d, err := sv.Dashboard(ctx, s.user, period)
		if err != nil {
			return dashFigures{}, fmt.Errorf("dashboard figures: %w", err)
		}
		rates, err := matters.New(w.svc).Rates(ctx, s.user, period, matters.RateOptions{Backlog: &backlog})
		if err != nil {
			return dashFigures{}, fmt.Errorf("dashboard resolution rates: %w", err)
		}
		return dashFigures{D: d, Rates: rates, At: w.svc.Now()}, nil
	})
	if err != nil {
		return err
	}
	// The figures may be shared with other requests: the unit names below
	// are set in this user's language on a copy.
	d := *f.D
	d.Units = slices.Clone(d.Units)
	rates := f.Rates
	p.D, p.Rates, p.At = &d, &rates, f.At
	p.BacklogText = w.dashBacklogText(s.locale, rates.Backlog, rates.AsOf)
	for i, u := range d.Units {
		if u.UnitID == 0 {
			d.Units[i].UnitName = w.cat.T(s.locale, "dash.unit_bureau")
		}
	}
	for _, x := range d.Received {
		if x.Count > p.Busiest.Count {
			p.Busiest = dashDay{Day: x.Day, Count: x.Count}
		}
	}
	p.Load = dashLoad(d.Units)
	p.Units = dashRated(d.Units)
	p.Overall, p.Resolved, p.ResDist = w.dashRates(s, rates)
	p.ResTables = []dashRateTable{{ID: "dash-res-districts", Head: "dash.col.district", Rows: p.ResDist},
		{ID: "dash-res-units", Head: "dash.col.unit", Rows: p.Resolved}}
	m := d.Months
	p.Months = []dashMonthRow{
		{Key: "dash.received", Last: m.Last.Received, This: m.This.Received},
		{Key: "dash.resolved", Last: m.Last.Resolved, This: m.This.Resolved},
		{Key: "dash.overdue", Last: m.Last.Overdue, This: m.This.Overdue},
	}
	p.Charts, err = w.dashChartsOf(s.locale, p)
	return err
}

// dashLoad returns the units with open petitions, most overdue first, then
// most open, at most dashTopUnits.
func dashLoad(units []stats.UnitRow) []stats.UnitRow {
	var out []stats.UnitRow
	for _, u := range units {
		if u.Open > 0 {
			out = append(out, u)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Overdue != out[j].Overdue {
			return out[i].Overdue > out[j].Overdue
		}
		return out[i].Open > out[j].Open
	})
	if len(out) > dashTopUnits {
		out = out[:dashTopUnits]
	}
	return out
}

// dashRated returns the units with on-time or resolution figures, those
// with the most cases first, at most dashTopUnits.
func dashRated(units []stats.UnitRow) []stats.UnitRow {
	var out []stats.UnitRow
	for _, u := range units {
		if u.OnTime.Total > 0 || u.Resolution.Total > 0 {
			out = append(out, u)
		}
	}
	size := func(u stats.UnitRow) int { return max(u.OnTime.Total, u.Resolution.Total) }
	sort.SliceStable(out, func(i, j int) bool { return size(out[i]) > size(out[j]) })
	if len(out) > dashTopUnits {
		out = out[:dashTopUnits]
	}
	return out
}

// dashRates arranges matters.Rates as overall figures and one row per unit
// and per district, each with the rate of every category.
func (w *Web) dashRates(s *session, rs matters.Rates) ([]dashCategory, []dashRateRow, []dashRateRow) {
	var overall []dashCategory
	// A unit's staff see their own units' lines only, as on stats.Dashboard:
	// a case that went on to another unit is counted under that unit.
	sc := scopeOf(s)
	visible := func(id int64) bool { return sc.All || id != 0 && slices.Contains(sc.UnitIDs, id) }
	units, dists := map[string]*dashRateRow{}, map[string]*dashRateRow{}
	var unitKeys, distKeys []string
	row := func(m map[string]*dashRateRow, keys *[]string, key, name string) *dashRateRow {
		if r, ok := m[key]; ok {
			return r
		}
		r := &dashRateRow{Key: key, Name: name, Rates: make([]stats.Rate, len(dashCategories))}
		for i := range r.Rates {
			r.Rates[i] = stats.NewRate(0, 0)
		}
		m[key] = r
		*keys = append(*keys, key)
		return r
	}
	for i, cat := range dashCategories {
		for _, c := range rs.Categories {
			if c.Category != cat {
				continue
			}
			overall = append(overall, dashCategory{Category: cat, Rate: c.Overall})
			for _, u := range c.Units {
				if !visible(u.UnitID) {
					continue
				}
				key, name := "", w.cat.T(s.locale, "dash.unit_bureau")
				if un, ok := s.tree.Unit(u.UnitID); ok {
					key, name = un.Code, un.Name
				}
				row(units, &unitKeys, key, name).Rates[i] = u.Rate
			}
			for _, d := range c.Districts {
				name := d.District
				if un, ok := s.tree.ByCode(d.District); ok {
					name = un.Name
				}
				row(dists, &distKeys, d.District, name).Rates[i] = d.Rate
			}
		}
	}
	collect := func(m map[string]*dashRateRow, keys []string) []dashRateRow {
		sort.Strings(keys)
		out := make([]dashRateRow, 0, len(keys))
		for _, k := range keys {
			out = append(out, *m[k])
		}
		// Most cases (all categories) first.
		last := len(dashCategories) - 1
		sort.SliceStable(out, func(i, j int) bool { return out[i].Rates[last].Total > out[j].Rates[last].Total })
		return out
	}
	return overall, collect(units, unitKeys), collect(dists, distKeys)
}

// AvgPerDay is the mean number of petitions received per day of the period.
func (p dashPage) AvgPerDay() string {
	if p.D == nil || len(p.D.Received) == 0 {
		return "0"
	}
	return fmt.Sprintf("%.1f", float64(p.D.Total)/float64(len(p.D.Received)))
}
