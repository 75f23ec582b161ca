// Package stats computes the figures of the dashboard and of the statistics
// API: petitions received per day, open and overdue petitions by unit,
// on-time and resolution rates by unit and by district, and this month
// against last month. The counting is done in SQL (store.Store's statistics
// methods) and always within the caller's scope, so a unit-scoped user sees
// figures for its own units' cases only.
package stats

import (
	"context"
	"fmt"
	"sort"
	"time"

	"redress/internal/access"
	"redress/internal/calendar"
	"redress/internal/deadline"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// MaxDays is the longest period a dashboard covers.
const MaxDays = 366

// Rules are the definitions behind the figures. Local methods differ
// (DOMAIN.md: "make formulas and weights settings"), so they are values.
type Rules struct {
	// Open lists the states in which someone still owes an action on a petition.
	Open []petition.State
	// Invalid lists the states of petitions left out of the resolution rate's
	// base: not yet accepted, or declined (不予受理).
	Invalid []petition.State
	// Resolved says which petitions count as resolved (化解).
	Resolved store.ResolvedRule
	// BureauKinds are the petition bureau's own time limits: their on-time
	// figures are the bureau's (unit 0), not the handling unit's.
	BureauKinds []deadline.Kind
}

// DefaultRules returns the definitions used unless configured otherwise:
//   - open: every state but declined, replied, reviewed and closed (a replied
//     or reviewed case waits only on the petitioner);
//   - the resolution rate's base: petitions received in the period that
//     were accepted (neither registered only nor declined);
//   - resolved: closed (终结), or replied or reviewed with the latest
//     outcome 支持 (support);
//   - the bureau's own limits: acknowledge (Art. 23) and assign (Art. 22).
func DefaultRules() Rules {
	return Rules{
		Open: []petition.State{petition.Registered, petition.Accepted, petition.Assigned, petition.Returned, petition.Handling,
			petition.ExtensionRequested, petition.ReviewRequested, petition.RereviewRequested},
		Invalid:     []petition.State{petition.Registered, petition.Declined},
		Resolved:    store.ResolvedRule{Closed: true, States: []petition.State{petition.Replied, petition.Reviewed}, Outcomes: []string{petition.OutcomeSupport}},
		BureauKinds: []deadline.Kind{deadline.Acknowledge, deadline.Assign},
	}
}

// Service computes statistics on a store.
type Service struct {
	st    *store.Store
	now   func() time.Time
	rules Rules
}

// New returns a service with DefaultRules; now is the clock (time.Now in production).
func New(st *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, now: now, rules: DefaultRules()}
}

// WithRules returns a copy of the service that uses r.
func (s *Service) WithRules(r Rules) *Service {
	c := *s
	c.rules = r
	return &c
}

// Rules returns the definitions in use.
func (s *Service) Rules() Rules { return s.rules }

// Today returns today's date in China by the service's clock.
func (s *Service) Today() calendar.Date { return calendar.DateOf(s.now()) }

// Period is a range of days, both ends included.
type Period struct {
	From calendar.Date `json:"from"`
	To   calendar.Date `json:"to"`
}

// Days returns the number of days in the period.
func (p Period) Days() int { return p.From.DaysUntil(p.To) + 1 }

// Validate checks that the period is ordered and at most MaxDays long.
func (p Period) Validate() error {
	if p.From.IsZero() || p.To.IsZero() {
		return failure.Invalid("from", "a period needs both from and to dates")
	}
	if p.To.Before(p.From) {
		return failure.Invalid("to", "to %s is before from %s", p.To, p.From)
	}
	if p.Days() > MaxDays {
		return failure.Invalid("to", "a period may cover at most %d days", MaxDays).With(map[string]string{"max": fmt.Sprint(MaxDays)})
	}
	return nil
}

// Month returns the calendar month that contains d.
func Month(d calendar.Date) Period {
	first := d.AddDays(1 - dayOfMonth(d))
	next := calendar.NewDate(first.Year(), monthOf(first)+1, 1)
	return Period{From: first, To: next.AddDays(-1)}
}

func dayOfMonth(d calendar.Date) int {
	t, _ := time.Parse(time.DateOnly, d.String())
	return t.Day()
}

func monthOf(d calendar.Date) time.Month {
	t, _ := time.Parse(time.DateOnly, d.String())
	return t.Month()
}

