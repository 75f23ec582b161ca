package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"redress/internal/storetest"
)

const orgFile = `{
 "units": [
  {"code": "210100", "name": "沈阳市", "kind": "city", "head_name": "王市长", "head_title": "市长"},
  {"code": "210100-xfj", "name": "市信访局", "parent": "210100", "kind": "department", "head_name": "李局长", "head_title": "局长"},
  {"code": "210102", "name": "和平区", "parent": "210100", "kind": "district", "head_name": "赵区长", "head_title": "区长"}
 ],
 "users": [
  {"login": "admin", "name": "管理员", "role": "admin", "unit_code": "210100-xfj", "password": "correct horse battery"},
  {"login": "dengji", "name": "登记员", "role": "bureau", "unit_code": "210100-xfj", "email": "dengji@sy.example"}
 ]
}`

// TestOrgImport: a new database gets its units and accounts from a file;
// a generated password is printed once; importing again changes nothing; a
// file with mistakes names each one and stores nothing.
func TestOrgImport(t *testing.T) {
	dsn := storetest.DSN(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "org.json")
	if err := os.WriteFile(good, []byte(orgFile), 0o600); err != nil {
		t.Fatal(err)
	}
	r := redress(t, "org", "import", good, "--db", dsn)
	if r.code != 0 || !strings.Contains(r.stdout, "units: 3 created, 0 already present; accounts: 2 created, 0 already present") ||
		!strings.Contains(r.stdout, "dengji") || strings.Contains(r.stdout, "correct horse") {
		t.Fatalf("org import: %+v", r)
	}
	st := storetest.OpenDSN(t, dsn)
	u, err := st.UserByLogin(t.Context(), "dengji")
	if err != nil || u.Email != "dengji@sy.example" || u.PasswordHash == "" {
		t.Fatalf("imported user %+v (%v)", u, err)
	}
	r = redress(t, "org", "import", good, "--db", dsn)
	if r.code != 0 || !strings.Contains(r.stdout, "units: 0 created, 3 already present; accounts: 0 created, 2 already present") {
		t.Fatalf("re-import: %+v", r)
	}
	auditBefore := count(t, st, "audit_log")
	bad := filepath.Join(dir, "bad.json")
	badFile := strings.NewReplacer(`"210102", "name": "和平区", "parent": "210100"`, `"210103", "name": "沈河区", "parent": "210199"`,
		`"login": "dengji"`, `"login": "Deng Ji"`).Replace(orgFile)
	badFile = strings.Replace(badFile, `"users": [`, `"users": [
  {"login": "keshi", "name": "科室", "role": "clerk", "unit_code": "210100-xfj"},`, 1)
	if err := os.WriteFile(bad, []byte(badFile), 0o600); err != nil {
		t.Fatal(err)
	}
	r = redress(t, "org", "import", bad, "--db", dsn)
	if r.code != 1 {
		t.Fatalf("bad file accepted: %+v", r)
	}
	for _, want := range []string{"units[2].parent: 210199", "users[0].role", "users[2].login", "nothing was stored"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if n := count(t, st, "units"); n != 3 {
		t.Fatalf("%d units after a refused import", n)
	}
	if n := count(t, st, "audit_log"); n != auditBefore {
		t.Fatalf("audit log grew from %d to %d on a refused import", auditBefore, n)
	}
}
