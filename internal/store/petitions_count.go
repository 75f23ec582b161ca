package store

import (
	"context"
	"fmt"
	"strings"
)

// CountPetitions counts the petitions that match f (its Cursor and Limit
// are ignored), stopping at limit: the answer is at most limit, so a count
// over a million rows costs no more than reading limit ids. When byUnit is
// not nil it also counts the same rows per responsible unit (0: none).
func (s *Store) CountPetitions(ctx context.Context, f Filter, limit int, byUnit map[int64]int) (int, error) {
	f.Cursor = ""
	where, args, err := petitionWhere(f)
	if err != nil {
		return 0, err
	}
	q := "SELECT COALESCE(p.unit_id, 0) AS u FROM petitions p"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q = "SELECT u, COUNT(*) FROM (" + q + " LIMIT ?) c GROUP BY u"
	rows, err := s.query(ctx, q, append(args, limit)...)
	if err != nil {
		return 0, fmt.Errorf("count petitions: %w", err)
	}
	defer rows.Close()
	total := 0
	for rows.Next() {
		var unit int64
		var n int
		if err := rows.Scan(&unit, &n); err != nil {
			return 0, fmt.Errorf("count petitions: %w", mapErr(err))
		}
		total += n
		if byUnit != nil {
			byUnit[unit] += n
		}
	}
	return total, mapErr(rows.Err())
}
