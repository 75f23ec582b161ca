package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/lifecycle"
	"redress/internal/matters"
	"redress/internal/server"
	"redress/internal/store"
	"redress/internal/storetest"
)

// newRepeatsEnv is newEnv with repeat detection on intake, as serve runs it.
func newRepeatsEnv(t *testing.T) *env {
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location)}
	svc := lifecycle.New(st, clk.Now)
	svc.AddIntakeHook(matters.NewDetector(matters.DetectorOptions{}))
	srv := httptest.NewServer(server.Handler(svc, server.Options{MaxBodyBytes: 64 << 10}))
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, tokens: map[string]string{}, st: st}
	for login, u := range o.Users {
		err := st.Write(context.Background(), func(tx *store.Tx) error {
			tok, err := tx.CreateToken(store.System, u.ID, "test", nil)
			e.tokens[login] = tok
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func TestRepeatsOverHTTP(t *testing.T) {
	e := newRepeatsEnv(t)
	a := e.must(e.call("bureau", "POST", "/api/v1/petitions", record("R-1", "幸福小区供暖不热", "幸福小区3号楼室温长期低于16度，多次找热力公司未解决，请求督促供暖达标。")), 201)
	e.must(e.call("bureau", "POST", fmt.Sprintf("/api/v1/petitions/%v/accept", a.body["id"]), nil), 200)
	b := e.must(e.call("bureau", "POST", "/api/v1/petitions", record("R-2", "再次反映幸福小区暖气不热", "再次反映幸福小区3号楼家里暖气不热，室温只有十几度，热力公司一直不管，请督促解决供暖。")), 201)
	rel, _ := b.body["related"].([]any)
	if len(rel) == 0 || rel[0].(map[string]any)["petition_id"] != a.body["id"] {
		t.Fatalf("related: %s", b.raw)
	}
	r := e.must(e.call("inspector", "GET", "/api/v1/repeats/candidates?decision=pending", nil), 200)
	items := r.body["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("candidates: %s", r.raw)
	}
	e.must(e.call("zjj", "GET", "/api/v1/repeats/candidates", nil), 403)
	c := fmt.Sprintf("/api/v1/repeats/candidates/%v", items[0].(map[string]any)["id"])
	e.must(e.call("inspector", "POST", c+"/confirm", map[string]any{}), 403)
	r = e.must(e.call("bureau", "POST", c+"/confirm", map[string]any{"note": "同一事项"}), 200)
	if r.body["declined"] != true || r.body["reference_id"] != a.body["id"] {
		t.Fatalf("confirm: %s", r.raw)
	}
	e.must(e.call("bureau", "POST", c+"/reject", map[string]any{}), 409)
	m := e.must(e.call("leader", "GET", fmt.Sprintf("/api/v1/matters/%v", r.body["matter_id"]), nil), 200)
	if m.body["petitions"] != float64(2) || m.body["petitioners"] != float64(1) || len(m.body["items"].([]any)) != 2 {
		t.Fatalf("matter: %s", m.raw)
	}
	e.must(e.call("leader", "GET", "/api/v1/matters/999999", nil), 404)
	f := e.must(e.call("inspector", "GET", "/api/v1/petitioners/frequent?min=2", nil), 200)
	fs := f.body["items"].([]any)
	if len(fs) != 1 || fs[0].(map[string]any)["petitions"] != float64(2) || fs[0].(map[string]any)["id_number"] == "211402196505120027" {
		t.Fatalf("frequent: %s", f.raw)
	}
	rt := e.must(e.call("zjj", "GET", "/api/v1/rates?from=2026-03-01&to=2026-03-31", nil), 200)
	if cats, _ := rt.body["categories"].([]any); len(cats) != 3 {
		t.Fatalf("rates: %s", rt.raw)
	}
	e.must(e.call("zjj", "GET", "/api/v1/rates?open_days=x", nil), 400)
}
