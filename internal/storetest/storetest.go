// Package storetest opens a fresh, migrated store for a test, on the engine
// the test run is for: SQLite by default, PostgreSQL when REDRESS_TEST_DB
// holds a postgres:// URL. Each test gets its own PostgreSQL schema.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"redress/internal/org"
	"redress/internal/store"
)

// EnvDB names the environment variable that selects PostgreSQL for tests.
const EnvDB = "REDRESS_TEST_DB"

// DSN returns a connection string for a fresh database for t: a new SQLite
// file, or a new schema on the PostgreSQL server, dropped when t ends.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvDB)
	if !store.IsPostgres(base) {
		return "sqlite:" + t.TempDir() + "/redress.db"
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvDB, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a migrated, bootstrapped store on a fresh database.
func Open(t testing.TB) *store.Store {
	t.Helper()
	return OpenDSN(t, DSN(t))
}

// OpenDSN opens, migrates and bootstraps the store at dsn, closing it when t ends.
func OpenDSN(t testing.TB, dsn string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{DSN: dsn})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if err := st.Bootstrap(ctx); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	return st
}

// Org is a small organisation for tests.
type Org struct {
	City, Lianshan, Xingcheng, Bureau, Housing, HRSS, XCHousing org.Unit
	Users                                                       map[string]org.User
}

// Seed creates a small organisation: the city, two districts, the petition
// bureau, two city departments and one district department, with one user
// per role: bureau, admin, leader, inspector, zjj (handler, housing),
// zjj-head (head, housing), rsj (handler, HR), xc-zjj (handler, 兴城市住建局).
func Seed(t testing.TB, st *store.Store) *Org {
	t.Helper()
	o := &Org{Users: map[string]org.User{}}
	err := st.Write(context.Background(), func(tx *store.Tx) error {
		mk := func(u *org.Unit, code, name, kind string, parent int64) error {
			*u = org.Unit{Code: code, Name: name, Kind: kind, ParentID: parent, HeadName: "负责人" + code, HeadTitle: "局长"}
			return tx.CreateUnit(store.System, u)
		}
		steps := []func() error{
			func() error { return mk(&o.City, "211400", "葫芦岛市", org.KindCity, 0) },
			func() error { return mk(&o.Lianshan, "211402", "连山区", org.KindDistrict, o.City.ID) },
			func() error { return mk(&o.Xingcheng, "211481", "兴城市", org.KindDistrict, o.City.ID) },
			func() error { return mk(&o.Bureau, "211400-xfj", "市信访局", org.KindDepartment, o.City.ID) },
			func() error { return mk(&o.Housing, "211400-zjj", "市住建局", org.KindDepartment, o.City.ID) },
			func() error { return mk(&o.HRSS, "211400-rsj", "市人社局", org.KindDepartment, o.City.ID) },
			func() error {
				return mk(&o.XCHousing, "211481-zjj", "兴城市住建局", org.KindDepartment, o.Xingcheng.ID)
			},
		}
		for _, s := range steps {
			if err := s(); err != nil {
				return err
			}
		}
		for _, u := range []org.User{
			{Login: "bureau", Name: "李登记", Role: org.RoleBureau, UnitID: o.Bureau.ID},
			{Login: "admin", Name: "管理员", Role: org.RoleAdmin, UnitID: o.Bureau.ID},
			{Login: "leader", Name: "王副市长", Role: org.RoleLeader, UnitID: o.City.ID},
			{Login: "inspector", Name: "赵巡察", Role: org.RoleInspector, UnitID: o.City.ID},
			{Login: "zjj", Name: "孙经办", Role: org.RoleHandler, UnitID: o.Housing.ID},
			{Login: "zjj-head", Name: "周局长", Role: org.RoleHead, UnitID: o.Housing.ID},
			{Login: "rsj", Name: "吴经办", Role: org.RoleHandler, UnitID: o.HRSS.ID},
			{Login: "xc-zjj", Name: "郑经办", Role: org.RoleHandler, UnitID: o.XCHousing.ID},
		} {
			u := u
			if err := tx.CreateUser(store.System, &u); err != nil {
				return err
			}
			o.Users[u.Login] = u
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed organisation: %v", err)
	}
	return o
}
