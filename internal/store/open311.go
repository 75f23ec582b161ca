package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"redress/internal/petition"
)

// Open311KeyPrefix starts every Open311 api_key, so leaked keys are easy to recognise.
const Open311KeyPrefix = "o311_"

// Open311Key is an api_key issued to a client application (its hash only).
type Open311Key struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// CreateOpen311Key issues an Open311 api_key; only its hash is stored. The
// key itself is returned once, to be handed to the client application.
func (t *Tx) CreateOpen311Key(a Actor, name string) (string, Open311Key, error) {
	buf := make([]byte, 20)
	if _, err := rand.Read(buf); err != nil {
		return "", Open311Key{}, fmt.Errorf("open311 key: %w", err)
	}
	key := Open311KeyPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(buf))
	k := Open311Key{Name: name, CreatedAt: time.Now().UTC().Truncate(time.Microsecond)}
	id, err := t.insert("INSERT INTO open311_keys (key_hash, name, created_at, created_by) VALUES (?, ?, ?, ?)",
		hashToken(key), name, k.CreatedAt, nullID(a.ID))
	if err != nil {
		return "", Open311Key{}, fmt.Errorf("store open311 key: %w", err)
	}
	k.ID = id
	return key, k, t.Audit(a, "open311_key.create", "open311_key", id, nil, map[string]any{"name": name})
}

// Open311KeyID authenticates an api_key and returns its id; a revoked or
// unknown key is ErrNotFound.
func (s *Store) Open311KeyID(ctx context.Context, key string) (int64, error) {
	var id int64
	err := s.queryRow(ctx, "SELECT id FROM open311_keys WHERE key_hash = ? AND revoked_at IS NULL", hashToken(key)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("open311 key: %w", mapErr(err))
	}
	return id, nil
}

// Open311Request is what Open311 needs of a petition beyond the petition
// itself. Email, DeviceID and AccountID are personal data.
type Open311Request struct {
	PetitionID    int64               `json:"petition_id"`
	Token         string              `json:"token"`
	ServiceCode   string              `json:"service_code"`
	KeyID         int64               `json:"key_id"`
	Lat, Long     *float64            `json:"-"`
	AddressString string              `json:"-"`
	AddressID     string              `json:"-"`
	MediaURL      string              `json:"-"`
	Attributes    map[string][]string `json:"-"`
	Email         string              `json:"-"`
	DeviceID      string              `json:"-"`
	AccountID     string              `json:"-"`
	CreatedAt     time.Time           `json:"-"`
}

