package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"redress/internal/org"
)

// Session is a signed-in browser (the web UI's counterpart of an API token).
type Session struct {
	ID         int64
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// SessionMeta is what is recorded about the browser that signs in.
type SessionMeta struct {
	UserAgent  string
	RemoteAddr string
}

// CreateSession signs user in: it clears the user's failed-attempt count,
// stores a new session and audits the sign-in. It returns the token for the
// cookie; only its hash is stored.
func (t *Tx) CreateSession(u org.User, meta SessionMeta, now time.Time) (string, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("session token: %w", err)
	}
	tok := base64.RawURLEncoding.EncodeToString(buf)
	if _, err := t.Exec("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", u.ID); err != nil {
		return "", fmt.Errorf("reset failed sign-ins of %s: %w", u.Login, err)
	}
	ua := sessionTruncate(meta.UserAgent, 300)
	id, err := t.insert("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, user_agent, remote_addr) VALUES (?, ?, ?, ?, ?, ?)",
		hashToken(tok), u.ID, now.UTC(), now.UTC(), ua, meta.RemoteAddr)
	if err != nil {
		return "", fmt.Errorf("store session: %w", err)
	}
	return tok, t.Audit(Actor{ID: u.ID, Login: u.Login}, "session.sign_in", "user", u.ID, nil,
		map[string]any{"session_id": id, "remote_addr": meta.RemoteAddr})
}

// SessionUser returns the session for a cookie token and its user. A session
// idle for longer than ttl has expired and is reported as ErrNotFound.
func (s *Store) SessionUser(ctx context.Context, tok string, now time.Time, ttl time.Duration) (Session, org.User, error) {
	var ses Session
	row := s.queryRow(ctx, "SELECT s.id, s.user_id, s.created_at, s.last_seen_at, u."+strings.ReplaceAll(userCols, ", ", ", u.")+
		" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?", hashToken(tok))
	var u org.User
	err := row.Scan(&ses.ID, &ses.UserID, &ses.CreatedAt, &ses.LastSeenAt,
		&u.ID, &u.Login, &u.Name, &u.Role, &u.UnitID, &u.PasswordHash, &u.Locale, &u.Disabled, &u.FailedLogins, &u.LockedUntil, &u.CreatedAt, &u.Email)
	if err != nil {
		return Session{}, org.User{}, fmt.Errorf("session: %w", mapErr(err))
	}
	if ttl > 0 && ses.LastSeenAt.Add(ttl).Before(now) {
		return Session{}, org.User{}, fmt.Errorf("session %d expired: %w", ses.ID, ErrNotFound)
	}
	return ses, u, nil
}

// TouchSession records activity on a session, which keeps it from expiring.
// It is bookkeeping, not a change anyone answers for, so it is not audited.
func (t *Tx) TouchSession(id int64, now time.Time) error {
	if _, err := t.Exec("UPDATE sessions SET last_seen_at = ? WHERE id = ?", now.UTC(), id); err != nil {
		return fmt.Errorf("touch session %d: %w", id, err)
	}
	return nil
}

// EndSession signs a session out and audits it. Ending a session that no
// longer exists is not an error.
func (t *Tx) EndSession(u org.User, tok string) error {
	res, err := t.Exec("DELETE FROM sessions WHERE token_hash = ? AND user_id = ?", hashToken(tok), u.ID)
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return t.Audit(Actor{ID: u.ID, Login: u.Login}, "session.sign_out", "user", u.ID, nil, nil)
}

// DeleteIdleSessions removes sessions idle since before cutoff.
func (t *Tx) DeleteIdleSessions(cutoff time.Time) (int64, error) {
	res, err := t.Exec("DELETE FROM sessions WHERE last_seen_at < ?", cutoff.UTC())
	if err != nil {
		return 0, fmt.Errorf("delete idle sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// LoginFailure is the outcome of recording a failed sign-in.
type LoginFailure struct {
	Failed      int        // failed attempts in a row, after this one
	LockedUntil *time.Time // set when this attempt locked the account
}

// RecordLoginFailure counts a failed sign-in for user and audits it; the
// maxFailures-th failure in a row locks the account until now+lockFor.
func (t *Tx) RecordLoginFailure(u org.User, now time.Time, maxFailures int, lockFor time.Duration, remoteAddr string) (LoginFailure, error) {
	var n int
	if err := t.QueryRow("SELECT failed_logins FROM users WHERE id = ?", u.ID).Scan(&n); err != nil {
		return LoginFailure{}, fmt.Errorf("failed sign-ins of %s: %w", u.Login, mapErr(err))
	}
	n++
	out := LoginFailure{Failed: n}
	actor := Actor{ID: u.ID, Login: u.Login}
	if err := t.Audit(actor, "session.sign_in_failed", "user", u.ID, nil, map[string]any{"failed": n, "remote_addr": remoteAddr}); err != nil {
		return out, err
	}
	if n < maxFailures {
		_, err := t.Exec("UPDATE users SET failed_logins = ? WHERE id = ?", n, u.ID)
		if err != nil {
			return out, fmt.Errorf("count failed sign-in of %s: %w", u.Login, err)
		}
		return out, nil
	}
	until := now.Add(lockFor).UTC()
	if _, err := t.Exec("UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?", until, u.ID); err != nil {
		return out, fmt.Errorf("lock %s: %w", u.Login, err)
	}
	out.LockedUntil = &until
	return out, t.Audit(actor, "user.lock", "user", u.ID, nil, map[string]any{"locked_until": until.Format(time.RFC3339), "failed": n})
}

// RecordUnknownLogin audits a sign-in attempt with a login that does not exist.
func (t *Tx) RecordUnknownLogin(login, remoteAddr string) error {
	return t.Audit(System, "session.sign_in_failed", "user", sessionTruncate(login, 100), nil, map[string]any{"unknown_login": true, "remote_addr": remoteAddr})
}

// SetUserLocale changes the language a user's pages are shown in.
func (t *Tx) SetUserLocale(a Actor, userID int64, locale string) error {
	var old string
	if err := t.QueryRow("SELECT locale FROM users WHERE id = ?", userID).Scan(&old); err != nil {
		return fmt.Errorf("user %d: %w", userID, mapErr(err))
	}
	if old == locale {
		return nil
	}
	if _, err := t.Exec("UPDATE users SET locale = ? WHERE id = ?", locale, userID); err != nil {
		return fmt.Errorf("set locale of user %d: %w", userID, err)
	}
	return t.Audit(a, "user.locale", "user", userID, map[string]any{"locale": old}, map[string]any{"locale": locale})
}

func sessionTruncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
