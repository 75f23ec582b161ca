package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"redress/internal/api"
	"redress/internal/calendar"
	"redress/internal/lifecycle"
	"redress/internal/server"
	"redress/internal/store"
	"redress/internal/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

type env struct {
	t      *testing.T
	srv    *httptest.Server
	tokens map[string]string
	st     *store.Store
}

func newEnv(t *testing.T) *env {
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location)}
	svc := lifecycle.New(st, clk.Now)
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

type resp struct {
	status int
	body   map[string]any
	raw    string
}

func (e *env) call(who, method, path string, body any, headers ...string) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := resp{status: res.StatusCode, raw: string(raw)}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

func (e *env) must(r resp, status int) resp {
	e.t.Helper()
	if r.status != status {
		e.t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	return r
}

func record(ext, title, content string) map[string]any {
	return map[string]any{
		"external_id": ext, "received_at": "2026-03-02T08:30:00+08:00", "channel": "hotline",
		"petitioner_name": "王秀兰", "petitioner_id_number": "211402196505120027", "phone": "13904291234",
		"district_code": "211402", "address": "连山区站前街道幸福小区3号楼", "title": title, "content": content,
	}
}

func TestAuthAndRoles(t *testing.T) {
	e := newEnv(t)
	r := e.must(e.call("", "GET", "/api/v1/petitions", nil), 401)
	if r.body["code"] != "unauthenticated" {
		t.Fatalf("code %v", r.body["code"])
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer rdt_forged")
	res, _ := http.DefaultClient.Do(req)
	if res.StatusCode != 401 {
		t.Fatalf("forged token: %d", res.StatusCode)
	}
	res.Body.Close()
	r = e.must(e.call("zjj", "POST", "/api/v1/petitions", record("A-1", "供暖不热", "家里不热")), 403)
	if r.body["code"] != "forbidden" {
		t.Fatalf("handler registering: %v", r.raw)
	}
	e.must(e.call("bureau", "PUT", "/api/v1/time-limits/reply", map[string]any{"count": 30, "unit": "working"}), 403)
	e.must(e.call("admin", "PUT", "/api/v1/time-limits/reply", map[string]any{"count": 30, "unit": "weeks"}), 400)
	e.must(e.call("admin", "PUT", "/api/v1/time-limits/reply", map[string]any{"count": 30, "unit": "working"}), 200)
	r = e.must(e.call("zjj", "GET", "/api/v1/time-limits", nil), 200)
	if !strings.Contains(r.raw, `"kind":"reply","count":30,"unit":"working"`) {
		t.Fatalf("time limit not changed: %s", r.raw)
	}
}

func TestCreateValidateIdempotent(t *testing.T) {
	e := newEnv(t)
	r := e.must(e.call("bureau", "POST", "/api/v1/petitions", record("A-1", "供暖不热", "幸福小区3号楼室温不足16度")), 201)
	if r.body["state"] != "registered" || !strings.HasPrefix(fmt.Sprint(r.body["tracking_code"]), "XF") {
		t.Fatalf("created: %s", r.raw)
	}
	ds, _ := r.body["deadlines"].([]any)
	if len(ds) != 2 {
		t.Fatalf("deadlines: %s", r.raw)
	}
	id := r.body["id"]
	r2 := e.must(e.call("bureau", "POST", "/api/v1/petitions", record("A-1", "供暖不热", "幸福小区3号楼室温不足16度")), 200)
	if r2.body["id"] != id || r2.body["existing"] != true || r2.body["tracking_code"] != r.body["tracking_code"] {
		t.Fatalf("re-sent external_id: %s", r2.raw)
	}
	bad := record("A-2", "", "x")
	r = e.must(e.call("bureau", "POST", "/api/v1/petitions", bad), 400)
	if r.body["field"] != "title" || r.body["code"] != "invalid" {
		t.Fatalf("missing title: %s", r.raw)
	}
	bad = record("A-3", "t", "c")
	bad["colour"] = "red"
	r = e.must(e.call("bureau", "POST", "/api/v1/petitions", bad), 400)
	if !strings.Contains(r.raw, "colour") {
		t.Fatalf("unknown field: %s", r.raw)
	}
	r = e.must(e.call("bureau", "POST", "/api/v1/petitions", `{"title": `), 400)
	if !strings.Contains(r.raw, "JSON") {
		t.Fatalf("broken JSON: %s", r.raw)
	}
	big := record("A-4", "t", strings.Repeat("很", 30000))
	r = e.must(e.call("bureau", "POST", "/api/v1/petitions", big), 413)
	bad = record("A-5", "t", "c")
	bad["petitioner_id_number"] = "211402196505120028"
	r = e.must(e.call("bureau", "POST", "/api/v1/petitions", bad), 400)
	if r.body["field"] != "petitioner_id_number" {
		t.Fatalf("bad ID number: %s", r.raw)
	}
	// None of the refused requests stored anything.
	r = e.must(e.call("bureau", "GET", "/api/v1/petitions", nil), 200)
	if items := r.body["items"].([]any); len(items) != 1 {
		t.Fatalf("%d petitions stored, want 1", len(items))
	}
}

func TestWholeLifecycleOverHTTP(t *testing.T) {
	e := newEnv(t)
	r := e.must(e.call("bureau", "POST", "/api/v1/petitions", record("L-1", "供暖不热", "幸福小区3号楼室温不足16度")), 201)
	p := fmt.Sprintf("/api/v1/petitions/%v", r.body["id"])
	steps := []struct {
		who, action string
		body        map[string]any
		state       string
	}{
		{"bureau", "accept", nil, "accepted"},
		{"bureau", "assign", map[string]any{"unit_code": "211400-zjj"}, "assigned"},
		{"zjj", "sign", nil, "handling"},
		{"zjj", "request-extension", map[string]any{"days": 15, "reason": "需要检测"}, "extension_requested"},
		{"zjj-head", "approve-extension", map[string]any{"note": "同意"}, "handling"},
		{"zjj", "reply", map[string]any{"outcome": "support", "text": "已责令热力公司整改，室温已达标。"}, "replied"},
		{"bureau", "request-review", map[string]any{"reason": "不满意"}, "review_requested"},
		{"leader", "decide-review", map[string]any{"outcome": "explain", "text": "经复查，维持原处理意见。"}, "reviewed"},
		{"bureau", "request-rereview", map[string]any{"reason": "仍不满意"}, "rereview_requested"},
		{"leader", "decide-rereview", map[string]any{"outcome": "explain", "text": "经复核，维持复查意见，终结。"}, "closed"},
	}
	for _, s := range steps {
		var body any
		if s.body != nil {
			body = s.body
		}
		r := e.must(e.call(s.who, "POST", p+"/"+s.action, body), 200)
		pet := r.body["petition"].(map[string]any)
		if pet["state"] != s.state {
			t.Fatalf("%s: state %v, want %s", s.action, pet["state"], s.state)
		}
	}
	r = e.must(e.call("bureau", "GET", p, nil), 200)
	if r.body["matter_final"] != true || len(r.body["timeline"].([]any)) != 11 {
		t.Fatalf("closed case: %s", r.raw)
	}
	r = e.must(e.call("bureau", "POST", p+"/reply", map[string]any{"outcome": "support", "text": "再次答复再次答复"}), 409)
	if r.body["code"] != "illegal_transition" || !strings.Contains(fmt.Sprint(r.body["message"]), "closed") {
		t.Fatalf("action on closed case: %s", r.raw)
	}
	e.must(e.call("bureau", "POST", p+"/fly", nil), 404)
	e.must(e.call("bureau", "POST", "/api/v1/petitions/abc/accept", nil), 400)
}

func TestScopeAndMasking(t *testing.T) {
	e := newEnv(t)
	r := e.must(e.call("bureau", "POST", "/api/v1/petitions", record("S-1", "供暖不热", "幸福小区3号楼室温不足16度")), 201)
	p := fmt.Sprintf("/api/v1/petitions/%v", r.body["id"])
	e.must(e.call("bureau", "POST", p+"/accept", nil), 200)
	e.must(e.call("bureau", "POST", p+"/assign", map[string]any{"unit_code": "211400-zjj"}), 200)
	// The registrar sees everything.
	r = e.must(e.call("bureau", "GET", p, nil), 200)
	if pr := r.body["petitioner"].(map[string]any); pr["id_number"] != "211402196505120027" || pr["phone"] != "13904291234" {
		t.Fatalf("bureau view: %v", pr)
	}
	// The handling unit sees contact data but not the ID number.
	r = e.must(e.call("zjj", "GET", p, nil), 200)
	if pr := r.body["petitioner"].(map[string]any); pr["id_number"] != "211402********0027" || pr["phone"] != "13904291234" {
		t.Fatalf("handler view: %v", pr)
	}
	if allowed := fmt.Sprint(r.body["allowed_actions"]); allowed != "[sign return]" {
		t.Fatalf("handler allowed actions: %s", allowed)
	}
	// An inspector reads, masked, and may do nothing.
	r = e.must(e.call("inspector", "GET", p, nil), 200)
	if pr := r.body["petitioner"].(map[string]any); pr["phone"] != "139****1234" || strings.Contains(r.raw, "13904291234") {
		t.Fatalf("inspector view: %v", pr)
	}
	if allowed := fmt.Sprint(r.body["allowed_actions"]); allowed != "[]" {
		t.Fatalf("inspector allowed actions: %s", allowed)
	}
	// Another unit's handler cannot open it by URL, nor find it in lists.
	r = e.must(e.call("rsj", "GET", p, nil), 404)
	if r.body["code"] != "not_found" {
		t.Fatalf("other unit: %s", r.raw)
	}
	r = e.must(e.call("rsj", "GET", "/api/v1/petitions", nil), 200)
	if len(r.body["items"].([]any)) != 0 {
		t.Fatalf("other unit lists: %s", r.raw)
	}
	r = e.must(e.call("zjj", "GET", "/api/v1/petitions", nil), 200)
	if len(r.body["items"].([]any)) != 1 || strings.Contains(r.raw, "211402196505120027") {
		t.Fatalf("own unit list: %s", r.raw)
	}
}

func TestAccusationHiddenFromAccused(t *testing.T) {
	e := newEnv(t)
	rec := record("ACC-1", "检举", "检举兴城市住建局某科长收受开发商财物")
	rec["district_code"] = "211481"
	rec["accusation"] = true
	rec["accused_unit_code"] = "211481-zjj"
	r := e.must(e.call("bureau", "POST", "/api/v1/petitions", rec), 201)
	p := fmt.Sprintf("/api/v1/petitions/%v", r.body["id"])
	e.must(e.call("bureau", "POST", p+"/accept", nil), 200)
	e.must(e.call("bureau", "POST", p+"/assign", map[string]any{"unit_code": "211481-zjj"}), 400)
	e.must(e.call("bureau", "POST", p+"/assign", map[string]any{"unit_code": "211400-zjj"}), 200)
	// The city housing bureau handles it but never learns who wrote.
	r = e.must(e.call("zjj", "GET", p, nil), 200)
	if strings.Contains(r.raw, "王秀兰") || strings.Contains(r.raw, "13904291234") {
		t.Fatalf("accuser's identity leaked to the handling unit: %s", r.raw)
	}
	// The accused unit sees nothing, even in lists.
	e.must(e.call("xc-zjj", "GET", p, nil), 404)
	r = e.must(e.call("xc-zjj", "GET", "/api/v1/petitions", nil), 200)
	if len(r.body["items"].([]any)) != 0 {
		t.Fatalf("accused unit lists: %s", r.raw)
	}
}

func TestListFiltersAndPagination(t *testing.T) {
	e := newEnv(t)
	for i, c := range []string{"夜间施工噪音扰民", "供暖不热", "小区噪音", "拖欠工资", "房产证办不下来"} {
		e.must(e.call("bureau", "POST", "/api/v1/petitions", record(fmt.Sprintf("F-%d", i), c, c+"，请尽快处理。")), 201)
	}
	seen := map[any]bool{}
	cursor := ""
	pages := 0
	for {
		r := e.must(e.call("bureau", "GET", "/api/v1/petitions?limit=2&cursor="+cursor, nil), 200)
		pages++
		for _, it := range r.body["items"].([]any) {
			id := it.(map[string]any)["id"]
			if seen[id] {
				t.Fatalf("id %v on two pages", id)
			}
			seen[id] = true
		}
		c, _ := r.body["next_cursor"].(string)
		if c == "" {
			break
		}
		cursor = c
	}
	if len(seen) != 5 || pages != 3 {
		t.Fatalf("%d petitions over %d pages, want 5 over 3", len(seen), pages)
	}
	r := e.must(e.call("bureau", "GET", "/api/v1/petitions?q=%E5%99%AA%E9%9F%B3", nil), 200) // 噪音
	if len(r.body["items"].([]any)) != 2 {
		t.Fatalf("q=噪音: %s", r.raw)
	}
	r = e.must(e.call("bureau", "GET", "/api/v1/petitions?state=accepted", nil), 200)
	if len(r.body["items"].([]any)) != 0 {
		t.Fatalf("state=accepted: %s", r.raw)
	}
	r = e.must(e.call("bureau", "GET", "/api/v1/petitions?overdue=false&district=211402&channel=hotline&from=2026-03-01&to=2026-03-02", nil), 200)
	if len(r.body["items"].([]any)) != 5 {
		t.Fatalf("combined filters: %s", r.raw)
	}
	for _, q := range []string{"state=lost", "overdue=maybe", "cursor=zzz", "from=2026-02-30", "unit=nowhere", "limit=0"} {
		r := e.must(e.call("bureau", "GET", "/api/v1/petitions?"+q, nil), 400)
		if r.body["code"] != "invalid" {
			t.Fatalf("%s: %s", q, r.raw)
		}
	}
}

func TestCrossOriginRefused(t *testing.T) {
	e := newEnv(t)
	r := e.call("bureau", "POST", "/api/v1/petitions", record("X-1", "t", "c"), "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if r.status != 403 {
		t.Fatalf("cross-origin POST: %d %s", r.status, r.raw)
	}
	r = e.must(e.call("bureau", "GET", "/api/v1/petitions", nil), 200)
	if len(r.body["items"].([]any)) != 0 {
		t.Fatal("the refused cross-origin POST stored a petition")
	}
}

// TestOpenAPIMatchesRoutes proves the published document describes exactly
// the routes the server serves.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t)
	r := e.must(e.call("", "GET", "/api/v1/openapi.json", nil), 200)
	if r.body["openapi"] != "3.0.3" {
		t.Fatalf("not OpenAPI 3: %v", r.body["openapi"])
	}
	paths := r.body["paths"].(map[string]any)
	want := map[string]bool{}
	param := regexp.MustCompile(`\{([a-z_]+)\}`)
	for _, rt := range api.Routes() {
		key := strings.ToLower(rt.Method) + " " + rt.Path
		want[key] = true
		item, ok := paths[rt.Path].(map[string]any)
		if !ok {
			t.Errorf("route %s %s is not documented", rt.Method, rt.Path)
			continue
		}
		op, ok := item[strings.ToLower(rt.Method)].(map[string]any)
		if !ok {
			t.Errorf("route %s %s is not documented", rt.Method, rt.Path)
			continue
		}
		if op["summary"] == nil || op["responses"] == nil {
			t.Errorf("%s lacks a summary or responses", key)
		}
		declared := map[string]bool{}
		ps, _ := op["parameters"].([]any)
		for _, p := range ps {
			pm := p.(map[string]any)
			if pm["in"] == "path" {
				declared[pm["name"].(string)] = true
			}
		}
		for _, m := range param.FindAllStringSubmatch(rt.Path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: path parameter %s not declared", key, m[1])
			}
		}
		// The route really answers (not the catch-all 404 for unknown API routes).
		probe := param.ReplaceAllString(rt.Path, "1")
		res := e.call("admin", rt.Method, probe, nil)
		if res.status == 404 && strings.Contains(res.raw, "API route") {
			t.Errorf("%s is documented but not served", key)
		}
	}
	for path, item := range paths {
		for method := range item.(map[string]any) {
			if !want[method+" "+path] {
				t.Errorf("documented %s %s is not a route", method, path)
			}
		}
	}
	// Each lifecycle action is in the action enum.
	action := paths["/api/v1/petitions/{id}/{action}"].(map[string]any)["post"].(map[string]any)
	enum := fmt.Sprint(action["parameters"].([]any)[1].(map[string]any)["schema"].(map[string]any)["enum"])
	for _, a := range lifecycle.Actions {
		if !strings.Contains(enum, string(a)) {
			t.Errorf("action %s missing from the OpenAPI enum", a)
		}
	}
}
