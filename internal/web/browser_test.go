package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"redress/internal/browsertest"
	"redress/internal/petition"
)

// chromiumPath is Debian's chromium, which CI installs with fonts-noto-cjk.
const chromiumPath = "/usr/bin/chromium"

// envScreenshots set to 1 makes the browser tests save the main pages
// under docs/screenshots.
const envScreenshots = "REDRESS_SCREENSHOTS"

// browser is one headless chromium shared by every test of the binary;
// each signed-in user gets its own browser context (own cookies).
type browser struct {
	once   sync.Once
	ctx    context.Context
	cancel func()
	err    error
}

var shared browser

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.cancel != nil {
		shared.cancel()
	}
	os.Exit(code)
}

func startBrowser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("no chromium at %s", chromiumPath)
	}
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "redress-chromium-")
		if err != nil {
			shared.err = err
			return
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("lang", "zh-CN"),
			chromedp.UserDataDir(dir), chromedp.WindowSize(1366, 900))
		ctx, cancelCtx := chromedp.NewContext(alloc)
		if err := chromedp.Do(ctx); err != nil {
			shared.err = fmt.Errorf("start chromium: %w", err)
		}
		shared.ctx = ctx
		shared.cancel = func() { cancelCtx(); cancelAlloc(); os.RemoveAll(dir) }
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.ctx
}

// stepLimit bounds one browser step (an action list or a wait). It is a
// watchdog, not a speed target: a step that has not finished in two minutes
// is stuck (a lost navigation, an element that never comes), and the test
// fails with the page it was on instead of hanging the whole package.
const stepLimit = 2 * time.Minute

// tab is one user's browser context.
type tab struct {
	t    *testing.T
	ctx  context.Context // the tab; steps take their own deadline from it
	base string
}

func (e *env) tab(t *testing.T) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(startBrowser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first run opens the tab and binds its life to the context it is
	// given, so it gets the tab's own context, not a step's deadline.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return &tab{t: t, ctx: ctx, base: e.srv.URL}
}

// step runs actions under the watchdog and returns their error.
func (b *tab) step(steps ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(b.ctx, stepLimit)
	defer cancel()
	return chromedp.Do(ctx, steps...)
}

// fail ends the test with what the tab shows, so a failure in CI can be
// read from the log alone.
func (b *tab) fail(format string, args ...any) {
	b.t.Helper()
	b.t.Fatalf("%s\n%s", fmt.Sprintf(format, args...), b.where())
}

