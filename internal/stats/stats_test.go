package stats_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/petition"
	"redress/internal/stats"
	"redress/internal/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// at is a China-local instant in 2026.
func at(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, calendar.Location)
}

// step is one lifecycle action at a given time.
type step struct {
	when   time.Time
	user   string
	action lifecycle.Action
	in     lifecycle.Input
}

type fixture struct {
	t   *testing.T
	svc *lifecycle.Service
	clk *clock
	org *storetest.Org
	n   int
}

func (f *fixture) petition(received time.Time, district string, steps ...step) int64 {
	f.t.Helper()
	f.n++
	f.clk.Set(received)
	r, err := f.svc.Register(context.Background(), f.org.Users["bureau"], intake.Record{
		ExternalID: fmt.Sprintf("S-%d", f.n), ReceivedAt: received, Channel: "hotline", PetitionerName: "王秀兰",
		DistrictCode: district, Title: "供暖不热", Content: "小区室温长期低于16度，多次反映未解决。",
	}, true)
	if err != nil {
		f.t.Fatalf("register: %v", err)
	}
	for _, s := range steps {
		f.clk.Set(s.when)
		if _, err := f.svc.Do(context.Background(), f.org.Users[s.user], r.ID, s.action, s.in); err != nil {
			f.t.Fatalf("petition %d: %s at %s: %v", f.n, s.action, s.when, err)
		}
	}
	return r.ID
}

var (
	accept  = lifecycle.Input{Note: "属于信访事项"}
	sign    = lifecycle.Input{}
	support = lifecycle.Input{Outcome: petition.OutcomeSupport, Text: "经核查情况属实，已责令整改，问题已解决。"}
	reject  = lifecycle.Input{Outcome: petition.OutcomeReject, Text: "经核查，诉求缺乏政策依据，不予支持。"}
)

func to(code string) lifecycle.Input { return lifecycle.Input{UnitCode: code} }

// crafted builds eight petitions whose figures are worked out by hand in
// the comments; today is 2026-03-10.
func crafted(t *testing.T) (*stats.Service, *storetest.Org) {
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	clk := &clock{}
	f := &fixture{t: t, svc: lifecycle.New(st, clk.Now), clk: clk, org: o}
	const zjj, rsj, xc = "211400-zjj", "211400-rsj", "211481-zjj"
	// A 02-02 连山: acknowledged on time; assigned late on 02-25 (due 02-17); signed 02-26; handling.
	f.petition(at(2, 2, 9, 0), "211402",
		step{at(2, 2, 10, 0), "bureau", lifecycle.Accept, accept},
		step{at(2, 25, 10, 0), "bureau", lifecycle.Assign, to(zjj)},
		step{at(2, 26, 10, 0), "zjj", lifecycle.Sign, sign})
	// B 02-03 连山: everything on time, replied 支持 on 02-10: resolved in February.
	f.petition(at(2, 3, 9, 0), "211402",
		step{at(2, 3, 10, 0), "bureau", lifecycle.Accept, accept},
		step{at(2, 3, 11, 0), "bureau", lifecycle.Assign, to(zjj)},
		step{at(2, 4, 10, 0), "zjj", lifecycle.Sign, sign},
		step{at(2, 10, 10, 0), "zjj", lifecycle.Reply, support})
	// H 02-03 连山: assigned at 00:30 on 02-19 China time (16:30 UTC on 02-18):
	// late against the due date 02-18 only when counted in China's time zone.
	// Never signed: notify (due 03-06) is overdue.
	f.petition(at(2, 3, 15, 0), "211402",
		step{at(2, 3, 16, 0), "bureau", lifecycle.Accept, accept},
		step{at(2, 19, 0, 30), "bureau", lifecycle.Assign, to(zjj)})
	// C 02-05 连山: assigned to 人社局 on time, never signed: notify (due 02-20) overdue.
	f.petition(at(2, 5, 9, 0), "211402",
		step{at(2, 5, 10, 0), "bureau", lifecycle.Accept, accept},
		step{at(2, 5, 11, 0), "bureau", lifecycle.Assign, to(rsj)})
	// G 02-06 兴城: replied 支持 02-09, closed (petitioner satisfied) 02-12.
	f.petition(at(2, 6, 9, 0), "211481",
		step{at(2, 6, 10, 0), "bureau", lifecycle.Accept, accept},
		step{at(2, 6, 11, 0), "bureau", lifecycle.Assign, to(zjj)},
		step{at(2, 6, 15, 0), "zjj", lifecycle.Sign, sign},
		step{at(2, 9, 10, 0), "zjj", lifecycle.Reply, support},
		step{at(2, 12, 10, 0), "bureau", lifecycle.Close, lifecycle.Input{Satisfied: true}})
	// D 03-02 兴城: replied 不予支持 03-05: not resolved by default.
	f.petition(at(3, 2, 9, 0), "211481",
		step{at(3, 2, 10, 0), "bureau", lifecycle.Accept, accept},
		step{at(3, 2, 11, 0), "bureau", lifecycle.Assign, to(xc)},
		step{at(3, 3, 10, 0), "xc-zjj", lifecycle.Sign, sign},
		step{at(3, 5, 10, 0), "xc-zjj", lifecycle.Reply, reject})
	// E 03-03 连山: declined.
	f.petition(at(3, 3, 9, 0), "211402",
		step{at(3, 3, 10, 0), "bureau", lifecycle.Decline, lifecycle.Input{Reason: "已进入诉讼程序"}})
	// F 03-04 兴城: registered only.
	f.petition(at(3, 4, 9, 0), "211481")
	clk.Set(at(3, 10, 9, 0))
	return stats.New(st, clk.Now), o
}

