// Package accounts creates and changes staff accounts: the administrator's
// work in the web UI and the `redress user` command. It validates every
// field, hashes passwords with argon2id (package password), and writes the
// change and its audit entry in one transaction.
package accounts

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/password"
	"redress/internal/store"
)

// MinPassword is the shortest password accepted.
const MinPassword = 10

var loginPattern = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,31}$`)

// Input is an account to create. Password may be empty: a random one is
// generated and returned once.
type Input struct {
	Login    string `json:"login"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	UnitCode string `json:"unit_code"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Change is what an administrator changes; empty strings and nil pointers
// leave a field as it is.
type Change struct {
	Name     string
	Role     string
	UnitCode string
	Email    *string // "" clears the address
	Disabled *bool
	Password string // a new password (also unlocks the account)
	Unlock   bool
}

// mayAdminister: only administrators manage accounts; the system actor
// (command line) may too.
func mayAdminister(u org.User) error {
	if u.Role != org.RoleAdmin {
		return failure.Forbidden("only administrators manage accounts")
	}
	return nil
}

func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n < 1 || n > 40 {
		return "", failure.Invalid("name", "a name needs 1–40 characters")
	}
	return name, nil
}

func checkEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return "", nil
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 {
		return "", failure.Invalid("email", "%q is not an email address", email)
	}
	return email, nil
}

func checkPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPassword || len(pw) > 200 {
		return failure.Invalid("password", "a password needs at least %d characters", MinPassword)
	}
	return nil
}

func unitOf(tree *org.Tree, code string) (org.Unit, error) {
	u, ok := tree.ByCode(strings.TrimSpace(code))
	if !ok {
		return u, failure.Invalid("unit_code", "no unit has the code %q", code)
	}
	return u, nil
}

// Generate returns a random password of 16 characters without look-alikes.
func Generate() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// Create adds an account. actor is the administrator (store.System's user
// for the command line: pass a zero org.User with Role admin). It returns the
// user and the password (the generated one when in.Password was empty).
func Create(ctx context.Context, st *store.Store, actor org.User, in Input) (org.User, string, error) {
	if err := mayAdminister(actor); err != nil {
		return org.User{}, "", err
	}
	u, err := prepare(ctx, st, in)
	if err != nil {
		return org.User{}, "", err
	}
	pw := in.Password
	if pw == "" {
		pw = Generate()
	}
	if u.PasswordHash, err = password.Hash(pw); err != nil {
		return org.User{}, "", fmt.Errorf("hash password: %w", err)
	}
	err = st.Write(ctx, func(tx *store.Tx) error { return tx.CreateUser(actorOf(actor), &u) })
	if errors.Is(err, store.ErrConflict) {
		return org.User{}, "", failure.Invalid("login", "the login %q is taken", u.Login)
	}
	if err != nil {
		return org.User{}, "", fmt.Errorf("create account %s: %w", u.Login, err)
	}
	return u, pw, nil
}

// Check validates every field of in but the unit and returns the user to
// store (without unit and hash).
func Check(in Input) (org.User, error) {
	login := strings.TrimSpace(in.Login)
	if !loginPattern.MatchString(login) {
		return org.User{}, failure.Invalid("login", "a login is 2–32 lower-case letters, digits, dots, dashes or underscores, starting with a letter")
	}
	name, err := checkName(in.Name)
	if err != nil {
		return org.User{}, err
	}
	role, err := org.ParseRole(in.Role)
	if err != nil {
		return org.User{}, failure.Invalid("role", "%q is not a role", in.Role)
	}
	email, err := checkEmail(in.Email)
	if err != nil {
		return org.User{}, err
	}
	if in.Password != "" {
		if err := checkPassword(in.Password); err != nil {
			return org.User{}, err
		}
	}
	return org.User{Login: login, Name: name, Role: role, Email: email}, nil
}

// prepare validates in and returns the user to store (without a hash).
func prepare(ctx context.Context, st *store.Store, in Input) (org.User, error) {
	u, err := Check(in)
	if err != nil {
		return u, err
	}
	tree, err := st.Units(ctx)
	if err != nil {
		return org.User{}, err
	}
	unit, err := unitOf(tree, in.UnitCode)
	if err != nil {
		return org.User{}, err
	}
	u.UnitID = unit.ID
	return u, nil
}

// Update changes account id. An administrator may not disable or demote
// their own account (so that one administrator always remains).
func Update(ctx context.Context, st *store.Store, actor org.User, id int64, c Change) (org.User, error) {
	if err := mayAdminister(actor); err != nil {
		return org.User{}, err
	}
	var ch store.UserChange
	if c.Name != "" {
		name, err := checkName(c.Name)
		if err != nil {
			return org.User{}, err
		}
		ch.Name = &name
	}
	if c.Role != "" {
		role, err := org.ParseRole(c.Role)
		if err != nil {
			return org.User{}, failure.Invalid("role", "%q is not a role", c.Role)
		}
		if id == actor.ID && role != org.RoleAdmin {
			return org.User{}, failure.Invalid("role", "administrators may not take away their own administrator role")
		}
		ch.Role = &role
	}
	if c.UnitCode != "" {
		tree, err := st.Units(ctx)
		if err != nil {
			return org.User{}, err
		}
		unit, err := unitOf(tree, c.UnitCode)
		if err != nil {
			return org.User{}, err
		}
		ch.UnitID = &unit.ID
	}
	if c.Email != nil {
		email, err := checkEmail(*c.Email)
		if err != nil {
			return org.User{}, err
		}
		ch.Email = &email
	}
	if c.Disabled != nil {
		if id == actor.ID && *c.Disabled {
			return org.User{}, failure.Invalid("disabled", "administrators may not disable their own account")
		}
		ch.Disabled = c.Disabled
	}
	if c.Password != "" {
		if err := checkPassword(c.Password); err != nil {
			return org.User{}, err
		}
		h, err := password.Hash(c.Password)
		if err != nil {
			return org.User{}, fmt.Errorf("hash password: %w", err)
		}
		ch.PasswordHash = &h
	}
	ch.Unlock = c.Unlock
	var out org.User
	err := st.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.UpdateUser(actorOf(actor), id, ch)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return out, failure.NotFound("user")
	}
	if err != nil {
		return out, fmt.Errorf("update account %d: %w", id, err)
	}
	return out, nil
}

func actorOf(u org.User) store.Actor {
	if u.ID == 0 {
		return store.System
	}
	return store.Actor{ID: u.ID, Login: u.Login}
}
