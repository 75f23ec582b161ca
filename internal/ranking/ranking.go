// Package ranking computes the assessment rates of units and districts and
// ranks them month by month, and records the follow-up calls (回访) that
// the satisfaction rate comes from.
//
// Over the assignments made to a unit in a period and not returned (the
// valid cases):
//   - response rate (响应率): signed for on or before the notify deadline;
//   - on-time rate: replied on or before the reply deadline;
//   - resolution rate (解决率): replied, and either the claim was supported
//     or the petitioner's latest follow-up was 满意 or 基本满意;
//   - satisfaction rate (满意率): (满意 + 0.9 × 基本满意) / cases followed up;
//   - composite: the weighted mean of response, resolution and satisfaction
//     (default weights 0.1, 0.5, 0.4); a rate with no cases under it (no
//     follow-ups yet) is left out and the other weights are rescaled.
//
// Only units with at least MinCases valid cases are ranked.
package ranking

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"redress/internal/calendar"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// Weights of the composite score.
type Weights struct {
	Response     float64 `json:"response"`
	Resolution   float64 `json:"resolution"`
	Satisfaction float64 `json:"satisfaction"`
}

// DefaultWeights are one city's published method (DOMAIN.md).
var DefaultWeights = Weights{Response: 0.1, Resolution: 0.5, Satisfaction: 0.4}

// Validate checks weights: none negative, summing to 1.
func (w Weights) Validate() error {
	if w.Response < 0 || w.Resolution < 0 || w.Satisfaction < 0 {
		return fmt.Errorf("weights may not be negative")
	}
	if s := w.Response + w.Resolution + w.Satisfaction; math.Abs(s-1) > 1e-9 {
		return fmt.Errorf("weights must add up to 1, not %g", s)
	}
	return nil
}

// Rates are one unit's (or district's) figures for a period.
type Rates struct {
	Cases        int      `json:"cases"`
	Responded    int      `json:"responded"`
	OnTime       int      `json:"on_time"`
	Replied      int      `json:"replied"`
	Resolved     int      `json:"resolved"`
	FollowedUp   int      `json:"followed_up"`
	Satisfied    int      `json:"satisfied"`
	Basic        int      `json:"basically_satisfied"`
	Dissatisfied int      `json:"dissatisfied"`
	Response     *float64 `json:"response_rate"`
	OnTimeRate   *float64 `json:"on_time_rate"`
	Resolution   *float64 `json:"resolution_rate"`
	Satisfaction *float64 `json:"satisfaction_rate"`
	Composite    *float64 `json:"composite"`
}

func ratio(n float64, d int) *float64 {
	if d == 0 {
		return nil
	}
	v := n / float64(d)
	return &v
}

// add counts one valid case.
func (r *Rates) add(row store.RateRow) {
	r.Cases++
	if row.SignedAt != nil && (row.NotifyDue.IsZero() || !calendar.DateOf(*row.SignedAt).After(row.NotifyDue)) {
		r.Responded++
	}
	if row.ReplyMet != nil && !row.ReplyDue.IsZero() && !calendar.DateOf(*row.ReplyMet).After(row.ReplyDue) {
		r.OnTime++
	}
	if row.RepliedAt != nil {
		r.Replied++
		if row.ReplyOutcome == petition.OutcomeSupport || row.FollowUp == Satisfied || row.FollowUp == Basic {
			r.Resolved++
		}
	}
	switch row.FollowUp {
	case Satisfied:
		r.Satisfied++
	case Basic:
		r.Basic++
	case Dissatisfied:
		r.Dissatisfied++
	}
	if row.FollowUp != "" {
		r.FollowedUp++
	}
}

// finish computes the rates and the composite.
func (r *Rates) finish(w Weights) {
	r.Response = ratio(float64(r.Responded), r.Cases)
	r.OnTimeRate = ratio(float64(r.OnTime), r.Cases)
	r.Resolution = ratio(float64(r.Resolved), r.Cases)
	r.Satisfaction = ratio(float64(r.Satisfied)+0.9*float64(r.Basic), r.FollowedUp)
	sum, weight := 0.0, 0.0
	for _, p := range []struct {
		v *float64
		w float64
	}{{r.Response, w.Response}, {r.Resolution, w.Resolution}, {r.Satisfaction, w.Satisfaction}} {
		if p.v != nil {
			sum += *p.v * p.w
			weight += p.w
		}
	}
	if weight > 0 {
		c := sum / weight
		r.Composite = &c
	}
}

// monthRange is [first instant of the month, first instant of the next) in China.
func monthRange(year int, month time.Month) (time.Time, time.Time) {
	from := time.Date(year, month, 1, 0, 0, 0, 0, calendar.Location)
	return from, from.AddDate(0, 1, 0)
}

// For computes the rates of the assignments made to unitIDs (nil: all)
// between from and to inclusive, per unit.
func For(ctx context.Context, st *store.Store, unitIDs []int64, from, to calendar.Date, w Weights) (map[int64]*Rates, error) {
	start, _ := time.ParseInLocation(time.DateOnly, from.String(), calendar.Location)
	end, _ := time.ParseInLocation(time.DateOnly, to.AddDays(1).String(), calendar.Location)
	rows, err := st.RateRows(ctx, start, end, unitIDs)
	if err != nil {
		return nil, err
	}
	out := map[int64]*Rates{}
	for _, row := range rows {
		r := out[row.UnitID]
		if r == nil {
			r = &Rates{}
			out[row.UnitID] = r
		}
		r.add(row)
	}
	for _, r := range out {
		r.finish(w)
	}
	return out, nil
}

// Levels of ranking.
const (
	LevelUnit     = "unit"     // each unit assigned cases
	LevelDistrict = "district" // each district or county, over the units within it
)

