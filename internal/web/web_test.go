package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"redress/internal/calendar"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/server"
	"redress/internal/store"
	"redress/internal/web"
	"redress/internal/web/i18n"
)

func idPath(id int64) string { return "/petitions/" + strconv.FormatInt(id, 10) }

func TestCataloguesAgree(t *testing.T) {
	if _, err := i18n.Load(); err != nil {
		t.Fatal(err)
	}
}

func TestRootRedirects(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if p := c.get("/"); p.status != http.StatusSeeOther || p.header.Get("Location") != "/login" {
		t.Fatalf("/ signed out: %d %s", p.status, p.header.Get("Location"))
	}
	if p := c.get("/home"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/login?next=") {
		t.Fatalf("/home signed out: %d %s", p.status, p.header.Get("Location"))
	}
	c.login("bureau")
	if p := c.get("/"); p.status != http.StatusSeeOther || p.header.Get("Location") != "/home" {
		t.Fatalf("/ signed in: %d %s", p.status, p.header.Get("Location"))
	}
}

// Every role's pages render, in both languages, with no missing message.
func TestEveryPageRenders(t *testing.T) {
	e := newEnv(t)
	id := e.register("楼上噪音扰民", "楼上住户每晚十一点后仍有很大的噪音，多次协商无果。", nil)
	pages := map[string][]string{
		"bureau":    {"/home", "/petitions", "/petitions?q=噪音", "/petitions/new", idPath(id)},
		"zjj":       {"/home", "/petitions"},
		"zjj-head":  {"/home", "/petitions"},
		"leader":    {"/home", "/petitions?overdue=1", idPath(id)},
		"inspector": {"/home", "/petitions", idPath(id)},
		"admin":     {"/home", "/admin/users", "/admin/time-limits", "/admin/calendar", "/admin/calendar?year=2027"},
	}
	for login, paths := range pages {
		for _, loc := range i18n.Locales {
			c := e.client()
			c.login(login)
			if p := c.post("/locale", url.Values{"locale": {loc}}); p.status != http.StatusSeeOther {
				t.Fatalf("%s: set locale %s: %d", login, loc, p.status)
			}
			for _, path := range paths {
				p := c.get(path)
				if p.status != http.StatusOK {
					t.Errorf("%s %s (%s): status %d", login, path, loc, p.status)
					continue
				}
				if strings.Contains(p.body, "⟦") {
					i := strings.Index(p.body, "⟦")
					t.Errorf("%s %s (%s): missing message near %q", login, path, loc, p.body[i:min(len(p.body), i+60)])
				}
			}
		}
	}
}

func TestStaticAssetsAreHashedAndCached(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	p := c.get("/login")
	i := strings.Index(p.body, "/static/app.")
	if i < 0 {
		t.Fatal("login page links no hashed app.css")
	}
	u := p.body[i : i+strings.IndexByte(p.body[i:], '"')]
	a := c.get(u)
	if a.status != 200 || !strings.Contains(a.header.Get("Cache-Control"), "immutable") {
		t.Fatalf("%s: %d %q", u, a.status, a.header.Get("Cache-Control"))
	}
	if c.get("/static/app.css").status != http.StatusNotFound {
		t.Fatal("an unhashed asset URL is served")
	}
	if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Fatalf("CSP %q", csp)
	}
}

func TestSignInCookieAndAudit(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	p := c.post("/login", url.Values{"login": {"bureau"}, "password": {testPassword}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", p.status)
	}
	sc := p.header.Get("Set-Cookie")
	for _, want := range []string{"redress_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(sc, want) {
			t.Errorf("cookie %q lacks %s", sc, want)
		}
	}
	if strings.Contains(sc, "Secure") {
		t.Errorf("cookie over plain http is Secure: %q", sc)
	}
	if p := c.post("/logout", nil); p.status != http.StatusSeeOther {
		t.Fatalf("logout: %d", p.status)
	}
	if p := c.get("/home"); p.status != http.StatusSeeOther {
		t.Fatalf("home after logout: %d", p.status)
	}
	entries, err := e.st.AuditFor(context.Background(), "user", strconv.FormatInt(e.user("bureau").ID, 10), 50)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, en := range entries {
		actions = append(actions, en.Action)
	}
	got := strings.Join(actions, ",")
	for _, want := range []string{"session.sign_in", "session.sign_out"} {
		if !strings.Contains(got, want) {
			t.Errorf("audit of bureau %q lacks %s", got, want)
		}
	}
}

