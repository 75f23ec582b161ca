package portal_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/lifecycle"
	"redress/internal/petition"
	"redress/internal/portal"
	"redress/internal/server"
	"redress/internal/store"
	"redress/internal/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	t    *testing.T
	st   *store.Store
	svc  *lifecycle.Service
	org  *storetest.Org
	clk  *clock
	srv  *httptest.Server
	data string
}

func newEnv(t *testing.T, o portal.Options) *env {
	t.Helper()
	st := storetest.Open(t)
	org := storetest.Seed(t, st)
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location)}
	svc := lifecycle.New(st, clk.Now)
	if o.DataDir == "" {
		o.DataDir = t.TempDir()
	}
	if o.AddrBurst == 0 {
		o.AddrBurst = 1000
	}
	if o.PhoneBurst == 0 {
		o.PhoneBurst = 1000
	}
	srv := httptest.NewServer(server.Handler(svc, server.Options{Portal: o}))
	t.Cleanup(srv.Close)
	return &env{t: t, st: st, svc: svc, org: org, clk: clk, srv: srv, data: o.DataDir}
}

type resp struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(req *http.Request) resp {
	e.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, string(b)}
}

func (e *env) get(path string) resp {
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	return e.do(req)
}

func (e *env) post(path string, form url.Values) resp {
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(req)
}

type file struct {
	name string
	data []byte
}

func (e *env) submit(form url.Values, files ...file) resp {
	e.t.Helper()
	return e.submitIn(form, "", files...)
}

// submitIn submits as a browser that sends Accept-Language accept.
func (e *env) submitIn(form url.Values, accept string, files ...file) resp {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, _ := mw.CreateFormFile("attachments", f.name)
		_, _ = w.Write(f.data)
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/portal/submit", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if accept != "" {
		req.Header.Set("Accept-Language", accept)
	}
	return e.do(req)
}

func petitionForm() url.Values {
	return url.Values{"name": {"王秀英"}, "phone": {"139 0429-1234"}, "district": {"211402"}, "address": {"连山区锦绣小区3号楼"},
		"request": {"锦绣小区冬季供暖不热，要求供暖达标"}, "facts": {"今年入冬以来室温一直只有14度，多次找供暖公司无果。"}}
}

var (
	png = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{1}, 200)...)
	pdf = []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
)

var codeRe = regexp.MustCompile(`XF[2-9A-HJ-NP-Z]{10}`)

