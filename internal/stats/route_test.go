package stats_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"redress/internal/api"
	"redress/internal/calendar"
	"redress/internal/lifecycle"
	"redress/internal/store"
	"redress/internal/storetest"
)

// TestRoutes drives GET /api/v1/stats/dashboard and /stats/months over HTTP.
func TestRoutes(t *testing.T) {
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	clk := &clock{}
	f := &fixture{t: t, svc: lifecycle.New(st, clk.Now), clk: clk, org: o}
	f.petition(at(3, 2, 9, 0), "211402")
	clk.Set(at(3, 10, 9, 0))
	mux := http.NewServeMux()
	api.New(f.svc, 0).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tokens := map[string]string{}
	for _, login := range []string{"bureau", "zjj"} {
		if err := st.Write(context.Background(), func(tx *store.Tx) error {
			tok, err := tx.CreateToken(store.System, o.Users[login].ID, "test", nil)
			tokens[login] = tok
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	get := func(who, path string, status int) map[string]any {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tokens[who])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		if res.StatusCode != status {
			t.Fatalf("GET %s as %s: %d, want %d: %s", path, who, res.StatusCode, status, raw)
		}
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		return body
	}
	d := get("bureau", "/api/v1/stats/dashboard?from=2026-03-01&to=2026-03-02", 200)
	if d["total_received"] != float64(1) || len(d["received"].([]any)) != 2 || d["open"] != float64(1) {
		t.Errorf("dashboard: %v", d)
	}
	// The default period is the 30 days up to today.
	d = get("bureau", "/api/v1/stats/dashboard", 200)
	if p := d["period"].(map[string]any); p["to"] != "2026-03-10" || p["from"] != calendar.NewDate(2026, 3, 10).AddDays(-29).String() {
		t.Errorf("default period %v", p)
	}
	if d = get("zjj", "/api/v1/stats/dashboard", 200); d["total_received"] != float64(0) {
		t.Errorf("a unit sees a petition not assigned to it: %v", d)
	}
	get("bureau", "/api/v1/stats/dashboard?from=2026-03-05&to=2026-03-01", 400)
	get("bureau", "/api/v1/stats/dashboard?from=March", 400)
	m := get("bureau", "/api/v1/stats/months", 200)
	if m["this"].(map[string]any)["received"] != float64(1) || m["last_month"].(map[string]any)["from"] != "2026-02-01" {
		t.Errorf("months: %v", m)
	}
}
