package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"redress/internal/password"
)

// TestAdminManagesAccounts: an administrator creates an account (errors
// beside the field, nothing stored on error), the new user signs in with the
// generated password, the administrator sets an email and disables the
// account, which ends its session; other roles may not open the pages.
func TestAdminManagesAccounts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.client()
	admin.login("admin")
	before, _ := e.st.Users(ctx)

	p := admin.post("/admin/users/new", url.Values{"login": {"Bad Login"}, "name": {"李四"}, "role": {"handler"}, "unit_code": {"211400-zjj"}})
	if p.status != 422 || !strings.Contains(p.body, `id="err-login"`) || !strings.Contains(p.body, "小写字母") {
		t.Fatalf("bad login: %d %s", p.status, p.body)
	}
	p = admin.post("/admin/users/new", url.Values{"login": {"lisi"}, "name": {"李四"}, "role": {"handler"}, "unit_code": {"211400-zjj"}, "password": {"short"}})
	if p.status != 422 || !strings.Contains(p.body, `id="err-password"`) {
		t.Fatalf("short password: %d", p.status)
	}
	p = admin.post("/admin/users/new", url.Values{"login": {"lisi"}, "name": {"李四"}, "role": {"handler"}, "unit_code": {"nowhere"}})
	if p.status != 422 || !strings.Contains(p.body, `id="err-unit_code"`) {
		t.Fatalf("unknown unit: %d", p.status)
	}
	if after, _ := e.st.Users(ctx); len(after) != len(before) {
		t.Fatalf("a refused form stored a user: %d → %d", len(before), len(after))
	}
	p = admin.post("/admin/users/new", url.Values{"login": {"lisi"}, "name": {"李四"}, "role": {"handler"}, "unit_code": {"211400-zjj"}})
	if p.status != 201 || !strings.Contains(p.body, `id="user-password"`) {
		t.Fatalf("create: %d %s", p.status, p.body)
	}
	i := strings.Index(p.body, `id="user-password"`)
	j := strings.Index(p.body[i:], "<code>") + i + len("<code>")
	pw := p.body[j : j+strings.Index(p.body[j:], "</code>")]
	u, err := e.st.UserByLogin(ctx, "lisi")
	if err != nil || password.Check(u.PasswordHash, pw) != nil || u.Name != "李四" {
		t.Fatalf("stored user %+v (%v); generated password %q", u, err, pw)
	}
	dup := admin.post("/admin/users/new", url.Values{"login": {"lisi"}, "name": {"李四"}, "role": {"handler"}, "unit_code": {"211400-zjj"}})
	if dup.status != 422 || !strings.Contains(dup.body, `id="err-login"`) {
		t.Fatalf("duplicate login: %d", dup.status)
	}

	lisi := e.client()
	lisi.post("/login", url.Values{"login": {"lisi"}, "password": {pw}})
	if h := lisi.get("/home"); h.status != 200 || !strings.Contains(h.body, "李四") {
		t.Fatalf("new user's home: %d", h.status)
	}
	if h := lisi.get("/admin/users"); h.status != 403 {
		t.Fatalf("a handler opened the users page: %d", h.status)
	}
	if h := lisi.post("/admin/users/new", url.Values{"login": {"x1"}, "name": {"x"}, "role": {"admin"}, "unit_code": {"211400-zjj"}}); h.status != 403 {
		t.Fatalf("a handler created an account: %d", h.status)
	}

	id := "/admin/users/" + strconv.FormatInt(u.ID, 10)
	p = admin.post(id, url.Values{"name": {"李四"}, "role": {"handler"}, "unit_code": {"211400-zjj"}, "email": {"not-an-email"}})
	if p.status != 422 || !strings.Contains(p.body, `id="err-email"`) {
		t.Fatalf("bad email: %d", p.status)
	}
	p = admin.post(id, url.Values{"name": {"李四"}, "role": {"handler"}, "unit_code": {"211400-zjj"}, "email": {"lisi@hld.example"}, "disabled": {"1"}})
	if p.status != 303 {
		t.Fatalf("save: %d %s", p.status, p.body)
	}
	u, _ = e.st.UserByLogin(ctx, "lisi")
	if u.Email != "lisi@hld.example" || !u.Disabled {
		t.Fatalf("after save: %+v", u)
	}
	if h := lisi.get("/home"); h.status == 200 {
		t.Fatal("a disabled user's session still works")
	}
	self := "/admin/users/" + strconv.FormatInt(e.user("admin").ID, 10)
	if p := admin.post(self, url.Values{"role": {"admin"}, "disabled": {"1"}}); p.status != 422 || !strings.Contains(p.body, `id="err-disabled"`) {
		t.Fatalf("admin disabled themself: %d", p.status)
	}
	entries, err := e.st.AuditFor(ctx, "user", strconv.FormatInt(u.ID, 10), 10)
	if err != nil || len(entries) < 2 {
		t.Fatalf("account changes audited %d times (%v)", len(entries), err)
	}
	for _, en := range entries {
		if strings.Contains(en.After, "argon2") {
			t.Fatal("a password hash reached the audit log")
		}
	}
}