func rate(t *testing.T, what string, r stats.Rate, hits, total int) {
	t.Helper()
	if r.Hits != hits || r.Total != total {
		t.Errorf("%s: %d/%d, want %d/%d", what, r.Hits, r.Total, hits, total)
	}
	if total == 0 && r.Value != nil || total > 0 && (r.Value == nil || *r.Value != float64(hits)/float64(total)) {
		t.Errorf("%s: rate value %v wrong", what, r.Value)
	}
}

func figures(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: %v, want %v", what, got, want)
	}
}

func TestDashboardWholeCity(t *testing.T) {
	svc, o := crafted(t)
	period := stats.Period{From: calendar.NewDate(2026, 2, 1), To: calendar.NewDate(2026, 3, 10)}
	d, err := svc.Dashboard(context.Background(), o.Users["bureau"], period)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Received) != 38 || d.Total != 8 {
		t.Fatalf("received: %d days, %d petitions; want 38 days, 8 petitions", len(d.Received), d.Total)
	}
	perDay := map[string]int{}
	for _, x := range d.Received {
		if x.Count > 0 {
			perDay[x.Day.String()] = x.Count
		}
	}
	figures(t, "received per day", perDay, map[string]int{"2026-02-02": 1, "2026-02-03": 2, "2026-02-05": 1, "2026-02-06": 1,
		"2026-03-02": 1, "2026-03-03": 1, "2026-03-04": 1})
	if d.Received[0].Day.String() != "2026-02-01" || d.Received[37].Day.String() != "2026-03-10" {
		t.Errorf("days run %s…%s", d.Received[0].Day, d.Received[37].Day)
	}

	// Open: A, H (住建局), C (人社局), F (no unit). Overdue: H and C (notify unmet).
	figures(t, "open/overdue", []int{d.Open, d.Overdue}, []int{4, 2})
	// On time, by hand: bureau A ack ✓ assign ✗, B ✓✓, C ✓✓, G ✓✓, H ack ✓ assign ✗ (China date 02-19) = 8/10;
	// 住建局 notify B ✓ G ✓ H ✗ = 2/3; 人社局 notify C ✗ = 0/1. Reply deadlines fall due after the period.
	rate(t, "on time", d.OnTime, 10, 14)
	// Resolution: valid A B C D G H; resolved B (支持) and G (closed).
	rate(t, "resolution", d.Resolution, 2, 6)
	units := map[string]stats.UnitRow{}
	for _, u := range d.Units {
		units[u.UnitCode] = u
	}
	if len(units) != 4 {
		t.Fatalf("unit rows %+v, want the bureau's, 住建局, 人社局, 兴城市住建局", d.Units)
	}
	figures(t, "bureau open/overdue", []int{units[""].Open, units[""].Overdue}, []int{1, 0})
	rate(t, "bureau on time", units[""].OnTime, 8, 10)
	zjj := units["211400-zjj"]
	figures(t, "住建局 open/overdue", []int{zjj.Open, zjj.Overdue}, []int{2, 1})
	rate(t, "住建局 on time", zjj.OnTime, 2, 3)
	rate(t, "住建局 resolution", zjj.Resolution, 2, 4)
	if zjj.UnitName != "市住建局" {
		t.Errorf("unit name %q", zjj.UnitName)
	}
	rsj := units["211400-rsj"]
	figures(t, "人社局 open/overdue", []int{rsj.Open, rsj.Overdue}, []int{1, 1})
	rate(t, "人社局 on time", rsj.OnTime, 0, 1)
	rate(t, "人社局 resolution", rsj.Resolution, 0, 1)
	xc := units["211481-zjj"]
	figures(t, "兴城市住建局 open", xc.Open, 0)
	rate(t, "兴城市住建局 on time", xc.OnTime, 0, 0)
	rate(t, "兴城市住建局 resolution", xc.Resolution, 0, 1)

	if len(d.Districts) != 2 || d.Districts[0].Code != "211402" || d.Districts[0].Name != "连山区" || d.Districts[1].Name != "兴城市" {
		t.Fatalf("districts %+v", d.Districts)
	}
	// 连山: A 1/2, B 3/3, C 2/3, H 1/3; 兴城: G 3/3.
	rate(t, "连山 on time", d.Districts[0].OnTime, 7, 11)
	rate(t, "兴城 on time", d.Districts[1].OnTime, 3, 3)
	rate(t, "连山 resolution", d.Districts[0].Resolution, 1, 4)
	rate(t, "兴城 resolution", d.Districts[1].Resolution, 1, 2)

	// March: received D E F; nothing resolved; missed: H notify (03-06).
	// February: received A B C G H; resolved B (reply 02-10) and G (closed 02-12);
	// missed: A assign, H assign, C notify.
	m := d.Months
	figures(t, "months", []string{m.ThisMonth.From.String(), m.ThisMonth.To.String(), m.LastMonth.From.String(), m.LastMonth.To.String()},
		[]string{"2026-03-01", "2026-03-31", "2026-02-01", "2026-02-28"})
	figures(t, "this month", m.This, struct{ a, b, c int }{3, 0, 1})
	figures(t, "last month", m.Last, struct{ a, b, c int }{5, 2, 3})
}

