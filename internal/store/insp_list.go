package store

import (
	"context"
	"fmt"
	"strings"
)

// InspectionRow is an inspection with the counts its list shows.
type InspectionRow struct {
	Inspection
	Rectifications     int `json:"rectifications"`
	OpenRectifications int `json:"open_rectifications"`
}

// Inspections lists inspections, newest first, at most limit; with unitIDs
// only those of the units listed.
func (s *Store) Inspections(ctx context.Context, unitIDs []int64, limit int) ([]InspectionRow, error) {
	q := `SELECT i.id, i.unit_id, i.period_from, i.period_to, i.backlog_days, i.opened_by, i.opened_at,
		(SELECT COUNT(*) FROM rectifications r WHERE r.inspection_id = i.id),
		(SELECT COUNT(*) FROM rectifications r WHERE r.inspection_id = i.id AND r.state = 'open')
		FROM inspections i`
	var args []any
	if unitIDs != nil {
		if len(unitIDs) == 0 {
			return []InspectionRow{}, nil
		}
		q += " WHERE i.unit_id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(unitIDs)), ", ") + ")"
		for _, id := range unitIDs {
			args = append(args, id)
		}
	}
	q += " ORDER BY i.id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list inspections: %w", err)
	}
	defer rows.Close()
	out := []InspectionRow{}
	for rows.Next() {
		var r InspectionRow
		if err := rows.Scan(&r.ID, &r.UnitID, &r.From, &r.To, &r.BacklogDays, &r.OpenedBy, &r.OpenedAt, &r.Rectifications, &r.OpenRectifications); err != nil {
			return nil, fmt.Errorf("list inspections: %w", mapErr(err))
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}
