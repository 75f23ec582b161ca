// Package orgfile loads an organisation file, the units (with their heads)
// and the staff accounts a city starts with, into the store: what
// `redress org import` does on a new database. Units are matched by code and
// accounts by login, so importing the same file again changes nothing; the
// whole file is checked first and stored in one transaction, or not at all.
package orgfile

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"redress/internal/accounts"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/password"
	"redress/internal/store"
)

// File is an organisation file.
type File struct {
	Units []Unit           `json:"units"`
	Users []accounts.Input `json:"users"`
}

// Unit is one unit of the file; Parent is the parent unit's code (empty for
// the root, which must come first).
type Unit struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Parent    string `json:"parent"`
	Kind      string `json:"kind"`
	HeadName  string `json:"head_name"`
	HeadTitle string `json:"head_title"`
}

// Report says what an import did. Passwords holds the generated password
// of each new account that came without one (login → password).
type Report struct {
	UnitsCreated, UnitsKept, UsersCreated, UsersKept int
	Passwords                                        map[string]string
}

// kinds are the unit kinds the rest of the system knows.
var kinds = map[string]bool{"city": true, "district": true, "department": true, "township": true}

// Read decodes a file, refusing unknown fields.
func Read(r io.Reader) (File, error) {
	var f File
	b, err := io.ReadAll(r)
	if err != nil {
		return f, fmt.Errorf("read organisation file: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("organisation file: %w", err)
	}
	return f, nil
}

// Import stores f. Every problem of the file is reported at once, each
// naming its entry (units[3].parent: …); then nothing is stored.
func Import(ctx context.Context, st *store.Store, f File) (Report, error) {
	rep := Report{Passwords: map[string]string{}}
	tree, err := st.Units(ctx)
	if err != nil {
		return rep, err
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	known := map[string]bool{} // codes that exist or will
	for _, u := range tree.Units() {
		known[u.Code] = true
	}
	var newUnits []Unit
	for i, u := range f.Units {
		u.Code, u.Name, u.Parent = strings.TrimSpace(u.Code), strings.TrimSpace(u.Name), strings.TrimSpace(u.Parent)
		switch {
		case u.Code == "" || len(u.Code) > 40:
			bad("units[%d].code: a code of 1–40 characters is required", i)
			continue
		case u.Name == "":
			bad("units[%d].name: a name is required", i)
		case !kinds[u.Kind]:
			bad("units[%d].kind: %q is not one of city, district (or county), department, township (or street)", i, u.Kind)
		}
		if _, exists := tree.ByCode(u.Code); exists {
			rep.UnitsKept++
			continue
		}
		if known[u.Code] {
			bad("units[%d].code: %s appears twice in the file", i, u.Code)
			continue
		}
		switch {
		case u.Parent == "" && len(tree.Units()) > 0:
			bad("units[%d].parent: the store has a root unit already; name this unit's parent", i)
		case u.Parent == "" && len(newUnits) > 0:
			bad("units[%d].parent: only the first unit may be the root", i)
		case u.Parent != "" && !known[u.Parent]:
			bad("units[%d].parent: %s is not a unit above it in the file or in the store", i, u.Parent)
		}
		known[u.Code] = true
		newUnits = append(newUnits, u)
	}
	type newUser struct {
		user org.User
		pw   string
	}
	var newUsers []newUser
	logins := map[string]bool{}
	for i, in := range f.Users {
		in.Login = strings.TrimSpace(in.Login)
		if _, err := st.UserByLogin(ctx, in.Login); err == nil {
			rep.UsersKept++
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return rep, err
		}
		if logins[in.Login] {
			bad("users[%d].login: %s appears twice in the file", i, in.Login)
			continue
		}
		logins[in.Login] = true
		if !known[strings.TrimSpace(in.UnitCode)] {
			bad("users[%d].unit_code: no unit has the code %q", i, in.UnitCode)
			continue
		}
		u, err := accounts.Check(in)
		if err != nil {
			fe := failure.Public(err)
			bad("users[%d].%s: %s", i, fe.Field, fe.Message)
			continue
		}
		pw := in.Password
		if pw == "" {
			pw = accounts.Generate()
			rep.Passwords[u.Login] = pw
		}
		newUsers = append(newUsers, newUser{user: u, pw: pw})
	}
	if len(problems) > 0 {
		return Report{}, fmt.Errorf("organisation file has %d problems, nothing was stored:\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	for i := range newUsers {
		h, err := password.Hash(newUsers[i].pw)
		if err != nil {
			return Report{}, fmt.Errorf("hash password: %w", err)
		}
		newUsers[i].user.PasswordHash = h
	}
	codes := map[string]string{} // user login → unit code
	for i, in := range f.Users {
		codes[strings.TrimSpace(in.Login)] = strings.TrimSpace(f.Users[i].UnitCode)
	}
	err = st.Write(ctx, func(tx *store.Tx) error {
		ids := map[string]int64{}
		for _, u := range tree.Units() {
			ids[u.Code] = u.ID
		}
		for _, u := range newUnits {
			ou := org.Unit{Code: u.Code, Name: u.Name, Kind: u.Kind, HeadName: u.HeadName, HeadTitle: u.HeadTitle, ParentID: ids[u.Parent]}
			if err := tx.CreateUnit(store.System, &ou); err != nil {
				return err
			}
			ids[u.Code] = ou.ID
		}
		for _, nu := range newUsers {
			u := nu.user
			u.UnitID = ids[codes[u.Login]]
			if err := tx.CreateUser(store.System, &u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Report{}, fmt.Errorf("store organisation: %w", err)
	}
	rep.UnitsCreated, rep.UsersCreated = len(newUnits), len(newUsers)
	return rep, nil
}
