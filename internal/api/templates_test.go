package api_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestTemplatesOverHTTP(t *testing.T) {
	e := newRepeatsEnv(t)
	var ids []any
	for i := 0; i < 3; i++ {
		r := e.must(e.call("bureau", "POST", "/api/v1/petitions", record(fmt.Sprintf("T-%d", i), "锦绣华庭办不了房产证", "房款早已付清，锦绣华庭小区业主至今办不了不动产权证书。")), 201)
		p := fmt.Sprintf("/api/v1/petitions/%v", r.body["id"])
		e.must(e.call("bureau", "POST", p+"/accept", nil), 200)
		e.must(e.call("bureau", "POST", p+"/assign", map[string]any{"unit_code": "211400-zjj"}), 200)
		e.must(e.call("zjj", "POST", p+"/sign", nil), 200)
		ids = append(ids, r.body["id"])
	}
	e.must(e.call("zjj", "POST", fmt.Sprintf("/api/v1/petitions/%v/reply", ids[0]), map[string]any{"outcome": "support", "text": "按容缺受理方式办理不动产权证书，主要材料齐全即予受理。"}), 200)
	body := map[string]any{"petition_id": ids[0], "name": "房产证容缺", "items": []map[string]any{{"name": "契税完税证明", "due_days": 30}}}
	e.must(e.call("zjj", "POST", "/api/v1/templates", body), 403)
	tp := e.must(e.call("bureau", "POST", "/api/v1/templates", body), 201)
	path := fmt.Sprintf("/api/v1/templates/%v", tp.body["id"])
	e.must(e.call("inspector", "GET", path, nil), 200)
	sel := map[string]any{"petition_ids": ids}
	pv := e.must(e.call("zjj", "POST", path+"/preview", sel), 200)
	if pv.body["allowed"] != float64(2) || pv.body["refused"] != float64(1) {
		t.Fatalf("preview %s", pv.raw)
	}
	r := e.must(e.call("zjj", "POST", path+"/apply", sel), 409)
	if !strings.Contains(r.raw, "nothing was changed") {
		t.Fatalf("apply: %s", r.raw)
	}
	r = e.must(e.call("zjj", "POST", path+"/apply", map[string]any{"petition_ids": ids[1:]}), 200)
	if r.body["items"] != float64(2) {
		t.Fatalf("apply: %s", r.raw)
	}
	l := e.must(e.call("zjj", "GET", "/api/v1/deficiencies", nil), 200)
	items := l.body["items"].([]any)
	if len(items) != 2 {
		t.Fatalf("deficiencies: %s", l.raw)
	}
	if l := e.must(e.call("rsj", "GET", "/api/v1/deficiencies", nil), 200); len(l.body["items"].([]any)) != 0 {
		t.Fatalf("other unit: %s", l.raw)
	}
	d := fmt.Sprintf("/api/v1/deficiencies/%v/supplied", items[0].(map[string]any)["id"])
	e.must(e.call("rsj", "POST", d, nil), 404)
	e.must(e.call("zjj", "POST", d, nil), 200)
	e.must(e.call("zjj", "POST", d, nil), 409)
}
