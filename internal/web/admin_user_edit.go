package web

import (
	"net/http"
	"slices"
	"strconv"

	"redress/internal/accounts"
	"redress/internal/failure"
	"redress/internal/org"
)

// userForm is the page that creates an account (ID 0) or changes one.
type userForm struct {
	ID       int64
	Login    string
	Values   map[string]string
	Errors   map[string]string
	Units    []org.Unit
	Roles    []org.Role
	Disabled bool
	Locked   bool
	// Password is shown once, after an account is created with a
	// generated password or a password is reset.
	Password string
	Saved    bool
}

func (w *Web) newUserForm(s *session) userForm {
	units := s.tree.Units()
	slices.SortFunc(units, func(a, b org.Unit) int {
		if a.Code < b.Code {
			return -1
		}
		if a.Code > b.Code {
			return 1
		}
		return 0
	})
	return userForm{Values: map[string]string{}, Errors: map[string]string{}, Units: units, Roles: org.Roles}
}

// adminUserNew shows the empty account form.
func (w *Web) adminUserNew(rw http.ResponseWriter, r *http.Request, s *session) {
	p := w.newUserForm(s)
	p.Values["role"] = string(org.RoleHandler)
	w.render(rw, r, s, http.StatusOK, "user_form", p)
}

// adminUserCreate creates an account; without a password one is generated
// and shown once.
func (w *Web) adminUserCreate(rw http.ResponseWriter, r *http.Request, s *session) {
	p := w.newUserForm(s)
	for _, f := range []string{"login", "name", "role", "unit_code", "email", "password"} {
		p.Values[f] = r.PostFormValue(f)
	}
	u, pw, err := accounts.Create(r.Context(), w.st, s.user, accounts.Input{Login: p.Values["login"], Name: p.Values["name"],
		Role: p.Values["role"], UnitCode: p.Values["unit_code"], Email: p.Values["email"], Password: p.Values["password"]})
	p.Values["password"] = ""
	if err != nil {
		w.userFormError(rw, r, s, p, err)
		return
	}
	p = w.userFormOf(s, u)
	p.Saved = true
	if r.PostFormValue("password") == "" {
		p.Password = pw
	}
	w.render(rw, r, s, http.StatusCreated, "user_form", p)
}

func (w *Web) userFormOf(s *session, u org.User) userForm {
	p := w.newUserForm(s)
	p.ID, p.Login, p.Disabled = u.ID, u.Login, u.Disabled
	p.Locked = u.LockedUntil != nil && u.LockedUntil.After(w.svc.Now())
	unit, _ := s.tree.Unit(u.UnitID)
	p.Values = map[string]string{"login": u.Login, "name": u.Name, "role": string(u.Role), "unit_code": unit.Code, "email": u.Email}
	return p
}

func (w *Web) userFormError(rw http.ResponseWriter, r *http.Request, s *session, p userForm, err error) {
	fe := failure.Public(err)
	if fe.Status >= 500 || fe.Status == http.StatusForbidden || fe.Status == http.StatusNotFound {
		w.fail(rw, r, s, err)
		return
	}
	p.Errors[fe.Field] = w.cat.Error(s.locale, err)
	w.render(rw, r, s, http.StatusUnprocessableEntity, "user_form", p)
}

func (w *Web) userByPath(r *http.Request) (org.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return org.User{}, failure.NotFound("user")
	}
	u, err := w.st.UserByID(r.Context(), id)
	if err != nil {
		return u, failure.NotFound("user")
	}
	return u, nil
}

// adminUserShow shows an account's form.
func (w *Web) adminUserShow(rw http.ResponseWriter, r *http.Request, s *session) {
	u, err := w.userByPath(r)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	p := w.userFormOf(s, u)
	p.Saved = r.URL.Query().Get("saved") == "1"
	w.render(rw, r, s, http.StatusOK, "user_form", p)
}

// adminUserSave changes an account: name, role, unit, email, disabled,
// a new password, unlock.
func (w *Web) adminUserSave(rw http.ResponseWriter, r *http.Request, s *session) {
	u, err := w.userByPath(r)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	email := r.PostFormValue("email")
	disabled := r.PostFormValue("disabled") != ""
	c := accounts.Change{Name: r.PostFormValue("name"), Role: r.PostFormValue("role"), UnitCode: r.PostFormValue("unit_code"),
		Email: &email, Disabled: &disabled, Password: r.PostFormValue("password"), Unlock: r.PostFormValue("unlock") != ""}
	if _, err := accounts.Update(r.Context(), w.st, s.user, u.ID, c); err != nil {
		p := w.userFormOf(s, u)
		for _, f := range []string{"name", "role", "unit_code", "email"} {
			p.Values[f] = r.PostFormValue(f)
		}
		p.Disabled = disabled
		w.userFormError(rw, r, s, p, err)
		return
	}
	http.Redirect(rw, r, "/admin/users/"+strconv.FormatInt(u.ID, 10)+"?saved=1", http.StatusSeeOther)
}
