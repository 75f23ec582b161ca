//go:build browser

package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"redress/internal/matters"
)

// dashWaitCharts waits until n charts of the page have been drawn by ECharts
// (app.js marks each with data-ready).
func (b *tab) dashWaitCharts(n int) {
	b.t.Helper()
	if err := b.poll(fmt.Sprintf("document.querySelectorAll('[data-chart][data-ready]').length >= %d", n)); err != nil {
		b.fail("wait for %d charts: %v", n, err)
	}
}

// TestDashboardBrowser opens the dashboard from the nav, changes the period
// (a wrong one is refused beside the field), follows a notice link's page
// and opens a leader's home with the problems the leader leads.
func TestDashboardBrowser(t *testing.T) {
	e := newEnv(t)
	x := dashSeed(e)
	ctx := context.Background()
	ms := matters.New(e.svc)
	pb, err := ms.CreateProblem(ctx, e.user("leader"), matters.ProblemInput{Title: "城区冬季供暖不达标"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.st.Case(ctx, x.a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ms.AttachMatter(ctx, e.user("leader"), pb.ID, c.Petition.MatterID); err != nil {
		t.Fatal(err)
	}

	b := e.tab(t)
	b.login("bureau")
	b.clickTo(css("#nav-dashboard"), css("#dash-period"))
	b.dashWaitCharts(6)
	if n := b.count("[data-chart] svg"); n < 6 {
		t.Errorf("%d charts drew an SVG, want 6", n)
	}
	if got := b.text("#dash-total"); got != "6" {
		t.Errorf("received in the last 30 days: %q, want 6", got)
	}
	b.shot("dashboard")

	// A period that ends before it starts is refused beside the field, in Chinese.
	b.do(chromedp.SetValue(css("#dash-from"), "2026-03-05"), chromedp.SetValue(css("#dash-to"), "2026-03-01"),
		chromedp.Click(css("#dash-submit")))
	b.waitText("#err-to", "截止日期不能早于起始日期")
	if n := b.count("[data-chart]"); n != 0 {
		t.Errorf("%d charts shown for a wrong period", n)
	}
	b.do(chromedp.SetValue(css("#dash-from"), "2026-03-02"), chromedp.SetValue(css("#dash-to"), "2026-03-02"),
		chromedp.Click(css("#dash-submit")))
	b.waitText("#dash-period-note", "2026-03-02 至 2026-03-02")
	b.dashWaitCharts(6)
	if got := b.text("#dash-total"); got != "5" {
		t.Errorf("received on 2026-03-02: %q, want 5", got)
	}

	// The case page links the notices the state allows; the print page opens.
	b.open(fmt.Sprintf("/petitions/%d", x.a))
	if got := b.text("#case-notices"); !strings.Contains(got, "受理告知书") || !strings.Contains(got, "信访事项处理意见书") || strings.Contains(got, "不予受理告知书") {
		t.Errorf("notices on the case page: %q", got)
	}
	b.open(fmt.Sprintf("/petitions/%d/notices/reply.html", x.a))
	b.waitText("h2.title", "信访事项处理意见书")

	// The leader's home lists the problem the leader leads, with its case.
	l := e.tab(t)
	l.login("leader")
	l.waitText("#leader-problems", "城区冬季供暖不达标")
	l.dashWaitCharts(1)
	l.shot("home-leader")
	l.clickTo(css(fmt.Sprintf("#problem-%d a.row-title", pb.ID)), css("#timeline"))
	if got := l.text("#case-title"); got != "小区供暖温度不达标" {
		t.Errorf("the problem's case opens as %q", got)
	}
}
