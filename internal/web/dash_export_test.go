package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"redress/internal/calendar"
	"redress/internal/stats"
)

// TestDashboardExport: the dashboard's figures download as a workbook with
// a sheet per table, in the user's scope, equal to stats.Dashboard; a
// wrong period is refused on the page; the administrator has none; the
// export is audited.
func TestDashboardExport(t *testing.T) {
	e := newEnv(t)
	dashSeed(e)
	ctx := context.Background()
	const query = "from=2026-02-01&to=2026-03-02"
	period := stats.Period{From: calendar.NewDate(2026, 2, 1), To: calendar.NewDate(2026, 3, 2)}

	for _, login := range []string{"bureau", "zjj"} {
		c := e.client()
		c.login(login)
		if pg := c.get("/dashboard?" + query); !strings.Contains(pg.body, `href="/dashboard.xlsx?from=2026-02-01&amp;min_petitions=3&amp;open_days=90&amp;reopened=1&amp;to=2026-03-02"`) {
			t.Errorf("%s: the dashboard does not link the workbook of its period and backlog rule", login)
		}
		pg := c.get("/dashboard.xlsx?" + query)
		if pg.status != http.StatusOK || !strings.Contains(pg.header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("%s: workbook status %d %s", login, pg.status, pg.header.Get("Content-Type"))
		}
		book, err := excelize.OpenReader(bytes.NewReader([]byte(pg.body)))
		if err != nil {
			t.Fatalf("%s: not a workbook: %v", login, err)
		}
		if got := strings.Join(book.GetSheetList(), ","); got != "统计分析,按日明细,单位,县（市、区）,化解率" {
			t.Errorf("%s: sheets %s", login, got)
		}
		d, err := stats.New(e.st, e.clk.Now).Dashboard(ctx, e.user(login), period)
		if err != nil {
			t.Fatal(err)
		}
		cell := func(sheet, at string) string {
			v, err := book.GetCellValue(sheet, at)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if got, want := cell("统计分析", "B3"), strconv.Itoa(d.Total); got != want {
			t.Errorf("%s: received %s, want %s", login, got, want)
		}
		if got, want := cell("统计分析", "B5"), strconv.Itoa(d.Overdue); got != want {
			t.Errorf("%s: overdue %s, want %s", login, got, want)
		}
		if got, want := cell("统计分析", "B7"), d.Resolution.Percent(); got != want {
			t.Errorf("%s: resolution %s, want %s", login, got, want)
		}
		units, _ := book.GetRows("单位")
		if len(units) != len(d.Units)+1 {
			t.Errorf("%s: %d unit rows, want %d", login, len(units)-1, len(d.Units))
		}
		for i, u := range d.Units {
			if i+1 < len(units) && units[i+1][1] != strconv.Itoa(u.Open) {
				t.Errorf("%s: unit row %d says %v, want open %d", login, i+1, units[i+1], u.Open)
			}
		}
		days, _ := book.GetRows("按日明细")
		if len(days) != period.Days()+1 {
			t.Errorf("%s: %d days, want %d", login, len(days)-1, period.Days())
		}
		book.Close()
	}

	c := e.client()
	c.login("bureau")
	if pg := c.get("/dashboard.xlsx?from=2026-03-02&to=2026-02-01"); pg.status != http.StatusBadRequest || !strings.Contains(pg.body, "截止日期不能早于起始日期") {
		t.Errorf("a wrong period: %d", pg.status)
	}
	// In English, the sheets are named in English.
	c.post("/locale", url.Values{"locale": {"en"}, "next": {"/dashboard"}})
	en, err := excelize.OpenReader(bytes.NewReader([]byte(c.get("/dashboard.xlsx?" + query).body)))
	if err != nil {
		t.Fatalf("English workbook: %v", err)
	}
	if got := strings.Join(en.GetSheetList(), ","); got != "Dashboard,Day by day,Unit,District,Resolution rate" {
		t.Errorf("English sheets %s", got)
	}
	en.Close()
	a := e.client()
	a.login("admin")
	if pg := a.get("/dashboard.xlsx?" + query); pg.status != http.StatusForbidden {
		t.Errorf("the administrator exports the dashboard: %d", pg.status)
	}
	entries, err := e.st.AuditFor(ctx, "dashboard", "2026-02-01/2026-03-02", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 || entries[0].Action != "dashboard.export" {
		t.Errorf("audited %d exports, want 3", len(entries))
	}
}
