// Package access decides who may see a case and how much of the
// petitioner's personal data they see. Personal data is shown only to those
// whose work needs it, and an accusation (检举) never reaches the accused
// unit (《信访工作条例》第三十条).
package access

import (
	"strings"
	"unicode/utf8"

	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// CanSee reports whether user may open the case.
func CanSee(u org.User, t *org.Tree, c *petition.Case) bool {
	if Accused(u, t, &c.Petition) {
		return false
	}
	if !u.Role.UnitScoped() {
		return true
	}
	for _, a := range c.Assignments {
		if t.Within(a.UnitID, u.UnitID) {
			return true
		}
	}
	return false
}

// Accused reports whether the user works in (or under) the unit an accusation is against.
func Accused(u org.User, t *org.Tree, p *petition.Petition) bool {
	return p.Accusation && p.AccusedUnitID != 0 && t.Within(u.UnitID, p.AccusedUnitID)
}

// Scope returns the list restriction for user, nil if it sees everything
// (accusations against its own unit are still hidden from non-scoped roles by the Accusers list).
func Scope(u org.User, t *org.Tree) *store.Scope {
	if !u.Role.UnitScoped() {
		return &store.Scope{All: true, Accusers: t.Ancestors(u.UnitID)}
	}
	return &store.Scope{UnitIDs: t.Subtree(u.UnitID), Accusers: t.Ancestors(u.UnitID)}
}

// Level is how much personal data a viewer sees.
type Level int

// Levels of personal data.
const (
	Full    Level = iota // everything
	Contact              // name, phone and address; ID number masked
	Named                // name only; phone, ID number and address masked
	Hidden               // nothing: the petitioner is kept confidential
)

// LevelFor returns how much of a case's petitioner data user may see.
func LevelFor(u org.User, p *petition.Petition) Level {
	switch u.Role {
	case org.RoleBureau:
		return Full
	case org.RoleHandler, org.RoleHead:
		if p.Accusation {
			return Hidden
		}
		return Contact
	default:
		if p.Accusation {
			return Hidden
		}
		return Named
	}
}

// MaskPetitioner returns the petitioner as user may see it.
func MaskPetitioner(pr petition.Petitioner, lvl Level) petition.Petitioner {
	switch lvl {
	case Full:
		return pr
	case Contact:
		pr.IDNumber = MaskIDNumber(pr.IDNumber)
	case Named:
		pr.IDNumber = MaskIDNumber(pr.IDNumber)
		pr.Phone = MaskPhone(pr.Phone)
		pr.Address = MaskAddress(pr.Address)
	case Hidden:
		return petition.Petitioner{ID: 0, Kind: pr.Kind, Name: "（信访人信息保密）", DistrictCode: pr.DistrictCode}
	}
	return pr
}

// MaskCase returns a copy of c with personal data masked for user.
func MaskCase(u org.User, c *petition.Case) *petition.Case {
	out := *c
	lvl := LevelFor(u, &c.Petition)
	out.Petitioner = MaskPetitioner(c.Petitioner, lvl)
	if lvl != Full {
		out.Petition.PetitionerID = 0
	}
	if lvl == Hidden || lvl == Named {
		out.Petition.Address = MaskAddress(c.Petition.Address)
	}
	return &out
}

// MaskName keeps the family name: 张三丰 → 张**.
func MaskName(s string) string {
	if s == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(s)
	_ = r
	return s[:size] + strings.Repeat("*", max(1, utf8.RuneCountInString(s)-1))
}

// MaskIDNumber keeps the first 6 (area) and last 4 characters.
func MaskIDNumber(s string) string {
	if len(s) <= 10 {
		return strings.Repeat("*", len(s))
	}
	return s[:6] + strings.Repeat("*", len(s)-10) + s[len(s)-4:]
}

// MaskPhone keeps the first 3 and last 4 digits.
func MaskPhone(s string) string {
	if len(s) <= 7 {
		return strings.Repeat("*", len(s))
	}
	return s[:3] + strings.Repeat("*", len(s)-7) + s[len(s)-4:]
}

// MaskAddress keeps the first 6 characters (district and street level).
func MaskAddress(s string) string {
	rs := []rune(s)
	if len(rs) <= 6 {
		return s
	}
	return string(rs[:6]) + "****"
}
