package api_test

import (
	"fmt"
	"testing"
)

func TestProblemsOverHTTP(t *testing.T) {
	e := newRepeatsEnv(t)
	r := e.must(e.call("bureau", "POST", "/api/v1/petitions", record("P-1", "锦绣华庭办不了房产证", "房款早已付清，锦绣华庭小区业主至今办不了不动产权证书。")), 201)
	c := e.must(e.call("bureau", "GET", fmt.Sprintf("/api/v1/petitions/%v", r.body["id"]), nil), 200)
	matter := c.body["petition"].(map[string]any)["matter_id"]
	e.must(e.call("bureau", "POST", "/api/v1/problems", map[string]any{"title": "办证难"}), 403)
	p := e.must(e.call("leader", "POST", "/api/v1/problems", map[string]any{"title": "锦绣华庭办证难", "plan": "分批办证"}), 201)
	path := fmt.Sprintf("/api/v1/problems/%v", p.body["id"])
	e.must(e.call("bureau", "POST", path+"/matters", map[string]any{"matter_id": matter}), 200)
	e.must(e.call("leader", "PATCH", path, map[string]any{"status": "in_progress"}), 200)
	m := e.must(e.call("leader", "POST", path+"/milestones", map[string]any{"title": "规划验收", "due_on": "2026-04-30"}), 201)
	e.must(e.call("leader", "POST", fmt.Sprintf("%s/milestones/%v/done", path, m.body["id"]), nil), 204)
	e.must(e.call("bureau", "POST", path+"/notes", map[string]any{"text": "开发商已补正"}), 201)
	g := e.must(e.call("inspector", "GET", path, nil), 200)
	if g.body["status"] != "in_progress" || g.body["petitions"] != float64(1) || len(g.body["notes"].([]any)) != 1 {
		t.Fatalf("problem: %s", g.raw)
	}
	o := e.must(e.call("bureau", "GET", path+"/resolve", nil), 200)
	if len(o.body["items"].([]any)) != 1 {
		t.Fatalf("offer: %s", o.raw)
	}
	// Decline (the only step the bureau can take on a registered petition) resolves the problem.
	res := e.must(e.call("bureau", "POST", path+"/resolve", map[string]any{"steps": []map[string]any{
		{"petition_id": r.body["id"], "action": "decline", "input": map[string]any{"reason": "已通过诉讼途径解决"}}}}), 200)
	if res.body["problem"].(map[string]any)["status"] != "resolved" {
		t.Fatalf("resolve: %s", res.raw)
	}
	if l := e.must(e.call("leader", "GET", "/api/v1/problems?status=resolved", nil), 200); len(l.body["items"].([]any)) != 1 {
		t.Fatalf("list: %s", l.raw)
	}
}
