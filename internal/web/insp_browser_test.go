//go:build browser

package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserInspectionAndRankings: an inspector opens an inspection of the
// crafted unit history, reads the drafted report and adds a rectification
// item; a leader picks a month's ranking and sees its charts drawn.
func TestBrowserInspectionAndRankings(t *testing.T) {
	e, _ := inspEnv(t)

	b := e.tab(t)
	b.login("inspector")
	b.clickTo(css("#nav-inspections"), css("#open-inspection"))
	b.clickTo(css("#open-inspection"), css("#submit-inspection"))
	// The period left at its default but the unit not chosen: refused beside the field.
	b.do(chromedp.Click(css("#submit-inspection")))
	b.waitText("#err-unit_code", "请选择被巡察单位")
	b.do(chromedp.SetValue(css("#i-unit_code"), "211400-zjj"),
		chromedp.SetValue(css("#i-period_from"), "2026-01-01"), chromedp.SetValue(css("#i-period_to"), "2026-06-30"),
		chromedp.SetValue(css("#i-backlog_days"), "60"), chromedp.Click(css("#submit-inspection")))
	b.waitText("#notice", "巡察已开展")
	b.waitText("#report-title", "市住建局")
	if got := b.text("#sum-cases"); got != "3" {
		t.Errorf("report counts %q cases", got)
	}
	if got := b.text("#sum-resolution"); got != "66.7%" {
		t.Errorf("resolution rate %q", got)
	}
	if b.count("#report-cases tbody tr") != 3 {
		t.Errorf("%d case rows", b.count("#report-cases tbody tr"))
	}
	b.shot("inspection-report")

	b.clickTo(css("#add-rectification"), css("#submit-rectification"))
	b.do(chromedp.SendKeys(css("#f-finding"), "一把手未就王秀兰反映问题召开专题会议研究解决方案"),
		chromedp.SetValue(css("#f-due_on"), "2026-07-31"), chromedp.Click(css("#submit-rectification")))
	b.waitText("#notice", "整改事项已列入")
	b.waitText("#rect-table", "一把手未就王秀兰反映问题")
	list, err := e.st.Inspections(context.Background(), nil, 10)
	if err != nil || len(list) != 1 || list[0].Rectifications != 1 {
		t.Fatalf("store after the walk: %+v %v", list, err)
	}
	b.clickTo(css("#report-print"), css("#doc-signature"))
	if got := b.text("#doc-issuer"); got != "葫芦岛市信访工作巡察组" {
		t.Errorf("letterhead %q", got)
	}
	b.shot("inspection-print")

	l := e.tab(t)
	l.login("leader")
	l.clickTo(css("#nav-rankings"), css("#rank-submit"))
	l.do(chromedp.SetValue(css("#k-month"), "2026-06"), chromedp.SetValue(css("#k-min_cases"), "1"), chromedp.Click(css("#rank-submit")))
	l.waitVisible(css("#chart-ranking[data-ready]"))
	l.waitVisible(css("#chart-trend[data-ready]"))
	if n := l.count("#chart-ranking svg"); n == 0 {
		t.Error("the bar chart drew nothing")
	}
	if got := l.text("#rank-ranked"); !strings.Contains(got, "市住建局") || !strings.Contains(got, "市人社局") {
		t.Errorf("ranked table %q", got)
	}
	l.shot("rankings")
}
