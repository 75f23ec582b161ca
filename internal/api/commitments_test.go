package api_test

import (
	"fmt"
	"testing"
)

func TestCommitmentsOverHTTP(t *testing.T) {
	e := newEnv(t)
	c := map[string]any{"year": 2026, "leader_name": "王副市长", "unit_code": "211400", "kind": "reform", "title": "审批流程再造，拿地即开工"}
	e.must(e.call("zjj", "POST", "/api/v1/commitments", c), 403)
	r := e.must(e.call("leader", "POST", "/api/v1/commitments", c), 201)
	id := r.body["id"]
	e.must(e.call("leader", "POST", fmt.Sprintf("/api/v1/commitments/%v/progress", id), map[string]any{"note": "已完成流程梳理"}), 201)
	e.must(e.call("leader", "POST", fmt.Sprintf("/api/v1/commitments/%v/review", id), map[string]any{"outcome": "achieved", "review": "全年落地12个项目"}), 200)
	e.must(e.call("leader", "POST", fmt.Sprintf("/api/v1/commitments/%v/review", id), map[string]any{"outcome": "missed", "review": "重复评议"}), 409)
	r = e.must(e.call("zjj", "GET", "/api/v1/commitments?year=2026", nil), 200)
	if items := r.body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["state"] != "achieved" {
		t.Fatalf("commitments %s", r.raw)
	}
	cl := map[string]any{"title": "园区复核清单", "meeting": "化工园区联席会议",
		"items": []map[string]any{{"title": "封闭化管理", "unit_code": "211400-zjj", "due_on": "2026-03-20"}}}
	r = e.must(e.call("bureau", "POST", "/api/v1/checklists", cl), 201)
	item := r.body["items"].([]any)[0].(map[string]any)["id"]
	e.must(e.call("rsj", "POST", fmt.Sprintf("/api/v1/checklist-items/%v/done", item), map[string]any{"note": "已完成"}), 403)
	e.must(e.call("zjj", "POST", fmt.Sprintf("/api/v1/checklist-items/%v/done", item), map[string]any{"note": "已完成"}), 200)
	r = e.must(e.call("zjj", "GET", fmt.Sprintf("/api/v1/checklists/%v", r.body["id"]), nil), 200)
	if r.body["items"].([]any)[0].(map[string]any)["state"] != "done" {
		t.Fatalf("checklist %s", r.raw)
	}
	e.must(e.call("zjj", "GET", "/api/v1/checklists/999", nil), 404)
}