// InsertOpen311Request stores the Open311 side of a petition just registered.
func (t *Tx) InsertOpen311Request(a Actor, r *Open311Request) error {
	attrs, err := json.Marshal(r.Attributes)
	if err != nil {
		return fmt.Errorf("open311 attributes: %w", err)
	}
	if r.Attributes == nil {
		attrs = []byte("{}")
	}
	_, err = t.Exec(`INSERT INTO open311_requests (petition_id, token, service_code, key_id, lat, long, address_string, address_id,
		media_url, attributes, email, device_id, account_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.PetitionID, r.Token, r.ServiceCode, r.KeyID, floatPtr(r.Lat), floatPtr(r.Long), r.AddressString, r.AddressID,
		r.MediaURL, string(attrs), r.Email, r.DeviceID, r.AccountID, r.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("insert open311 request for petition %d: %w", r.PetitionID, err)
	}
	// The audit keeps the workflow fields only; personal data stays out.
	return t.Audit(a, "open311.request", "petition", r.PetitionID, nil, map[string]any{
		"service_code": r.ServiceCode, "key_id": r.KeyID, "token": r.Token})
}

func floatPtr(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// PublicRequest is a petition filed through Open311 as a public read may
// show it: workflow fields and the Open311 record, never the petitioner.
type PublicRequest struct {
	Open311Request
	Petition  petition.Petition
	Deadlines []petition.Deadline
}

// Open311Filter selects Open311 requests for GET requests.
type Open311Filter struct {
	IDs          []int64  // when set, every other filter is ignored
	ServiceCodes []string // any of these
	From, To     time.Time
	// States restricts the lifecycle state (the caller maps open/closed).
	States []petition.State
	Limit  int
}

const open311Cols = `o.petition_id, o.token, o.service_code, o.key_id, o.lat, o.long, o.address_string, o.address_id, o.media_url,
	o.attributes, o.created_at, ` + petitionCols

// Open311Requests lists Open311 requests, newest first. Accusations (检举)
// are never returned.
func (s *Store) Open311Requests(ctx context.Context, f Open311Filter) ([]PublicRequest, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	add("p.accusation = ?", false)
	if len(f.IDs) > 0 {
		add("o.petition_id IN ("+placeholders(len(f.IDs))+")", int64sToAny(f.IDs)...)
	} else {
		if len(f.ServiceCodes) > 0 {
			codes := make([]any, len(f.ServiceCodes))
			for i, c := range f.ServiceCodes {
				codes[i] = c
			}
			add("o.service_code IN ("+placeholders(len(codes))+")", codes...)
		}
		if !f.From.IsZero() {
			add("p.received_at >= ?", f.From.UTC())
		}
		if !f.To.IsZero() {
			add("p.received_at <= ?", f.To.UTC())
		}
		if len(f.States) > 0 {
			st := make([]any, len(f.States))
			for i, x := range f.States {
				st[i] = string(x)
			}
			add("p.state IN ("+placeholders(len(st))+")", st...)
		}
	}
	q := "SELECT " + open311Cols + " FROM open311_requests o JOIN petitions p ON p.id = o.petition_id WHERE " +
		strings.Join(where, " AND ") + " ORDER BY p.received_at DESC, p.id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list open311 requests: %w", err)
	}
	var out []PublicRequest
	for rows.Next() {
		r, err := scanPublicRequest(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list open311 requests: %w", err)
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list open311 requests: %w", mapErr(err))
	}
	if err := s.attachOpenDeadlines(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Open311RequestByToken finds the petition id a token stands for.
func (s *Store) Open311RequestByToken(ctx context.Context, token string) (int64, error) {
	var id int64
	err := s.queryRow(ctx, `SELECT o.petition_id FROM open311_requests o JOIN petitions p ON p.id = o.petition_id
		WHERE o.token = ? AND p.accusation = ?`, token, false).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("open311 token: %w", mapErr(err))
	}
	return id, nil
}

func scanPublicRequest(sc interface{ Scan(...any) error }) (PublicRequest, error) {
	var r PublicRequest
	var lat, long sql.NullFloat64
	var attrs string
	p := &r.Petition
	err := sc.Scan(&r.PetitionID, &r.Token, &r.ServiceCode, &r.KeyID, &lat, &long, &r.AddressString, &r.AddressID, &r.MediaURL,
		&attrs, &r.CreatedAt,
		&p.ID, &p.ExternalID, &p.TrackingCode, &p.ReceivedAt, &p.Channel, &p.PetitionerID, &p.MatterID,
		&p.DistrictCode, &p.Address, &p.Title, &p.Content, &p.State, &p.Accusation, &p.AccusedUnitID, &p.UnitID,
		&p.DeclineReason, &p.ReplyOutcome, &p.ReplyText, &p.RepliedAt, &p.ReviewOutcome, &p.ReviewText, &p.ClosedAt,
		&p.CreatedAt, &p.UpdatedAt, &p.Version)
	if err != nil {
		return r, mapErr(err)
	}
	if lat.Valid {
		r.Lat = &lat.Float64
	}
	if long.Valid {
		r.Long = &long.Float64
	}
	if attrs != "" {
		if err := json.Unmarshal([]byte(attrs), &r.Attributes); err != nil {
			return r, fmt.Errorf("open311 attributes of %d: %w", r.PetitionID, err)
		}
	}
	return r, nil
}

// attachOpenDeadlines loads the open obligations of each request, for expected_datetime.
func (s *Store) attachOpenDeadlines(ctx context.Context, rs []PublicRequest) error {
	if len(rs) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(rs))
	ids := make([]int64, len(rs))
	for i, r := range rs {
		idx[r.PetitionID] = i
		ids[i] = r.PetitionID
	}
	// Chunks keep the parameter count well under both engines' limits.
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		rows, err := s.query(ctx, `SELECT petition_id, kind, started_on, due_on, rule_count, rule_unit, calendar_revision, obligation, met_at, computed_at
			FROM deadlines WHERE met_at IS NULL AND obligation AND petition_id IN (`+placeholders(len(chunk))+`) ORDER BY id`, int64sToAny(chunk)...)
		if err != nil {
			return fmt.Errorf("open deadlines: %w", err)
		}
		for rows.Next() {
			var d petition.Deadline
			if err := rows.Scan(&d.PetitionID, &d.Kind, &d.StartedOn, &d.DueOn, &d.Rule.Count, &d.Rule.Unit, &d.CalendarRevision,
				&d.Obligation, &d.MetAt, &d.ComputedAt); err != nil {
				rows.Close()
				return fmt.Errorf("open deadlines: %w", mapErr(err))
			}
			d.Rule.Kind = d.Kind
			i := idx[d.PetitionID]
			rs[i].Deadlines = append(rs[i].Deadlines, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("open deadlines: %w", mapErr(err))
		}
	}
	return nil
}