func TestLockOutAfterFiveFailures(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for i := 1; i <= 5; i++ {
		p := c.post("/login", url.Values{"login": {"zjj"}, "password": {"wrong"}})
		want := http.StatusUnauthorized
		if i == 5 {
			want = http.StatusForbidden
		}
		if p.status != want {
			t.Fatalf("attempt %d: status %d, want %d", i, p.status, want)
		}
		if i == 5 && !strings.Contains(p.body, "锁定") {
			t.Fatalf("fifth failure does not say the account is locked: %s", p.body)
		}
	}
	// Even the right password is refused while locked.
	if p := c.post("/login", url.Values{"login": {"zjj"}, "password": {testPassword}}); p.status != http.StatusForbidden {
		t.Fatalf("locked account signed in: %d", p.status)
	}
	e.clk.Advance(16 * time.Minute)
	c.login("zjj")
	entries, err := e.st.AuditFor(context.Background(), "user", strconv.FormatInt(e.user("zjj").ID, 10), 50)
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, en := range entries {
		n[en.Action]++
	}
	if n["session.sign_in_failed"] != 5 || n["user.lock"] != 1 || n["session.sign_in"] != 1 {
		t.Fatalf("audit counts %v", n)
	}
	// An unknown login is audited too and answered like a wrong password.
	if p := c.post("/login", url.Values{"login": {"nobody"}, "password": {"x"}}); p.status != http.StatusUnauthorized {
		t.Fatalf("unknown login: %d", p.status)
	}
}

