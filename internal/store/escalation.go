package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/org"
)

// EscalationRule is one rung of the escalation ladder, as stored.
type EscalationRule struct {
	Name string `json:"name"`
	// Trigger is before_due (Days working days before the due date), due_day,
	// overdue (at least Days working days past the due date, and past it at
	// all), or returns (the case was returned at least Days times).
	Trigger   string `json:"trigger"`
	Days      int    `json:"days"`
	Action    string `json:"action"`    // reminder | supervision | party_report
	Recipient string `json:"recipient"` // handlers | head | committee | bureau
	Active    bool   `json:"active"`
}

// EscalationRules returns the stored ladder in order; stored is false when
// none is stored (the caller then uses its defaults).
func (s *Store) EscalationRules(ctx context.Context) (rules []EscalationRule, stored bool, err error) {
	rows, err := s.query(ctx, "SELECT name, trig, days, action, recipient, active FROM escalation_rules ORDER BY position")
	if err != nil {
		return nil, false, fmt.Errorf("read escalation rules: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r EscalationRule
		if err := rows.Scan(&r.Name, &r.Trigger, &r.Days, &r.Action, &r.Recipient, &r.Active); err != nil {
			return nil, false, fmt.Errorf("read escalation rules: %w", mapErr(err))
		}
		rules = append(rules, r)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("read escalation rules: %w", mapErr(err))
	}
	return rules, len(rules) > 0, nil
}

// SetEscalationRules replaces the ladder; before is the ladder it replaces, for the audit log.
func (t *Tx) SetEscalationRules(a Actor, before, rules []EscalationRule, now time.Time) error {
	if _, err := t.Exec("DELETE FROM escalation_rules"); err != nil {
		return fmt.Errorf("replace escalation rules: %w", err)
	}
	for i, r := range rules {
		if _, err := t.Exec(`INSERT INTO escalation_rules (position, name, trig, days, action, recipient, active, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, i, r.Name, r.Trigger, r.Days, r.Action, r.Recipient, r.Active, now.UTC(), nullID(a.ID)); err != nil {
			return fmt.Errorf("store escalation rule %s: %w", r.Name, err)
		}
	}
	return t.Audit(a, "escalation.rules", "escalation_rules", "ladder", before, rules)
}

// EscalationCandidate is an open obligation (or a returned case) a rule may fire on.
type EscalationCandidate struct {
	Subject    string        // "deadline/<kind>", "returns", "rectification" or "checklist_item"
	SubjectID  int64         // the petition, the rectification item or the checklist item
	DueOn      calendar.Date // the deadline's due date; for returns, the day the petition was received
	PetitionID int64         // 0 for a rectification item about no case
	UnitID     int64         // the unit responsible now; for returns, the unit that returned it last
}

// DueDeadlines lists open obligation deadlines due on or before maxDue (and
// on or after minDue unless it is zero) on which rule has not fired yet,
// earliest first.
// DeadlineCursor is where the previous page of DueDeadlines ended (zero:
// from the start). Paging by key, not by re-reading, keeps a sweep of many
// due deadlines linear: each page starts where the last one stopped.
type DeadlineCursor struct {
	DueOn      calendar.Date
	PetitionID int64
	Kind       string
}

// CursorOf is the cursor after candidate c (a deadline candidate).
func CursorOf(c EscalationCandidate) DeadlineCursor {
	return DeadlineCursor{DueOn: c.DueOn, PetitionID: c.PetitionID, Kind: strings.TrimPrefix(c.Subject, "deadline/")}
}

func (s *Store) DueDeadlines(ctx context.Context, rule string, maxDue, minDue calendar.Date, after DeadlineCursor, limit int) ([]EscalationCandidate, error) {
	q := `SELECT d.petition_id, d.kind, d.due_on, COALESCE(p.unit_id, 0)
		FROM deadlines d JOIN petitions p ON p.id = d.petition_id
		WHERE d.met_at IS NULL AND d.obligation AND d.due_on <= ?`
	args := []any{maxDue}
	if !minDue.IsZero() {
		q += " AND d.due_on >= ?"
		args = append(args, minDue)
	}
	if !after.DueOn.IsZero() {
		q += " AND (d.due_on > ? OR (d.due_on = ? AND (d.petition_id > ? OR (d.petition_id = ? AND d.kind > ?))))"
		args = append(args, after.DueOn, after.DueOn, after.PetitionID, after.PetitionID, after.Kind)
	}
	q += ` AND NOT EXISTS (SELECT 1 FROM escalation_steps s WHERE s.rule = ? AND s.subject = 'deadline/' || d.kind
			AND s.subject_id = d.petition_id AND s.due_on = d.due_on)
		ORDER BY d.due_on, d.petition_id, d.kind LIMIT ?`
	args = append(args, rule, limit)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find due deadlines for %s: %w", rule, err)
	}
	defer rows.Close()
	var out []EscalationCandidate
	for rows.Next() {
		var c EscalationCandidate
		var kind string
		if err := rows.Scan(&c.PetitionID, &kind, &c.DueOn, &c.UnitID); err != nil {
			return nil, fmt.Errorf("find due deadlines: %w", mapErr(err))
		}
		c.Subject, c.SubjectID = "deadline/"+kind, c.PetitionID
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// ReturnedCases lists unfinished petitions returned at least minReturns
// times on which rule has not fired yet.
func (s *Store) ReturnedCases(ctx context.Context, rule string, minReturns, limit int) ([]EscalationCandidate, error) {
	rows, err := s.query(ctx, `SELECT p.id, p.received_on,
			(SELECT a2.unit_id FROM assignments a2 WHERE a2.petition_id = p.id AND a2.state = 'returned' ORDER BY a2.id DESC LIMIT 1)
		FROM petitions p
		WHERE p.id IN (SELECT a.petition_id FROM assignments a WHERE a.state = 'returned' GROUP BY a.petition_id HAVING COUNT(*) >= ?)
		AND p.state NOT IN ('closed', 'declined', 'replied', 'reviewed')
		AND NOT EXISTS (SELECT 1 FROM escalation_steps s WHERE s.rule = ? AND s.subject = 'returns' AND s.subject_id = p.id AND s.due_on = p.received_on)
		ORDER BY p.id LIMIT ?`, minReturns, rule, limit)
	if err != nil {
		return nil, fmt.Errorf("find returned cases for %s: %w", rule, err)
	}
	defer rows.Close()
	var out []EscalationCandidate
	for rows.Next() {
		c := EscalationCandidate{Subject: "returns"}
		if err := rows.Scan(&c.PetitionID, &c.DueOn, &c.UnitID); err != nil {
			return nil, fmt.Errorf("find returned cases: %w", mapErr(err))
		}
		c.SubjectID = c.PetitionID
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// CandidateNow is a candidate as re-read inside the transaction that fires on it.
type CandidateNow struct {
	UnitID       int64 // the unit responsible now (for returns, the unit that returned it last)
	TrackingCode string
	Title        string
}

// RecheckCandidate re-reads a candidate inside the transaction: a deadline
// must still be open with the same due date; a returned case must still be
// unfinished. ok is false when the candidate no longer applies.
func (t *Tx) RecheckCandidate(c EscalationCandidate) (now CandidateNow, ok bool, err error) {
	switch c.Subject {
	case "rectification":
		return t.recheckRectification(c)
	case "checklist_item":
		return t.recheckChecklistItem(c)
	}
	var state string
	err = t.QueryRow("SELECT COALESCE(unit_id, 0), tracking_code, title, state FROM petitions WHERE id = ?", c.PetitionID).
		Scan(&now.UnitID, &now.TrackingCode, &now.Title, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return now, false, nil
	}
	if err != nil {
		return now, false, fmt.Errorf("re-read petition %d: %w", c.PetitionID, mapErr(err))
	}
	kind, isDeadline := strings.CutPrefix(c.Subject, "deadline/")
	if !isDeadline {
		now.UnitID = c.UnitID
		switch state {
		case "closed", "declined", "replied", "reviewed":
			return now, false, nil
		}
		return now, true, nil
	}
	var n int
	if err := t.QueryRow(`SELECT COUNT(*) FROM deadlines WHERE petition_id = ? AND kind = ? AND due_on = ? AND met_at IS NULL AND obligation`,
		c.PetitionID, kind, c.DueOn).Scan(&n); err != nil {
		return now, false, fmt.Errorf("re-read deadline %s of petition %d: %w", kind, c.PetitionID, mapErr(err))
	}
	return now, n == 1, nil
}

// EscalationStep is one step of the ladder fired on a case; the steps of a
// unit are its non-cooperation record.
type EscalationStep struct {
	ID           int64                   `json:"id"`
	Rule         string                  `json:"rule"`
	Subject      string                  `json:"subject"`
	SubjectID    int64                   `json:"subject_id"`
	DueOn        calendar.Date           `json:"due_on"`
	PetitionID   int64                   `json:"petition_id,omitempty"`
	UnitID       int64                   `json:"unit_id,omitempty"`
	HeadName     string                  `json:"head_name,omitempty"`
	Action       string                  `json:"action"`
	Recipient    string                  `json:"recipient"`
	FiredAt      time.Time               `json:"fired_at"`
	FiredOn      calendar.Date           `json:"fired_on"`
	Note         string                  `json:"note,omitempty"`
	Explanations []EscalationExplanation `json:"explanations,omitempty"`
}

// InsertEscalationStep records a step unless the same rule already fired on
// the same subject and due date; inserted reports which. Nothing else may be
// written for the step when inserted is false.
func (t *Tx) InsertEscalationStep(st *EscalationStep) (inserted bool, err error) {
	q := `INSERT INTO escalation_steps (rule, subject, subject_id, due_on, petition_id, unit_id, head_name, action, recipient, fired_at, fired_on, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rule, subject, subject_id, due_on) DO NOTHING`
	args := []any{st.Rule, st.Subject, st.SubjectID, st.DueOn, nullID(st.PetitionID), nullID(st.UnitID), st.HeadName, st.Action, st.Recipient,
		st.FiredAt.UTC(), st.FiredOn, st.Note}
	if t.s.engine == SQLite {
		res, err := t.Exec(q, args...)
		if err != nil {
			return false, fmt.Errorf("record escalation step: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return false, nil
		}
		st.ID, err = res.LastInsertId()
		return err == nil, err
	}
	err = t.QueryRow(q+returningID, args...).Scan(&st.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("record escalation step: %w", mapErr(err))
	}
	return true, nil
}

const stepCols = "id, rule, subject, subject_id, due_on, COALESCE(petition_id, 0), COALESCE(unit_id, 0), head_name, action, recipient, fired_at, fired_on, note"

func scanStep(sc interface{ Scan(...any) error }) (EscalationStep, error) {
	var s EscalationStep
	err := sc.Scan(&s.ID, &s.Rule, &s.Subject, &s.SubjectID, &s.DueOn, &s.PetitionID, &s.UnitID, &s.HeadName, &s.Action, &s.Recipient,
		&s.FiredAt, &s.FiredOn, &s.Note)
	return s, mapErr(err)
}

// StepFilter selects escalation steps.
type StepFilter struct {
	UnitIDs    []int64 // within these units (nil: all)
	PetitionID int64
	Action     string
	Limit      int // default 200, at most 1000
}

// EscalationSteps lists fired steps, newest first, each with its explanations.
func (s *Store) EscalationSteps(ctx context.Context, f StepFilter) ([]EscalationStep, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	q := "SELECT " + stepCols + " FROM escalation_steps WHERE 1 = 1"
	var args []any
	if f.UnitIDs != nil {
		if len(f.UnitIDs) == 0 {
			return nil, nil
		}
		q += " AND unit_id IN (" + placeholders(len(f.UnitIDs)) + ")"
		args = append(args, int64sToAny(f.UnitIDs)...)
	}
	if f.PetitionID != 0 {
		q += " AND petition_id = ?"
		args = append(args, f.PetitionID)
	}
	if f.Action != "" {
		q += " AND action = ?"
		args = append(args, f.Action)
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list escalation steps: %w", err)
	}
	var out []EscalationStep
	byID := map[int64]int{}
	for rows.Next() {
		st, err := scanStep(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list escalation steps: %w", err)
		}
		byID[st.ID] = len(out)
		out = append(out, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list escalation steps: %w", mapErr(err))
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(out))
	for _, st := range out {
		ids = append(ids, st.ID)
	}
	exps, err := s.explanations(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, e := range exps {
		i := byID[e.StepID]
		out[i].Explanations = append(out[i].Explanations, e)
	}
	return out, nil
}

// EscalationStep reads one step with its explanations.
func (s *Store) EscalationStep(ctx context.Context, id int64) (EscalationStep, error) {
	st, err := scanStep(s.queryRow(ctx, "SELECT "+stepCols+" FROM escalation_steps WHERE id = ?", id))
	if err != nil {
		return st, fmt.Errorf("escalation step %d: %w", id, err)
	}
	st.Explanations, err = s.explanations(ctx, []int64{id})
	return st, err
}

// EscalationExplanation is a unit's written answer to a supervision notice.
type EscalationExplanation struct {
	ID           int64      `json:"id"`
	StepID       int64      `json:"step_id"`
	Text         string     `json:"text"`
	SubmittedBy  int64      `json:"submitted_by"`
	SubmittedAt  time.Time  `json:"submitted_at"`
	Decision     string     `json:"decision"` // pending | accepted | rejected
	DecidedBy    int64      `json:"decided_by,omitempty"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	DecisionNote string     `json:"decision_note,omitempty"`
}

func (s *Store) explanations(ctx context.Context, stepIDs []int64) ([]EscalationExplanation, error) {
	rows, err := s.query(ctx, `SELECT id, step_id, text, submitted_by, submitted_at, decision, COALESCE(decided_by, 0), decided_at, decision_note
		FROM escalation_explanations WHERE step_id IN (`+placeholders(len(stepIDs))+`) ORDER BY id`, int64sToAny(stepIDs)...)
	if err != nil {
		return nil, fmt.Errorf("read explanations: %w", err)
	}
	defer rows.Close()
	var out []EscalationExplanation
	for rows.Next() {
		var e EscalationExplanation
		if err := rows.Scan(&e.ID, &e.StepID, &e.Text, &e.SubmittedBy, &e.SubmittedAt, &e.Decision, &e.DecidedBy, &e.DecidedAt, &e.DecisionNote); err != nil {
			return nil, fmt.Errorf("read explanations: %w", mapErr(err))
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}

// AddExplanation records a unit's explanation for step; it fails with
// ErrConflict while an earlier one awaits a decision.
func (t *Tx) AddExplanation(a Actor, e *EscalationExplanation) error {
	var pending int
	if err := t.QueryRow("SELECT COUNT(*) FROM escalation_explanations WHERE step_id = ? AND decision = 'pending'", e.StepID).Scan(&pending); err != nil {
		return fmt.Errorf("read explanations of step %d: %w", e.StepID, mapErr(err))
	}
	if pending > 0 {
		return fmt.Errorf("step %d: %w: an explanation is awaiting a decision", e.StepID, ErrConflict)
	}
	e.Decision = "pending"
	id, err := t.insert(`INSERT INTO escalation_explanations (step_id, text, submitted_by, submitted_at, decision) VALUES (?, ?, ?, ?, 'pending')`,
		e.StepID, e.Text, e.SubmittedBy, e.SubmittedAt.UTC())
	if err != nil {
		return fmt.Errorf("add explanation: %w", err)
	}
	e.ID = id
	return t.Audit(a, "escalation.explain", "escalation_step", e.StepID, nil, map[string]any{"explanation_id": id, "text": e.Text})
}

// DecideExplanation accepts or rejects the pending explanation of step.
func (t *Tx) DecideExplanation(a Actor, stepID int64, decision, note string, now time.Time) (EscalationExplanation, error) {
	var e EscalationExplanation
	err := t.QueryRow(`SELECT id, step_id, text, submitted_by, submitted_at FROM escalation_explanations
		WHERE step_id = ? AND decision = 'pending' ORDER BY id DESC LIMIT 1`, stepID).Scan(&e.ID, &e.StepID, &e.Text, &e.SubmittedBy, &e.SubmittedAt)
	if err != nil {
		return e, fmt.Errorf("pending explanation of step %d: %w", stepID, mapErr(err))
	}
	res, err := t.Exec(`UPDATE escalation_explanations SET decision = ?, decided_by = ?, decided_at = ?, decision_note = ?
		WHERE id = ? AND decision = 'pending'`, decision, nullID(a.ID), now.UTC(), note, e.ID)
	if err != nil {
		return e, fmt.Errorf("decide explanation %d: %w", e.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return e, fmt.Errorf("decide explanation %d: %w: it was decided by someone else", e.ID, ErrConflict)
	}
	e.Decision, e.DecidedBy, e.DecisionNote = decision, a.ID, note
	at := now.UTC()
	e.DecidedAt = &at
	return e, t.Audit(a, "escalation.explanation."+decision, "escalation_step", stepID,
		map[string]any{"explanation_id": e.ID, "decision": "pending"}, map[string]any{"explanation_id": e.ID, "decision": decision, "note": note})
}

// ListForSupervision puts a case on the 挂牌督办 list (again, if it was cleared).
func (t *Tx) ListForSupervision(petitionID, stepID int64, now time.Time) error {
	_, err := t.Exec(`INSERT INTO supervision_listings (petition_id, step_id, listed_at) VALUES (?, ?, ?)
		ON CONFLICT (petition_id) DO UPDATE SET step_id = excluded.step_id, listed_at = excluded.listed_at, cleared_at = NULL
		WHERE supervision_listings.cleared_at IS NOT NULL`, petitionID, stepID, now.UTC())
	if err != nil {
		return fmt.Errorf("list petition %d for supervision: %w", petitionID, err)
	}
	return nil
}

// Listing is a case on the 挂牌督办 list.
type Listing struct {
	PetitionID   int64      `json:"petition_id"`
	TrackingCode string     `json:"tracking_code"`
	Title        string     `json:"title"`
	State        string     `json:"state"`
	UnitID       int64      `json:"unit_id,omitempty"`
	StepID       int64      `json:"step_id"`
	ListedAt     time.Time  `json:"listed_at"`
	ClearedAt    *time.Time `json:"cleared_at,omitempty"`
}

// Listings returns the cases on the 挂牌督办 list (with cleared ones when all is true).
func (s *Store) Listings(ctx context.Context, all bool) ([]Listing, error) {
	q := `SELECT l.petition_id, p.tracking_code, p.title, p.state, COALESCE(p.unit_id, 0), l.step_id, l.listed_at, l.cleared_at
		FROM supervision_listings l JOIN petitions p ON p.id = l.petition_id`
	if !all {
		q += " WHERE l.cleared_at IS NULL"
	}
	rows, err := s.query(ctx, q+" ORDER BY l.listed_at, l.petition_id")
	if err != nil {
		return nil, fmt.Errorf("list supervised cases: %w", err)
	}
	defer rows.Close()
	var out []Listing
	for rows.Next() {
		var l Listing
		if err := rows.Scan(&l.PetitionID, &l.TrackingCode, &l.Title, &l.State, &l.UnitID, &l.StepID, &l.ListedAt, &l.ClearedAt); err != nil {
			return nil, fmt.Errorf("list supervised cases: %w", mapErr(err))
		}
		out = append(out, l)
	}
	return out, mapErr(rows.Err())
}

// SolvedListings lists listed cases that no longer have an open obligation.
func (s *Store) SolvedListings(ctx context.Context) ([]int64, error) {
	rows, err := s.query(ctx, `SELECT l.petition_id FROM supervision_listings l WHERE l.cleared_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM deadlines d WHERE d.petition_id = l.petition_id AND d.met_at IS NULL AND d.obligation)
		ORDER BY l.petition_id`)
	if err != nil {
		return nil, fmt.Errorf("find solved listings: %w", err)
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

// ClearListing takes a solved case off the list, re-checking inside the
// transaction that no obligation is open; cleared reports whether it did.
func (t *Tx) ClearListing(a Actor, petitionID int64, now time.Time) (cleared bool, err error) {
	res, err := t.Exec(`UPDATE supervision_listings SET cleared_at = ? WHERE petition_id = ? AND cleared_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM deadlines d WHERE d.petition_id = ? AND d.met_at IS NULL AND d.obligation)`, now.UTC(), petitionID, petitionID)
	if err != nil {
		return false, fmt.Errorf("clear listing of petition %d: %w", petitionID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, nil
	}
	return true, t.Audit(a, "escalation.delist", "petition", petitionID, map[string]any{"listed": true}, map[string]any{"listed": false})
}

// Recipients returns the enabled users of unitID (any unit when 0) with one of roles.
func (t *Tx) Recipients(unitID int64, roles ...org.Role) ([]org.User, error) {
	q := "SELECT " + userCols + " FROM users WHERE NOT disabled AND role IN (" + placeholders(len(roles)) + ")"
	args := make([]any, 0, len(roles)+1)
	for _, r := range roles {
		args = append(args, string(r))
	}
	if unitID != 0 {
		q += " AND unit_id = ?"
		args = append(args, unitID)
	}
	rows, err := t.Query(q+" ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("find recipients: %w", err)
	}
	defer rows.Close()
	var out []org.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("find recipients: %w", err)
		}
		out = append(out, u)
	}
	return out, mapErr(rows.Err())
}

// Notice is an in-app message to one user.
type Notice struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	StepID     int64      `json:"step_id,omitempty"`
	PetitionID int64      `json:"petition_id,omitempty"`
	Kind       string     `json:"kind"`
	Title      string     `json:"title"`
	Body       string     `json:"body"`
	CreatedAt  time.Time  `json:"created_at"`
	ReadAt     *time.Time `json:"read_at,omitempty"`
}

// AddNotice stores an in-app notice.
func (t *Tx) AddNotice(n *Notice) error {
	id, err := t.insert(`INSERT INTO user_notices (user_id, step_id, petition_id, kind, title, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		n.UserID, nullID(n.StepID), nullID(n.PetitionID), n.Kind, n.Title, n.Body, n.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("add notice: %w", err)
	}
	n.ID = id
	return nil
}

// UnreadNotices returns a user's unread notices, newest first.
func (s *Store) UnreadNotices(ctx context.Context, userID int64, limit int) ([]Notice, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.query(ctx, `SELECT id, user_id, COALESCE(step_id, 0), COALESCE(petition_id, 0), kind, title, body, created_at, read_at
		FROM user_notices WHERE user_id = ? AND read_at IS NULL ORDER BY id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("read notices: %w", err)
	}
	defer rows.Close()
	out := []Notice{}
	for rows.Next() {
		var n Notice
		if err := rows.Scan(&n.ID, &n.UserID, &n.StepID, &n.PetitionID, &n.Kind, &n.Title, &n.Body, &n.CreatedAt, &n.ReadAt); err != nil {
			return nil, fmt.Errorf("read notices: %w", mapErr(err))
		}
		out = append(out, n)
	}
	return out, mapErr(rows.Err())
}

// MarkNoticeRead marks one of the user's notices read; ErrNotFound if it is not theirs or already read.
func (t *Tx) MarkNoticeRead(a Actor, userID, id int64, now time.Time) error {
	res, err := t.Exec("UPDATE user_notices SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL", now.UTC(), id, userID)
	if err != nil {
		return fmt.Errorf("mark notice %d read: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("notice %d: %w", id, ErrNotFound)
	}
	return t.Audit(a, "notice.read", "notice", id, nil, map[string]any{"read": true})
}

// OutboxMessage is a webhook call or an email to send after commit.
type OutboxMessage struct {
	ID            int64     `json:"id"`
	Channel       string    `json:"channel"` // webhook | email
	Target        string    `json:"target"`  // URL or address
	Subject       string    `json:"subject,omitempty"`
	Body          string    `json:"body"`
	StepID        int64     `json:"step_id,omitempty"`
	State         string    `json:"state"`
	Attempts      int       `json:"attempts"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
	LastError     string    `json:"last_error,omitempty"`
}

// Enqueue adds a message to the outbox, to be delivered once this transaction commits.
func (t *Tx) Enqueue(m *OutboxMessage, now time.Time) error {
	m.State = "pending"
	m.NextAttemptAt = now.UTC()
	id, err := t.insert(`INSERT INTO outbox (channel, target, subject, body, step_id, state, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
		m.Channel, m.Target, m.Subject, m.Body, nullID(m.StepID), now.UTC(), now.UTC())
	if err != nil {
		return fmt.Errorf("enqueue %s message: %w", m.Channel, err)
	}
	m.ID = id
	return nil
}

// ClaimOutbox leases up to limit pending messages due at now to the caller
// until now+lease, so that another process does not send them meanwhile.
func (t *Tx) ClaimOutbox(now time.Time, lease time.Duration, limit int) ([]OutboxMessage, error) {
	rows, err := t.Query(`SELECT id, channel, target, subject, body, COALESCE(step_id, 0), state, attempts, next_attempt_at, last_error
		FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
		ORDER BY next_attempt_at, id LIMIT ?`, now.UTC(), now.UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	var cand []OutboxMessage
	for rows.Next() {
		var m OutboxMessage
		if err := rows.Scan(&m.ID, &m.Channel, &m.Target, &m.Subject, &m.Body, &m.StepID, &m.State, &m.Attempts, &m.NextAttemptAt, &m.LastError); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read outbox: %w", mapErr(err))
		}
		cand = append(cand, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read outbox: %w", mapErr(err))
	}
	var out []OutboxMessage
	for _, m := range cand {
		res, err := t.Exec(`UPDATE outbox SET claimed_until = ? WHERE id = ? AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)`,
			now.Add(lease).UTC(), m.ID, now.UTC())
		if err != nil {
			return nil, fmt.Errorf("claim outbox message %d: %w", m.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			out = append(out, m)
		}
	}
	return out, nil
}

// OutboxResult records one delivery attempt: sent, or failed with the next
// attempt at retryAt (zero: give up).
func (t *Tx) OutboxResult(id int64, sent bool, errText string, retryAt, now time.Time) error {
	state := "pending"
	switch {
	case sent:
		state = "sent"
	case retryAt.IsZero():
		state = "failed"
	}
	var sentAt any
	if sent {
		sentAt = now.UTC()
	}
	next := retryAt
	if next.IsZero() {
		next = now
	}
	_, err := t.Exec(`UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_until = NULL, sent_at = ?
		WHERE id = ?`, state, errText, next.UTC(), sentAt, id)
	if err != nil {
		return fmt.Errorf("record delivery of outbox message %d: %w", id, err)
	}
	return t.Audit(System, "outbox."+state, "outbox", id, nil, map[string]any{"state": state, "error": errText})
}

// Outbox lists messages, newest first (for administrators and tests).
func (s *Store) Outbox(ctx context.Context, limit int) ([]OutboxMessage, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.query(ctx, `SELECT id, channel, target, subject, body, COALESCE(step_id, 0), state, attempts, next_attempt_at, last_error
		FROM outbox ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		var m OutboxMessage
		if err := rows.Scan(&m.ID, &m.Channel, &m.Target, &m.Subject, &m.Body, &m.StepID, &m.State, &m.Attempts, &m.NextAttemptAt, &m.LastError); err != nil {
			return nil, fmt.Errorf("read outbox: %w", mapErr(err))
		}
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}

// UnitRecord sums up one unit's non-cooperation record under one head.
type UnitRecord struct {
	UnitID              int64  `json:"unit_id"`
	HeadName            string `json:"head_name"`
	Reminders           int    `json:"reminders"`
	Supervisions        int    `json:"supervisions"`
	PartyReports        int    `json:"party_reports"`
	ExplanationsPending int    `json:"explanations_pending"`
	ExplanationsOK      int    `json:"explanations_accepted"`
	ExplanationsRefused int    `json:"explanations_rejected"`
}

// NonCooperation sums up the steps fired on each unit (within unitIDs unless
// nil) and its head at the time, with their explanations, between from and
// to (inclusive; zero dates are open ends).
func (s *Store) NonCooperation(ctx context.Context, unitIDs []int64, from, to calendar.Date) ([]UnitRecord, error) {
	where := " WHERE s.unit_id IS NOT NULL"
	var args []any
	if unitIDs != nil {
		if len(unitIDs) == 0 {
			return []UnitRecord{}, nil
		}
		where += " AND s.unit_id IN (" + placeholders(len(unitIDs)) + ")"
		args = append(args, int64sToAny(unitIDs)...)
	}
	if !from.IsZero() {
		where += " AND s.fired_on >= ?"
		args = append(args, from)
	}
	if !to.IsZero() {
		where += " AND s.fired_on <= ?"
		args = append(args, to)
	}
	rows, err := s.query(ctx, `SELECT s.unit_id, s.head_name,
			SUM(CASE WHEN s.action = 'reminder' THEN 1 ELSE 0 END),
			SUM(CASE WHEN s.action = 'supervision' THEN 1 ELSE 0 END),
			SUM(CASE WHEN s.action = 'party_report' THEN 1 ELSE 0 END),
			COALESCE(SUM((SELECT COUNT(*) FROM escalation_explanations e WHERE e.step_id = s.id AND e.decision = 'pending')), 0),
			COALESCE(SUM((SELECT COUNT(*) FROM escalation_explanations e WHERE e.step_id = s.id AND e.decision = 'accepted')), 0),
			COALESCE(SUM((SELECT COUNT(*) FROM escalation_explanations e WHERE e.step_id = s.id AND e.decision = 'rejected')), 0)
		FROM escalation_steps s`+where+` GROUP BY s.unit_id, s.head_name ORDER BY s.unit_id, s.head_name`, args...)
	if err != nil {
		return nil, fmt.Errorf("non-cooperation record: %w", err)
	}
	defer rows.Close()
	out := []UnitRecord{}
	for rows.Next() {
		var r UnitRecord
		if err := rows.Scan(&r.UnitID, &r.HeadName, &r.Reminders, &r.Supervisions, &r.PartyReports,
			&r.ExplanationsPending, &r.ExplanationsOK, &r.ExplanationsRefused); err != nil {
			return nil, fmt.Errorf("non-cooperation record: %w", mapErr(err))
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}
