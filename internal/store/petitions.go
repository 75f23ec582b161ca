package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/deadline"
	"redress/internal/petition"
)

var (
	qPetitionByExternalID = hot("SELECT id FROM petitions WHERE external_id = ?")
	qInsertPetitioner     = hotInsert(`INSERT INTO petitioners (kind, name, id_number, phone, address, district_code, group_size, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	qInsertMatter   = hotInsert("INSERT INTO matters (title, created_at) VALUES (?, ?)")
	qInsertPetition = hotInsert(`INSERT INTO petitions (external_id, tracking_code, received_at, received_on, channel, petitioner_id, matter_id,
		district_code, address, title, content, state, accusation, accused_unit_id, unit_id, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`)
	qUpdatePetition = hot(`UPDATE petitions SET state = ?, unit_id = ?, decline_reason = ?, reply_outcome = ?, reply_text = ?, replied_at = ?,
		review_outcome = ?, review_text = ?, closed_at = ?, matter_id = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`)
	qUpdateDeadline = hot(`UPDATE deadlines SET started_on = ?, due_on = ?, rule_count = ?, rule_unit = ?, calendar_revision = ?,
		obligation = ?, met_at = ?, computed_at = ? WHERE petition_id = ? AND kind = ?`)
	qInsertDeadline = hotInsert(`INSERT INTO deadlines (petition_id, kind, started_on, due_on, rule_count, rule_unit, calendar_revision, obligation, met_at, computed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	qInsertTwoDeadlines = hot(qInsertDeadline + ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
	qInsertEvent        = hotInsert("INSERT INTO events (petition_id, at, actor_id, action, from_state, to_state, note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
)

const petitionCols = `p.id, COALESCE(p.external_id, ''), p.tracking_code, p.received_at, p.channel, p.petitioner_id, p.matter_id,
	p.district_code, p.address, p.title, p.content, p.state, p.accusation, COALESCE(p.accused_unit_id, 0), COALESCE(p.unit_id, 0),
	p.decline_reason, p.reply_outcome, p.reply_text, p.replied_at, p.review_outcome, p.review_text, p.closed_at,
	p.created_at, p.updated_at, p.version`

func scanPetition(sc interface{ Scan(...any) error }) (petition.Petition, error) {
	var p petition.Petition
	err := sc.Scan(&p.ID, &p.ExternalID, &p.TrackingCode, &p.ReceivedAt, &p.Channel, &p.PetitionerID, &p.MatterID,
		&p.DistrictCode, &p.Address, &p.Title, &p.Content, &p.State, &p.Accusation, &p.AccusedUnitID, &p.UnitID,
		&p.DeclineReason, &p.ReplyOutcome, &p.ReplyText, &p.RepliedAt, &p.ReviewOutcome, &p.ReviewText, &p.ClosedAt,
		&p.CreatedAt, &p.UpdatedAt, &p.Version)
	return p, mapErr(err)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// PetitionIDByExternalID finds a petition by its external id.
func (t *Tx) PetitionIDByExternalID(ext string) (int64, error) {
	var id int64
	err := t.QueryRow(qPetitionByExternalID, ext).Scan(&id)
	return id, mapErr(err)
}

// PetitionerByIDNumber finds a person by ID-card number.
func (t *Tx) PetitionerByIDNumber(idNumber string) (petition.Petitioner, error) {
	var pr petition.Petitioner
	err := t.QueryRow(`SELECT id, kind, name, id_number, phone, address, district_code, group_size
		FROM petitioners WHERE id_number = ? ORDER BY id LIMIT 1`, idNumber).
		Scan(&pr.ID, &pr.Kind, &pr.Name, &pr.IDNumber, &pr.Phone, &pr.Address, &pr.DistrictCode, &pr.GroupSize)
	return pr, mapErr(err)
}

// CreatePetitioner stores a petitioner.
func (t *Tx) CreatePetitioner(pr *petition.Petitioner) error {
	id, err := t.insert(qInsertPetitioner, pr.Kind, pr.Name, pr.IDNumber, pr.Phone, pr.Address, pr.DistrictCode, pr.GroupSize, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("create petitioner: %w", err)
	}
	pr.ID = id
	return nil
}

// CreateMatter opens a matter.
func (t *Tx) CreateMatter(title string, at time.Time) (int64, error) {
	id, err := t.insert(qInsertMatter, title, at.UTC())
	if err != nil {
		return 0, fmt.Errorf("create matter: %w", err)
	}
	return id, nil
}

// MarkMatterFinal records that a matter is closed for good (终结).
func (t *Tx) MarkMatterFinal(matterID int64, at time.Time) error {
	_, err := t.Exec("UPDATE matters SET final_at = ? WHERE id = ? AND final_at IS NULL", at.UTC(), matterID)
	return err
}

// InsertPetition stores a new petition.
func (t *Tx) InsertPetition(p *petition.Petition) error {
	var ext any
	if p.ExternalID != "" {
		ext = p.ExternalID
	}
	id, err := t.insert(qInsertPetition,
		ext, p.TrackingCode, p.ReceivedAt.UTC(), calendar.DateOf(p.ReceivedAt), p.Channel, p.PetitionerID, p.MatterID,
		p.DistrictCode, p.Address, p.Title, p.Content, string(p.State), p.Accusation, nullID(p.AccusedUnitID), nullID(p.UnitID),
		p.CreatedAt.UTC(), p.UpdatedAt.UTC())
	if err != nil {
		return fmt.Errorf("insert petition: %w", err)
	}
	p.ID = id
	p.Version = 1
	return nil
}

// UpdatePetition saves a changed petition. It fails with ErrConflict if the
// petition changed since it was read.
func (t *Tx) UpdatePetition(p *petition.Petition) error {
	res, err := t.Exec(qUpdatePetition,
		string(p.State), nullID(p.UnitID), p.DeclineReason, p.ReplyOutcome, p.ReplyText, utcPtr(p.RepliedAt),
		p.ReviewOutcome, p.ReviewText, utcPtr(p.ClosedAt), p.MatterID, p.UpdatedAt.UTC(), p.ID, p.Version)
	if err != nil {
		return fmt.Errorf("update petition %d: %w", p.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("update petition %d: %w: it was changed by someone else", p.ID, ErrConflict)
	}
	p.Version++
	return nil
}

func utcPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

const assignmentCols = `id, petition_id, unit_id, mode, state, assigned_at, assigned_by, due_on, signed_at, returned_at, return_reason,
	extension_state, extension_days, extension_reason`

func scanAssignment(sc interface{ Scan(...any) error }) (petition.Assignment, error) {
	var a petition.Assignment
	var due calendar.Date
	err := sc.Scan(&a.ID, &a.PetitionID, &a.UnitID, &a.Mode, &a.State, &a.AssignedAt, &a.AssignedBy, &due, &a.SignedAt, &a.ReturnedAt,
		&a.ReturnReason, &a.ExtensionState, &a.ExtensionDays, &a.ExtensionReason)
	if !due.IsZero() {
		a.DueOn = &due
	}
	return a, mapErr(err)
}

// InsertAssignment stores a new assignment.
func (t *Tx) InsertAssignment(a *petition.Assignment) error {
	var due any
	if a.DueOn != nil {
		due = *a.DueOn
	}
	id, err := t.insert(`INSERT INTO assignments (petition_id, unit_id, mode, state, assigned_at, assigned_by, due_on)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.PetitionID, a.UnitID, a.Mode, a.State, a.AssignedAt.UTC(), a.AssignedBy, due)
	if err != nil {
		return fmt.Errorf("insert assignment: %w", err)
	}
	a.ID = id
	return nil
}

// UpdateAssignment saves a changed assignment.
func (t *Tx) UpdateAssignment(a *petition.Assignment) error {
	var due any
	if a.DueOn != nil {
		due = *a.DueOn
	}
	_, err := t.Exec(`UPDATE assignments SET state = ?, due_on = ?, signed_at = ?, returned_at = ?, return_reason = ?,
		extension_state = ?, extension_days = ?, extension_reason = ? WHERE id = ?`,
		a.State, due, utcPtr(a.SignedAt), utcPtr(a.ReturnedAt), a.ReturnReason, a.ExtensionState, a.ExtensionDays, a.ExtensionReason, a.ID)
	if err != nil {
		return fmt.Errorf("update assignment %d: %w", a.ID, err)
	}
	return nil
}

// SetDeadline creates or recomputes one deadline of a petition.
func (t *Tx) SetDeadline(d *petition.Deadline) error {
	if d.ID == 0 {
		return t.insertDeadline(d)
	}
	res, err := t.Exec(qUpdateDeadline,
		d.StartedOn, d.DueOn, d.Rule.Count, string(d.Rule.Unit), d.CalendarRevision, d.Obligation, utcPtr(d.MetAt), d.ComputedAt.UTC(),
		d.PetitionID, string(d.Kind))
	if err != nil {
		return fmt.Errorf("update deadline %s: %w", d.Kind, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	return t.insertDeadline(d)
}

func (t *Tx) insertDeadline(d *petition.Deadline) error {
	id, err := t.insert(qInsertDeadline,
		d.PetitionID, string(d.Kind), d.StartedOn, d.DueOn, d.Rule.Count, string(d.Rule.Unit), d.CalendarRevision, d.Obligation, utcPtr(d.MetAt), d.ComputedAt.UTC())
	if err != nil {
		return fmt.Errorf("insert deadline %s: %w", d.Kind, err)
	}
	d.ID = id
	return nil
}

// InsertDeadlines stores the first deadlines of a new petition in one
// statement (their ids are not read back).
func (t *Tx) InsertDeadlines(ds []petition.Deadline) error {
	if len(ds) == 0 {
		return nil
	}
	q := qInsertTwoDeadlines
	if len(ds) != 2 {
		q = qInsertDeadline + strings.Repeat(", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", len(ds)-1)
	}
	args := make([]any, 0, 10*len(ds))
	for _, d := range ds {
		args = append(args, d.PetitionID, string(d.Kind), d.StartedOn, d.DueOn, d.Rule.Count, string(d.Rule.Unit), d.CalendarRevision,
			d.Obligation, utcPtr(d.MetAt), d.ComputedAt.UTC())
	}
	if _, err := t.Exec(q, args...); err != nil {
		return fmt.Errorf("insert deadlines: %w", err)
	}
	return nil
}

// DeleteDeadline removes a deadline that no longer applies.
func (t *Tx) DeleteDeadline(petitionID int64, k deadline.Kind) error {
	_, err := t.Exec("DELETE FROM deadlines WHERE petition_id = ? AND kind = ?", petitionID, string(k))
	return err
}

// AddEvent appends to a case's timeline.
func (t *Tx) AddEvent(e *petition.Event) error {
	data := "{}"
	if len(e.Data) > 0 {
		b, err := json.Marshal(e.Data)
		if err != nil {
			return fmt.Errorf("event data: %w", err)
		}
		data = string(b)
	}
	id, err := t.insert(qInsertEvent,
		e.PetitionID, e.At.UTC(), nullID(e.ActorID), e.Action, string(e.FromState), string(e.ToState), e.Note, data)
	if err != nil {
		return fmt.Errorf("add event: %w", err)
	}
	e.ID = id
	return nil
}

// queryer is what both a transaction and the reader pool can run.
type queryer interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// LoadCase reads a case inside the transaction, locking the petition row on PostgreSQL.
func (t *Tx) LoadCase(id int64) (*petition.Case, error) {
	lock := ""
	if t.s.engine == Postgres {
		lock = " FOR UPDATE"
	}
	return t.s.loadCase(t.ctx, t.tx, id, lock)
}

// Case reads a whole case.
func (s *Store) Case(ctx context.Context, id int64) (*petition.Case, error) {
	return s.loadCase(ctx, s.rdb, id, "")
}

// CaseByTrackingCode reads a case by its tracking code.
func (s *Store) CaseByTrackingCode(ctx context.Context, code string) (*petition.Case, error) {
	var id int64
	if err := s.queryRow(ctx, "SELECT id FROM petitions WHERE tracking_code = ?", code).Scan(&id); err != nil {
		return nil, fmt.Errorf("petition %s: %w", code, mapErr(err))
	}
	return s.Case(ctx, id)
}

func (s *Store) loadCase(ctx context.Context, q queryer, id int64, lock string) (*petition.Case, error) {
	c := &petition.Case{}
	p, err := scanPetition(q.QueryRowContext(ctx, s.rebind("SELECT "+petitionCols+" FROM petitions p WHERE p.id = ?"+lock), id))
	if err != nil {
		return nil, fmt.Errorf("petition %d: %w", id, err)
	}
	c.Petition = p
	pr := &c.Petitioner
	if err := q.QueryRowContext(ctx, s.rebind(`SELECT id, kind, name, id_number, phone, address, district_code, group_size FROM petitioners WHERE id = ?`), p.PetitionerID).
		Scan(&pr.ID, &pr.Kind, &pr.Name, &pr.IDNumber, &pr.Phone, &pr.Address, &pr.DistrictCode, &pr.GroupSize); err != nil {
		return nil, fmt.Errorf("petitioner of %d: %w", id, mapErr(err))
	}
	if err := q.QueryRowContext(ctx, s.rebind("SELECT final_at FROM matters WHERE id = ?"), p.MatterID).Scan(&c.MatterFinal); err != nil {
		return nil, fmt.Errorf("matter of %d: %w", id, mapErr(err))
	}
	rows, err := q.QueryContext(ctx, s.rebind("SELECT "+assignmentCols+" FROM assignments WHERE petition_id = ? ORDER BY id"), id)
	if err != nil {
		return nil, fmt.Errorf("assignments of %d: %w", id, mapErr(err))
	}
	for rows.Next() {
		a, err := scanAssignment(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		c.Assignments = append(c.Assignments, a)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, s.rebind(`SELECT id, petition_id, kind, started_on, due_on, rule_count, rule_unit, calendar_revision, obligation, met_at, computed_at
		FROM deadlines WHERE petition_id = ? ORDER BY id`), id)
	if err != nil {
		return nil, fmt.Errorf("deadlines of %d: %w", id, mapErr(err))
	}
	for rows.Next() {
		var d petition.Deadline
		if err := rows.Scan(&d.ID, &d.PetitionID, &d.Kind, &d.StartedOn, &d.DueOn, &d.Rule.Count, &d.Rule.Unit, &d.CalendarRevision,
			&d.Obligation, &d.MetAt, &d.ComputedAt); err != nil {
			rows.Close()
			return nil, mapErr(err)
		}
		d.Rule.Kind = d.Kind
		c.Deadlines = append(c.Deadlines, d)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, s.rebind(`SELECT e.id, e.at, COALESCE(e.actor_id, 0), COALESCE(u.name, ''), e.action, e.from_state, e.to_state, e.note, e.data
		FROM events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.petition_id = ? ORDER BY e.id`), id)
	if err != nil {
		return nil, fmt.Errorf("events of %d: %w", id, mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var e petition.Event
		var data string
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.FromState, &e.ToState, &e.Note, &data); err != nil {
			return nil, mapErr(err)
		}
		e.PetitionID = id
		if data != "" && data != "{}" {
			_ = json.Unmarshal([]byte(data), &e.Data)
		}
		c.Events = append(c.Events, e)
	}
	return c, mapErr(rows.Err())
}

// Filter selects petitions for a list.
type Filter struct {
	State    petition.State
	UnitIDs  []int64 // responsible unit (current or any past assignment) within these
	District string
	Channel  string
	Overdue  *bool
	Query    string // substring of title or content
	From, To calendar.Date
	// DueFrom–DueTo: an open obligation deadline falls due within these
	// days (both set, inclusive); found from the open-deadline index.
	DueFrom, DueTo calendar.Date
	// Scope limits what the caller may see: nil means everything.
	Scope *Scope
	// Cursor continues a previous page; Limit caps the page (default 50, max 500).
	Cursor string
	Limit  int
	Today  calendar.Date
}

// Scope limits a unit-scoped user to its units' cases, never an accusation against them.
type Scope struct {
	All      bool    // sees every unit's cases (still not accusations against its own unit)
	UnitIDs  []int64 // the user's unit and the units below it
	Accusers []int64 // the user's unit and the units above it: accusations against these are hidden
}

// Summary is a petition as shown in a list.
type Summary struct {
	petition.Petition
	PetitionerName string         `json:"petitioner_name"`
	NextDue        *calendar.Date `json:"next_due,omitempty"`
	NextDueKind    string         `json:"next_due_kind,omitempty"`
	Overdue        bool           `json:"overdue"`
}

// Page is one page of a list.
type Page struct {
	Items      []Summary `json:"items"`
	NextCursor string    `json:"next_cursor,omitempty"`
}

func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("p" + strconv.FormatInt(id, 10)))
}

// DecodeCursor validates a cursor.
func DecodeCursor(c string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 2 || b[0] != 'p' {
		return 0, fmt.Errorf("cursor %q is not valid", c)
	}
	id, err := strconv.ParseInt(string(b[1:]), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("cursor %q is not valid", c)
	}
	return id, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// ListPetitions returns one page of petitions, newest first.
func (s *Store) ListPetitions(ctx context.Context, f Filter) (Page, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > 500 {
		f.Limit = 500
	}
	where, args, err := petitionWhere(f)
	if err != nil {
		return Page{}, err
	}
	q := "SELECT " + petitionCols + `, pr.name,
		(SELECT MIN(d.due_on) FROM deadlines d WHERE d.petition_id = p.id AND d.met_at IS NULL AND d.obligation)
		FROM petitions p JOIN petitioners pr ON pr.id = p.petitioner_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY p.id DESC LIMIT ?"
	args = append(args, f.Limit+1)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return Page{}, fmt.Errorf("list petitions: %w", err)
	}
	defer rows.Close()
	var page Page
	for rows.Next() {
		var sm Summary
		var due calendar.Date
		p := &sm.Petition
		if err := rows.Scan(&p.ID, &p.ExternalID, &p.TrackingCode, &p.ReceivedAt, &p.Channel, &p.PetitionerID, &p.MatterID,
			&p.DistrictCode, &p.Address, &p.Title, &p.Content, &p.State, &p.Accusation, &p.AccusedUnitID, &p.UnitID,
			&p.DeclineReason, &p.ReplyOutcome, &p.ReplyText, &p.RepliedAt, &p.ReviewOutcome, &p.ReviewText, &p.ClosedAt,
			&p.CreatedAt, &p.UpdatedAt, &p.Version, &sm.PetitionerName, &due); err != nil {
			return Page{}, fmt.Errorf("list petitions: %w", mapErr(err))
		}
		if !due.IsZero() {
			sm.NextDue = &due
			sm.Overdue = due.Before(f.Today)
		}
		page.Items = append(page.Items, sm)
	}
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("list petitions: %w", mapErr(err))
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = encodeCursor(page.Items[len(page.Items)-1].ID)
	}
	return page, nil
}

// petitionWhere is the WHERE conditions of a list filter over petitions p.
func petitionWhere(f Filter) ([]string, []any, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if f.Cursor != "" {
		id, err := DecodeCursor(f.Cursor)
		if err != nil {
			return nil, nil, err
		}
		add("p.id < ?", id)
	}
	if f.State != "" {
		add("p.state = ?", string(f.State))
	}
	if len(f.UnitIDs) > 0 {
		add("EXISTS (SELECT 1 FROM assignments a WHERE a.petition_id = p.id AND a.unit_id IN ("+placeholders(len(f.UnitIDs))+"))", int64sToAny(f.UnitIDs)...)
	}
	if f.Scope != nil {
		ids := int64sToAny(f.Scope.UnitIDs)
		switch {
		case f.Scope.All:
		case len(ids) == 0:
			add("1 = 0")
		default:
			add("EXISTS (SELECT 1 FROM assignments a WHERE a.petition_id = p.id AND a.unit_id IN ("+placeholders(len(ids))+"))", ids...)
		}
		if up := int64sToAny(f.Scope.Accusers); len(up) > 0 {
			add("(p.accused_unit_id IS NULL OR p.accused_unit_id NOT IN ("+placeholders(len(up))+"))", up...)
		}
	}
	if f.District != "" {
		add("p.district_code = ?", f.District)
	}
	if f.Channel != "" {
		add("p.channel = ?", f.Channel)
	}
	if !f.From.IsZero() {
		add("p.received_on >= ?", f.From)
	}
	if !f.To.IsZero() {
		add("p.received_on <= ?", f.To)
	}
	if f.Query != "" {
		like := "%" + escapeLike(f.Query) + "%"
		add(`(p.title LIKE ? ESCAPE '\' OR p.content LIKE ? ESCAPE '\')`, like, like)
	}
	if !f.DueFrom.IsZero() && !f.DueTo.IsZero() {
		add("p.id IN (SELECT d.petition_id FROM deadlines d WHERE d.met_at IS NULL AND d.obligation AND d.due_on >= ? AND d.due_on <= ?)", f.DueFrom, f.DueTo)
	}
	// Driven from the open-deadline index: a few overdue cases among a
	// million are found without visiting every petition.
	overdueExpr := "p.id IN (SELECT d.petition_id FROM deadlines d WHERE d.met_at IS NULL AND d.obligation AND d.due_on < ?)"
	if f.Overdue != nil {
		if *f.Overdue {
			add(overdueExpr, f.Today)
		} else {
			add("NOT "+overdueExpr, f.Today)
		}
	}
	return where, args, nil
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

func int64sToAny(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
