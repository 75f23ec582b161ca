package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/escalation"
)

func TestEscalationOverHTTP(t *testing.T) {
	e := newEnv(t)
	r := e.must(e.call("bureau", "POST", "/api/v1/petitions", record("X-1", "供暖不热", "幸福小区3号楼室温不足16度")), 201)
	p := fmt.Sprintf("/api/v1/petitions/%v", r.body["id"])
	e.must(e.call("bureau", "POST", p+"/accept", nil), 200)
	e.must(e.call("bureau", "POST", p+"/assign", map[string]any{"unit_code": "211400-zjj", "due_on": "2026-03-10"}), 200)
	e.must(e.call("zjj", "POST", p+"/sign", nil), 200)

	// Rules: everyone reads them, only an administrator changes them.
	r = e.must(e.call("zjj", "GET", "/api/v1/escalation/rules", nil), 200)
	if items := r.body["items"].([]any); len(items) != len(escalation.Defaults()) {
		t.Fatalf("rules %s", r.raw)
	}
	rules := map[string]any{"items": []map[string]any{
		{"name": "remind-handler", "trigger": "before_due", "days": 3, "action": "reminder", "recipient": "handlers", "active": true},
		{"name": "supervise", "trigger": "overdue", "days": 1, "action": "supervision", "recipient": "head", "active": true},
	}}
	e.must(e.call("bureau", "PUT", "/api/v1/escalation/rules", rules), 403)
	bad := map[string]any{"items": []map[string]any{{"name": "x", "trigger": "someday", "action": "reminder", "recipient": "head"}}}
	r = e.must(e.call("admin", "PUT", "/api/v1/escalation/rules", bad), 400)
	if r.body["field"] != "rules[0].trigger" {
		t.Fatalf("bad rule: %s", r.raw)
	}
	e.must(e.call("admin", "PUT", "/api/v1/escalation/rules", rules), 200)

	svc := escalation.New(e.st, escalation.Options{})
	res, err := svc.Sweep(context.Background(), time.Date(2026, 3, 12, 9, 0, 0, 0, calendar.Location))
	if err != nil || res.Fired != 1 || res.ByRule["supervise"] != 1 {
		t.Fatalf("sweep %+v %v", res, err)
	}

	r = e.must(e.call("zjj-head", "GET", "/api/v1/me/notices", nil), 200)
	notices := r.body["items"].([]any)
	if len(notices) != 1 || !strings.Contains(r.raw, "督办通知") {
		t.Fatalf("notices %s", r.raw)
	}
	nid := notices[0].(map[string]any)["id"]
	e.must(e.call("zjj", "POST", fmt.Sprintf("/api/v1/me/notices/%v/read", nid), nil), 404) // not theirs
	e.must(e.call("zjj-head", "POST", fmt.Sprintf("/api/v1/me/notices/%v/read", nid), nil), 204)
	r = e.must(e.call("zjj-head", "GET", "/api/v1/me/notices", nil), 200)
	if len(r.body["items"].([]any)) != 0 {
		t.Fatalf("still unread: %s", r.raw)
	}

	// The unit sees its step; another unit does not.
	r = e.must(e.call("zjj", "GET", "/api/v1/escalation/steps", nil), 200)
	steps := r.body["items"].([]any)
	if len(steps) != 1 {
		t.Fatalf("steps %s", r.raw)
	}
	s := fmt.Sprintf("/api/v1/escalation/steps/%v", steps[0].(map[string]any)["id"])
	r = e.must(e.call("rsj", "GET", "/api/v1/escalation/steps", nil), 200)
	if len(r.body["items"].([]any)) != 0 {
		t.Fatalf("other unit sees %s", r.raw)
	}
	e.must(e.call("rsj", "GET", s, nil), 404)
	e.must(e.call("rsj", "POST", s+"/explanation", map[string]any{"text": "与我单位无关的说明文字"}), 404)

	// Explanation, rejection, a second explanation, acceptance.
	e.must(e.call("zjj-head", "POST", s+"/explanation", map[string]any{"text": "短"}), 400)
	e.must(e.call("zjj-head", "POST", s+"/explanation", map[string]any{"text": "热力公司管网抢修，需协调三个部门，已于3月11日召开协调会。"}), 201)
	e.must(e.call("zjj-head", "POST", s+"/explanation", map[string]any{"text": "重复提交的第二份说明文字内容。"}), 409)
	e.must(e.call("zjj", "POST", s+"/decision", map[string]any{"decision": "accept"}), 403)
	e.must(e.call("bureau", "POST", s+"/decision", map[string]any{"decision": "reject"}), 400) // reason required
	e.must(e.call("bureau", "POST", s+"/decision", map[string]any{"decision": "reject", "note": "未说明完成时限"}), 200)
	e.must(e.call("bureau", "POST", s+"/decision", map[string]any{"decision": "reject", "note": "再次"}), 409)
	e.must(e.call("zjj-head", "POST", s+"/explanation", map[string]any{"text": "补充说明：预计3月20日前完成管网修复并答复。"}), 201)
	r = e.must(e.call("bureau", "POST", s+"/decision", map[string]any{"decision": "accept"}), 200)
	if r.body["decision"] != "accepted" {
		t.Fatalf("decision %s", r.raw)
	}
	r = e.must(e.call("bureau", "GET", s, nil), 200)
	if exps := r.body["explanations"].([]any); len(exps) != 2 {
		t.Fatalf("explanations %s", r.raw)
	}

	// The non-cooperation record and the case timeline.
	r = e.must(e.call("inspector", "GET", "/api/v1/escalation/record?unit=211400-zjj", nil), 200)
	if !strings.Contains(r.raw, `"supervisions":1`) || !strings.Contains(r.raw, `"explanations_accepted":1`) ||
		!strings.Contains(r.raw, `"explanations_rejected":1`) || !strings.Contains(r.raw, `"head_name":"负责人211400-zjj"`) {
		t.Fatalf("record %s", r.raw)
	}
	r = e.must(e.call("bureau", "GET", p, nil), 200)
	for _, want := range []string{"escalation.supervision", "escalation.explain", "escalation.explanation.rejected", "escalation.explanation.accepted"} {
		if !strings.Contains(r.raw, `"action":"`+want+`"`) {
			t.Fatalf("timeline lacks %s: %s", want, r.raw)
		}
	}
	e.must(e.call("zjj", "GET", "/api/v1/escalation/listings", nil), 403)
	e.must(e.call("leader", "GET", "/api/v1/escalation/listings", nil), 200)
}
