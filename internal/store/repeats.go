package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/petition"
)

var (
	qInsertSignature = hot("INSERT INTO repeat_signatures (petition_id, signature, created_at) VALUES (?, ?, ?)")
	qInsertCandidate = hot(`INSERT INTO repeat_candidates (petition_id, earlier_id, score, reasons, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (petition_id, earlier_id) DO NOTHING`)
)

// Candidate decisions.
const (
	DecisionPending   = "pending"
	DecisionConfirmed = "confirmed"
	DecisionRejected  = "rejected"
)

// RepeatCandidate is an earlier petition the repeat index found for a new
// one, waiting for (or carrying) a registrar's decision.
type RepeatCandidate struct {
	ID         int64      `json:"id"`
	PetitionID int64      `json:"petition_id"`
	EarlierID  int64      `json:"earlier_id"`
	Score      float64    `json:"score"`
	Reasons    []string   `json:"reasons"`
	Decision   string     `json:"decision"`
	NewFacts   bool       `json:"new_facts"`
	Note       string     `json:"note,omitempty"`
	DecidedBy  int64      `json:"decided_by,omitempty"`
	DecidedAt  *time.Time `json:"decided_at,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	// For lists: both petitions' tracking codes and titles.
	PetitionTracking string `json:"petition_tracking_code,omitempty"`
	PetitionTitle    string `json:"petition_title,omitempty"`
	EarlierTracking  string `json:"earlier_tracking_code,omitempty"`
	EarlierTitle     string `json:"earlier_title,omitempty"`
}

// InsertSignature stores a petition's repeat signature (repeats.Signature.MarshalBinary).
func (t *Tx) InsertSignature(petitionID int64, sig []byte, at time.Time) error {
	if _, err := t.Exec(qInsertSignature, petitionID, sig, at.UTC()); err != nil {
		return fmt.Errorf("store signature of petition %d: %w", petitionID, err)
	}
	return nil
}

// InsertRepeatCandidate stores a pending candidate. A candidate already
// stored for the same pair (a petition signed again) is kept as it is and
// c.ID is left 0.
func (t *Tx) InsertRepeatCandidate(c *RepeatCandidate) error {
	reasons, err := json.Marshal(c.Reasons)
	if err != nil {
		return fmt.Errorf("encode reasons: %w", err)
	}
	args := []any{c.PetitionID, c.EarlierID, c.Score, string(reasons), c.CreatedAt.UTC()}
	var id int64
	if t.s.engine == SQLite {
		res, err := t.Exec(qInsertCandidate, args...)
		if err != nil {
			return fmt.Errorf("store repeat candidate %d→%d: %w", c.PetitionID, c.EarlierID, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			id, _ = res.LastInsertId()
		}
	} else if err := t.QueryRow(qInsertCandidate+returningID, args...).Scan(&id); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store repeat candidate %d→%d: %w", c.PetitionID, c.EarlierID, mapErr(err))
	}
	c.ID, c.Decision = id, DecisionPending
	return nil
}

// DeleteSignatures drops stored signatures (of a format this build no
// longer reads) so that the petitions are signed again.
func (t *Tx) DeleteSignatures(petitionIDs []int64) error {
	for len(petitionIDs) > 0 {
		n := min(len(petitionIDs), 500)
		if _, err := t.Exec("DELETE FROM repeat_signatures WHERE petition_id IN ("+placeholders(n)+")", int64sToAny(petitionIDs[:n])...); err != nil {
			return fmt.Errorf("delete signatures: %w", err)
		}
		petitionIDs = petitionIDs[n:]
	}
	return nil
}

// PetitionTrackingCode reads a petition's tracking code inside the
// transaction (ErrNotFound if it does not exist there).
func (t *Tx) PetitionTrackingCode(id int64) (string, error) {
	var code string
	err := t.QueryRow("SELECT tracking_code FROM petitions WHERE id = ?", id).Scan(&code)
	return code, mapErr(err)
}

// CountSignatures is the number of stored signatures.
func (s *Store) CountSignatures(ctx context.Context) (int64, error) {
	var n int64
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM repeat_signatures").Scan(&n); err != nil {
		return 0, fmt.Errorf("count signatures: %w", mapErr(err))
	}
	return n, nil
}

// EachSignature streams every stored signature in petition order, with the
// petition's external id (or tracking code when it has none). fn's error
// stops the stream and is returned.
func (s *Store) EachSignature(ctx context.Context, fn func(petitionID int64, externalID string, sig []byte) error) error {
	rows, err := s.query(ctx, `SELECT s.petition_id, COALESCE(p.external_id, p.tracking_code), s.signature
		FROM repeat_signatures s JOIN petitions p ON p.id = s.petition_id ORDER BY s.petition_id`)
	if err != nil {
		return fmt.Errorf("read signatures: %w", err)
	}
	defer rows.Close()
	var id int64
	var ext string
	var sig []byte
	for rows.Next() {
		if err := rows.Scan(&id, &ext, &sig); err != nil {
			return fmt.Errorf("read signatures: %w", mapErr(err))
		}
		if err := fn(id, ext, sig); err != nil {
			return err
		}
	}
	return mapErr(rows.Err())
}

const candidateCols = `c.id, c.petition_id, c.earlier_id, c.score, c.reasons, c.decision, c.new_facts, c.note,
	COALESCE(c.decided_by, 0), c.decided_at, c.created_at, p.tracking_code, p.title, e.tracking_code, e.title`

func scanCandidate(sc interface{ Scan(...any) error }) (RepeatCandidate, error) {
	var c RepeatCandidate
	var reasons string
	if err := sc.Scan(&c.ID, &c.PetitionID, &c.EarlierID, &c.Score, &reasons, &c.Decision, &c.NewFacts, &c.Note,
		&c.DecidedBy, &c.DecidedAt, &c.CreatedAt, &c.PetitionTracking, &c.PetitionTitle, &c.EarlierTracking, &c.EarlierTitle); err != nil {
		return c, mapErr(err)
	}
	_ = json.Unmarshal([]byte(reasons), &c.Reasons)
	return c, nil
}

// CandidateFilter selects repeat candidates.
type CandidateFilter struct {
	Decision   string // "" for any
	PetitionID int64  // the new or the earlier petition; 0 for any
	AfterID    int64  // candidates with a larger id (paging)
	Limit      int    // default 100, max 1000
}

// RepeatCandidates lists candidates in id order.
func (s *Store) RepeatCandidates(ctx context.Context, f CandidateFilter) ([]RepeatCandidate, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	f.Limit = min(f.Limit, 1000)
	where := []string{"c.id > ?"}
	args := []any{f.AfterID}
	if f.Decision != "" {
		where = append(where, "c.decision = ?")
		args = append(args, f.Decision)
	}
	if f.PetitionID != 0 {
		where = append(where, "(c.petition_id = ? OR c.earlier_id = ?)")
		args = append(args, f.PetitionID, f.PetitionID)
	}
	args = append(args, f.Limit)
	rows, err := s.query(ctx, "SELECT "+candidateCols+` FROM repeat_candidates c
		JOIN petitions p ON p.id = c.petition_id JOIN petitions e ON e.id = c.earlier_id
		WHERE `+strings.Join(where, " AND ")+" ORDER BY c.id LIMIT ?", args...)
	if err != nil {
		return nil, fmt.Errorf("list repeat candidates: %w", err)
	}
	defer rows.Close()
	var out []RepeatCandidate
	for rows.Next() {
		c, err := scanCandidate(rows)
		if err != nil {
			return nil, fmt.Errorf("list repeat candidates: %w", err)
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// RepeatCandidate reads one candidate inside the transaction.
func (t *Tx) RepeatCandidate(id int64) (RepeatCandidate, error) {
	c, err := scanCandidate(t.QueryRow("SELECT "+candidateCols+` FROM repeat_candidates c
		JOIN petitions p ON p.id = c.petition_id JOIN petitions e ON e.id = c.earlier_id WHERE c.id = ?`, id))
	if err != nil {
		return c, fmt.Errorf("repeat candidate %d: %w", id, err)
	}
	return c, nil
}

// DecideRepeatCandidate records the decision on a pending candidate; it fails
// with ErrConflict when the candidate was decided already.
func (t *Tx) DecideRepeatCandidate(id int64, decision string, newFacts bool, note string, by int64, at time.Time) error {
	res, err := t.Exec(`UPDATE repeat_candidates SET decision = ?, new_facts = ?, note = ?, decided_by = ?, decided_at = ?
		WHERE id = ? AND decision = 'pending'`, decision, newFacts, note, nullID(by), at.UTC(), id)
	if err != nil {
		return fmt.Errorf("decide repeat candidate %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("decide repeat candidate %d: %w: it was decided already", id, ErrConflict)
	}
	return nil
}

// MergeMatters moves every petition of matter from into matter into and
// marks from as merged. The merged matter is final (终结) if either was,
// from the earlier date, and keeps into's problem or else from's.
func (t *Tx) MergeMatters(into, from int64, at time.Time) error {
	if into == from {
		return nil
	}
	if _, err := t.Exec(`UPDATE petitions SET matter_id = ?, version = version + 1, updated_at = ? WHERE matter_id = ?`, into, at.UTC(), from); err != nil {
		return fmt.Errorf("merge matter %d into %d: %w", from, into, err)
	}
	var fromFinal *time.Time
	var fromProblem sql.NullInt64
	if err := t.QueryRow("SELECT final_at, problem_id FROM matters WHERE id = ?", from).Scan(&fromFinal, &fromProblem); err != nil {
		return fmt.Errorf("merge matter %d: %w", from, mapErr(err))
	}
	if fromFinal != nil {
		if _, err := t.Exec("UPDATE matters SET final_at = ? WHERE id = ? AND (final_at IS NULL OR final_at > ?)", fromFinal.UTC(), into, fromFinal.UTC()); err != nil {
			return fmt.Errorf("merge matter %d: %w", from, err)
		}
	}
	if fromProblem.Valid {
		if _, err := t.Exec("UPDATE matters SET problem_id = ? WHERE id = ? AND problem_id IS NULL", fromProblem.Int64, into); err != nil {
			return fmt.Errorf("merge matter %d: %w", from, err)
		}
	}
	if _, err := t.Exec("UPDATE matters SET merged_into = ?, problem_id = NULL WHERE id = ?", into, from); err != nil {
		return fmt.Errorf("merge matter %d: %w", from, err)
	}
	return nil
}

// MatterInfo is a matter (信访事项) with the counts of its petitions.
type MatterInfo struct {
	ID          int64         `json:"id"`
	Title       string        `json:"title"`
	FinalAt     *time.Time    `json:"final_at,omitempty"`
	ProblemID   int64         `json:"problem_id,omitempty"`
	MergedInto  int64         `json:"merged_into,omitempty"`
	Petitions   int           `json:"petitions"`
	Petitioners int           `json:"petitioners"`
	Channels    []string      `json:"channels"`
	FirstOn     calendar.Date `json:"first_on"`
	LastOn      calendar.Date `json:"last_on"`
	Open        int           `json:"open"` // petitions not closed or declined
	CreatedAt   time.Time     `json:"created_at"`
}

// Matter reads a matter and its counts.
func (s *Store) Matter(ctx context.Context, id int64) (MatterInfo, error) {
	m := MatterInfo{ID: id}
	var merged, problem sql.NullInt64
	if err := s.queryRow(ctx, "SELECT title, final_at, problem_id, merged_into, created_at FROM matters WHERE id = ?", id).
		Scan(&m.Title, &m.FinalAt, &problem, &merged, &m.CreatedAt); err != nil {
		return m, fmt.Errorf("matter %d: %w", id, mapErr(err))
	}
	m.ProblemID, m.MergedInto = problem.Int64, merged.Int64
	var first, last sql.NullString
	if err := s.queryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT petitioner_id), `+s.dateText("MIN(received_on)")+`, `+s.dateText("MAX(received_on)")+`,
		COALESCE(SUM(CASE WHEN state IN ('closed','declined') THEN 0 ELSE 1 END), 0)
		FROM petitions WHERE matter_id = ?`, id).Scan(&m.Petitions, &m.Petitioners, &first, &last, &m.Open); err != nil {
		return m, fmt.Errorf("matter %d counts: %w", id, mapErr(err))
	}
	if first.Valid {
		m.FirstOn, _ = calendar.ParseDate(first.String)
		m.LastOn, _ = calendar.ParseDate(last.String)
	}
	rows, err := s.query(ctx, "SELECT DISTINCT channel FROM petitions WHERE matter_id = ? ORDER BY channel", id)
	if err != nil {
		return m, fmt.Errorf("matter %d channels: %w", id, err)
	}
	defer rows.Close()
	m.Channels = []string{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return m, mapErr(err)
		}
		m.Channels = append(m.Channels, c)
	}
	return m, mapErr(rows.Err())
}

