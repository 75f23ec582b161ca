package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/matters"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/stats"
	"redress/internal/store"
	"redress/internal/web"
)

// dashData is a small crafted data set on 2026-03-02 (the env's today):
// a replied (support) and e handling at 市住建局, b handling at 市人社局,
// c declined, d registered only, old registered on 2026-02-01 and long
// past its acknowledgement deadline.
type dashData struct {
	a, b, c, d, e, old int64
}

func dashSeed(e *env) dashData {
	e.t.Helper()
	var x dashData
	handle := func(id int64, unit, login string) {
		e.do("bureau", id, lifecycle.Accept, lifecycle.Input{})
		e.do("bureau", id, lifecycle.Assign, lifecycle.Input{UnitCode: unit})
		e.do(login, id, lifecycle.Sign, lifecycle.Input{})
	}
	x.a = e.register("小区供暖温度不达标", "小区冬季供暖温度长期不足十八度，请求处理。", nil)
	handle(x.a, "211400-zjj", "zjj")
	e.do("zjj", x.a, lifecycle.Reply, lifecycle.Input{Outcome: petition.OutcomeSupport, Text: "经核查属实，已责令供热企业整改，温度已达标。"})
	x.b = e.register("拖欠工资", "公司拖欠三个月工资，请求协调支付。", func(r *intake.Record) { r.DistrictCode = "211481" })
	handle(x.b, "211400-rsj", "rsj")
	x.c = e.register("邻里纠纷", "邻居占用楼道堆放杂物。", nil)
	e.do("bureau", x.c, lifecycle.Decline, lifecycle.Input{Reason: "属于民事纠纷，应通过诉讼途径解决。"})
	x.d = e.register("路灯不亮", "小区门前路灯损坏多日。", nil)
	x.e = e.register("物业收费不合理", "物业公司擅自提高收费标准。", nil)
	handle(x.e, "211400-zjj", "zjj")
	x.old = e.register("老旧小区改造", "请求将本小区纳入老旧小区改造计划。", func(r *intake.Record) {
		r.ReceivedAt = time.Date(2026, 2, 1, 10, 0, 0, 0, calendar.Location)
	})
	return x
}

// attr is how the dashboard marks a row's figures for machines.
func dashUnitAttr(code string, open, overdue int) string {
	return fmt.Sprintf(`data-unit="%s" data-open="%d" data-overdue="%d"`, code, open, overdue)
}