func TestIdleSessionExpires(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("bureau")
	e.clk.Advance(e.ttl - time.Minute)
	if p := c.get("/home"); p.status != http.StatusOK {
		t.Fatalf("active session refused: %d", p.status)
	}
	// The visit above renewed the session.
	e.clk.Advance(e.ttl - time.Minute)
	if p := c.get("/home"); p.status != http.StatusOK {
		t.Fatalf("renewed session refused: %d", p.status)
	}
	e.clk.Advance(e.ttl + time.Minute)
	if p := c.get("/home"); p.status != http.StatusSeeOther {
		t.Fatalf("idle session still valid: %d", p.status)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	e := newEnv(t)
	id := e.register("供暖不热", "家里暖气温度只有十二度，请供热公司处理。", nil)
	c := e.client()
	c.login("bureau")
	req, _ := http.NewRequest("POST", e.srv.URL+idPath(id)+"/accept", strings.NewReader("note=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if p := c.send(req); p.status != http.StatusForbidden {
		t.Fatalf("cross-origin POST: %d", p.status)
	}
	cs, err := e.st.Case(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Petition.State != "registered" {
		t.Fatalf("a refused POST changed the case to %s", cs.Petition.State)
	}
}

func TestUnitScopeAndAccusation(t *testing.T) {
	e := newEnv(t)
	other := e.register("社保断缴", "单位未按时缴纳社保，影响退休待遇。", nil)
	e.do("bureau", other, lifecycle.Accept, lifecycle.Input{})
	e.do("bureau", other, lifecycle.Assign, lifecycle.Input{UnitCode: "211400-rsj"})
	acc := e.register("检举住建局工作人员", "住建局某科长收受开发商财物，要求查处。", func(r *intake.Record) {
		r.Accusation, r.AccusedUnitCode = true, "211400-zjj"
	})
	c := e.client()
	c.login("zjj")
	for _, id := range []int64{other, acc} {
		if p := c.get(idPath(id)); p.status != http.StatusNotFound {
			t.Errorf("handler of 住建局 opened case %d: %d", id, p.status)
		}
		if p := c.post(idPath(id)+"/sign", nil); p.status != http.StatusNotFound {
			t.Errorf("handler of 住建局 acted on case %d: %d", id, p.status)
		}
	}
	if p := c.get("/petitions?q=检举"); strings.Contains(p.body, "收受") || strings.Contains(p.body, "检举住建局") {
		t.Error("the accused unit's list shows the accusation")
	}
	// The registrar sees the accusation and the petitioner in full; the leader sees the name masked.
	b := e.client()
	b.login("bureau")
	if p := b.get(idPath(acc)); !strings.Contains(p.body, "13912345678") {
		t.Error("registrar does not see the phone number")
	}
	l := e.client()
	l.login("leader")
	p := l.get(idPath(other))
	if strings.Contains(p.body, "13912345678") || strings.Contains(p.body, "211402198001010018") || !strings.Contains(p.body, "139****5678") {
		t.Error("leader sees the phone or ID number unmasked")
	}
	if p := l.get(idPath(acc)); strings.Contains(p.body, "张三丰") || strings.Contains(p.body, "139") {
		t.Error("leader sees the identity of an accuser")
	}
}

func TestFailedActionShowsErrorBesideField(t *testing.T) {
	e := newEnv(t)
	id := e.register("路灯不亮", "小区门口路灯坏了两个月，夜间出行不安全。", nil)
	c := e.client()
	c.login("bureau")
	p := c.post(idPath(id)+"/decline", url.Values{"reason": {""}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-decline-reason"`) || !strings.Contains(p.body, "请填写理由") {
		t.Fatalf("decline without reason: %d\n%s", p.status, p.body)
	}
	cs, _ := e.st.Case(context.Background(), id)
	if cs.Petition.State != "registered" {
		t.Fatalf("failed action changed state to %s", cs.Petition.State)
	}
	// An action not allowed now reads as such, in Chinese.
	p = c.post(idPath(id)+"/close", nil)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "不能终结") {
		t.Fatalf("close a registered case: %d\n%s", p.status, p.body)
	}
}

func TestScriptInPetitionIsText(t *testing.T) {
	e := newEnv(t)
	id := e.register("<script>alert(1)</script>", "内容<script>alert('x')</script><img src=x onerror=alert(2)>", nil)
	c := e.client()
	c.login("bureau")
	for _, path := range []string{idPath(id), "/petitions", "/home"} {
		p := c.get(path)
		if strings.Contains(p.body, "<script>alert") || strings.Contains(p.body, "<img src=x") {
			t.Errorf("%s: petition text is not escaped", path)
		}
		if !strings.Contains(p.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s: escaped title missing", path)
		}
	}
}

func TestExports(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 120; i++ {
		e.register("噪音扰民 "+strconv.Itoa(i), "夜间施工噪音很大，影响休息。", nil)
	}
	e.register("道路破损", "道路坑洼不平。", nil)
	e.register("=HYPERLINK(\"http://x\") 噪音", "公式注入：噪音", nil)
	c := e.client()
	c.login("leader")
	p := c.get("/petitions/export.csv?q=" + url.QueryEscape("噪音"))
	if p.status != 200 || !strings.HasPrefix(p.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", p.status, p.header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(p.body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 122 || rows[0][0] != "编号" {
		t.Fatalf("csv has %d rows, header %v", len(rows), rows[0])
	}
	formulas := 0
	for _, r := range rows[1:] {
		if strings.HasPrefix(r[5], "=") {
			t.Fatalf("a title that starts with = is exported as a formula: %q", r[5])
		}
		if strings.HasPrefix(r[5], "'=HYPERLINK") {
			formulas++
		}
		if r[6] != "张三丰" || r[7] != "已登记" {
			t.Fatalf("leader's export row %v", r)
		}
	}
	if formulas != 1 {
		t.Fatalf("the formula-like title was exported %d times with its apostrophe", formulas)
	}
	p = c.get("/petitions/export.xlsx?q=" + url.QueryEscape("噪音"))
	if p.status != 200 || p.header.Get("Content-Length") != strconv.Itoa(len(p.body)) {
		t.Fatalf("xlsx: %d", p.status)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(p.body)))
	if err != nil {
		t.Fatal(err)
	}
	xr, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(xr) != 122 || !strings.HasPrefix(xr[2][5], "噪音扰民") {
		t.Fatalf("xlsx has %d rows; row 1 %v", len(xr), xr[1])
	}
	entries, err := e.st.AuditFor(context.Background(), "petition", "list", 10)
	if err != nil || len(entries) != 2 {
		t.Fatalf("exports audited %d times (%v)", len(entries), err)
	}
}

func TestListPagesWithCursor(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 60; i++ {
		e.register("噪音 "+strconv.Itoa(i), "噪音扰民。", nil)
	}
	c := e.client()
	c.login("bureau")
	p := c.get("/petitions?q=噪音")
	if n := strings.Count(p.body, `<tr class="row`); n != 50 {
		t.Fatalf("first page has %d rows", n)
	}
	i := strings.Index(p.body, `hx-get="/petitions/rows?`)
	if i < 0 {
		t.Fatal("no more button")
	}
	u := p.body[i+len(`hx-get="`):]
	u = strings.ReplaceAll(u[:strings.IndexByte(u, '"')], "&amp;", "&")
	p = c.get(u)
	if n := strings.Count(p.body, `<tr class="row`); n != 10 || strings.Contains(p.body, "<html") {
		t.Fatalf("second page fragment has %d rows", n)
	}
	_ = store.ErrNotFound
}

func TestSecureCookieBehindHTTPS(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(server.Handler(e.svc, server.Options{Web: web.Options{SecureCookies: true}}))
	defer srv.Close()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.PostForm(srv.URL+"/login", url.Values{"login": {"bureau"}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	found := false
	for _, c := range res.Cookies() {
		if c.Name == "redress_session" {
			found = true
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Fatalf("cookie %+v", c)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie")
	}
}

func TestAdminEditsTimeLimitsAndCalendar(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("admin")
	p := c.post("/admin/time-limits/reply", url.Values{"count": {"45"}, "unit": {"working"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("save time limit: %d %s", p.status, p.body)
	}
	limits, err := e.st.TimeLimits(context.Background())
	if err != nil || limits["reply"].Count != 45 || limits["reply"].Unit != "working" {
		t.Fatalf("reply limit is %+v (%v)", limits["reply"], err)
	}
	p = c.post("/admin/time-limits/reply", url.Values{"count": {"abc"}, "unit": {"working"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-limit-reply"`) {
		t.Fatalf("bad count: %d", p.status)
	}
	before, err := e.st.Calendar(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p = c.post("/admin/calendar/2027", url.Values{"days": {"2027-01-01 off 元旦\n2027-02-06 work 春节调休"}, "note": {"国务院办公厅 2027 年部分节假日安排"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("save calendar: %d %s", p.status, p.body)
	}
	after, err := e.st.Calendar(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if after.Revision() == before.Revision() || !after.Covers(2027) || after.IsWorkingDay(mustDate(t, "2027-01-01")) {
		t.Fatalf("calendar revision %d → %d, covers 2027: %v", before.Revision(), after.Revision(), after.Covers(2027))
	}
	p = c.post("/admin/calendar/2027", url.Values{"days": {"2027-13-01 off"}, "note": {"x"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-days"`) {
		t.Fatalf("bad calendar line: %d", p.status)
	}
	// Other roles may not open the administration pages.
	b := e.client()
	b.login("bureau")
	if p := b.get("/admin/time-limits"); p.status != http.StatusForbidden {
		t.Fatalf("registrar opened time limits: %d", p.status)
	}
	if p := b.post("/admin/time-limits/reply", url.Values{"count": {"1"}, "unit": {"working"}}); p.status != http.StatusForbidden {
		t.Fatalf("registrar changed a time limit: %d", p.status)
	}
}

func TestErrorsInEnglish(t *testing.T) {
	e := newEnv(t)
	id := e.register("路灯不亮", "小区门口路灯坏了两个月。", nil)
	c := e.client()
	c.login("bureau")
	c.post("/locale", url.Values{"locale": {"en"}})
	p := c.post(idPath(id)+"/decline", url.Values{"reason": {""}})
	if !strings.Contains(p.body, "Give a reason (at least 2 characters).") || !strings.Contains(p.body, `lang="en"`) {
		t.Fatalf("English error missing:\n%s", p.body)
	}
}

func mustDate(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
