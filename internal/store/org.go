package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"redress/internal/org"
)

type unitCache struct {
	tree *org.Tree
}

// Units returns the unit tree, cached until a unit changes.
func (s *Store) Units(ctx context.Context) (*org.Tree, error) {
	s.unitsMu.RLock()
	c := s.units
	s.unitsMu.RUnlock()
	if c != nil {
		return c.tree, nil
	}
	rows, err := s.query(ctx, "SELECT id, code, name, COALESCE(parent_id, 0), kind, head_name, head_title, created_at FROM units ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	defer rows.Close()
	var units []org.Unit
	for rows.Next() {
		var u org.Unit
		if err := rows.Scan(&u.ID, &u.Code, &u.Name, &u.ParentID, &u.Kind, &u.HeadName, &u.HeadTitle, &u.CreatedAt); err != nil {
			return nil, fmt.Errorf("scan unit: %w", err)
		}
		units = append(units, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	tree := org.NewTree(units)
	s.unitsMu.Lock()
	s.units = &unitCache{tree: tree}
	s.unitsMu.Unlock()
	return tree, nil
}

func (s *Store) forgetUnits() {
	s.unitsMu.Lock()
	s.units = nil
	s.unitsMu.Unlock()
}

// CreateUnit adds a unit.
func (t *Tx) CreateUnit(a Actor, u *org.Unit) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	var parent any
	if u.ParentID != 0 {
		parent = u.ParentID
	}
	id, err := t.insert(`INSERT INTO units (code, name, parent_id, kind, head_name, head_title, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.Code, u.Name, parent, u.Kind, u.HeadName, u.HeadTitle, u.CreatedAt)
	if err != nil {
		return fmt.Errorf("create unit %s: %w", u.Code, err)
	}
	u.ID = id
	t.AfterCommit(t.s.forgetUnits)
	return t.Audit(a, "unit.create", "unit", id, nil, u)
}

const userCols = "id, login, name, role, unit_id, password_hash, locale, disabled, failed_logins, locked_until, created_at, email"

func scanUser(sc interface{ Scan(...any) error }) (org.User, error) {
	var u org.User
	err := sc.Scan(&u.ID, &u.Login, &u.Name, &u.Role, &u.UnitID, &u.PasswordHash, &u.Locale, &u.Disabled, &u.FailedLogins, &u.LockedUntil, &u.CreatedAt, &u.Email)
	return u, mapErr(err)
}

// CreateUser adds a user.
func (t *Tx) CreateUser(a Actor, u *org.User) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	if u.Locale == "" {
		u.Locale = "zh-CN"
	}
	id, err := t.insert(`INSERT INTO users (login, name, role, unit_id, password_hash, locale, disabled, created_at, email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Login, u.Name, string(u.Role), u.UnitID, u.PasswordHash, u.Locale, u.Disabled, u.CreatedAt, u.Email)
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.Login, err)
	}
	u.ID = id
	return t.Audit(a, "user.create", "user", id, nil, u)
}

// UserChange is what an administrator changes about a user; nil fields
// stay as they are.
type UserChange struct {
	Name         *string
	Role         *org.Role
	UnitID       *int64
	Email        *string
	Disabled     *bool
	PasswordHash *string // a new password; it also unlocks the account
	Unlock       bool    // clear failed sign-ins and any lock
}

// UpdateUser applies c to user id and audits the change (never the hash).
// Disabling a user or setting a password ends the user's sessions.
func (t *Tx) UpdateUser(a Actor, id int64, c UserChange) (org.User, error) {
	old, err := scanUser(t.QueryRow("SELECT "+userCols+" FROM users WHERE id = ?", id))
	if err != nil {
		return old, fmt.Errorf("user %d: %w", id, err)
	}
	u := old
	if c.Name != nil {
		u.Name = *c.Name
	}
	if c.Role != nil {
		u.Role = *c.Role
	}
	if c.UnitID != nil {
		u.UnitID = *c.UnitID
	}
	if c.Email != nil {
		u.Email = *c.Email
	}
	if c.Disabled != nil {
		u.Disabled = *c.Disabled
	}
	if c.PasswordHash != nil {
		u.PasswordHash = *c.PasswordHash
	}
	if c.Unlock || c.PasswordHash != nil {
		u.FailedLogins, u.LockedUntil = 0, nil
	}
	if _, err := t.Exec(`UPDATE users SET name = ?, role = ?, unit_id = ?, email = ?, disabled = ?, password_hash = ?,
		failed_logins = ?, locked_until = ? WHERE id = ?`,
		u.Name, string(u.Role), u.UnitID, u.Email, u.Disabled, u.PasswordHash, u.FailedLogins, u.LockedUntil, id); err != nil {
		return old, fmt.Errorf("update user %s: %w", old.Login, mapErr(err))
	}
	if (c.Disabled != nil && *c.Disabled) || c.PasswordHash != nil || c.Role != nil || c.UnitID != nil {
		if _, err := t.Exec("DELETE FROM sessions WHERE user_id = ?", id); err != nil {
			return old, fmt.Errorf("end sessions of %s: %w", old.Login, err)
		}
	}
	change := map[string]any{"password_reset": c.PasswordHash != nil, "unlocked": c.Unlock || c.PasswordHash != nil}
	return u, t.Audit(a, "user.update", "user", id, userAudit(old), mergeAudit(userAudit(u), change))
}

func userAudit(u org.User) map[string]any {
	return map[string]any{"login": u.Login, "name": u.Name, "role": u.Role, "unit_id": u.UnitID, "email": u.Email, "disabled": u.Disabled}
}

func mergeAudit(a, b map[string]any) map[string]any {
	for k, v := range b {
		a[k] = v
	}
	return a
}

// UserByLogin finds a user by login.
func (s *Store) UserByLogin(ctx context.Context, login string) (org.User, error) {
	u, err := scanUser(s.queryRow(ctx, "SELECT "+userCols+" FROM users WHERE login = ?", login))
	if err != nil {
		return u, fmt.Errorf("user %q: %w", login, err)
	}
	return u, nil
}

// UserByID finds a user by id.
func (s *Store) UserByID(ctx context.Context, id int64) (org.User, error) {
	u, err := scanUser(s.queryRow(ctx, "SELECT "+userCols+" FROM users WHERE id = ?", id))
	if err != nil {
		return u, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

// Users lists every user.
func (s *Store) Users(ctx context.Context) ([]org.User, error) {
	rows, err := s.query(ctx, "SELECT "+userCols+" FROM users ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []org.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// TokenPrefix starts every API token, so leaked tokens are easy to recognise.
const TokenPrefix = "rdt_"

func hashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// CreateToken issues an API token for a user; only its hash is stored.
func (t *Tx) CreateToken(a Actor, userID int64, name string, expires *time.Time) (string, error) {
	buf := make([]byte, 20)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	tok := TokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(buf))
	id, err := t.insert("INSERT INTO api_tokens (user_id, token_hash, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		userID, hashToken(tok), name, time.Now().UTC(), expires)
	if err != nil {
		return "", fmt.Errorf("store token: %w", err)
	}
	return tok, t.Audit(a, "token.create", "api_token", id, nil, map[string]any{"user_id": userID, "name": name})
}

// UserByToken authenticates an API token.
func (s *Store) UserByToken(ctx context.Context, tok string, now time.Time) (org.User, error) {
	u, err := scanUser(s.queryRow(ctx, "SELECT u."+strings.ReplaceAll(userCols, ", ", ", u.")+
		" FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?)",
		hashToken(tok), now.UTC()))
	if err != nil {
		return u, fmt.Errorf("token: %w", err)
	}
	return u, nil
}