// Options configure a monthly ranking.
type Options struct {
	Level    string
	Weights  Weights
	MinCases int // below this a unit is listed but not ranked (default 5)
	Months   int // how many earlier months the trend shows (0: 3; negative: none; at most 24)
}

// Point is one month of an entry's trend.
type Point struct {
	Month     string   `json:"month"` // YYYY-MM
	Cases     int      `json:"cases"`
	Composite *float64 `json:"composite"`
	Rank      int      `json:"rank,omitempty"`
}

// Entry is one line of a ranking.
type Entry struct {
	UnitID int64  `json:"unit_id"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	Rates
	Rank int `json:"rank,omitempty"` // 0: not ranked (too few cases)
	// RankChange is the previous month's rank minus this one (positive: moved up); nil when either is unranked.
	RankChange *int    `json:"rank_change,omitempty"`
	Trend      []Point `json:"trend"` // earlier months, oldest first
}

// Ranking is one month's ranking.
type Ranking struct {
	Month    string  `json:"month"`
	Level    string  `json:"level"`
	Weights  Weights `json:"weights"`
	MinCases int     `json:"min_cases"`
	Ranked   []Entry `json:"ranked"`
	Unranked []Entry `json:"unranked"` // below the minimum volume
}

// Monthly ranks units (or districts) for a month, with their trend.
func Monthly(ctx context.Context, st *store.Store, year int, m time.Month, o Options) (Ranking, error) {
	if o.Level == "" {
		o.Level = LevelUnit
	}
	if o.Weights == (Weights{}) {
		o.Weights = DefaultWeights
	}
	if o.MinCases <= 0 {
		o.MinCases = 5
	}
	switch {
	case o.Months == 0:
		o.Months = 3
	case o.Months < 0:
		o.Months = 0
	case o.Months > 24:
		o.Months = 24
	}
	tree, err := st.Units(ctx)
	if err != nil {
		return Ranking{}, err
	}
	group := func(unitID int64) (int64, bool) {
		if o.Level == LevelUnit {
			return unitID, true
		}
		for _, id := range append([]int64{unitID}, tree.Ancestors(unitID)...) {
			if u, ok := tree.Unit(id); ok && u.Kind == org.KindDistrict {
				return id, true
			}
		}
		return 0, false
	}
	type month struct {
		label string
		rates map[int64]*Rates
		ranks map[int64]int
	}
	// One read of every month's rows (the joins scan each table once, not
	// once a month), split by the month the case was assigned in.
	first, end := monthRange(year, m)
	first = first.AddDate(0, -o.Months, 0)
	all, err := st.RateRows(ctx, first, end, nil)
	if err != nil {
		return Ranking{}, err
	}
	byMonth := make([][]store.RateRow, o.Months+1)
	for _, row := range all {
		at := row.AssignedAt.In(calendar.Location)
		i := (at.Year()-first.Year())*12 + int(at.Month()-first.Month())
		if i >= 0 && i <= o.Months {
			byMonth[i] = append(byMonth[i], row)
		}
	}
	var months []month
	for i := o.Months; i >= 0; i-- {
		from, _ := monthRange(year, m)
		from = from.AddDate(0, -i, 0)
		rows := byMonth[o.Months-i]
		rates := map[int64]*Rates{}
		for _, row := range rows {
			g, ok := group(row.UnitID)
			if !ok {
				continue
			}
			if rates[g] == nil {
				rates[g] = &Rates{}
			}
			rates[g].add(row)
		}
		for _, r := range rates {
			r.finish(o.Weights)
		}
		months = append(months, month{label: from.Format("2006-01"), rates: rates, ranks: rank(rates, o.MinCases)})
	}
	cur := months[len(months)-1]
	out := Ranking{Month: cur.label, Level: o.Level, Weights: o.Weights, MinCases: o.MinCases, Ranked: []Entry{}, Unranked: []Entry{}}
	for id, r := range cur.rates {
		u, _ := tree.Unit(id)
		e := Entry{UnitID: id, Code: u.Code, Name: u.Name, Rates: *r, Rank: cur.ranks[id], Trend: []Point{}}
		for _, pm := range months[:len(months)-1] {
			p := Point{Month: pm.label, Rank: pm.ranks[id]}
			if pr := pm.rates[id]; pr != nil {
				p.Cases, p.Composite = pr.Cases, pr.Composite
			}
			e.Trend = append(e.Trend, p)
		}
		if n := len(e.Trend); n > 0 && e.Rank > 0 && e.Trend[n-1].Rank > 0 {
			ch := e.Trend[n-1].Rank - e.Rank
			e.RankChange = &ch
		}
		if e.Rank > 0 {
			out.Ranked = append(out.Ranked, e)
		} else {
			out.Unranked = append(out.Unranked, e)
		}
	}
	sort.Slice(out.Ranked, func(i, j int) bool { return out.Ranked[i].Rank < out.Ranked[j].Rank })
	sort.Slice(out.Unranked, func(i, j int) bool { return out.Unranked[i].Code < out.Unranked[j].Code })
	return out, nil
}

// rank orders the groups with enough cases by composite, best first; ties
// share a rank (1, 2, 2, 4).
func rank(rates map[int64]*Rates, minCases int) map[int64]int {
	type kv struct {
		id int64
		c  float64
	}
	var list []kv
	for id, r := range rates {
		if r.Cases >= minCases && r.Composite != nil {
			list = append(list, kv{id, *r.Composite})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].c != list[j].c {
			return list[i].c > list[j].c
		}
		return list[i].id < list[j].id
	})
	out := map[int64]int{}
	for i, x := range list {
		out[x.id] = i + 1
		if i > 0 && math.Abs(x.c-list[i-1].c) < 1e-12 {
			out[x.id] = out[list[i-1].id]
		}
	}
	return out
}
