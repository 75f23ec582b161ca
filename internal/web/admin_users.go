package web

import (
	"net/http"
)

// usersPage lists every user for an administrator.
type usersPage struct {
	Users []userRow
}

type userRow struct {
	ID                                     int64
	Login, Name, Role, Unit, Locale, Email string
	Disabled, Locked                       bool
}

func (w *Web) adminUsers(rw http.ResponseWriter, r *http.Request, s *session) {
	us, err := w.st.Users(r.Context())
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	now := w.svc.Now()
	var p usersPage
	for _, u := range us {
		name := ""
		if unit, ok := s.tree.Unit(u.UnitID); ok {
			name = unit.Name
		}
		p.Users = append(p.Users, userRow{ID: u.ID, Email: u.Email, Login: u.Login, Name: u.Name, Role: string(u.Role), Unit: name, Locale: u.Locale,
			Disabled: u.Disabled, Locked: u.LockedUntil != nil && u.LockedUntil.After(now)})
	}
	w.render(rw, r, s, http.StatusOK, "users", p)
}
