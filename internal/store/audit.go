package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Actor is who made a change.
type Actor struct {
	ID    int64  // 0 for the system itself
	Login string // "system" for the system itself
}

// System is the actor for changes the system makes on its own (imports, jobs, demo data).
var System = Actor{Login: "system"}

var (
	qAuditHead       = hot("SELECT seq, hash FROM audit_head WHERE id = 1")
	qUpdateAuditHead = hot("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")
)

type auditHead struct {
	seq  int64
	hash string
}

// AuditEntry is one link of the audit chain.
type AuditEntry struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	ActorID  int64     `json:"actor_id,omitempty"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Entity   string    `json:"entity"`
	EntityID string    `json:"entity_id"`
	Before   string    `json:"before"`
	After    string    `json:"after"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

func (e *AuditEntry) computeHash() string {
	h := sha256.New()
	for _, part := range []string{
		e.PrevHash, strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10), e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After,
	} {
		h.Write([]byte(part))
		h.Write([]byte{0x1f})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Audit records one change for the audit chain, in this transaction.
// before and after are encoded as JSON (nil becomes "null"). The entries of
// a whole group commit are linked into the chain and written together just
// before the commit, so the chain's head is locked only for that moment.
func (t *Tx) Audit(a Actor, action, entity string, entityID any, before, after any) error {
	b, err := json.Marshal(before)
	if err != nil {
		return fmt.Errorf("audit before: %w", err)
	}
	af, err := json.Marshal(after)
	if err != nil {
		return fmt.Errorf("audit after: %w", err)
	}
	login := a.Login
	if login == "" {
		login = "system"
	}
	t.pending = append(t.pending, AuditEntry{
		At:      time.Now().UTC().Truncate(time.Microsecond),
		ActorID: a.ID, Actor: login, Action: action, Entity: entity, EntityID: fmt.Sprint(entityID),
		Before: string(b), After: string(af),
	})
	return nil
}

// auditRowsPerInsert bounds one multi-row INSERT (11 parameters a row).
const auditRowsPerInsert = 64

// flushAudit links the pending entries to the chain and writes them.
func (t *Tx) flushAudit() error {
	if len(t.pending) == 0 {
		return nil
	}
	q := qAuditHead
	if t.s.engine == Postgres {
		q += " FOR UPDATE"
	}
	var seq int64
	var hash string
	if err := t.QueryRow(q).Scan(&seq, &hash); err != nil {
		return fmt.Errorf("read audit head: %w", mapErr(err))
	}
	for i := range t.pending {
		e := &t.pending[i]
		seq++
		e.Seq, e.PrevHash = seq, hash
		e.Hash = e.computeHash()
		hash = e.Hash
	}
	for start := 0; start < len(t.pending); start += auditRowsPerInsert {
		chunk := t.pending[start:min(len(t.pending), start+auditRowsPerInsert)]
		var b strings.Builder
		b.WriteString("INSERT INTO audit_log (seq, at, actor_id, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash) VALUES ")
		args := make([]any, 0, 11*len(chunk))
		for i, e := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			var actorID any
			if e.ActorID != 0 {
				actorID = e.ActorID
			}
			args = append(args, e.Seq, e.At, actorID, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash, e.Hash)
		}
		if _, err := t.Exec(b.String(), args...); err != nil {
			return fmt.Errorf("append audit entries: %w", err)
		}
	}
	if _, err := t.Exec(qUpdateAuditHead, seq, hash); err != nil {
		return fmt.Errorf("update audit head: %w", err)
	}
	t.pending = t.pending[:0]
	return nil
}

// VerifyResult is the outcome of checking the audit chain.
type VerifyResult struct {
	Entries  int64  // entries checked
	BrokenAt int64  // first broken entry's seq; 0 if the chain holds
	Reason   string // why it is broken
}

// VerifyAudit recomputes the audit chain from the first entry and reports
// the first entry that was altered, removed or inserted.
func (s *Store) VerifyAudit(ctx context.Context, progress func(n int64)) (VerifyResult, error) {
	var res VerifyResult
	var head auditHead
	if err := s.queryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&head.seq, &head.hash); err != nil {
		return res, fmt.Errorf("read audit head: %w", mapErr(err))
	}
	rows, err := s.query(ctx, `SELECT seq, at, COALESCE(actor_id, 0), actor, action, entity, entity_id, before_json, after_json, prev_hash, hash
		FROM audit_log ORDER BY seq`)
	if err != nil {
		return res, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	prev := AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.ActorID, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.PrevHash, &e.Hash); err != nil {
			return res, fmt.Errorf("read audit entry: %w", err)
		}
		res.Entries++
		if progress != nil && res.Entries%10000 == 0 {
			progress(res.Entries)
		}
		switch {
		case e.Seq != prev.Seq+1:
			res.BrokenAt, res.Reason = prev.Seq+1, fmt.Sprintf("entry %d is missing (next stored entry is %d)", prev.Seq+1, e.Seq)
		case e.PrevHash != prev.Hash:
			res.BrokenAt, res.Reason = e.Seq, fmt.Sprintf("entry %d does not link to entry %d", e.Seq, prev.Seq)
		case e.computeHash() != e.Hash:
			res.BrokenAt, res.Reason = e.Seq, fmt.Sprintf("entry %d was altered (its content does not match its hash)", e.Seq)
		}
		if res.BrokenAt != 0 {
			return res, nil
		}
		prev = e
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("read audit log: %w", err)
	}
	if head.seq != prev.Seq || head.hash != prev.Hash {
		res.BrokenAt = prev.Seq + 1
		if head.seq < prev.Seq {
			res.BrokenAt = head.seq + 1
		}
		res.Reason = fmt.Sprintf("the chain ends at entry %d but its head records entry %d: entries were removed from the end or the head was altered", prev.Seq, head.seq)
	}
	return res, nil
}

// AuditFor returns the audit entries about one entity, oldest first.
func (s *Store) AuditFor(ctx context.Context, entity, id string, limit int) ([]AuditEntry, error) {
	rows, err := s.query(ctx, `SELECT seq, at, COALESCE(actor_id, 0), actor, action, entity, entity_id, before_json, after_json, prev_hash, hash
		FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY seq LIMIT ?`, entity, id, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.ActorID, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