// dateText renders a DATE/TEXT expression as YYYY-MM-DD text on both engines.
func (s *Store) dateText(expr string) string {
	if s.engine == Postgres {
		return "TO_CHAR(" + expr + ", 'YYYY-MM-DD')"
	}
	return expr
}

// MatterPetition is one petition of a matter, as listed on the matter.
type MatterPetition struct {
	ID           int64          `json:"id"`
	TrackingCode string         `json:"tracking_code"`
	ExternalID   string         `json:"external_id,omitempty"`
	ReceivedAt   time.Time      `json:"received_at"`
	Channel      string         `json:"channel"`
	State        petition.State `json:"state"`
	UnitID       int64          `json:"unit_id,omitempty"`
	PetitionerID int64          `json:"petitioner_id"`
	Title        string         `json:"title"`
}

const matterPetitionQuery = `SELECT id, tracking_code, COALESCE(external_id, ''), received_at, channel, state, COALESCE(unit_id, 0), petitioner_id, title
		FROM petitions WHERE matter_id = ? ORDER BY received_at, id`

// MatterPetitions lists a matter's petitions, oldest first.
func (s *Store) MatterPetitions(ctx context.Context, matterID int64) ([]MatterPetition, error) {
	rows, err := s.query(ctx, matterPetitionQuery, matterID)
	return scanMatterPetitions(rows, err, matterID)
}