// where describes the tab's page: its address and the start of its text.
func (b *tab) where() string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return fmt.Sprintf("(page unreadable: %v)\n%s", err, serverStacks())
	}
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 1500) : ""`))
	return fmt.Sprintf("page %s:\n%s\n%s", loc, body, serverStacks())
}

// serverStacks lists the goroutines that are inside the server's code (a
// request stuck on the store shows here), grouped as runtime/pprof does.
func serverStacks() string {
	var all strings.Builder
	if err := pprof.Lookup("goroutine").WriteTo(&all, 1); err != nil {
		return ""
	}
	var out strings.Builder
	for _, g := range strings.Split(all.String(), "\n\n") {
		if strings.Contains(g, "redress/internal/") && !strings.Contains(g, "_test.go") {
			out.WriteString(g + "\n\n")
		}
	}
	if out.Len() == 0 {
		return "(no server goroutine is busy)"
	}
	return "server goroutines:\n" + out.String()
}

func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := b.step(steps...); err != nil {
		b.fail("browser: %v", err)
	}
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

func (b *tab) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + path))
	b.waitVisible(css("footer"))
}

// waitVisible waits until the element is on the page and shown (see
// browsertest for why not chromedp's WaitVisible).
func (b *tab) waitVisible(sel chromedp.CSS) {
	b.t.Helper()
	if err := b.poll(browsertest.VisibleExpr(string(sel))); err != nil {
		b.fail("wait for %s: %v", sel, err)
	}
}

// clickTo clicks an element and waits for another to show (on the page the
// click leads to, or where it unfolds).
func (b *tab) clickTo(click, want chromedp.CSS) {
	b.t.Helper()
	b.do(chromedp.Click(click))
	b.waitVisible(want)
}

// value runs one query under the watchdog.
func value[T any](b *tab, what string, q chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepLimit)
	defer cancel()
	v, err := chromedp.Run(ctx, q)
	if err != nil {
		b.fail("%s: %v", what, err)
	}
	return v
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(value(b, "text of "+sel, chromedp.Text(css(sel))))
}

func (b *tab) count(sel string) int {
	b.t.Helper()
	return value(b, "count "+sel, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
}

// location is the tab's current address.
func (b *tab) location() string {
	b.t.Helper()
	return value(b, "location", chromedp.Location())
}

// waitText waits until the element's text contains want (pages change by
// htmx swaps, so the element may exist before it says the right thing).
func (b *tab) waitText(sel, want string) {
	b.t.Helper()
	expr := fmt.Sprintf("(function(){var e=document.querySelector(%q);return !!e && e.textContent.indexOf(%q)>=0;})()", sel, want)
	if err := b.poll(expr); err != nil {
		b.fail("wait for %q in %s: %v", want, sel, err)
	}
}

// poll waits, under the watchdog, until the script expr is true.
func (b *tab) poll(expr string) error {
	return b.step(browsertest.Until(expr))
}

func (b *tab) login(login string) {
	b.t.Helper()
	b.open("/login")
	b.do(chromedp.SendKeys(css("#login"), login), chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css("#login-submit")))
	b.waitVisible(css("#who"))
}

// act opens an action's form on the case page, lets fill type into it, and submits.
func (b *tab) act(action string, fill ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.clickTo(css("#action-"+action+" > summary"), css("#submit-"+action))
	b.do(fill...)
	b.do(chromedp.Click(css("#submit-" + action)))
}

func (b *tab) shot(name string) {
	b.t.Helper()
	if os.Getenv(envScreenshots) != "1" {
		return
	}
	png := value(b, "screenshot "+name, chromedp.CaptureScreenshot())
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func (e *env) state(id int64) petition.State {
	e.t.Helper()
	c, err := e.st.Case(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c.Petition.State
}

// TestBrowserWalkthrough walks one petition from registration to a review
// request entirely by clicking and typing, as each role in turn.
func TestBrowserWalkthrough(t *testing.T) {
	e := newEnv(t)
	title := "楼上噪音扰民<script>alert(1)</script>"

	// The registrar registers the petition; a missing title is reported beside the field, in Chinese.
	reg := e.tab(t)
	reg.login("bureau")
	reg.waitText("h1", "登记受理工作台")
	reg.clickTo(css("#nav-register"), css("#register-form"))
	reg.do(chromedp.SendKeys(css("#r-petitioner_name"), "张三丰"),
		chromedp.SendKeys(css("#r-petitioner_id_number"), "211402198001010018"),
		chromedp.SendKeys(css("#r-phone"), "13912345678"),
		chromedp.SetValue(css("#r-district_code"), "211402"),
		chromedp.SendKeys(css("#r-address"), "连山区站前街道 12 号楼"),
		chromedp.SendKeys(css("#r-content"), "楼上住户每晚十一点后仍有很大的噪音，多次协商无果，请求处理。"),
		chromedp.Click(css("#register-submit")))
	reg.waitText("#err-title", "请填写标题")
	reg.shot("register-error")
	reg.do(chromedp.SendKeys(css("#r-title"), title), chromedp.Click(css("#register-submit")))
	reg.waitText("#notice", "已登记")
	attr := value(reg, "case id", chromedp.AttributeValue(css("#case-head"), "data-id"))
	if !attr.Exists {
		t.Fatal("the case page has no case id")
	}
	id, _ := strconv.ParseInt(attr.Value, 10, 64)
	casePath := idPath(id)
	if got := reg.text("#case-title"); got != title {
		t.Fatalf("title shows as %q", got)
	}
	if n := reg.count("#case-title script"); n != 0 {
		t.Fatal("petition text became a script element")
	}
	if got := reg.text("#pr-phone"); got != "13912345678" {
		t.Errorf("registrar sees phone %q", got)
	}
	if reg.count(".deadline-acknowledge") != 1 || !strings.Contains(reg.text(".deadline-acknowledge"), "剩") {
		t.Error("the acknowledgement deadline does not show the working days left")
	}
	reg.act("accept")
	reg.waitText("#notice", "已受理")
	reg.act("assign", chromedp.SetValue(css("#assign-unit"), "211400-zjj"))
	reg.waitText("#case-state", "已交办待签收")
	reg.shot("case-registrar")

	// The unit handler finds it on the home page, signs for it, asks for an extension.
	h := e.tab(t)
	h.login("zjj")
	h.waitText("#section-0", title)
	h.shot("home-handler")
	h.open(casePath)
	if got := h.text("#pr-id"); got != "211402********0018" {
		t.Errorf("handler sees ID number %q", got)
	}
	for _, hidden := range []string{"accept", "assign", "approve-extension", "request-review"} {
		if h.count("#action-"+hidden) != 0 {
			t.Errorf("handler is offered %s", hidden)
		}
	}
	h.act("sign")
	h.waitText("#case-state", "办理中")
	if h.count("#action-approve-extension") != 0 {
		t.Error("handler is offered approve-extension")
	}
	h.act("request-extension", chromedp.SendKeys(css("#request-extension-reason"), "需要现场勘查并组织听证"))
	h.waitText("#err-request-extension-days", "延期天数须在 1 至 30 天之间")
	if e.state(id) != petition.Handling {
		t.Fatal("a failed extension request changed the case")
	}
	if loc := h.location(); strings.Contains(loc, "/request-extension") {
		t.Errorf("after a failed action the address bar shows %q", loc)
	}
	h.do(chromedp.SendKeys(css("#request-extension-days"), "15"), chromedp.Click(css("#submit-request-extension")))
	h.waitText("#case-state", "延期申请中")
	if h.count("#action-approve-extension") != 0 {
		t.Error("handler may approve its own extension")
	}

	// The unit head approves it from the home page.
	hd := e.tab(t)
	hd.login("zjj-head")
	hd.waitText("#section-0", title)
	hd.shot("home-head")
	hd.clickTo(css("#section-0 a.row-title"), css("#action-approve-extension"))
	hd.act("approve-extension")
	hd.waitText("#case-state", "办理中")
	hd.waitText("#assignments", "已批准")

	// The handler replies.
	h.open(casePath)
	h.act("reply", chromedp.SetValue(css("#reply-outcome"), "support"),
		chromedp.SendKeys(css("#reply-text"), "经现场核查，已责令楼上住户整改，并由物业加强夜间巡查。"))
	h.waitText("#case-state", "已答复")
	h.shot("case-handler")

	// The registrar records the petitioner's review request.
	reg.open(casePath)
	reg.act("request-review", chromedp.SendKeys(css("#request-review-reason"), "对答复不满意，噪音仍然存在"))
	reg.waitText("#case-state", "复查中")
	if e.state(id) != petition.ReviewRequested {
		t.Fatalf("state is %s", e.state(id))
	}

	// The leader sees it waiting for a review decision, with the petitioner's phone masked.
	l := e.tab(t)
	l.login("leader")
	l.waitText("#section-0", title)
	l.open(casePath)
	if got := l.text("#pr-phone"); got != "139****5678" {
		t.Errorf("leader sees phone %q", got)
	}
	if l.count("#action-decide-review") != 1 {
		t.Error("leader is not offered the review decision")
	}

	// The inspector can find it by a two-character word and open it, with no actions.
	in := e.tab(t)
	in.login("inspector")
	in.do(chromedp.SendKeys(css("#home-q"), "噪音"), chromedp.Click(css(".search button")))
	in.waitText("#list-rows", title)
	in.open(casePath)
	in.waitText("#no-actions", "无可办理")

	// Another unit's handler cannot open it by URL.
	o := e.tab(t)
	o.login("rsj")
	o.open(casePath)
	o.waitText("#error-message", "不存在或您无权查看")
	if strings.Contains(o.text("main"), "噪音") {
		t.Error("another unit sees the petition")
	}
}

// TestBrowserForgedCrossOriginPost: a page on another origin that posts a
// form to redress in the signed-in user's browser is refused.
func TestBrowserForgedCrossOriginPost(t *testing.T) {
	e := newEnv(t)
	id := e.register("供暖不热", "家里暖气温度只有十二度。", nil)
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><form id="f" method="post" action="%s%s/decline"><input name="reason" value="forged"></form>
<script>document.getElementById("f").submit()</script>`, e.srv.URL, idPath(id))
	}))
	defer evil.Close()
	b := e.tab(t)
	b.login("bureau")
	b.do(chromedp.Navigate(evil.URL))
	b.waitText("body", "cross-origin request refused")
	if e.state(id) != petition.Registered {
		t.Fatalf("the forged request changed the case to %s", e.state(id))
	}
}

