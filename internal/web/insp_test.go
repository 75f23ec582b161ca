package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"redress/internal/calendar"
	"redress/internal/inspection"
	"redress/internal/inspection/inspectiontest"
	"redress/internal/lifecycle"
	"redress/internal/ranking"
)

func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// inspEnv is a server over the crafted history of internal/inspection's
// tests, with the clock on 2026-07-02.
func inspEnv(t *testing.T) (*env, inspectiontest.History) {
	e := newEnv(t)
	h := inspectiontest.Build(t, e.st, e.org, e.svc, e.clk.set)
	return e, h
}

// inspOpen opens the crafted inspection (2026 H1, backlog after 60 days) as the inspector through the form.
func inspOpen(t *testing.T, c *client) int64 {
	t.Helper()
	p := c.post("/inspections", url.Values{"unit_code": {inspectiontest.Unit}, "period_from": {"2026-01-01"}, "period_to": {"2026-06-30"},
		"backlog_days": {"60"}})
	loc := p.header.Get("Location")
	if p.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/inspections/") {
		t.Fatalf("open inspection: %d %s\n%s", p.status, loc, p.body)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.Split(loc, "?")[0], "/inspections/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// inspRow returns the HTML of the table row with the id, or fails.
func inspRow(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no row %s", id)
	}
	j := strings.Index(body[i:], "</tr>")
	return body[i : i+j]
}