func TestDashboardUnitScope(t *testing.T) {
	svc, o := crafted(t)
	period := stats.Period{From: calendar.NewDate(2026, 2, 1), To: calendar.NewDate(2026, 3, 10)}
	d, err := svc.Dashboard(context.Background(), o.Users["zjj"], period)
	if err != nil {
		t.Fatal(err)
	}
	// 住建局 sees A, B, G, H only, and its own line only; the bureau's own limits are not its work.
	figures(t, "received", d.Total, 4)
	if len(d.Units) != 1 || d.Units[0].UnitCode != "211400-zjj" {
		t.Fatalf("unit rows %+v, want 住建局 only", d.Units)
	}
	figures(t, "open/overdue", []int{d.Open, d.Overdue}, []int{2, 1})
	rate(t, "on time", d.OnTime, 2, 3)
	rate(t, "resolution", d.Resolution, 2, 4)
	if len(d.Districts) != 2 {
		t.Fatalf("districts %+v", d.Districts)
	}
	rate(t, "连山 on time", d.Districts[0].OnTime, 1, 2)
	rate(t, "兴城 on time", d.Districts[1].OnTime, 1, 1)
	rate(t, "连山 resolution", d.Districts[0].Resolution, 1, 3)
	rate(t, "兴城 resolution", d.Districts[1].Resolution, 1, 1)
	figures(t, "this month", d.Months.This, struct{ a, b, c int }{0, 0, 1})
	figures(t, "last month", d.Months.Last, struct{ a, b, c int }{4, 2, 0})

	// 人社局's handler sees C only.
	d, err = svc.Dashboard(context.Background(), o.Users["rsj"], period)
	if err != nil {
		t.Fatal(err)
	}
	figures(t, "人社局 received/open/overdue", []int{d.Total, d.Open, d.Overdue}, []int{1, 1, 1})
}

func TestResolutionRuleIsASetting(t *testing.T) {
	svc, o := crafted(t)
	r := stats.DefaultRules()
	r.Resolved.Outcomes = append(r.Resolved.Outcomes, petition.OutcomeReject)
	period := stats.Period{From: calendar.NewDate(2026, 2, 1), To: calendar.NewDate(2026, 3, 10)}
	d, err := svc.WithRules(r).Dashboard(context.Background(), o.Users["bureau"], period)
	if err != nil {
		t.Fatal(err)
	}
	rate(t, "resolution counting 不予支持", d.Resolution, 3, 6)
	figures(t, "this month", d.Months.This.Resolved, 1)
}

func TestPeriods(t *testing.T) {
	today := calendar.NewDate(2026, 3, 10)
	p, err := stats.ParsePeriod("", "", today)
	if err != nil || p.From.String() != "2026-02-09" || p.To != today {
		t.Errorf("default period %v %v", p, err)
	}
	if _, err := stats.ParsePeriod("2026-03-10", "2026-03-01", today); err == nil {
		t.Error("a reversed period was accepted")
	}
	if _, err := stats.ParsePeriod("2025-01-01", "2026-03-01", today); err == nil {
		t.Error("a period over a year was accepted")
	}
	if _, err := stats.ParsePeriod("March", "", today); err == nil {
		t.Error("a bad date was accepted")
	}
	m := stats.Month(calendar.NewDate(2026, 12, 31))
	if m.From.String() != "2026-12-01" || m.To.String() != "2026-12-31" {
		t.Errorf("December: %v", m)
	}
	if got := stats.NewRate(1, 3).Percent(); got != "33.3%" {
		t.Errorf("percent %s", got)
	}
	if got := stats.NewRate(0, 0).Percent(); got != "—" {
		t.Errorf("percent without cases %s", got)
	}
}