func TestDashboardFigures(t *testing.T) {
	e := newEnv(t)
	dashSeed(e)
	ctx := context.Background()
	period := stats.Period{From: calendar.NewDate(2026, 2, 1), To: calendar.NewDate(2026, 3, 2)}
	const query = "/dashboard?from=2026-02-01&to=2026-03-02"

	// Known answers, and the page agrees with stats.Dashboard and matters.Rates.
	known := map[string]struct{ total, open, resHits, resTotal int }{
		"bureau": {6, 4, 1, 3}, // b, d, e, old open; a resolved of a, b, e accepted
		"zjj":    {2, 1, 1, 2}, // a and e only
	}
	for _, login := range []string{"bureau", "zjj"} {
		u := e.user(login)
		d, err := stats.New(e.st, e.clk.Now).Dashboard(ctx, u, period)
		if err != nil {
			t.Fatal(err)
		}
		k := known[login]
		if d.Total != k.total || d.Open != k.open || d.Resolution.Hits != k.resHits || d.Resolution.Total != k.resTotal {
			t.Fatalf("%s: stats.Dashboard gives total %d open %d resolution %d/%d, want %+v", login, d.Total, d.Open, d.Resolution.Hits, d.Resolution.Total, k)
		}
		c := e.client()
		c.login(login)
		pg := c.get(query)
		if pg.status != http.StatusOK {
			t.Fatalf("%s: dashboard status %d: %s", login, pg.status, pg.body)
		}
		for _, want := range []string{
			fmt.Sprintf(`id="dash-total">%d<`, d.Total),
			fmt.Sprintf(`id="dash-open">%d<`, d.Open),
			fmt.Sprintf(`id="dash-overdue">%d<`, d.Overdue),
			fmt.Sprintf(`id="dash-on-time">%s<`, d.OnTime.Percent()),
			fmt.Sprintf(`id="dash-resolution">%s<`, d.Resolution.Percent()),
			fmt.Sprintf(`data-figure="dash.received" data-last="%d" data-this="%d"`, d.Months.Last.Received, d.Months.This.Received),
			`id="chart-received" data-chart="`, `id="chart-load" data-chart="`, `id="chart-unit-rates" data-chart="`,
			`id="chart-district-rates" data-chart="`, `id="chart-months" data-chart="`, `id="chart-resolution" data-chart="`,
		} {
			if !strings.Contains(pg.body, want) {
				t.Errorf("%s: dashboard lacks %s", login, want)
			}
		}
		for _, un := range d.Units {
			if un.Open > 0 && !strings.Contains(pg.body, dashUnitAttr(un.UnitCode, un.Open, un.Overdue)) {
				t.Errorf("%s: no load row for %s (%d open, %d overdue)", login, un.UnitName, un.Open, un.Overdue)
			}
		}
		for _, un := range d.Units {
			want := fmt.Sprintf(`data-unit="%s" data-timely="%d/%d" data-resolution="%d/%d"`, un.UnitCode, un.OnTime.Hits, un.OnTime.Total, un.Resolution.Hits, un.Resolution.Total)
			if (un.OnTime.Total > 0 || un.Resolution.Total > 0) && !strings.Contains(pg.body, want) {
				t.Errorf("%s: no unit rate row %s", login, want)
			}
		}
		for _, x := range d.Districts {
			want := fmt.Sprintf(`data-district="%s" data-timely="%d/%d" data-resolution="%d/%d"`, x.Code, x.OnTime.Hits, x.OnTime.Total, x.Resolution.Hits, x.Resolution.Total)
			if !strings.Contains(pg.body, want) {
				t.Errorf("%s: no district row %s", login, want)
			}
		}
		rates, err := matters.New(e.svc).Rates(ctx, u, period, matters.RateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, cat := range rates.Categories {
			want := fmt.Sprintf(`data-category="%s" data-rate="%d/%d"`, cat.Category, cat.Overall.Hits, cat.Overall.Total)
			if !strings.Contains(pg.body, want) {
				t.Errorf("%s: resolution rates lack %s", login, want)
			}
			if cat.Category == store.CategoryAll && (cat.Overall.Hits != k.resHits || cat.Overall.Total != k.resTotal) {
				t.Errorf("%s: all-case resolution rate %d/%d, want %d/%d", login, cat.Overall.Hits, cat.Overall.Total, k.resHits, k.resTotal)
			}
		}
		if login == "bureau" {
			// The old petition is the bureau's and overdue; 市人社局 has b open.
			if d.Overdue < 1 || !strings.Contains(pg.body, dashUnitAttr("211400-rsj", 1, 0)) {
				t.Errorf("bureau: overdue %d; 市人社局 row missing", d.Overdue)
			}
		}
		if login == "zjj" {
			// A unit's dashboard shows its own figures only.
			if strings.Contains(pg.body, "市人社局") || strings.Contains(pg.body, "211400-rsj") || strings.Contains(pg.body, `data-district="211481"`) {
				t.Error("市住建局's dashboard shows 市人社局's figures")
			}
			if !strings.Contains(pg.body, dashUnitAttr("211400-zjj", 1, 0)) {
				t.Error("市住建局's dashboard lacks its own row")
			}
		}
	}

	// The default period is the last 30 days up to today.
	c := e.client()
	c.login("zjj-head")
	pg := c.get("/dashboard")
	if pg.status != http.StatusOK || !strings.Contains(pg.body, `id="dash-from" name="from" type="date" value="2026-02-01"`) ||
		!strings.Contains(pg.body, `id="dash-to" name="to" type="date" value="2026-03-02"`) {
		t.Errorf("default period: %d", pg.status)
	}
	// The administrator has no dashboard.
	a := e.client()
	a.login("admin")
	if pg := a.get("/dashboard"); pg.status != http.StatusForbidden {
		t.Errorf("admin opens the dashboard: %d", pg.status)
	}
	if strings.Contains(a.get("/home").body, `href="/dashboard"`) {
		t.Error("the administrator's nav links the dashboard")
	}
}

// TestDashboardUnitScope: a case 市住建局 returned and 市人社局 now handles
// is in both units' scope, but each unit's dashboard shows its own line only.
func TestDashboardUnitScope(t *testing.T) {
	e := newEnv(t)
	id := e.register("工伤认定", "工伤认定申请逾期未答复。", nil)
	e.do("bureau", id, lifecycle.Accept, lifecycle.Input{})
	e.do("bureau", id, lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj"})
	e.do("zjj", id, lifecycle.Return, lifecycle.Input{Reason: "不属于本单位职责。"})
	e.do("bureau", id, lifecycle.Assign, lifecycle.Input{UnitCode: "211400-rsj"})
	e.do("rsj", id, lifecycle.Sign, lifecycle.Input{})
	for login, tc := range map[string]struct{ own, other string }{
		"zjj": {"211400-zjj", "211400-rsj"}, "rsj": {"211400-rsj", "211400-zjj"}} {
		c := e.client()
		c.login(login)
		pg := c.get("/dashboard")
		if pg.status != http.StatusOK {
			t.Fatalf("%s: %d", login, pg.status)
		}
		if strings.Contains(pg.body, `"`+tc.other+`"`) {
			t.Errorf("%s's dashboard shows a line of %s", login, tc.other)
		}
		if login == "rsj" && !strings.Contains(pg.body, `data-key="211400-rsj"`) {
			t.Error("市人社局's resolution rates lack its own line")
		}
	}
}

func TestDashboardPeriodErrors(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("zjj")
	for _, tc := range []struct{ query, id, msg string }{
		{"from=2026-03-05&to=2026-03-01", "err-to", "截止日期不能早于起始日期。"},
		{"from=2026-13-01&to=2026-03-01", "err-from", "请按“年-月-日”填写正确的日期。"},
		{"from=2026-03-01&to=March", "err-to", "请按“年-月-日”填写正确的日期。"},
		{"from=2025-01-01&to=2026-03-01", "err-to", "统计期间最长 366 天。"},
	} {
		pg := c.get("/dashboard?" + tc.query)
		if pg.status != http.StatusBadRequest {
			t.Errorf("%s: status %d", tc.query, pg.status)
		}
		if want := fmt.Sprintf(`id="%s" role="alert">%s<`, tc.id, tc.msg); !strings.Contains(pg.body, want) {
			t.Errorf("%s: no %s", tc.query, want)
		}
		if strings.Contains(pg.body, "data-chart") {
			t.Errorf("%s: figures shown for an invalid period", tc.query)
		}
	}
	// In English for a user who reads English.
	c.post("/locale", url.Values{"locale": {"en"}, "next": {"/dashboard"}})
	pg := c.get("/dashboard?from=2026-03-05&to=2026-03-01")
	if !strings.Contains(pg.body, `id="err-to" role="alert">The end date cannot be before the start date.<`) {
		t.Error("no English period error")
	}
	if pg := c.get("/dashboard"); !strings.Contains(pg.body, "Open and overdue petitions by unit") || strings.Contains(pg.body, "⟦") {
		t.Error("the English dashboard is not in English")
	}
}

func TestDashboardNotices(t *testing.T) {
	e := newEnv(t)
	x := dashSeed(e)
	zjj, rsj, bureau := e.client(), e.client(), e.client()
	zjj.login("zjj")
	rsj.login("rsj")
	bureau.login("bureau")

	// The case page links only the notices the state allows.
	links := func(c *client, id int64) []string {
		t.Helper()
		pg := c.get(fmt.Sprintf("/petitions/%d", id))
		var out []string
		for _, k := range []string{"acceptance", "decline", "reply"} {
			if strings.Contains(pg.body, fmt.Sprintf(`href="/petitions/%d/notices/%s.pdf"`, id, k)) {
				out = append(out, k)
			}
		}
		return out
	}
	for _, tc := range []struct {
		c    *client
		id   int64
		want string
	}{{zjj, x.a, "acceptance reply"}, {zjj, x.e, "acceptance"}, {bureau, x.c, "decline"}, {bureau, x.d, ""}} {
		if got := strings.Join(links(tc.c, tc.id), " "); got != tc.want {
			t.Errorf("notices of %d: %q, want %q", tc.id, got, tc.want)
		}
	}

	// Out of scope: not found, exactly like a missing case.
	for _, f := range []string{"acceptance.pdf", "reply.html"} {
		if pg := rsj.get(fmt.Sprintf("/petitions/%d/notices/%s", x.a, f)); pg.status != http.StatusNotFound || strings.Contains(pg.body, "%PDF") {
			t.Errorf("市人社局 gets 市住建局's %s: %d", f, pg.status)
		}
	}
	pg := zjj.get(fmt.Sprintf("/petitions/%d/notices/acceptance.pdf", x.a))
	if pg.status != http.StatusOK || !strings.HasPrefix(pg.body, "%PDF") || pg.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("acceptance PDF: %d %q %.20q", pg.status, pg.header.Get("Content-Type"), pg.body)
	}
	pg = zjj.get(fmt.Sprintf("/petitions/%d/notices/reply.html", x.a))
	if pg.status != http.StatusOK || !strings.Contains(pg.body, "信访事项处理意见书") || !strings.Contains(pg.body, "已责令供热企业整改") {
		t.Fatalf("reply notice: %d %s", pg.status, pg.body)
	}
	css := pg.body[strings.Index(pg.body, `href="/print/notice.css`)+6:]
	css = strings.ReplaceAll(css[:strings.Index(css, `"`)], "&amp;", "&")
	if pg := zjj.get(css); pg.status != http.StatusOK || !strings.HasPrefix(pg.header.Get("Content-Type"), "text/css") {
		t.Errorf("notice stylesheet %s: %d", css, pg.status)
	}
	// A notice the state does not allow is refused in the user's language.
	pg = bureau.get(fmt.Sprintf("/petitions/%d/notices/reply.pdf", x.e))
	if pg.status != http.StatusConflict || !strings.Contains(pg.body, "不能出具信访事项处理意见书") {
		t.Errorf("reply notice before the reply: %d", pg.status)
	}
	if pg := bureau.get(fmt.Sprintf("/petitions/%d/notices/summons.pdf", x.a)); pg.status != http.StatusNotFound {
		t.Errorf("unknown notice kind: %d", pg.status)
	}
}

func TestDashboardLeaderHome(t *testing.T) {
	e := newEnv(t)
	x := dashSeed(e)
	ctx := context.Background()
	ms := matters.New(e.svc)
	leader := e.user("leader")

	// Another leader's problem must not show on this leader's home.
	other := org.User{Login: "leader2", Name: "陈副市长", Role: org.RoleLeader, UnitID: leader.UnitID}
	if err := e.st.Write(ctx, func(tx *store.Tx) error { return tx.CreateUser(store.System, &other) }); err != nil {
		t.Fatal(err)
	}
	mine, err := ms.CreateProblem(ctx, leader, matters.ProblemInput{Title: "城区冬季供暖不达标"})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := ms.CreateProblem(ctx, other, matters.ProblemInput{Title: "企业欠薪集中问题"})
	if err != nil {
		t.Fatal(err)
	}
	for _, att := range []struct {
		problem int64
		id      int64
	}{{mine.ID, x.a}, {mine.ID, x.e}, {theirs.ID, x.b}} {
		c, err := e.st.Case(ctx, att.id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ms.AttachMatter(ctx, leader, att.problem, c.Petition.MatterID); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client()
	c.login("leader")
	pg := c.get("/home")
	if pg.status != http.StatusOK {
		t.Fatalf("leader home: %d", pg.status)
	}
	// The units-most-overdue chart counts what the overdue figure counts.
	m := regexp.MustCompile(`href="/petitions\?overdue=1"><span class="stat-value">(\d+)<`).FindStringSubmatch(pg.body)
	a := regexp.MustCompile(`id="chart-overdue" data-chart="([^"]*)"`).FindStringSubmatch(pg.body)
	if m == nil || a == nil {
		t.Fatal("the leader's home lacks the overdue figure or chart")
	}
	var chart struct {
		YAxis  struct{ Data []string } `json:"yAxis"`
		Series []struct{ Data []int }  `json:"series"`
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(a[1])), &chart); err != nil || len(chart.Series) != 1 {
		t.Fatalf("overdue chart %q: %v", a[1], err)
	}
	sum := 0
	for _, n := range chart.Series[0].Data {
		sum += n
	}
	if want, _ := strconv.Atoi(m[1]); want == 0 || sum != want || len(chart.YAxis.Data) != len(chart.Series[0].Data) {
		t.Errorf("overdue chart %v %v sums to %d, the figure says %s", chart.YAxis.Data, chart.Series[0].Data, sum, m[1])
	}
	sec := pg.body[strings.Index(pg.body, `id="leader-problems"`):]
	sec = sec[:strings.Index(sec, "</section>")]
	for _, want := range []string{"城区冬季供暖不达标", fmt.Sprintf(`id="problem-%d"`, mine.ID), "信访件 2 件，未办结 2 件",
		fmt.Sprintf(`href="/petitions/%d"`, x.a), fmt.Sprintf(`href="/petitions/%d"`, x.e), "小区供暖温度不达标"} {
		if !strings.Contains(sec, want) {
			t.Errorf("leader's problems lack %s", want)
		}
	}
	if strings.Contains(sec, "企业欠薪集中问题") || strings.Contains(sec, fmt.Sprintf(`href="/petitions/%d"`, x.b)) {
		t.Error("the leader's home lists another leader's problem")
	}
	// The other leader sees theirs, and the section says when there is none.
	c2 := e.client()
	if err := e.st.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE login = 'leader') WHERE login = 'leader2'")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	c2.login("leader2")
	if body := c2.get("/home").body; !strings.Contains(body, "企业欠薪集中问题") || strings.Contains(body, "城区冬季供暖不达标") {
		t.Error("the second leader's home does not list exactly their problem")
	}
}

// TestDashboardBacklogRule: the backlog rule typed on the dashboard reaches
// matters.Rates; with "a matter of 1 or more petitions" every case is a
// backlog case, so the backlog rate equals the all-case rate (1 of 3).
func TestDashboardBacklogRule(t *testing.T) {
	e := newEnv(t)
	dashSeed(e)
	c := e.client()
	c.login("bureau")
	pg := c.get("/dashboard?from=2026-02-01&to=2026-03-02&open_days=0&min_petitions=1&reopened=0")
	if pg.status != http.StatusOK {
		t.Fatalf("status %d", pg.status)
	}
	rule := store.BacklogRule{MinPetitions: 1}
	rates, err := matters.New(e.svc).Rates(context.Background(), e.user("bureau"),
		stats.Period{From: calendar.NewDate(2026, 2, 1), To: calendar.NewDate(2026, 3, 2)}, matters.RateOptions{Backlog: &rule})
	if err != nil {
		t.Fatal(err)
	}
	for _, cat := range rates.Categories {
		if cat.Category == store.CategoryBacklog && (cat.Overall.Hits != 1 || cat.Overall.Total != 3) {
			t.Errorf("backlog rate %d/%d, want 1/3", cat.Overall.Hits, cat.Overall.Total)
		}
		if want := fmt.Sprintf(`data-category="%s" data-rate="%d/%d"`, cat.Category, cat.Overall.Hits, cat.Overall.Total); !strings.Contains(pg.body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, want := range []string{"积案：同一信访事项 1 件以上（判定日 2026-03-02）", `id="dash-open-days" name="open_days" type="number" min="0" max="36500" value="0"`,
		`<option value="0" selected>`} {
		if !strings.Contains(pg.body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, tc := range []struct{ query, id, msg string }{
		{"open_days=-1", "err-open_days", "请填写 0 至 36500 之间的整数天数。"},
		{"min_petitions=many", "err-min_petitions", "请填写 0 至 1048576 之间的整数。"},
		{"reopened=maybe", "err-reopened", "请选择是否将经复查、复核的信访件计为积案。"},
	} {
		pg := c.get("/dashboard?" + tc.query)
		if pg.status != http.StatusBadRequest || !strings.Contains(pg.body, fmt.Sprintf(`id="%s" role="alert">%s<`, tc.id, tc.msg)) {
			t.Errorf("%s: status %d, no message beside the field", tc.query, pg.status)
		}
	}
}

// TestDashboardCache: with --dashboard-cache, a scope's figures are reused
// until they are older than the limit, the page says when they were
// computed, another scope gets its own, and many requests at once agree.
func TestDashboardCache(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.DashboardMaxAge = time.Minute })
	dashSeed(e)
	const query = "/dashboard?from=2026-02-01&to=2026-03-02"
	total := func(c *client) string {
		t.Helper()
		pg := c.get(query)
		if pg.status != http.StatusOK {
			t.Fatalf("dashboard status %d: %s", pg.status, pg.body)
		}
		m := regexp.MustCompile(`id="dash-total">(\d+)<`).FindStringSubmatch(pg.body)
		if m == nil {
			t.Fatalf("no total on the dashboard: %s", pg.body)
		}
		return m[1]
	}
	bureau, zjj := e.client(), e.client()
	bureau.login("bureau")
	zjj.login("zjj")
	if got := total(bureau); got != "6" {
		t.Fatalf("bureau's total %s, want 6", got)
	}
	if pg := bureau.get(query); !strings.Contains(pg.body, `<span id="dash-as-of">数据生成于 2026-03-02 09:00。</span>`) {
		t.Error("the dashboard does not say when its figures were computed")
	}
	e.register("夜间施工噪音", "工地每天夜里施工到凌晨两点。", nil)
	e.clk.Advance(59 * time.Second)
	if got := total(bureau); got != "6" {
		t.Errorf("within the minute the bureau's total is %s, want the reused 6", got)
	}
	if got := total(zjj); got != "2" {
		t.Errorf("住建局's total %s, want its own 2", got)
	}

	e.clk.Advance(2 * time.Second)
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pg := bureau.get(query)
			if m := regexp.MustCompile(`id="dash-total">(\d+)<`).FindStringSubmatch(pg.body); m != nil {
				got[i] = m[1]
			}
		}()
	}
	wg.Wait()
	for i, g := range got {
		if g != "7" {
			t.Errorf("request %d after the minute: total %q, want 7", i, g)
		}
	}
	if pg := bureau.get(query); !strings.Contains(pg.body, "数据生成于 2026-03-02 09:01。") {
		t.Error("the recomputed figures do not carry their new time")
	}
}