func (e *env) count() int {
	e.t.Helper()
	page, err := e.st.ListPetitions(context.Background(), store.Filter{Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(page.Items)
}

func (e *env) track(code, phone string) resp {
	return e.post("/portal/track", url.Values{"code": {code}, "phone": {phone}})
}

func TestPetitionerFollowsTheirCase(t *testing.T) {
	e := newEnv(t, portal.Options{})
	ctx := context.Background()
	if r := e.get("/portal/"); r.status != 200 || !strings.Contains(r.body, "网上信访") {
		t.Fatalf("home: %d", r.status)
	}
	if r := e.get("/portal/submit"); r.status != 200 || !strings.Contains(r.body, "事实和理由") || !strings.Contains(r.body, "连山区") {
		t.Fatalf("form: %d %s", r.status, r.body)
	}
	r := e.submit(petitionForm(), file{"暖气.png", png}, file{"../../证明.pdf", pdf})
	code := codeRe.FindString(r.body)
	if r.status != 200 || code == "" {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	c, err := e.st.CaseByTrackingCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if c.Petition.Channel != "online" || c.Petitioner.Phone != "13904291234" || !strings.Contains(c.Petition.Content, "事实和理由：今年入冬") {
		t.Errorf("petition %+v %+v", c.Petition, c.Petitioner)
	}
	atts, err := e.st.Attachments(ctx, c.Petition.ID)
	if err != nil || len(atts) != 2 || atts[0].ContentType != "image/png" || atts[1].ContentType != "application/pdf" || atts[1].FileName != "证明.pdf" {
		t.Fatalf("attachments %+v %v", atts, err)
	}
	if _, err := os.Stat(filepath.Join(e.data, "attachments", atts[0].SHA256[:2], atts[0].SHA256+".png")); err != nil {
		t.Errorf("attachment file: %v", err)
	}

	// Lookup: the phone number may be written differently.
	r = e.track(strings.ToLower(code), "13904291234")
	if r.status != 200 || !strings.Contains(r.body, "锦绣小区冬季供暖不热") || !strings.Contains(r.body, "已登记，待受理") || !strings.Contains(r.body, "暖气.png") {
		t.Fatalf("track: %d %s", r.status, r.body)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("case page may be cached")
	}
	if strings.Contains(r.body, "rate-form") || strings.Contains(r.body, "review-form") {
		t.Errorf("rating or review offered before a reply")
	}
	// Rating before a reply is refused.
	if r := e.post("/portal/rate", url.Values{"code": {code}, "phone": {"13904291234"}, "rating": {"satisfied"}}); r.status != 409 {
		t.Errorf("rating before reply: %d", r.status)
	}

	// Staff act on it through the lifecycle.
	bureau, zjj := e.org.Users["bureau"], e.org.Users["zjj"]
	for _, s := range []struct {
		a  lifecycle.Action
		in lifecycle.Input
	}{
		{lifecycle.Accept, lifecycle.Input{}},
		{lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj"}},
	} {
		if _, err := e.svc.Do(ctx, bureau, c.Petition.ID, s.a, s.in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Do(ctx, zjj, c.Petition.ID, lifecycle.Sign, lifecycle.Input{}); err != nil {
		t.Fatal(err)
	}
	if r := e.track(code, "13904291234"); !strings.Contains(r.body, "办理中") || !strings.Contains(r.body, "市住建局") {
		t.Errorf("handling not shown: %s", r.body)
	}
	e.clk.Add(5 * 24 * time.Hour)
	reply := "经查，供暖公司管网存在堵塞，已于3月6日疏通，室温已达18度。"
	if _, err := e.svc.Do(ctx, zjj, c.Petition.ID, lifecycle.Reply, lifecycle.Input{Outcome: "support", Text: reply}); err != nil {
		t.Fatal(err)
	}
	r = e.track(code, "13904291234")
	if !strings.Contains(r.body, reply) || !strings.Contains(r.body, "书面答复（支持）") || !strings.Contains(r.body, "rate-form") || !strings.Contains(r.body, "review-form") {
		t.Fatalf("reply not shown: %s", r.body)
	}
	if strings.Contains(r.body, zjj.Name) {
		t.Errorf("the case page names a staff member")
	}

	// Rate once.
	r = e.post("/portal/rate", url.Values{"code": {code}, "phone": {"13904291234"}, "rating": {"basically_satisfied"}})
	if r.status != 200 || !strings.Contains(r.body, "感谢您的评价") || !strings.Contains(r.body, "基本满意") {
		t.Fatalf("rate: %d %s", r.status, r.body)
	}
	if r := e.post("/portal/rate", url.Values{"code": {code}, "phone": {"13904291234"}, "rating": {"unsatisfied"}}); r.status != 409 {
		t.Errorf("second rating: %d", r.status)
	}
	if r := e.post("/portal/rate", url.Values{"code": {code}, "phone": {"13904291234"}, "rating": {"great"}}); r.status != 400 {
		t.Errorf("bad rating: %d", r.status)
	}
	if got, _ := e.st.Rating(ctx, c.Petition.ID); got != store.RatingBasicallySatisfied {
		t.Errorf("rating %q", got)
	}

	// Ask for a review.
	if r := e.post("/portal/review", url.Values{"code": {code}, "phone": {"13904291234"}, "reason": {""}}); r.status != 400 {
		t.Errorf("review without reason: %d", r.status)
	}
	r = e.post("/portal/review", url.Values{"code": {code}, "phone": {"13904291234"}, "reason": {"室温仍不达标，晚间只有15度。"}})
	if r.status != 200 || !strings.Contains(r.body, "复查申请已提交") || !strings.Contains(r.body, "复查中") {
		t.Fatalf("review: %d %s", r.status, r.body)
	}
	c, _ = e.st.Case(ctx, c.Petition.ID)
	if c.Petition.State != petition.ReviewRequested {
		t.Fatalf("state %s", c.Petition.State)
	}
	if ev := c.Events[len(c.Events)-1]; ev.Action != "request-review" || ev.ActorID != 0 || ev.Note != "室温仍不达标，晚间只有15度。" {
		t.Errorf("review event %+v", ev)
	}
	if r := e.post("/portal/review", url.Values{"code": {code}, "phone": {"13904291234"}, "reason": {"再次申请"}}); r.status != 409 {
		t.Errorf("second review request: %d", r.status)
	}
	res, err := e.st.VerifyAudit(ctx, nil)
	if err != nil || res.BrokenAt != 0 {
		t.Fatalf("audit %+v %v", res, err)
	}
	var n int
	if err := e.st.DB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE action IN ('portal.request_review', 'petition.rate', 'attachment.create')").Scan(&n); err != nil || n != 4 {
		t.Errorf("portal audit entries: %d %v", n, err)
	}
}

func TestWrongPhoneRevealsNothing(t *testing.T) {
	e := newEnv(t, portal.Options{})
	code := codeRe.FindString(e.submit(petitionForm()).body)
	if code == "" {
		t.Fatal("no code")
	}
	unknown := "XF2222222222"
	for _, path := range []string{"/portal/track", "/portal/rate", "/portal/review"} {
		form := func(c, phone string) url.Values {
			return url.Values{"code": {c}, "phone": {phone}, "rating": {"satisfied"}, "reason": {"不服答复，申请复查"}}
		}
		wrong := e.post(path, form(code, "13800000000"))
		none := e.post(path, form(unknown, "13800000000"))
		if wrong.status != 404 || wrong.status != none.status || wrong.body != none.body {
			t.Errorf("%s: wrong phone %d and unknown code %d differ", path, wrong.status, none.status)
		}
		if strings.Contains(wrong.body, "锦绣") || strings.Contains(wrong.body, code) {
			t.Errorf("%s: the answer leaks the case", path)
		}
		if empty := e.post(path, form(code, "")); empty.body != none.body {
			t.Errorf("%s: empty phone differs", path)
		}
	}
}

func TestRateLimits(t *testing.T) {
	e := newEnv(t, portal.Options{AddrBurst: 2, AddrRate: 1.0 / 60})
	for i := range 2 {
		if r := e.track("XF2222222222", "13800000000"); r.status != 404 {
			t.Fatalf("request %d: %d", i, r.status)
		}
	}
	r := e.track("XF2222222222", "13800000000")
	if r.status != 429 || !strings.Contains(r.body, "操作过于频繁") || r.header.Get("Retry-After") == "" {
		t.Fatalf("third request: %d %s", r.status, r.body)
	}
	e.clk.Add(61 * time.Second)
	if r := e.track("XF2222222222", "13800000000"); r.status != 404 {
		t.Fatalf("after waiting: %d", r.status)
	}
	// Reading pages is not limited.
	if r := e.get("/portal/track"); r.status != 200 {
		t.Errorf("GET limited: %d", r.status)
	}

	p := newEnv(t, portal.Options{PhoneBurst: 1, PhoneRate: 1.0 / 3600})
	if r := p.submit(petitionForm()); r.status != 200 {
		t.Fatalf("first submission: %d", r.status)
	}
	f := petitionForm()
	f.Set("request", "另一件事：小区门口道路破损")
	f.Set("phone", "13904291234")
	if r := p.submit(f); r.status != 429 || !strings.Contains(r.body, "操作过于频繁") {
		t.Fatalf("second submission from the same phone: %d", r.status)
	}
	f.Set("phone", "13904290000")
	if r := p.submit(f); r.status != 200 {
		t.Fatalf("another phone: %d", r.status)
	}
}

func TestUploadLimits(t *testing.T) {
	e := newEnv(t, portal.Options{MaxFileBytes: 1024, MaxFiles: 2, MaxBodyBytes: 8 << 10})
	big := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 2048)...)
	if r := e.submit(petitionForm(), file{"big.png", big}); r.status != 413 || !strings.Contains(r.body, "提交的内容过大") {
		t.Errorf("oversized file: %d %s", r.status, r.body)
	}
	huge := bytes.Repeat([]byte("x"), 16<<10)
	if r := e.submit(url.Values{"facts": {string(huge)}}); r.status != 413 {
		t.Errorf("oversized body: %d", r.status)
	}
	r := e.submit(petitionForm(), file{"照片.jpg", []byte("this is not a photo at all, just text")})
	if r.status != 415 || !strings.Contains(r.body, "类型不支持") || !strings.Contains(r.body, "照片.jpg") {
		t.Errorf("wrong type: %d %s", r.status, r.body)
	}
	html := []byte("<html><script>alert(1)</script></html>")
	if r := e.submit(petitionForm(), file{"a.pdf", html}); r.status != 415 {
		t.Errorf("html as pdf: %d", r.status)
	}
	if r := e.submit(petitionForm(), file{"1.png", png}, file{"2.png", png}, file{"3.png", png}); r.status != 400 || !strings.Contains(r.body, "最多上传 2 个附件") {
		t.Errorf("too many files: %d", r.status)
	}
	if n := e.count(); n != 0 {
		t.Fatalf("%d petitions registered by refused submissions", n)
	}
	// Missing and invalid fields come back with the values kept.
	f := petitionForm()
	f.Del("facts")
	f.Set("id_number", "211402199001011235")
	r = e.submit(f)
	if r.status != 400 || !strings.Contains(r.body, "请填写事实和理由") || !strings.Contains(r.body, "锦绣小区冬季供暖不热") {
		t.Errorf("missing facts: %d", r.status)
	}
	f = petitionForm()
	f.Set("id_number", "211402199001011235")
	if r := e.submit(f); r.status != 400 || !strings.Contains(r.body, "身份证号码无效") {
		t.Errorf("bad id number: %d", r.status)
	}
	if n := e.count(); n != 0 {
		t.Fatalf("%d petitions registered by invalid submissions", n)
	}
}

func TestOpenCaseShownBeforeSubmitting(t *testing.T) {
	e := newEnv(t, portal.Options{})
	if r := e.submit(petitionForm()); r.status != 200 {
		t.Fatal(r.status)
	}
	f := petitionForm()
	f.Set("request", "锦绣小区供暖不热，要求供暖达标！")
	r := e.submit(f)
	if r.status != 200 || !strings.Contains(r.body, "相似的信访事项正在办理") || !strings.Contains(r.body, `name="confirm" value="1"`) || codeRe.MatchString(r.body) {
		t.Fatalf("no warning: %d %s", r.status, r.body)
	}
	if n := e.count(); n != 1 {
		t.Fatalf("%d petitions", n)
	}
	f.Set("confirm", "1")
	if r := e.submit(f); r.status != 200 || !codeRe.MatchString(r.body) {
		t.Fatalf("confirmed: %d", r.status)
	}
	// A different matter from the same person goes straight through.
	f = petitionForm()
	f.Set("request", "单位拖欠三个月工资")
	if r := e.submit(f); !codeRe.MatchString(r.body) {
		t.Fatalf("different matter warned")
	}
}

func TestReviewWindowCloses(t *testing.T) {
	e := newEnv(t, portal.Options{})
	ctx := context.Background()
	code := codeRe.FindString(e.submit(petitionForm()).body)
	c, err := e.st.CaseByTrackingCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	id := c.Petition.ID
	bureau, zjj := e.org.Users["bureau"], e.org.Users["zjj"]
	steps := []func() error{
		func() error { _, err := e.svc.Do(ctx, bureau, id, lifecycle.Accept, lifecycle.Input{}); return err },
		func() error {
			_, err := e.svc.Do(ctx, bureau, id, lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj"})
			return err
		},
		func() error { _, err := e.svc.Do(ctx, zjj, id, lifecycle.Sign, lifecycle.Input{}); return err },
		func() error {
			_, err := e.svc.Do(ctx, zjj, id, lifecycle.Reply, lifecycle.Input{Outcome: "explain", Text: "供暖温度符合标准，已向您解释说明。"})
			return err
		},
	}
	for _, s := range steps {
		if err := s(); err != nil {
			t.Fatal(err)
		}
	}
	e.clk.Add(31 * 24 * time.Hour)
	if r := e.track(code, "13904291234"); strings.Contains(r.body, "review-form") {
		t.Errorf("review offered after the window")
	}
	r := e.post("/portal/review", url.Values{"code": {code}, "phone": {"13904291234"}, "reason": {"不服答复"}})
	if r.status != 409 || !strings.Contains(r.body, "期限") {
		t.Errorf("late review: %d %s", r.status, r.body)
	}
}

func TestSimilar(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"锦绣小区冬季供暖不热，要求供暖达标", "锦绣小区供暖不热，要求供暖达标！", true},
		{"供暖不热", "锦绣小区供暖不热要求解决", true},
		{"锦绣小区冬季供暖不热", "单位拖欠三个月工资", false},
		{"", "供暖", false},
		{"路灯", "路灯", true},
	} {
		if got := portal.Similar(c.a, c.b); got != c.want {
			t.Errorf("Similar(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestLimiter(t *testing.T) {
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := portal.NewLimiter(0.5, 2, clk.Now)
	for i := range 2 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("token %d refused", i)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait != 2*time.Second {
		t.Fatalf("third: %v %v", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("keys share a bucket")
	}
	clk.Add(2 * time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("no refill")
	}
}

func TestPagesUnderTheCSP(t *testing.T) {
	e := newEnv(t, portal.Options{})
	r := e.get("/portal/submit")
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "style-src 'self'") {
		t.Fatalf("CSP %q", csp)
	}
	// No inline style or script anywhere.
	for _, bad := range []string{"<style", "style=", "<script", "onclick", "onsubmit"} {
		if strings.Contains(r.body, bad) {
			t.Errorf("the form has %s", bad)
		}
	}
	css := regexp.MustCompile(`/portal/static/portal\.css\?v=[0-9a-f]+`).FindString(r.body)
	s := e.get(css)
	if css == "" || s.status != 200 || !strings.HasPrefix(s.header.Get("Content-Type"), "text/css") || !strings.Contains(s.body, ".top") {
		t.Fatalf("style sheet %q: %d %s", css, s.status, s.header.Get("Content-Type"))
	}
	if r := e.get("/portal/static/nothing.css"); r.status != 404 {
		t.Errorf("missing static file: %d", r.status)
	}
	if r := e.get("/portal/nowhere"); r.status != 404 || !strings.Contains(r.body, "页面不存在") {
		t.Errorf("unknown page: %d", r.status)
	}
	// A cross-origin browser POST is refused before it reaches the portal.
	req, _ := http.NewRequest("POST", e.srv.URL+"/portal/track", strings.NewReader("code=x&phone=y"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := e.do(req); r.status != 403 {
		t.Errorf("cross-origin POST: %d", r.status)
	}
}

// The core keeps one petitioner per ID number, with the first phone number;
// a returning petitioner with a new number still follows the new case.
func TestReturningPetitionerWithANewPhone(t *testing.T) {
	e := newEnv(t, portal.Options{})
	f := petitionForm()
	f.Set("id_number", "211402199001011234")
	if r := e.submit(f); !codeRe.MatchString(r.body) {
		t.Fatalf("first: %d %s", r.status, r.body)
	}
	f.Set("phone", "13500001111")
	f.Set("request", "单位拖欠三个月工资")
	code := codeRe.FindString(e.submit(f).body)
	if code == "" {
		t.Fatal("second submission not registered")
	}
	if r := e.track(code, "13500001111"); r.status != 200 || !strings.Contains(r.body, "拖欠三个月工资") {
		t.Fatalf("new phone: %d", r.status)
	}
	if r := e.track(code, "13904291234"); r.status != 200 {
		t.Fatalf("the petitioner's first phone: %d", r.status)
	}
	// The new number also finds the open cases before a third submission.
	f.Set("request", "单位拖欠三个月工资，要求支付")
	f.Del("id_number")
	if r := e.submit(f); !strings.Contains(r.body, "相似的信访事项正在办理") {
		t.Fatalf("no warning for the new phone: %d", r.status)
	}
}