// MatterPetitionsTx lists a matter's petitions inside the transaction, oldest first.
func (t *Tx) MatterPetitionsTx(matterID int64) ([]MatterPetition, error) {
	rows, err := t.Query(matterPetitionQuery, matterID)
	return scanMatterPetitions(rows, err, matterID)
}

func scanMatterPetitions(rows *sql.Rows, err error, matterID int64) ([]MatterPetition, error) {
	if err != nil {
		return nil, fmt.Errorf("petitions of matter %d: %w", matterID, err)
	}
	defer rows.Close()
	var out []MatterPetition
	for rows.Next() {
		var p MatterPetition
		if err := rows.Scan(&p.ID, &p.TrackingCode, &p.ExternalID, &p.ReceivedAt, &p.Channel, &p.State, &p.UnitID, &p.PetitionerID, &p.Title); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, p)
	}
	return out, mapErr(rows.Err())
}

// FrequentPetitioner is a petitioner with many petitions (信访大户).
type FrequentPetitioner struct {
	petition.Petitioner
	Petitions int           `json:"petitions"`
	Matters   int           `json:"matters"`
	Open      int           `json:"open"`
	FirstOn   calendar.Date `json:"first_on"`
	LastOn    calendar.Date `json:"last_on"`
}

// FrequentPetitioners lists petitioners with at least minPetitions
// petitions, most petitions first.
func (s *Store) FrequentPetitioners(ctx context.Context, minPetitions, limit int) ([]FrequentPetitioner, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.query(ctx, `SELECT pr.id, pr.kind, pr.name, pr.id_number, pr.phone, pr.address, pr.district_code, pr.group_size,
		x.n, x.m, x.o, x.f, x.l FROM (
			SELECT petitioner_id, COUNT(*) AS n, COUNT(DISTINCT matter_id) AS m,
				SUM(CASE WHEN state IN ('closed','declined') THEN 0 ELSE 1 END) AS o,
				`+s.dateText("MIN(received_on)")+` AS f, `+s.dateText("MAX(received_on)")+` AS l
			FROM petitions GROUP BY petitioner_id HAVING COUNT(*) >= ?) x
		JOIN petitioners pr ON pr.id = x.petitioner_id ORDER BY x.n DESC, pr.id LIMIT ?`, minPetitions, limit)
	if err != nil {
		return nil, fmt.Errorf("frequent petitioners: %w", err)
	}
	defer rows.Close()
	var out []FrequentPetitioner
	for rows.Next() {
		var f FrequentPetitioner
		var first, last string
		pr := &f.Petitioner
		if err := rows.Scan(&pr.ID, &pr.Kind, &pr.Name, &pr.IDNumber, &pr.Phone, &pr.Address, &pr.DistrictCode, &pr.GroupSize,
			&f.Petitions, &f.Matters, &f.Open, &first, &last); err != nil {
			return nil, fmt.Errorf("frequent petitioners: %w", mapErr(err))
		}
		f.FirstOn, _ = calendar.ParseDate(first)
		f.LastOn, _ = calendar.ParseDate(last)
		out = append(out, f)
	}
	return out, mapErr(rows.Err())
}