// TestBrowserEveryRoleSignsIn signs in as each role and checks its home page
// and what its navigation offers.
func TestBrowserEveryRoleSignsIn(t *testing.T) {
	e := newEnv(t)
	e.register("噪音扰民", "夜间施工噪音。", nil)
	for login, want := range map[string]string{
		"bureau": "登记受理工作台", "zjj": "承办工作台", "zjj-head": "单位负责人工作台",
		"leader": "市领导工作台", "inspector": "巡察查询", "admin": "系统管理",
	} {
		b := e.tab(t)
		b.login(login)
		b.waitText("h1", want)
		if got := b.count("#nav-register"); (login == "bureau") != (got == 1) {
			t.Errorf("%s: register link shown %d times", login, got)
		}
		if login == "admin" {
			b.clickTo(css(`a[href="/admin/time-limits"]`), css("#limits"))
			b.do(chromedp.SetValue(css("#count-reply"), "400"), chromedp.Click(css("#save-reply")))
			b.waitText("#err-limit-reply", "天数")
			b.shot("admin-time-limits")
			b.open("/admin/calendar?year=2026")
			b.waitText("#cal-days", "2026-10-01 off")
			b.shot("admin-calendar")
		}
		b.clickTo(css("#logout"), css("#login-form"))
	}
}

// TestBrowserListMoreAndExport pages a list with the "more" button (htmx)
// and exports it with progress shown.
func TestBrowserListMoreAndExport(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 55; i++ {
		e.register("噪音扰民 "+strconv.Itoa(i), "夜间施工噪音很大。", nil)
	}
	e.register("道路破损", "道路坑洼不平。", nil)
	b := e.tab(t)
	b.login("inspector")
	b.open("/petitions?q=" + "噪音")
	b.waitText("#list-rows", "噪音扰民 54")
	if n := b.count("#list-rows tr.row"); n != 50 {
		t.Fatalf("first page shows %d rows", n)
	}
	b.do(chromedp.Click(css("#more")))
	b.waitText("#list-rows", "噪音扰民 0")
	if n := b.count("#list-rows tr.row"); n != 55 {
		t.Fatalf("after more: %d rows", n)
	}
	if strings.Contains(b.text("#list-rows"), "道路破损") {
		t.Fatal("the search shows a petition without the word")
	}
	b.do(chromedp.Click(css("#export-csv")))
	b.waitText("#export-progress", "导出完成")
}
