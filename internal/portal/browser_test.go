//go:build browser

// The browser test drives Debian's chromium through the portal as a
// citizen would, on a phone-sized screen. Run it with
//
//	go test -tags browser ./internal/portal/ -run Browser
//
// (it is behind a build tag so that builds without chromedp in the module
// graph stay green).
package portal_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"redress/internal/browsertest"
	"redress/internal/lifecycle"
	"redress/internal/petition"
	"redress/internal/portal"
)

func TestBrowserCitizenJourney(t *testing.T) {
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("no /usr/bin/chromium")
	}
	e := newEnv(t, portal.Options{})
	ctx := context.Background()
	bctx := portalBrowser(t, "zh-CN")

	photo := filepath.Join(t.TempDir(), "暖气.png")
	if err := os.WriteFile(photo, png, 0o600); err != nil {
		t.Fatal(err)
	}
	type css = chromedp.CSS
	steps := append([]chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(e.srv.URL + "/portal/"),
	}, typePetition()...)
	steps = append(steps,
		chromedp.SetUploadFiles(css(`#attachments`), []string{photo}),
		chromedp.Click(css(`#submit`)),
		browsertest.Visible(`#tracking-code`),
	)
	if err := chromedp.Do(bctx, steps...); err != nil {
		t.Fatalf("submit: %v", err)
	}
	portalShot(t, bctx, "portal-submitted")
	code := text(t, bctx, `#tracking-code`)
	// The style sheet loads under the strict CSP.
	bg, err := chromedp.Run(bctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.top')).backgroundColor`))
	if err != nil {
		t.Fatal(err)
	}
	if !codeRe.MatchString(code) {
		t.Fatalf("tracking code %q", code)
	}
	if bg != "rgb(180, 35, 31)" {
		t.Errorf("style sheet not applied: header background %q", bg)
	}

	// Staff act on the case through the lifecycle.
	c, err := e.st.CaseByTrackingCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	id := c.Petition.ID
	bureau, zjj := e.org.Users["bureau"], e.org.Users["zjj"]
	lookup := func() string {
		t.Helper()
		return lookupCase(t, bctx, e.srv.URL, code, "139 0429 1234")
	}
	if state := lookup(); state != "已登记，待受理" {
		t.Errorf("state %q", state)
	}
	for _, s := range []struct {
		who string
		a   lifecycle.Action
		in  lifecycle.Input
	}{
		{"bureau", lifecycle.Accept, lifecycle.Input{}},
		{"bureau", lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj"}},
		{"zjj", lifecycle.Sign, lifecycle.Input{}},
	} {
		u := bureau
		if s.who == "zjj" {
			u = zjj
		}
		if _, err := e.svc.Do(ctx, u, id, s.a, s.in); err != nil {
			t.Fatal(err)
		}
	}
	if state := lookup(); state != "办理中" {
		t.Errorf("state %q", state)
	}
	reply := "经查，供暖公司管网存在堵塞，已疏通，室温已达18度。"
	if _, err := e.svc.Do(ctx, zjj, id, lifecycle.Reply, lifecycle.Input{Outcome: "support", Text: reply}); err != nil {
		t.Fatal(err)
	}
	lookup()
	portalShot(t, bctx, "portal-case")
	shown := text(t, bctx, `#reply`)
	if err := chromedp.Do(bctx,
		chromedp.Click(css(`input[name="rating"][value="satisfied"]`)),
		chromedp.Click(css(`#rate`)),
		browsertest.Visible(`#case-rating`),
	); err != nil {
		t.Fatalf("rate: %v", err)
	}
	rating := text(t, bctx, `#case-rating`)
	if err := chromedp.Do(bctx,
		browsertest.Visible(`#reason`),
		chromedp.SendKeys(css(`#reason`), "晚间室温仍只有15度，请求复查。"),
	); err != nil {
		t.Fatalf("review: %v", err)
	}
	// The page before the click already has a notice (the rating's), so
	// wait for the next page to load rather than for an element.
	loaded := chromedp.Events(bctx, page.LoadEventFired)
	if err := chromedp.Do(bctx, chromedp.Click(css(`#review`))); err != nil {
		t.Fatalf("review: %v", err)
	}
	for _, err := range loaded {
		if err != nil {
			t.Fatalf("review page: %v", err)
		}
		break
	}
	state := text(t, bctx, `#case-state`)
	if !strings.Contains(shown, reply) || rating != "满意" || state != "复查中" {
		t.Errorf("reply %q rating %q state %q", shown, rating, state)
	}
	c, _ = e.st.Case(ctx, id)
	if c.Petition.State != petition.ReviewRequested {
		t.Errorf("state in the store: %s", c.Petition.State)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// portalBrowser starts chromium whose user speaks lang (its Accept-Language),
// on a phone-sized screen; it stops when the test ends.
func portalBrowser(t *testing.T, lang string) context.Context {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("no /usr/bin/chromium")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath("/usr/bin/chromium"),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("lang", lang),
		chromedp.Flag("accept-lang", lang),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelA)
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(cancelB)
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// A watchdog, not a speed target: a journey that is stuck (a lost
	// navigation, an element that never comes) fails instead of hanging
	// the package until the go test timeout.
	wctx, cancelW := context.WithTimeout(bctx, 5*time.Minute)
	t.Cleanup(cancelW)
	return wctx
}

// portalShot saves the page as docs/screenshots/NAME.png when
// REDRESS_SCREENSHOTS=1, like the staff UI's browser tests.
func portalShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if os.Getenv("REDRESS_SCREENSHOTS") != "1" {
		return
	}
	b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A visitor whose browser speaks Chinese switches the portal to English,
// meets a validation error in English beside its field, submits, follows
// the case in English and switches back to Chinese on the case page.
func TestBrowserEnglishVisitor(t *testing.T) {
	bctx := portalBrowser(t, "zh-CN")
	e := newEnv(t, portal.Options{})
	type css = chromedp.CSS
	if err := chromedp.Do(bctx,
		chromedp.Navigate(e.srv.URL+"/portal/"),
		browsertest.Until(`document.documentElement.lang === "zh-CN"`),
		chromedp.Click(css(`#lang-en`), chromedp.NodeVisible),
		browsertest.Until(`document.documentElement.lang === "en"`),
	); err != nil {
		t.Fatalf("switch to English: %v", err)
	}
	if h := text(t, bctx, `h1`); h != "Online petitions" {
		t.Errorf("English home heading %q", h)
	}
	portalShot(t, bctx, "portal-home-en")
	fill := append(typePetition(),
		chromedp.SendKeys(css(`#id_number`), "211402199001011235"),
		chromedp.Click(css(`#submit`)),
		browsertest.Visible(`#id_number-error`),
	)
	if err := chromedp.Do(bctx, fill...); err != nil {
		t.Fatalf("submit with a bad ID number: %v", err)
	}
	if msg := text(t, bctx, `#id_number-error`); msg != "The ID card number is not valid; please check it (it is optional)." {
		t.Errorf("field error %q", msg)
	}
	if msg := text(t, bctx, `#page-error`); msg != "Please correct the marked fields." {
		t.Errorf("page error %q", msg)
	}
	portalShot(t, bctx, "portal-submit-error-en")
	if n := e.count(); n != 0 {
		t.Fatalf("%d petitions after a refused submission", n)
	}
	if err := chromedp.Do(bctx,
		chromedp.Clear(css(`#id_number`)),
		chromedp.Click(css(`#submit`)),
		browsertest.Visible(`#tracking-code`),
	); err != nil {
		t.Fatalf("submit: %v", err)
	}
	code := text(t, bctx, `#tracking-code`)
	if !codeRe.MatchString(code) {
		t.Fatalf("tracking code %q", code)
	}
	if state := lookupCase(t, bctx, e.srv.URL, code, "13904291234"); state != "Registered, awaiting acceptance" {
		t.Errorf("English state %q", state)
	}
	portalShot(t, bctx, "portal-case-en")
	// Back to Chinese without losing the case.
	if err := chromedp.Do(bctx,
		chromedp.Click(css(`#lang-zh-CN`), chromedp.NodeVisible),
		browsertest.Until(`document.documentElement.lang === "zh-CN"`),
		browsertest.Visible(`#case-state`),
	); err != nil {
		t.Fatalf("switch back: %v", err)
	}
	if state := text(t, bctx, `#case-state`); state != "已登记，待受理" {
		t.Errorf("Chinese state %q", state)
	}
}

// typePetition opens the form from the home page and types the heating
// petition of petitionForm, as a citizen would.
func typePetition() []chromedp.Action[chromedp.Void] {
	type css = chromedp.CSS
	return []chromedp.Action[chromedp.Void]{
		chromedp.Click(css(`a.card[href="/portal/submit"]`), chromedp.NodeVisible),
		browsertest.Visible(`#name`),
		chromedp.SendKeys(css(`#name`), "王秀英"),
		chromedp.SendKeys(css(`#phone`), "13904291234"),
		chromedp.SetValue(css(`#district`), "211402"),
		chromedp.SendKeys(css(`#address`), "连山区锦绣小区3号楼"),
		chromedp.SendKeys(css(`#request`), "锦绣小区冬季供暖不热，要求供暖达标"),
		chromedp.SendKeys(css(`#facts`), "今年入冬以来室温一直只有14度，多次找供暖公司无果。"),
	}
}

// lookupCase follows a case from the tracking page and returns its state.
func lookupCase(t *testing.T, bctx context.Context, base, code, phone string) string {
	t.Helper()
	type css = chromedp.CSS
	if err := chromedp.Do(bctx,
		chromedp.Navigate(base+"/portal/track"),
		browsertest.Visible(`#code`),
		chromedp.SendKeys(css(`#code`), code),
		chromedp.SendKeys(css(`#phone`), phone),
		chromedp.Click(css(`#lookup`)),
		browsertest.Visible(`#case-state`),
	); err != nil {
		t.Fatalf("lookup: %v", err)
	}
	return text(t, bctx, `#case-state`)
}