func inspCount(t *testing.T, e *env) (inspections, items int) {
	t.Helper()
	list, err := e.st.Inspections(context.Background(), nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range list {
		items += in.Rectifications
	}
	return len(list), items
}

// TestInspectionReportPage: the report page shows the crafted history's known
// answers; failed forms change nothing; the print page, PDF and workbook carry the report.
func TestInspectionReportPage(t *testing.T) {
	e, h := inspEnv(t)
	c := e.client()
	c.login("inspector")

	// A period that ends before it starts is refused beside the field, in Chinese.
	p := c.post("/inspections", url.Values{"unit_code": {inspectiontest.Unit}, "period_from": {"2026-06-30"}, "period_to": {"2026-01-01"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-period_to"`) || !strings.Contains(p.body, "不早于起始日期") {
		t.Fatalf("bad period: %d\n%s", p.status, p.body)
	}
	p = c.post("/inspections", url.Values{"unit_code": {""}, "period_from": {"2026-01-01"}, "period_to": {"2026-06-30"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-unit_code"`) {
		t.Fatalf("no unit: %d", p.status)
	}
	if n, _ := inspCount(t, e); n != 0 {
		t.Fatalf("failed forms opened %d inspections", n)
	}

	id := inspOpen(t, c)
	path := "/inspections/" + strconv.FormatInt(id, 10)
	p = c.get(path)
	if p.status != 200 {
		t.Fatalf("report: %d", p.status)
	}
	for sel, want := range map[string]string{`id="sum-cases">3<`: "", `id="sum-head_met">2<`: "", `id="sum-study">1<`: "",
		`id="sum-missed">2<`: "", `id="sum-resolution">66.7%<`: "", `id="sum-returns">1 / 4<`: "", `id="rate-cases">4<`: "",
		`id="rate-response">100.0%<`: "", `id="rate-on_time">25.0%<`: "", `id="rate-resolution">25.0%<`: "", `id="rate-composite">37.5%<`: ""} {
		if !strings.Contains(p.body, sel) {
			t.Errorf("report lacks %s%s", sel, want)
		}
	}
	for _, c := range []struct {
		id    int64
		wants []string
	}{
		{h.P1, []string{"重复件（同一事项 2 件）", "积案", "办理 176 天", "见过 2 次", "2026-02-10、2026-03-15", "召开 1 次", "2026-02-20",
			"办理答复</span> 2026-01-20 到期", "至今未办结", `returns">0<`, `<span class="num">2</span>`, "督办 ×1", "报市委 ×1", "未化解"}},
		{h.P2, []string{"重复件（同一事项 2 件）", "办理 120 天", "见过 2 次", "未召开", `returns">0<`, `<span class="num">0</span>`, "已化解"}},
		{h.P3, []string{"办理 171 天", "未见过", "未召开", "2026-02-10 到期", "2026-04-01 办结", `returns">1<`, `<span class="num">2</span>`, "已化解"}},
	} {
		row := inspRow(t, p.body, fmt.Sprintf("finding-%d", c.id))
		for _, w := range c.wants {
			if !strings.Contains(row, w) {
				t.Errorf("P%d row lacks %q:\n%s", c.id, w, row)
			}
		}
	}
	if strings.Contains(p.body, fmt.Sprintf(`id="finding-%d"`, h.P4)) || strings.Contains(p.body, fmt.Sprintf(`id="finding-%d"`, h.P5)) {
		t.Error("the report lists P4 (neither repeat nor backlog) or P5 (another unit's)")
	}

	// A finding too short is refused beside the field; a good one becomes an item.
	form := url.Values{"finding": {"短"}, "petition_id": {strconv.FormatInt(h.P1, 10)}, "owner_name": {"周局长"}, "due_on": {"2026-07-10"}}
	p = c.post(path+"/rectifications", form)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-finding"`) || !strings.Contains(p.body, "请写明发现的问题") {
		t.Fatalf("short finding: %d\n%s", p.status, p.body)
	}
	form.Set("finding", "短")
	form.Set("due_on", "2026-07-01")
	form.Set("finding", "一把手未就王秀兰反映问题召开专题会议研究解决方案")
	if p = c.post(path+"/rectifications", form); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-due_on"`) {
		t.Fatalf("past due date: %d", p.status)
	}
	if _, items := inspCount(t, e); items != 0 {
		t.Fatalf("failed forms added %d items", items)
	}
	form.Set("due_on", "2026-07-10")
	if p = c.post(path+"/rectifications", form); p.status != http.StatusSeeOther {
		t.Fatalf("add item: %d\n%s", p.status, p.body)
	}
	items, err := e.st.Rectifications(context.Background(), id)
	if err != nil || len(items) != 1 || items[0].OwnerName != "周局长" || items[0].PetitionID != h.P1 || items[0].DueOn.String() != "2026-07-10" {
		t.Fatalf("items %+v %v", items, err)
	}
	// Once past due the item is marked overdue.
	e.clk.set(inspectiontest.On(7, 14))
	c.login("inspector")
	p = c.get(path)
	row := inspRow(t, p.body, fmt.Sprintf("rect-%d", items[0].ID))
	if !strings.Contains(row, "row-overdue") || !strings.Contains(row, "已逾期") || !strings.Contains(row, "周局长") {
		t.Errorf("overdue item row:\n%s", row)
	}

	// The print page is a formal document.
	p = c.get(path + "/print")
	for _, want := range []string{"葫芦岛市信访工作巡察组", "葫巡〔2026〕" + strconv.FormatInt(id, 10) + "号", "关于市住建局信访工作的巡察报告",
		"一、总体情况", "二、逐案情况", "三、整改要求", "共有重复件及积案3件", "二〇二六年七月十四日", `class="insp-seal"`, "一把手未就王秀兰反映问题"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("print page lacks %q", want)
		}
	}
	if strings.Contains(p.body, `class="topbar"`) {
		t.Error("the print page carries the site's navigation")
	}
	css := c.get(e.cssURL(t, p.body, "inspection"))
	if !strings.Contains(css.body, "@media print") || !strings.Contains(css.body, "size: A4") {
		t.Error("no print styles for A4")
	}
	p = c.get(path + "/report.pdf")
	if p.status != 200 || p.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(p.body, "%PDF") {
		t.Fatalf("pdf: %d %s", p.status, p.header.Get("Content-Type"))
	}
	p = c.get(path + "/report.xlsx")
	x, err := excelize.OpenReader(bytes.NewReader([]byte(p.body)))
	if err != nil {
		t.Fatalf("xlsx: %d %v", p.status, err)
	}
	rows, _ := x.GetRows(inspection.SheetCases)
	rects, _ := x.GetRows(inspection.SheetRectifications)
	if len(rows) != 4 || len(rects) != 2 || rects[1][2] != "周局长" {
		t.Fatalf("workbook: %d case rows, items %q", len(rows), rects)
	}
}

// cssURL finds the hashed URL of a stylesheet linked from body.
func (e *env) cssURL(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, "/static/"+name+".")
	if i < 0 {
		t.Fatalf("no %s stylesheet", name)
	}
	j := strings.Index(body[i:], `"`)
	return body[i : i+j]
}

// TestInspectionRoles: only inspectors open inspections and add items; a
// unit sees only its own report's items and may mark them done; another
// unit reads nothing.
func TestInspectionRoles(t *testing.T) {
	e, h := inspEnv(t)
	ins := e.client()
	ins.login("inspector")
	id := inspOpen(t, ins)
	path := "/inspections/" + strconv.FormatInt(id, 10)
	due := inspectiontest.Date(7, 20)
	item, err := inspection.AddRectification(context.Background(), e.st, e.user("inspector"), id,
		inspection.RectificationInput{PetitionID: h.P1, Finding: "未召开专题会议研究解决方案", OwnerName: "周局长", DueOn: &due}, e.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	done := "/rectifications/" + strconv.FormatInt(item.ID, 10) + "/done"

	zjj := e.client()
	zjj.login("zjj")
	if p := zjj.post("/inspections", url.Values{"unit_code": {"211400-rsj"}, "period_from": {"2026-01-01"}, "period_to": {"2026-06-30"}}); p.status != http.StatusForbidden {
		t.Errorf("a handler opened an inspection: %d", p.status)
	}
	if n, _ := inspCount(t, e); n != 1 {
		t.Fatalf("%d inspections", n)
	}
	rsj := e.client()
	rsj.login("rsj")
	if p := rsj.get(path); p.status != http.StatusForbidden || strings.Contains(p.body, "未召开专题会议") {
		t.Errorf("another unit reads the report: %d", p.status)
	}
	if p := rsj.get("/inspections"); p.status != 200 || strings.Contains(p.body, path) {
		t.Errorf("another unit lists the inspection: %d", p.status)
	}
	if p := rsj.post(done, url.Values{"note": {"已召开专题会议"}}); p.status != http.StatusForbidden {
		t.Errorf("another unit completed the item: %d", p.status)
	}
	if p := rsj.get("/rankings"); p.status != http.StatusForbidden {
		t.Errorf("a handler reads the rankings: %d", p.status)
	}

	head := e.client()
	head.login("zjj-head")
	p := head.get(path)
	if p.status != 200 || !strings.Contains(p.body, "未召开专题会议研究解决方案") || strings.Contains(p.body, `id="finding-`) || !strings.Contains(p.body, `id="unit-view"`) {
		t.Fatalf("the head's view of its report: %d", p.status)
	}
	if strings.Contains(p.body, `id="rect-form"`) || strings.Contains(p.body, "/print") {
		t.Error("the head is offered the inspector's form or the full report")
	}
	for _, q := range []string{path + "/print", path + "/report.pdf", path + "/report.xlsx"} {
		if p := head.get(q); p.status != http.StatusForbidden {
			t.Errorf("the head reads %s: %d", q, p.status)
		}
	}
	if p := head.post(path+"/rectifications", url.Values{"finding": {"自查发现的问题"}, "owner_name": {"周局长"}, "due_on": {"2026-07-30"}}); p.status != http.StatusForbidden {
		t.Errorf("the head added an item: %d", p.status)
	}
	if p := head.post(done, url.Values{"note": {"好"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, fmt.Sprintf(`id="err-note-%d"`, item.ID)) {
		t.Errorf("short note: %d", p.status)
	}
	if got, _ := e.st.Rectification(context.Background(), item.ID); got.State != "open" {
		t.Fatal("a refused completion changed the item")
	}
	if p := head.post(done, url.Values{"note": {"7月14日召开专题会议，形成解决方案"}}); p.status != http.StatusSeeOther {
		t.Fatalf("complete: %d\n%s", p.status, p.body)
	}
	if got, _ := e.st.Rectification(context.Background(), item.ID); got.State != "done" {
		t.Fatalf("item %+v", got)
	}
	if p := head.post(done, url.Values{"note": {"再次确认完成"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "该整改事项已经完成") {
		t.Errorf("complete twice: %d", p.status)
	}

	leader := e.client()
	leader.login("leader")
	p = leader.get(path)
	if p.status != 200 || !strings.Contains(p.body, fmt.Sprintf(`id="finding-%d"`, h.P1)) || strings.Contains(p.body, `id="rect-form"`) {
		t.Errorf("the leader's view: %d", p.status)
	}
	if p := leader.post("/inspections", url.Values{"unit_code": {"211400-rsj"}}); p.status != http.StatusForbidden {
		t.Errorf("a leader opened an inspection: %d", p.status)
	}
	if p := leader.get("/inspections/9999"); p.status != http.StatusNotFound || !strings.Contains(p.body, "巡察或整改事项不存在") {
		t.Errorf("unknown inspection: %d", p.status)
	}
}

// inspRankData assigns five cases to 市住建局 (three signed, two replied,
// one supported) and one to 市人社局 in March 2026, so that with a minimum of
// two 市人社局 is listed but not ranked.
func inspRankData(t *testing.T, e *env) {
	t.Helper()
	due := calendar.NewDate(2026, 3, 31)
	assign := func(unit string) int64 {
		id := e.register("供暖不热", "室内温度不达标，请求处理。", nil)
		e.do("bureau", id, lifecycle.Accept, lifecycle.Input{})
		e.do("bureau", id, lifecycle.Assign, lifecycle.Input{UnitCode: unit, DueOn: &due})
		return id
	}
	for i := 0; i < 5; i++ {
		id := assign("211400-zjj")
		if i < 3 {
			e.do("zjj", id, lifecycle.Sign, lifecycle.Input{})
		}
		if i < 2 {
			outcome := []string{"support", "explain"}[i]
			e.do("zjj", id, lifecycle.Reply, lifecycle.Input{Outcome: outcome, Text: "已现场核实并处理，答复如上。"})
		}
	}
	e.do("rsj", assign("211400-rsj"), lifecycle.Sign, lifecycle.Input{})
}

const inspRankQuery = "/rankings?month=2026-03&level=unit&min_cases=2&w_response=0.1&w_resolution=0.5&w_satisfaction=0.4"

// TestRankingsPage: the page shows the ranking package's figures, a unit
// below the minimum unranked with its volume, a chart; the workbook has the
// rows; a head sees only their unit; bad weights are refused beside the field.
func TestRankingsPage(t *testing.T) {
	e := newEnv(t)
	inspRankData(t, e)
	e.clk.set(time.Date(2026, 4, 3, 9, 0, 0, 0, calendar.Location))
	rk, err := ranking.Monthly(context.Background(), e.st, 2026, time.March, ranking.Options{MinCases: 2, Months: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(rk.Ranked) != 1 || len(rk.Unranked) != 1 || rk.Ranked[0].Code != "211400-zjj" || rk.Unranked[0].Code != "211400-rsj" {
		t.Fatalf("ranking %+v", rk)
	}
	pct := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", *p*100)
	}
	c := e.client()
	c.login("leader")
	p := c.get(inspRankQuery)
	if p.status != 200 {
		t.Fatalf("rankings: %d", p.status)
	}
	z := rk.Ranked[0]
	i := strings.Index(p.body, `<tr data-unit="211400-zjj">`)
	if i < 0 {
		t.Fatal("no row for 市住建局")
	}
	zrow := p.body[i : i+strings.Index(p.body[i:], "</tr>")]
	for cls, want := range map[string]string{"rank": "1", "cases": strconv.Itoa(z.Cases), "response": pct(z.Response), "on_time": pct(z.OnTimeRate),
		"resolution": pct(z.Resolution), "satisfaction": pct(z.Satisfaction), "composite": "<strong>" + pct(z.Composite)} {
		if !strings.Contains(zrow, `class="num `+cls+`">`+want) {
			t.Errorf("%s: want %s in\n%s", cls, want, zrow)
		}
	}
	if z.Cases != 5 || pct(z.Response) != "60.0%" || pct(z.Resolution) != "20.0%" {
		t.Errorf("crafted figures: %d %s %s", z.Cases, pct(z.Response), pct(z.Resolution))
	}
	un := p.body[strings.Index(p.body, `id="rank-unranked"`):]
	if !strings.Contains(un, "不参与排名（有效件少于 2 件）") || !strings.Contains(un, `<tr data-unit="211400-rsj"><td><span class="tag">不参与排名</span></td><td>市人社局</td><td class="num cases">1</td>`) {
		t.Errorf("unranked section:\n%s", un[:min(len(un), 800)])
	}
	if !strings.Contains(p.body, `id="chart-ranking" data-chart="`) || !strings.Contains(p.body, `id="chart-trend" data-chart="`) {
		t.Error("no charts")
	}

	p = c.get(strings.Replace(inspRankQuery, "/rankings?", "/rankings/export.xlsx?", 1))
	x, err := excelize.OpenReader(bytes.NewReader([]byte(p.body)))
	if err != nil {
		t.Fatalf("xlsx %d: %v", p.status, err)
	}
	rows, err := x.GetRows("2026-03")
	if err != nil || len(rows) != 3 {
		t.Fatalf("workbook rows %q %v", rows, err)
	}
	if rows[0][0] != "名次" || rows[1][0] != "1" || rows[1][2] != "市住建局" || rows[1][3] != "5" || rows[2][0] != "不参与排名" || rows[2][2] != "市人社局" || rows[2][3] != "1" {
		t.Errorf("workbook %q", rows)
	}

	// Weights that do not add up to 1 are refused beside the field.
	p = c.get(strings.Replace(inspRankQuery, "w_response=0.1", "w_response=0.3", 1))
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-weights"`) || !strings.Contains(p.body, "合计为 1") {
		t.Errorf("bad weights: %d", p.status)
	}

	// A head sees only their own unit's position.
	h := e.client()
	h.login("zjj-head")
	p = h.get(inspRankQuery)
	if p.status != 200 || !strings.Contains(p.body, "市住建局在 1 个参与排名的单位中排第 1 名") || strings.Contains(p.body, "市人社局") {
		t.Errorf("head's view: %d", p.status)
	}
	if p := h.get(strings.Replace(inspRankQuery, "/rankings?", "/rankings/export.xlsx?", 1)); p.status != http.StatusForbidden {
		t.Errorf("head exports the ranking: %d", p.status)
	}
}

// TestInspPagesRender: every inspection and ranking page renders for each
// role that may see it, in both languages, with no missing message.
func TestInspPagesRender(t *testing.T) {
	e, _ := inspEnv(t)
	ins := e.client()
	ins.login("inspector")
	id := inspOpen(t, ins)
	path := "/inspections/" + strconv.FormatInt(id, 10)
	due := inspectiontest.Date(7, 20)
	if _, err := inspection.AddRectification(context.Background(), e.st, e.user("inspector"), id,
		inspection.RectificationInput{Finding: "未召开专题会议研究解决方案", OwnerName: "周局长", DueOn: &due}, e.clk.Now()); err != nil {
		t.Fatal(err)
	}
	full := []string{"/inspections", path, path + "/print", "/rankings", "/rankings?month=2026-06&level=district", "/rankings?month=2026-06&unit=211400-zjj"}
	pages := map[string][]string{"inspector": full, "leader": full, "bureau": full, "admin": full,
		"zjj-head": {"/inspections", path, "/rankings?month=2026-06"}, "zjj": {"/inspections", path}}
	for login, paths := range pages {
		for _, loc := range []string{"zh-CN", "en"} {
			c := e.client()
			c.login(login)
			if p := c.post("/locale", url.Values{"locale": {loc}}); p.status != http.StatusSeeOther {
				t.Fatalf("locale: %d", p.status)
			}
			for _, q := range paths {
				p := c.get(q)
				if p.status != http.StatusOK {
					t.Errorf("%s %s (%s): %d", login, q, loc, p.status)
				}
				if i := strings.Index(p.body, "⟦"); i >= 0 {
					t.Errorf("%s %s (%s): missing message near %q", login, q, loc, p.body[i:min(len(p.body), i+60)])
				}
			}
		}
	}
}