// LastDays returns the n days ending on today.
func LastDays(today calendar.Date, n int) Period {
	return Period{From: today.AddDays(1 - n), To: today}
}

// Rate is hits out of total; Value is nil when total is 0 (no rate, not 0%).
type Rate struct {
	Hits  int      `json:"hits"`
	Total int      `json:"total"`
	Value *float64 `json:"rate"`
}

// NewRate builds a rate.
func NewRate(hits, total int) Rate {
	r := Rate{Hits: hits, Total: total}
	if total > 0 {
		v := float64(hits) / float64(total)
		r.Value = &v
	}
	return r
}

// Percent formats the rate for people: "83.3%", or "—" without cases.
func (r Rate) Percent() string {
	if r.Value == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *r.Value*100)
}

// UnitRow is one unit's line on the dashboard. UnitID 0 is the petition
// bureau's own work and petitions not (or no longer) with any unit.
type UnitRow struct {
	UnitID     int64  `json:"unit_id"`
	UnitCode   string `json:"unit_code,omitempty"`
	UnitName   string `json:"unit_name"`
	Open       int    `json:"open"`
	Overdue    int    `json:"overdue"`
	OnTime     Rate   `json:"on_time"`
	Resolution Rate   `json:"resolution"`
}

// DistrictRow is one district's line on the dashboard.
type DistrictRow struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	OnTime     Rate   `json:"on_time"`
	Resolution Rate   `json:"resolution"`
}

// Comparison is this month against last month.
type Comparison struct {
	ThisMonth     Period             `json:"this_month"`
	LastMonth     Period             `json:"last_month"`
	This          store.MonthFigures `json:"this"`
	Last          store.MonthFigures `json:"last"`
	ThisUpToToday bool               `json:"this_up_to_today"` // this month is still running
}

// Dashboard is every figure for one user and period.
type Dashboard struct {
	Period     Period           `json:"period"`
	Today      calendar.Date    `json:"today"`
	Received   []store.DayCount `json:"received"` // one entry per day of the period, zeros included
	Total      int              `json:"total_received"`
	Open       int              `json:"open"`
	Overdue    int              `json:"overdue"`
	OnTime     Rate             `json:"on_time"`
	Resolution Rate             `json:"resolution"`
	Units      []UnitRow        `json:"units"`
	Districts  []DistrictRow    `json:"districts"`
	Months     Comparison       `json:"months"`
}

// Dashboard computes every figure for user over period.
func (s *Service) Dashboard(ctx context.Context, u org.User, period Period) (*Dashboard, error) {
	if err := period.Validate(); err != nil {
		return nil, err
	}
	tree, err := s.st.Units(ctx)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	sc := access.Scope(u, tree)
	today := s.Today()
	d := &Dashboard{Period: period, Today: today, Units: []UnitRow{}, Districts: []DistrictRow{}}

	days, err := s.st.ReceivedPerDay(ctx, sc, period.From, period.To)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	d.Received = fillDays(period, days)
	for _, x := range d.Received {
		d.Total += x.Count
	}

	// A unit-scoped user sees its own units' lines, and totals made of them:
	// the petition bureau's own time limits are not its work.
	visible := func(id int64) bool { return sc.All || id != 0 && contains(sc.UnitIDs, id) }
	var skip []deadline.Kind
	if !sc.All {
		skip = s.rules.BureauKinds
	}
	units := map[int64]*UnitRow{}
	row := func(id int64) *UnitRow {
		if r, ok := units[id]; ok {
			return r
		}
		r := &UnitRow{UnitID: id, UnitName: "信访部门（含未交办）"}
		if un, ok := tree.Unit(id); ok {
			r.UnitCode, r.UnitName = un.Code, un.Name
		}
		units[id] = r
		return r
	}
	loads, err := s.st.OpenByUnit(ctx, sc, s.rules.Open, today)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	for _, l := range loads {
		if visible(l.UnitID) {
			d.Open += l.Open
			d.Overdue += l.Overdue
			r := row(l.UnitID)
			r.Open, r.Overdue = l.Open, l.Overdue
		}
	}

	// Each rate is read once, by unit and district together, and split.
	onTime, err := s.st.OnTime(ctx, sc, period.From, period.To, today, s.rules.BureauKinds, skip, store.ByUnitAndDistrict)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	onUnit, onDist := store.SplitRatios(onTime)
	var hits, total int
	for _, x := range onUnit {
		if visible(x.UnitID) {
			hits, total = hits+x.Hits, total+x.Total
			row(x.UnitID).OnTime = NewRate(x.Hits, x.Total)
		}
	}
	d.OnTime = NewRate(hits, total)

	resolution, err := s.st.Resolution(ctx, sc, period.From, period.To, s.rules.Invalid, s.rules.Resolved, store.ByUnitAndDistrict)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	resUnit, resDist := store.SplitRatios(resolution)
	hits, total = 0, 0
	for _, x := range resUnit {
		if visible(x.UnitID) {
			hits, total = hits+x.Hits, total+x.Total
			row(x.UnitID).Resolution = NewRate(x.Hits, x.Total)
		}
	}
	d.Resolution = NewRate(hits, total)
	for _, r := range units {
		d.Units = append(d.Units, *r)
	}
	sort.Slice(d.Units, func(i, j int) bool { return d.Units[i].UnitID < d.Units[j].UnitID })

	districts := map[string]*DistrictRow{}
	drow := func(code string) *DistrictRow {
		if r, ok := districts[code]; ok {
			return r
		}
		r := &DistrictRow{Code: code, Name: code}
		if un, ok := tree.ByCode(code); ok {
			r.Name = un.Name
		}
		districts[code] = r
		return r
	}
	for _, x := range onDist {
		drow(x.District).OnTime = NewRate(x.Hits, x.Total)
	}
	for _, x := range resDist {
		drow(x.District).Resolution = NewRate(x.Hits, x.Total)
	}
	for _, r := range districts {
		d.Districts = append(d.Districts, *r)
	}
	sort.Slice(d.Districts, func(i, j int) bool { return d.Districts[i].Code < d.Districts[j].Code })

	d.Months, err = s.compare(ctx, sc, today)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	return d, nil
}

