package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"redress/internal/cli"
	"redress/internal/store"
	"redress/internal/storetest"
)

type run struct {
	code           int
	stdout, stderr string
}

func redress(t *testing.T, args ...string) run {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), args, &cli.Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return run{code, out.String(), errb.String()}
}

// seeded returns the DSN of a fresh, migrated database with the test organisation.
func seeded(t *testing.T) (string, *store.Store) {
	dsn := storetest.DSN(t)
	st := storetest.OpenDSN(t, dsn)
	storetest.Seed(t, st)
	return dsn, st
}

func exec(t *testing.T, st *store.Store, q string, args ...any) {
	t.Helper()
	if st.Engine() == store.Postgres {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
		}
	}
	if _, err := st.DB().Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func count(t *testing.T, st *store.Store, table string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCalendarCommands(t *testing.T) {
	dir := t.TempDir()
	r := redress(t, "calendar", "add", "2026-02-13", "5", "--unit", "working", "--data-dir", dir)
	if r.code != 0 || r.stdout != "2026-02-27\n" {
		t.Fatalf("calendar add: %+v", r)
	}
	r = redress(t, "calendar", "add", "2026-02-13", "15", "--data-dir", dir)
	if r.code != 0 || r.stdout != "2026-02-28\n" {
		t.Fatalf("calendar add calendar days: %+v", r)
	}
	r = redress(t, "calendar", "show", "2026", "--data-dir", dir)
	for _, want := range []string{"2026-02-14 周六", "2026-10-07", "2026-09-20 周日", "春节"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("calendar show 2026 lacks %q:\n%s", want, r.stdout)
		}
	}
	if r := redress(t, "calendar", "add", "2026-02-31", "5", "--data-dir", dir); r.code != 2 || !strings.Contains(r.stderr, "YYYY-MM-DD") {
		t.Fatalf("bad date: %+v", r)
	}
	if r := redress(t, "calendar", "add", "2026-02-13", "5", "--unit", "weeks", "--data-dir", dir); r.code != 2 {
		t.Fatalf("bad unit: %+v", r)
	}
	if r := redress(t, "calendar", "show", "2031", "--data-dir", dir); r.code != 1 || !strings.Contains(r.stderr, "no holiday arrangement") {
		t.Fatalf("unknown year: %+v", r)
	}
}

