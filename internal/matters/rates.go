package matters

import (
	"context"

	"redress/internal/access"
	"redress/internal/calendar"
	"redress/internal/org"
	"redress/internal/stats"
	"redress/internal/store"
)

// RateOptions define the resolution rates (化解率). The zero value uses
// stats.DefaultRules for the base and for "resolved", and DefaultBacklog.
type RateOptions struct {
	Rules   *stats.Rules
	Backlog *store.BacklogRule
}

// DefaultBacklog: a backlog case (积案) is open longer than 90 days, or
// reopened by a review request, or in a matter of 3 or more petitions.
func DefaultBacklog() store.BacklogRule {
	return store.BacklogRule{OpenDays: 90, Reopened: true, MinPetitions: 3}
}

// RateRow is one unit's or district's rate.
type RateRow struct {
	UnitID   int64      `json:"unit_id,omitempty"`
	District string     `json:"district,omitempty"`
	Rate     stats.Rate `json:"rate"`
}

// CategoryRates are one category's rate overall, per unit and per district.
type CategoryRates struct {
	Category  string     `json:"category"`
	Overall   stats.Rate `json:"overall"`
	Units     []RateRow  `json:"units"`
	Districts []RateRow  `json:"districts"`
}

// Rates are the resolution rates of a period.
type Rates struct {
	Period  stats.Period      `json:"period"`
	AsOf    calendar.Date     `json:"as_of"`
	Backlog store.BacklogRule `json:"backlog_rule"`
	// Categories: all, repeat, backlog.
	Categories []CategoryRates `json:"categories"`
}

// Rates computes resolution rates for repeat cases, backlog cases and all
// cases received in p, within what u may see, per unit (the petition's
// current responsible unit; 0 for none) and per district. The backlog rule
// is judged on the period's last day, or today if that is earlier.
func (s *Service) Rates(ctx context.Context, u org.User, p stats.Period, o RateOptions) (Rates, error) {
	rules := stats.DefaultRules()
	if o.Rules != nil {
		rules = *o.Rules
	}
	backlog := DefaultBacklog()
	if o.Backlog != nil {
		backlog = *o.Backlog
	}
	tree, err := s.st.Units(ctx)
	if err != nil {
		return Rates{}, err
	}
	sc := access.Scope(u, tree)
	asOf := p.To
	if today := calendar.DateOf(s.svc.Now()); today.Before(asOf) {
		asOf = today
	}
	out := Rates{Period: p, AsOf: asOf, Backlog: backlog}
	for _, cat := range []string{store.CategoryRepeat, store.CategoryBacklog, store.CategoryAll} {
		cr := CategoryRates{Category: cat, Units: []RateRow{}, Districts: []RateRow{}}
		hits, total := 0, 0
		rs, err := s.st.CategoryResolution(ctx, sc, cat, backlog, p.From, p.To, asOf, rules.Invalid, rules.Resolved, store.ByUnitAndDistrict)
		if err != nil {
			return Rates{}, err
		}
		units, districts := store.SplitRatios(rs)
		for _, r := range units {
			cr.Units = append(cr.Units, RateRow{UnitID: r.UnitID, Rate: stats.NewRate(r.Hits, r.Total)})
			hits, total = hits+r.Hits, total+r.Total
		}
		for _, r := range districts {
			cr.Districts = append(cr.Districts, RateRow{District: r.District, Rate: stats.NewRate(r.Hits, r.Total)})
		}
		cr.Overall = stats.NewRate(hits, total)
		out.Categories = append(out.Categories, cr)
	}
	return out, nil
}