// Months compares this month with last month for user.
func (s *Service) Months(ctx context.Context, u org.User) (Comparison, error) {
	tree, err := s.st.Units(ctx)
	if err != nil {
		return Comparison{}, fmt.Errorf("month comparison: %w", err)
	}
	return s.compare(ctx, access.Scope(u, tree), s.Today())
}

func (s *Service) compare(ctx context.Context, sc *store.Scope, today calendar.Date) (Comparison, error) {
	var skip []deadline.Kind
	if !sc.All {
		skip = s.rules.BureauKinds
	}
	c := Comparison{ThisMonth: Month(today), ThisUpToToday: true}
	c.LastMonth = Month(c.ThisMonth.From.AddDays(-1))
	var err error
	if c.This, err = s.st.PeriodFigures(ctx, sc, c.ThisMonth.From, c.ThisMonth.To, today, s.rules.Resolved, skip); err != nil {
		return c, err
	}
	if c.Last, err = s.st.PeriodFigures(ctx, sc, c.LastMonth.From, c.LastMonth.To, today, s.rules.Resolved, skip); err != nil {
		return c, err
	}
	return c, nil
}

// fillDays returns one entry per day of p, with zeros for days without petitions.
func fillDays(p Period, days []store.DayCount) []store.DayCount {
	byDay := make(map[string]int, len(days))
	for _, d := range days {
		byDay[d.Day.String()] = d.Count
	}
	out := make([]store.DayCount, 0, p.Days())
	for d := p.From; !d.After(p.To); d = d.AddDays(1) {
		out = append(out, store.DayCount{Day: d, Count: byDay[d.String()]})
	}
	return out
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// ParsePeriod reads a period from "from" and "to" (YYYY-MM-DD); missing ends
// default to the last 30 days up to today.
func ParsePeriod(from, to string, today calendar.Date) (Period, error) {
	p := LastDays(today, 30)
	if to != "" {
		d, err := calendar.ParseDate(to)
		if err != nil {
			return p, failure.Invalid("to", "to %q is not a date (YYYY-MM-DD)", to)
		}
		p.To = d
		if from == "" {
			p.From = d.AddDays(-29)
		}
	}
	if from != "" {
		d, err := calendar.ParseDate(from)
		if err != nil {
			return p, failure.Invalid("from", "from %q is not a date (YYYY-MM-DD)", from)
		}
		p.From = d
	}
	return p, p.Validate()
}
