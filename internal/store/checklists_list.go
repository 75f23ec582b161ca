package store

import (
	"context"
	"fmt"
)

// Checklists lists the joint meetings' checklists, newest first, each with
// its items (at most limit checklists; default 100).
func (s *Store) Checklists(ctx context.Context, limit int) ([]Checklist, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.query(ctx, "SELECT id, title, meeting, created_by, created_at FROM checklists ORDER BY id DESC LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("list checklists: %w", err)
	}
	out := []Checklist{}
	idx := map[int64]int{}
	for rows.Next() {
		var c Checklist
		if err := rows.Scan(&c.ID, &c.Title, &c.Meeting, &c.CreatedBy, &c.CreatedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list checklists: %w", mapErr(err))
		}
		c.Items = []ChecklistItem{}
		idx[c.ID] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, mapErr(err)
	}
	ids := make([]any, 0, len(out))
	for _, c := range out {
		ids = append(ids, c.ID)
	}
	irows, err := s.query(ctx, "SELECT "+itemCols+" FROM checklist_items WHERE checklist_id IN ("+placeholders(len(ids))+") ORDER BY id", ids...)
	if err != nil {
		return nil, fmt.Errorf("list checklist items: %w", err)
	}
	defer irows.Close()
	for irows.Next() {
		it, err := scanItem(irows)
		if err != nil {
			return nil, fmt.Errorf("list checklist items: %w", err)
		}
		out[idx[it.ChecklistID]].Items = append(out[idx[it.ChecklistID]].Items, it)
	}
	return out, mapErr(irows.Err())
}
