package api_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestAccountabilityOverHTTP(t *testing.T) {
	e := newEnv(t)
	r := e.must(e.call("bureau", "POST", "/api/v1/petitions", record("Y-1", "供暖不热", "幸福小区3号楼室温不足16度")), 201)
	id := r.body["id"]
	p := fmt.Sprintf("/api/v1/petitions/%v", id)
	e.must(e.call("bureau", "POST", p+"/accept", nil), 200)

	// A study meeting assigns the case on the spot.
	meeting := map[string]any{"unit_code": "211400-zjj", "held_on": "2026-03-01", "chair": "王副市长", "attendees": []string{"住建局局长"},
		"decisions": []map[string]any{{"petition_id": id, "text": "住建局限期解决", "assign_unit_code": "211400-zjj", "due_on": "2026-03-20"}}}
	e.must(e.call("leader", "POST", "/api/v1/study-meetings", meeting), 403) // only the bureau assigns
	r = e.must(e.call("bureau", "POST", "/api/v1/study-meetings", meeting), 201)
	if ds := r.body["decisions"].([]any); len(ds) != 1 || ds[0].(map[string]any)["assignment_id"] == nil {
		t.Fatalf("meeting %s", r.raw)
	}
	r = e.must(e.call("zjj", "GET", p, nil), 200)
	if r.body["petition"].(map[string]any)["state"] != "assigned" {
		t.Fatalf("case %s", r.raw)
	}
	e.must(e.call("zjj", "POST", p+"/sign", nil), 200)
	rec := map[string]any{"kind": "visit", "unit_code": "211400-zjj", "leader_name": "周局长", "is_head": true, "held_on": "2026-03-02",
		"place": "幸福小区", "promised": "一周内修复", "petition_ids": []any{id}}
	e.must(e.call("rsj", "POST", "/api/v1/receptions", rec), 403)
	e.must(e.call("zjj-head", "POST", "/api/v1/receptions", rec), 201)
	r = e.must(e.call("zjj", "GET", fmt.Sprintf("/api/v1/receptions?petition=%v", id), nil), 200)
	if len(r.body["items"].([]any)) != 1 || !strings.Contains(r.raw, "一周内修复") {
		t.Fatalf("receptions %s", r.raw)
	}
	r = e.must(e.call("rsj", "GET", "/api/v1/study-meetings", nil), 200)
	if len(r.body["items"].([]any)) != 0 {
		t.Fatalf("other unit sees meetings %s", r.raw)
	}

	// Follow-up after the reply; dissatisfied points to review.
	e.must(e.call("bureau", "POST", "/api/v1/follow-ups", map[string]any{"petition_id": id, "result": "satisfied"}), 409)
	e.must(e.call("zjj", "POST", p+"/reply", map[string]any{"outcome": "explain", "text": "管网改造已列入计划，解释如上。"}), 200)
	r = e.must(e.call("bureau", "POST", "/api/v1/follow-ups", map[string]any{"petition_id": id, "result": "dissatisfied"}), 201)
	if r.body["review_prompt"] != true || r.body["next_action"] != "request-review" {
		t.Fatalf("follow-up %s", r.raw)
	}

	// Inspection, report, Excel, rectification.
	e.must(e.call("bureau", "POST", "/api/v1/inspections", map[string]any{"unit_code": "211400-zjj", "period_from": "2026-01-01", "period_to": "2026-03-31"}), 403)
	r = e.must(e.call("inspector", "POST", "/api/v1/inspections",
		map[string]any{"unit_code": "211400-zjj", "period_from": "2026-01-01", "period_to": "2026-03-31", "backlog_days": 1}), 201)
	ins := fmt.Sprintf("/api/v1/inspections/%v", r.body["id"])
	r = e.must(e.call("leader", "GET", ins+"/report", nil), 200)
	cases := r.body["cases"].([]any)
	if len(cases) != 1 || cases[0].(map[string]any)["head_meetings"] != float64(1) || cases[0].(map[string]any)["study_meeting_held"] != true {
		t.Fatalf("report %s", r.raw)
	}
	x := e.call("inspector", "GET", ins+"/report.xlsx", nil)
	if x.status != 200 || !strings.HasPrefix(x.raw, "PK") {
		t.Fatalf("xlsx: %d", x.status)
	}
	e.must(e.call("zjj", "GET", ins+"/report", nil), 403)
	r = e.must(e.call("inspector", "POST", ins+"/rectifications", map[string]any{"finding": "回访不满意未跟进", "owner_name": "周局长", "due_on": "2026-03-31"}), 201)
	item := fmt.Sprintf("/api/v1/rectifications/%v/done", r.body["id"])
	e.must(e.call("rsj", "POST", item, map[string]any{"note": "已跟进处理"}), 403)
	e.must(e.call("zjj-head", "POST", item, map[string]any{"note": "已再次上门沟通"}), 200)
	e.must(e.call("zjj-head", "POST", item, map[string]any{"note": "已再次上门沟通"}), 409)

	// Rankings.
	r = e.must(e.call("leader", "GET", "/api/v1/rankings/2026-03?min_cases=1", nil), 200)
	if ranked := r.body["ranked"].([]any); len(ranked) != 1 || ranked[0].(map[string]any)["code"] != "211400-zjj" {
		t.Fatalf("ranking %s", r.raw)
	}
	e.must(e.call("leader", "GET", "/api/v1/rankings/2026-13", nil), 400)
	e.must(e.call("leader", "GET", "/api/v1/rankings/2026-03?w_response=0.5", nil), 400)
	e.must(e.call("leader", "GET", "/api/v1/rankings/2026-03?level=district", nil), 200)
	e.must(e.call("zjj", "GET", "/api/v1/rankings/2026-03", nil), 403)
}
