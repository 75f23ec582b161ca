package store

import (
	"context"
	"fmt"

	"redress/internal/calendar"
	"redress/internal/petition"
)

// Case categories for resolution rates (化解率).
const (
	CategoryAll     = "all"     // every valid petition
	CategoryRepeat  = "repeat"  // petitions whose matter holds two or more petitions (重复信访)
	CategoryBacklog = "backlog" // 积案, by BacklogRule
)

// BacklogRule says which petitions are backlog cases (积案) as of a day.
// A petition is one if any enabled test holds:
//   - OpenDays > 0: it was received at least OpenDays days before the day
//     and was not resolved within OpenDays days of receipt (its reply or
//     closing date, China time, is later, or it has none);
//   - Reopened: a review or re-review was requested;
//   - MinPetitions > 0: its matter holds at least MinPetitions petitions.
type BacklogRule struct {
	OpenDays     int  `json:"open_days"`
	Reopened     bool `json:"reopened"`
	MinPetitions int  `json:"min_petitions"`
}

// addDays returns SQL for a DATE/TEXT day column plus a day count bound as
// one parameter (an int on PostgreSQL, a '+N days' modifier on SQLite).
func (s *Store) addDays(col string) string {
	if s.engine == Postgres {
		return "(" + col + " + CAST(? AS INTEGER))"
	}
	return "date(" + col + ", ?)"
}

func (s *Store) daysArg(n int) any {
	if s.engine == Postgres {
		return n
	}
	return fmt.Sprintf("%+d days", n)
}

// categoryCond returns the condition (on petitions p) of a category.
func (s *Store) categoryCond(category string, rule BacklogRule, asOf calendar.Date) (string, []any, error) {
	switch category {
	case CategoryAll:
		return "1 = 1", nil, nil
	case CategoryRepeat:
		return "p.matter_id IN (SELECT matter_id FROM petitions GROUP BY matter_id HAVING COUNT(*) >= 2)", nil, nil
	case CategoryBacklog:
		var parts []string
		var args []any
		if rule.OpenDays > 0 {
			parts = append(parts, "(p.received_on <= ? AND (COALESCE(p.closed_at, p.replied_at) IS NULL OR "+
				s.localDate("COALESCE(p.replied_at, p.closed_at)")+" > "+s.addDays("p.received_on")+"))")
			args = append(args, asOf.AddDays(-rule.OpenDays), s.daysArg(rule.OpenDays))
		}
		if rule.Reopened {
			parts = append(parts, "EXISTS (SELECT 1 FROM events e WHERE e.petition_id = p.id AND e.action IN ('request-review', 'request-rereview'))")
		}
		if rule.MinPetitions > 0 {
			parts = append(parts, "p.matter_id IN (SELECT matter_id FROM petitions GROUP BY matter_id HAVING COUNT(*) >= ?)")
			args = append(args, rule.MinPetitions)
		}
		if len(parts) == 0 {
			return "1 = 0", nil, nil
		}
		c := parts[0]
		for _, p := range parts[1:] {
			c += " OR " + p
		}
		return "(" + c + ")", args, nil
	}
	return "", nil, fmt.Errorf("category %q is not one of all, repeat, backlog", category)
}

// CategoryResolution is Resolution restricted to a category of cases: valid
// petitions received from from to to (inclusive) in the category, and of
// those the ones rule counts as resolved, grouped by g. asOf is the day the
// backlog rule is judged on.
func (s *Store) CategoryResolution(ctx context.Context, sc *Scope, category string, backlog BacklogRule, from, to, asOf calendar.Date,
	invalid []petition.State, rule ResolvedRule, g Grouping) ([]Ratio, error) {
	cat, ca, err := s.categoryCond(category, backlog, asOf)
	if err != nil {
		return nil, err
	}
	res, ra := resolvedExpr(rule)
	where, wa := scopeCond(sc)
	where = append(where, "p.received_on >= ?", "p.received_on <= ?", cat)
	wa = append(wa, from, to)
	wa = append(wa, ca...)
	if len(invalid) > 0 {
		in, ia := inList("p.state", statesToAny(invalid))
		where = append(where, "NOT "+in)
		wa = append(wa, ia...)
	}
	q := "SELECT " + groupCol(g, unitKey) + ", SUM(CASE WHEN " + res + " THEN 1 ELSE 0 END), COUNT(*) FROM petitions p WHERE " +
		conds(where) + groupBy(g)
	rows, err := s.query(ctx, q, append(ra, wa...)...)
	if err != nil {
		return nil, fmt.Errorf("%s resolution rate: %w", category, err)
	}
	defer rows.Close()
	out, err := scanRatios(rows, g)
	if err != nil {
		return nil, fmt.Errorf("%s resolution rate: %w", category, err)
	}
	return out, nil
}