// Unsigned is a petition that has no repeat signature yet, with its petitioner.
type Unsigned struct {
	Petition   petition.Petition
	Petitioner petition.Petitioner
}

// UnsignedPetitions lists up to limit petitions without a repeat signature,
// in id order.
func (s *Store) UnsignedPetitions(ctx context.Context, limit int) ([]Unsigned, error) {
	rows, err := s.query(ctx, "SELECT "+petitionCols+`, pr.id, pr.kind, pr.name, pr.id_number, pr.phone, pr.address, pr.district_code, pr.group_size
		FROM petitions p JOIN petitioners pr ON pr.id = p.petitioner_id
		WHERE NOT EXISTS (SELECT 1 FROM repeat_signatures s WHERE s.petition_id = p.id) ORDER BY p.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("unsigned petitions: %w", err)
	}
	defer rows.Close()
	var out []Unsigned
	for rows.Next() {
		var u Unsigned
		p, pr := &u.Petition, &u.Petitioner
		if err := rows.Scan(&p.ID, &p.ExternalID, &p.TrackingCode, &p.ReceivedAt, &p.Channel, &p.PetitionerID, &p.MatterID,
			&p.DistrictCode, &p.Address, &p.Title, &p.Content, &p.State, &p.Accusation, &p.AccusedUnitID, &p.UnitID,
			&p.DeclineReason, &p.ReplyOutcome, &p.ReplyText, &p.RepliedAt, &p.ReviewOutcome, &p.ReviewText, &p.ClosedAt,
			&p.CreatedAt, &p.UpdatedAt, &p.Version,
			&pr.ID, &pr.Kind, &pr.Name, &pr.IDNumber, &pr.Phone, &pr.Address, &pr.DistrictCode, &pr.GroupSize); err != nil {
			return nil, fmt.Errorf("unsigned petitions: %w", mapErr(err))
		}
		out = append(out, u)
	}
	return out, mapErr(rows.Err())
}
