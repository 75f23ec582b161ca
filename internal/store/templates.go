package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"redress/internal/calendar"
	"redress/internal/petition"
)

// TemplateItem is one 容缺 item a template asks for: a document to supply
// later, due DueDays calendar days after the template is applied.
type TemplateItem struct {
	Name    string `json:"name"`
	DueDays int    `json:"due_days"`
}

// Template is a resolution template made from a precedent case.
type Template struct {
	ID               int64          `json:"id"`
	Name             string         `json:"name"`
	SourcePetitionID int64          `json:"source_petition_id,omitempty"`
	Outcome          string         `json:"outcome"`
	Text             string         `json:"text"`
	Items            []TemplateItem `json:"items"`
	CreatedBy        int64          `json:"created_by,omitempty"`
	CreatedAt        time.Time      `json:"created_at"`
}

// InsertTemplate stores a template and its items.
func (t *Tx) InsertTemplate(tp *Template) error {
	id, err := t.insert(`INSERT INTO resolution_templates (name, source_petition_id, outcome, text, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		tp.Name, nullID(tp.SourcePetitionID), tp.Outcome, tp.Text, nullID(tp.CreatedBy), tp.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("store template: %w", err)
	}
	tp.ID = id
	for _, it := range tp.Items {
		if _, err := t.Exec("INSERT INTO template_items (template_id, name, due_days) VALUES (?, ?, ?)", id, it.Name, it.DueDays); err != nil {
			return fmt.Errorf("store template item: %w", err)
		}
	}
	return nil
}

// Template reads a template.
func (s *Store) Template(ctx context.Context, id int64) (Template, error) {
	tp := Template{ID: id, Items: []TemplateItem{}}
	var src, by sql.NullInt64
	if err := s.queryRow(ctx, "SELECT name, source_petition_id, outcome, text, created_by, created_at FROM resolution_templates WHERE id = ?", id).
		Scan(&tp.Name, &src, &tp.Outcome, &tp.Text, &by, &tp.CreatedAt); err != nil {
		return tp, fmt.Errorf("template %d: %w", id, mapErr(err))
	}
	tp.SourcePetitionID, tp.CreatedBy = src.Int64, by.Int64
	rows, err := s.query(ctx, "SELECT name, due_days FROM template_items WHERE template_id = ? ORDER BY id", id)
	if err != nil {
		return tp, fmt.Errorf("template %d items: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var it TemplateItem
		if err := rows.Scan(&it.Name, &it.DueDays); err != nil {
			return tp, mapErr(err)
		}
		tp.Items = append(tp.Items, it)
	}
	return tp, mapErr(rows.Err())
}

// Templates lists every template, newest first (without items).
func (s *Store) Templates(ctx context.Context) ([]Template, error) {
	rows, err := s.query(ctx, "SELECT id, name, COALESCE(source_petition_id, 0), outcome, text, COALESCE(created_by, 0), created_at FROM resolution_templates ORDER BY id DESC")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	defer rows.Close()
	out := []Template{}
	for rows.Next() {
		var tp Template
		if err := rows.Scan(&tp.ID, &tp.Name, &tp.SourcePetitionID, &tp.Outcome, &tp.Text, &tp.CreatedBy, &tp.CreatedAt); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, tp)
	}
	return out, mapErr(rows.Err())
}

// Deficiency is one 容缺 item owed by one case.
type Deficiency struct {
	ID           int64         `json:"id"`
	PetitionID   int64         `json:"petition_id"`
	TrackingCode string        `json:"tracking_code,omitempty"`
	TemplateID   int64         `json:"template_id,omitempty"`
	UnitID       int64         `json:"unit_id,omitempty"`
	Name         string        `json:"name"`
	DueOn        calendar.Date `json:"due_on"`
	SuppliedAt   *time.Time    `json:"supplied_at,omitempty"`
	TerminatedAt *time.Time    `json:"terminated_at,omitempty"`
	CreatedAt    time.Time     `json:"created_at"`
}

// InsertDeficiency stores a 容缺 item.
func (t *Tx) InsertDeficiency(d *Deficiency) error {
	id, err := t.insert(`INSERT INTO deficiency_items (petition_id, template_id, unit_id, name, due_on, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		d.PetitionID, nullID(d.TemplateID), nullID(d.UnitID), d.Name, d.DueOn, d.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("store deficiency item: %w", err)
	}
	d.ID = id
	return nil
}

const deficiencyCols = `d.id, d.petition_id, p.tracking_code, COALESCE(d.template_id, 0), COALESCE(d.unit_id, 0), d.name, d.due_on,
	d.supplied_at, d.terminated_at, d.created_at`

func scanDeficiency(sc interface{ Scan(...any) error }) (Deficiency, error) {
	var d Deficiency
	err := sc.Scan(&d.ID, &d.PetitionID, &d.TrackingCode, &d.TemplateID, &d.UnitID, &d.Name, &d.DueOn, &d.SuppliedAt, &d.TerminatedAt, &d.CreatedAt)
	return d, mapErr(err)
}

// DeficiencyFilter selects 容缺 items.
type DeficiencyFilter struct {
	UnitIDs    []int64       // responsible unit within these; nil for any
	PetitionID int64         // 0 for any
	OpenOnly   bool          // neither supplied nor terminated
	DueBefore  calendar.Date // due strictly before this day (past due on it); zero for any
	Limit      int           // default 500, max 5000
}

// Deficiencies lists 容缺 items by due date.
func (s *Store) Deficiencies(ctx context.Context, f DeficiencyFilter) ([]Deficiency, error) {
	if f.Limit <= 0 {
		f.Limit = 500
	}
	f.Limit = min(f.Limit, 5000)
	where := []string{"1 = 1"}
	var args []any
	if f.UnitIDs != nil {
		c, a := inList("d.unit_id", int64sToAny(f.UnitIDs))
		where = append(where, c)
		args = append(args, a...)
	}
	if f.PetitionID != 0 {
		where = append(where, "d.petition_id = ?")
		args = append(args, f.PetitionID)
	}
	if f.OpenOnly {
		where = append(where, "d.supplied_at IS NULL AND d.terminated_at IS NULL")
	}
	if !f.DueBefore.IsZero() {
		where = append(where, "d.due_on < ?")
		args = append(args, f.DueBefore)
	}
	args = append(args, f.Limit)
	rows, err := s.query(ctx, "SELECT "+deficiencyCols+" FROM deficiency_items d JOIN petitions p ON p.id = d.petition_id WHERE "+
		conds(where)+" ORDER BY d.due_on, d.id LIMIT ?", args...)
	if err != nil {
		return nil, fmt.Errorf("deficiency items: %w", err)
	}
	defer rows.Close()
	out := []Deficiency{}
	for rows.Next() {
		d, err := scanDeficiency(rows)
		if err != nil {
			return nil, fmt.Errorf("deficiency items: %w", err)
		}
		out = append(out, d)
	}
	return out, mapErr(rows.Err())
}

// DeficiencyTx reads one 容缺 item inside the transaction.
func (t *Tx) DeficiencyTx(id int64) (Deficiency, error) {
	d, err := scanDeficiency(t.QueryRow("SELECT "+deficiencyCols+" FROM deficiency_items d JOIN petitions p ON p.id = d.petition_id WHERE d.id = ?", id))
	if err != nil {
		return d, fmt.Errorf("deficiency item %d: %w", id, err)
	}
	return d, nil
}

// SupplyDeficiency marks an open item supplied; ErrConflict if it is not open.
func (t *Tx) SupplyDeficiency(id int64, at time.Time) error {
	res, err := t.Exec("UPDATE deficiency_items SET supplied_at = ? WHERE id = ? AND supplied_at IS NULL AND terminated_at IS NULL", at.UTC(), id)
	if err != nil {
		return fmt.Errorf("supply deficiency item %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("supply deficiency item %d: %w: it is supplied or terminated already", id, ErrConflict)
	}
	return nil
}

// OverduePetitions lists the petitions with an open item due before day.
func (t *Tx) OverduePetitions(day calendar.Date, limit int) ([]int64, error) {
	rows, err := t.Query(`SELECT DISTINCT petition_id FROM deficiency_items
		WHERE supplied_at IS NULL AND terminated_at IS NULL AND due_on < ? ORDER BY petition_id LIMIT ?`, day, limit)
	if err != nil {
		return nil, fmt.Errorf("overdue deficiency items: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, id)
	}
	return out, mapErr(rows.Err())
}

// TerminateDeficiencies marks every open item of a petition terminated and
// returns how many there were.
func (t *Tx) TerminateDeficiencies(petitionID int64, at time.Time) (int, error) {
	res, err := t.Exec("UPDATE deficiency_items SET terminated_at = ? WHERE petition_id = ? AND supplied_at IS NULL AND terminated_at IS NULL", at.UTC(), petitionID)
	if err != nil {
		return 0, fmt.Errorf("terminate deficiency items of %d: %w", petitionID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// TerminatedUnclosed lists petitions with a terminated item still waiting
// to be closed (in one of states).
func (t *Tx) TerminatedUnclosed(states []petition.State, limit int) ([]int64, error) {
	in, ia := inList("p.state", statesToAny(states))
	rows, err := t.Query(`SELECT DISTINCT p.id FROM deficiency_items d JOIN petitions p ON p.id = d.petition_id
		WHERE d.terminated_at IS NOT NULL AND `+in+" ORDER BY p.id LIMIT ?", append(ia, limit)...)
	if err != nil {
		return nil, fmt.Errorf("terminated cases: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, id)
	}
	return out, mapErr(rows.Err())
}

// PetitionsOfProblem lists the ids of the petitions in a problem's matters.
func (s *Store) PetitionsOfProblem(ctx context.Context, problemID int64) ([]int64, error) {
	return s.ids(ctx, `SELECT p.id FROM petitions p JOIN matters m ON m.id = p.matter_id WHERE m.problem_id = ? ORDER BY p.id`, problemID)
}

// RepeatsOf lists the petitions linked to petition id by the repeat index:
// those of its matter and those of its candidates not rejected, id included.
func (s *Store) RepeatsOf(ctx context.Context, id int64) ([]int64, error) {
	return s.ids(ctx, `SELECT id FROM petitions WHERE matter_id = (SELECT matter_id FROM petitions WHERE id = ?)
		UNION SELECT earlier_id FROM repeat_candidates WHERE petition_id = ? AND decision <> 'rejected'
		UNION SELECT petition_id FROM repeat_candidates WHERE earlier_id = ? AND decision <> 'rejected'
		ORDER BY 1`, id, id, id)
}

func (s *Store) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("select petitions: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, id)
	}
	return out, mapErr(rows.Err())
}
