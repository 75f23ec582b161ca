// Package org describes the organisation: the tree of units (city →
// districts and counties → departments and townships), their heads, and the
// users who work in them with their roles.
package org

import (
	"fmt"
	"time"
)

// Unit kinds.
const (
	KindCity       = "city"
	KindDistrict   = "district"
	KindDepartment = "department"
	KindTownship   = "township"
)

// Unit is one node of the organisation tree.
type Unit struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	ParentID  int64     `json:"parent_id,omitempty"`
	Kind      string    `json:"kind"`
	HeadName  string    `json:"head_name"`
	HeadTitle string    `json:"head_title"`
	CreatedAt time.Time `json:"created_at"`
}

// Role is what a user does.
type Role string

// Roles.
const (
	RoleBureau    Role = "bureau"    // petition bureau staff (registrar)
	RoleHandler   Role = "handler"   // unit handler
	RoleHead      Role = "head"      // unit head (一把手)
	RoleLeader    Role = "leader"    // city leader
	RoleInspector Role = "inspector" // inspector (巡察)
	RoleAdmin     Role = "admin"     // administrator
)

// Roles lists every role.
var Roles = []Role{RoleBureau, RoleHandler, RoleHead, RoleLeader, RoleInspector, RoleAdmin}

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("role %q is not one of bureau, handler, head, leader, inspector, admin", s)
}

// UnitScoped reports whether the role sees only its own unit's cases.
func (r Role) UnitScoped() bool { return r == RoleHandler || r == RoleHead }

// User is a person who signs in.
type User struct {
	ID           int64      `json:"id"`
	Login        string     `json:"login"`
	Name         string     `json:"name"`
	Role         Role       `json:"role"`
	UnitID       int64      `json:"unit_id"`
	PasswordHash string     `json:"-"`
	Locale       string     `json:"locale"`
	Disabled     bool       `json:"disabled"`
	FailedLogins int        `json:"-"`
	LockedUntil  *time.Time `json:"-"`
	CreatedAt    time.Time  `json:"created_at"`
	// Email receives the escalation steps addressed to the user ("" : none).
	Email string `json:"email,omitempty"`
}

// Tree is the unit tree in memory, for scope checks.
type Tree struct {
	byID     map[int64]Unit
	byCode   map[string]Unit
	children map[int64][]int64
}

// NewTree indexes units.
func NewTree(units []Unit) *Tree {
	t := &Tree{byID: map[int64]Unit{}, byCode: map[string]Unit{}, children: map[int64][]int64{}}
	for _, u := range units {
		t.byID[u.ID] = u
		t.byCode[u.Code] = u
		if u.ParentID != 0 {
			t.children[u.ParentID] = append(t.children[u.ParentID], u.ID)
		}
	}
	return t
}

// Unit returns the unit with id.
func (t *Tree) Unit(id int64) (Unit, bool) { u, ok := t.byID[id]; return u, ok }

// ByCode returns the unit with code.
func (t *Tree) ByCode(code string) (Unit, bool) { u, ok := t.byCode[code]; return u, ok }

// Units returns every unit.
func (t *Tree) Units() []Unit {
	out := make([]Unit, 0, len(t.byID))
	for _, u := range t.byID {
		out = append(out, u)
	}
	return out
}

// Subtree returns id and every unit below it.
func (t *Tree) Subtree(id int64) []int64 {
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		out = append(out, t.children[out[i]]...)
	}
	return out
}

// Within reports whether unit id is ancestor or equal to unit of.
func (t *Tree) Within(id, ancestor int64) bool {
	for seen := 0; id != 0 && seen < 64; seen++ {
		if id == ancestor {
			return true
		}
		id = t.byID[id].ParentID
	}
	return false
}

// Parent returns the parent of unit id, if any.
func (t *Tree) Parent(id int64) (Unit, bool) {
	u, ok := t.byID[id]
	if !ok || u.ParentID == 0 {
		return Unit{}, false
	}
	return t.Unit(u.ParentID)
}

// IsDistrict reports whether code names the city or one of its districts and counties.
func (t *Tree) IsDistrict(code string) bool {
	u, ok := t.byCode[code]
	return ok && (u.Kind == KindDistrict || u.Kind == KindCity)
}

// Ancestors returns id and every unit above it.
func (t *Tree) Ancestors(id int64) []int64 {
	var out []int64
	for seen := 0; id != 0 && seen < 64; seen++ {
		out = append(out, id)
		id = t.byID[id].ParentID
	}
	return out
}