func TestServeRefusesOldSchema(t *testing.T) {
	dsn := storetest.DSN(t)
	r := redress(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	if r.code != 1 || !strings.Contains(r.stderr, "redress migrate") {
		t.Fatalf("serve on an empty database: %+v", r)
	}
	r = redress(t, "migrate", "--db", dsn)
	if r.code != 0 || !strings.Contains(r.stdout, "schema is at version") {
		t.Fatalf("migrate: %+v", r)
	}
	r = redress(t, "migrate", "--db", dsn)
	if r.code != 0 || !strings.Contains(r.stdout, "up to date") {
		t.Fatalf("migrate again: %+v", r)
	}
}

func TestTokenAndConfig(t *testing.T) {
	dsn, _ := seeded(t)
	r := redress(t, "token", "create", "--user", "bureau", "--db", dsn)
	if r.code != 0 || !strings.HasPrefix(r.stdout, store.TokenPrefix) {
		t.Fatalf("token create: %+v", r)
	}
	if r := redress(t, "token", "create", "--user", "nobody", "--db", dsn); r.code != 2 || !strings.Contains(r.stderr, "nobody") {
		t.Fatalf("token for a missing user: %+v", r)
	}
	r = redress(t, "config", "--db", "postgres://u:hunter2@db/redress")
	if r.code != 0 || strings.Contains(r.stdout, "hunter2") || !strings.Contains(r.stdout, "REDRESS_ADDR") {
		t.Fatalf("config: %+v", r)
	}
	if r := redress(t, "bogus"); r.code != 2 {
		t.Fatalf("unknown command: %+v", r)
	}
}

func TestAuditVerifyDetectsTampering(t *testing.T) {
	dsn, st := seeded(t)
	r := redress(t, "audit", "verify", "--db", dsn)
	if r.code != 0 || !strings.Contains(r.stdout, "verified") {
		t.Fatalf("clean chain: %+v", r)
	}
	exec(t, st, "UPDATE audit_log SET after_json = ? WHERE seq = ?", `{"login":"mallory"}`, 5)
	r = redress(t, "audit", "verify", "--db", dsn)
	if r.code != 1 || !strings.Contains(r.stderr, "entry 5") {
		t.Fatalf("altered entry: %+v", r)
	}
}

func TestAuditVerifyDetectsDeletion(t *testing.T) {
	dsn, st := seeded(t)
	exec(t, st, "DELETE FROM audit_log WHERE seq = ?", 3)
	r := redress(t, "audit", "verify", "--db", dsn)
	if r.code != 1 || !strings.Contains(r.stderr, "entry 3") {
		t.Fatalf("deleted entry: %+v", r)
	}
	dsn2, st2 := seeded(t)
	var last int64
	if err := st2.DB().QueryRow("SELECT MAX(seq) FROM audit_log").Scan(&last); err != nil {
		t.Fatal(err)
	}
	exec(t, st2, "DELETE FROM audit_log WHERE seq = ?", last)
	r = redress(t, "audit", "verify", "--db", dsn2)
	if r.code != 1 || !strings.Contains(r.stderr, fmt.Sprintf("entry %d", last)) {
		t.Fatalf("deleted last entry: %+v", r)
	}
}

const goodLine = `{"external_id":"%s","received_at":"2026-03-02T09:00:00+08:00","channel":"letter","petitioner_name":"王秀兰","petitioner_id_number":"%s","phone":"13904291234","district_code":"211402","address":"连山区站前街道","title":"供暖不热","content":"幸福小区3号楼室温不足16度"}`

func writeFile(t *testing.T, lines ...string) string {
	p := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportIdempotent(t *testing.T) {
	dsn, st := seeded(t)
	f := writeFile(t, fmt.Sprintf(goodLine, "I-1", "211402196505120027"), "", fmt.Sprintf(goodLine, "I-2", ""), fmt.Sprintf(goodLine, "I-3", "11010519491231002X"))
	r := redress(t, "import", f, "--db", dsn)
	if r.code != 0 || !strings.Contains(r.stdout, "imported 3 new petitions, 0 already present") {
		t.Fatalf("import: %+v", r)
	}
	r = redress(t, "import", f, "--db", dsn)
	if r.code != 0 || !strings.Contains(r.stdout, "imported 0 new petitions, 3 already present") {
		t.Fatalf("re-import: %+v", r)
	}
	if n := count(t, st, "petitions"); n != 3 {
		t.Fatalf("%d petitions stored, want 3", n)
	}
}

func TestImportBadLinesStoreNothing(t *testing.T) {
	dsn, st := seeded(t)
	auditBefore := count(t, st, "audit_log")
	f := writeFile(t,
		fmt.Sprintf(goodLine, "B-1", ""),
		fmt.Sprintf(goodLine, "B-2", "211402196505120028"), // wrong check digit
		`{"external_id": "B-3", "channel": `,               // broken JSON
		strings.Replace(fmt.Sprintf(goodLine, "B-4", ""), `"letter"`, `"fax"`, 1),
		fmt.Sprintf(goodLine, "B-1", ""), // duplicate in the file
		strings.Replace(fmt.Sprintf(goodLine, "B-6", ""), `2026-03-02T09:00:00+08:00`, `yesterday`, 1),
		fmt.Sprintf(goodLine, "B-7", ""),
	)
	r := redress(t, "import", f, "--db", dsn)
	if r.code != 1 {
		t.Fatalf("import with bad lines: %+v", r)
	}
	for _, want := range []string{":2: petitioner_id_number", ":3: not valid JSON", ":4: channel \"fax\"", ":5: external_id \"B-1\" already appears on line 1", ":6: received_at", "nothing was imported"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if n := count(t, st, "petitions"); n != 0 {
		t.Fatalf("%d petitions stored after a refused import", n)
	}
	if n := count(t, st, "audit_log"); n != auditBefore {
		t.Fatalf("audit log grew by %d after a refused import", n-auditBefore)
	}
	rejects := filepath.Join(t.TempDir(), "rejects.jsonl")
	r = redress(t, "import", f, "--db", dsn, "--skip-invalid", "--rejects", rejects)
	if r.code != 0 || !strings.Contains(r.stdout, "imported 2 new petitions") || !strings.Contains(r.stdout, "5 invalid lines") {
		t.Fatalf("--skip-invalid: %+v", r)
	}
	b, err := os.ReadFile(rejects)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(b), "\n"); got != 5 || !strings.Contains(string(b), `"line":2`) {
		t.Fatalf("rejects file:\n%s", b)
	}
	if n := count(t, st, "petitions"); n != 2 {
		t.Fatalf("%d petitions stored, want 2", n)
	}
}
