//go:build screenshots

package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"redress/internal/calendar"
	"redress/internal/demo"
	"redress/internal/escalation"
	"redress/internal/lifecycle"
	"redress/internal/matters"
	"redress/internal/server"
	"redress/internal/storetest"
	"redress/internal/web"
)

// TestScreenshots loads the Huludao demo data and saves the main pages as
// each role sees them to docs/screenshots. It runs only with
// -tags screenshots, so ordinary runs leave the tree clean.
func TestScreenshots(t *testing.T) {
	t.Setenv(envScreenshots, "1")
	startBrowser(t)
	st := storetest.Open(t)
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, calendar.Location)
	svc := lifecycle.New(st, func() time.Time { return now })
	ctx := context.Background()
	if _, err := demo.Load(ctx, svc, demo.LoadOptions{Now: now, Count: 1200}); err != nil {
		t.Fatal(err)
	}
	// As redress serve --demo does: repeats found, the work after intake
	// recorded, the escalation ladder swept.
	if _, err := matters.NewDetector(matters.DetectorOptions{}).Backfill(ctx, st, matters.RebuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Enrich(ctx, svc, now, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := escalation.New(st, escalation.Options{}).Sweep(ctx, now); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.Handler(svc, server.Options{Web: web.Options{SessionTTL: time.Hour}}))
	defer srv.Close()
	e := &env{t: t, st: st, srv: srv}

	b := e.tab(t)
	b.open("/login")
	b.shot("login")
	b.login("bureau")
	b.shot("home-bureau")
	b.open("/petitions?q=" + "噪音")
	b.shot("list")
	b.clickTo(css("#list-rows a.row-title"), css("#timeline"))
	b.shot("case")
	b.open("/petitions/new")
	b.shot("register")
	b.open("/imports")
	b.shot("import")
	b.open("/dashboard")
	b.waitVisible(css("[data-chart][data-ready]"))
	b.shot("dashboard")
	b.open("/repeats")
	b.shot("repeats-candidates")
	b.open("/problems")
	b.open(b.attr("main table a[href^='/problems/']", "href"))
	b.shot("problem")
	b.open("/supervision")
	b.shot("supervision")
	b.open("/engagement")
	b.shot("engagement")

	for _, login := range []string{"zjj", "zjj-head", "leader", "inspector"} {
		u := e.tab(t)
		u.login(login)
		if login == "leader" {
			u.waitVisible(css("#chart-overdue[data-ready]"))
		}
		u.shot("home-" + login)
		if login == "zjj" {
			u.open("/petitions?state=handling")
			u.clickTo(css("#list-rows a.row-title"), css("#actions"))
			u.shot("case-unit")
		}
		if login == "leader" {
			u.do(chromedp.Click(css("#locale")), chromedp.SetValue(css("#locale"), "en"))
			u.open("/petitions?overdue=1")
			u.open("/home")
		}
	}
	in := e.tab(t)
	in.login("inspector")
	in.open("/inspections")
	in.open(in.attr("main table a[href^='/inspections/']", "href"))
	in.shot("inspection-report")
	in.open("/rankings")
	in.waitVisible(css("[data-chart][data-ready]"))
	in.shot("rankings")
	l := e.tab(t)
	l.login("leader")
	l.open("/commitments")
	l.shot("commitments")
	a := e.tab(t)
	a.login("admin")
	a.open("/admin/users")
	a.shot("admin-users")
}

// attr is an attribute of the first element sel selects, as a path.
func (b *tab) attr(sel, name string) string {
	b.t.Helper()
	return value(b, name+" of "+sel, chromedp.Evaluate[string](fmt.Sprintf("document.querySelector(%q).getAttribute(%q)", sel, name)))
}
