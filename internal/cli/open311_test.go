package cli_test

import (
	"context"
	"strings"
	"testing"

	"redress/internal/store"
)

func TestOpen311KeyCreate(t *testing.T) {
	dsn, st := seeded(t)
	r := redress(t, "open311", "key", "create", "--name", "12345 小程序", "--db", dsn)
	key := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(key, store.Open311KeyPrefix) {
		t.Fatalf("open311 key create: %+v", r)
	}
	if _, err := st.Open311KeyID(context.Background(), key); err != nil {
		t.Fatalf("the printed key does not authenticate: %v", err)
	}
	var stored int
	if err := st.DB().QueryRow("SELECT COUNT(*) FROM open311_keys WHERE key_hash = '" + key + "'").Scan(&stored); err != nil || stored != 0 {
		t.Fatalf("the key is stored in clear: %d %v", stored, err)
	}
	if r := redress(t, "open311", "key", "--db", dsn); r.code != 2 {
		t.Fatalf("incomplete command: %+v", r)
	}
}
