package ranking_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/ranking"
	"redress/internal/store"
	"redress/internal/storetest"
)

type fixture struct {
	t   *testing.T
	st  *store.Store
	org *storetest.Org
	now time.Time
	lc  *lifecycle.Service
	n   int
}

func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, calendar.Location) }

func newFixture(t *testing.T) *fixture {
	st := storetest.Open(t)
	f := &fixture{t: t, st: st, org: storetest.Seed(t, st)}
	f.lc = lifecycle.New(st, func() time.Time { return f.now })
	return f
}

func (f *fixture) at(tm time.Time) *fixture { f.now = tm; return f }

func (f *fixture) do(id int64, who string, a lifecycle.Action, in lifecycle.Input) {
	f.t.Helper()
	if _, err := f.lc.Do(context.Background(), f.org.Users[who], id, a, in); err != nil {
		f.t.Fatalf("%s %s on %d: %v", who, a, id, err)
	}
}

// assigned registers a petition now and assigns it to unit with a reply due on due.
func (f *fixture) assigned(unit string, due calendar.Date) int64 {
	f.t.Helper()
	f.n++
	r, err := f.lc.Register(context.Background(), f.org.Users["bureau"], intake.Record{
		ExternalID: fmt.Sprintf("K-%d", f.n), ReceivedAt: f.now, Channel: "hotline", PetitionerName: "李四", DistrictCode: "211402",
		Title: "路灯不亮", Content: "小区门口路灯已坏一个月，夜间出行不便。"}, true)
	if err != nil {
		f.t.Fatal(err)
	}
	f.do(r.ID, "bureau", lifecycle.Accept, lifecycle.Input{})
	f.do(r.ID, "bureau", lifecycle.Assign, lifecycle.Input{UnitCode: unit, DueOn: &due})
	return r.ID
}

func (f *fixture) reply(id int64, who, outcome string) {
	f.do(id, who, lifecycle.Reply, lifecycle.Input{Outcome: outcome, Text: "已现场核实并处理，答复如下。"})
}

func (f *fixture) followUp(id int64, result string) ranking.FollowUpResult {
	f.t.Helper()
	r, err := ranking.RecordFollowUp(context.Background(), f.lc, f.org.Users["bureau"], id, result, "电话回访", f.now)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

func near(p *float64, want float64) bool { return p != nil && math.Abs(*p-want) < 1e-9 }

// TestMonthlyRanking ranks a crafted month whose rates are known.
func TestMonthlyRanking(t *testing.T) {
	f := newFixture(t)
	const zjj, rsj, xc = "211400-zjj", "211400-rsj", "211481-zjj"
	// February: 市住建局 perfect on 5 cases.
	f.at(day(2, 2))
	for range 5 {
		id := f.assigned(zjj, calendar.NewDate(2026, 2, 27))
		f.do(id, "zjj", lifecycle.Sign, lifecycle.Input{})
		f.reply(id, "zjj", "support")
	}
	// March.
	f.at(day(3, 2))
	due := calendar.NewDate(2026, 3, 20)
	var z [5]int64
	for i := range z {
		z[i] = f.assigned(zjj, due)
	}
	for _, i := range []int{0, 1, 2, 4} {
		f.do(z[i], "zjj", lifecycle.Sign, lifecycle.Input{})
	}
	f.at(day(3, 5))
	f.reply(z[0], "zjj", "support")
	f.reply(z[1], "zjj", "explain")
	f.reply(z[2], "zjj", "reject")
	f.followUp(z[0], ranking.Satisfied)
	f.followUp(z[1], ranking.Basic)
	if r := f.followUp(z[2], ranking.Dissatisfied); !r.ReviewPrompt || r.NextAction != "request-review" {
		t.Fatalf("dissatisfied: %+v", r)
	}
	f.at(day(3, 2))
	for range 5 {
		id := f.assigned(rsj, due)
		f.do(id, "rsj", lifecycle.Sign, lifecycle.Input{})
		f.reply(id, "rsj", "support")
	}
	x1 := f.assigned(xc, due)
	x2 := f.assigned(xc, due)
	back := f.assigned(zjj, due)
	f.do(back, "zjj", lifecycle.Return, lifecycle.Input{Reason: "属兴城市管辖"})
	f.do(back, "bureau", lifecycle.Assign, lifecycle.Input{UnitCode: xc, DueOn: &due})
	for _, id := range []int64{x1, x2, back} {
		f.do(id, "xc-zjj", lifecycle.Sign, lifecycle.Input{})
	}
	f.reply(x1, "xc-zjj", "explain")
	f.reply(x2, "xc-zjj", "support")
	f.followUp(x1, ranking.Satisfied)
	f.at(day(3, 20))
	f.do(z[3], "zjj", lifecycle.Sign, lifecycle.Input{}) // after the notify deadline (3/17)

	rk, err := ranking.Monthly(context.Background(), f.st, 2026, time.March, ranking.Options{Months: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rk.Month != "2026-03" || len(rk.Ranked) != 2 || len(rk.Unranked) != 1 {
		t.Fatalf("ranking %+v", rk)
	}
	r1, r2, un := rk.Ranked[0], rk.Ranked[1], rk.Unranked[0]
	if r1.Code != rsj || r1.Rank != 1 || r1.Cases != 5 || !near(r1.Response, 1) || !near(r1.Resolution, 1) || r1.Satisfaction != nil || !near(r1.Composite, 1) {
		t.Fatalf("first %+v", r1)
	}
	if r2.Code != zjj || r2.Rank != 2 || r2.Cases != 5 || r2.Responded != 4 || r2.OnTime != 3 || r2.Resolved != 2 || r2.FollowedUp != 3 ||
		!near(r2.Response, 0.8) || !near(r2.OnTimeRate, 0.6) || !near(r2.Resolution, 0.4) || !near(r2.Satisfaction, 1.9/3) ||
		!near(r2.Composite, 0.1*0.8+0.5*0.4+0.4*1.9/3) {
		t.Fatalf("second %+v", r2)
	}
	// February: 市住建局 was first with a perfect month; now second.
	if len(r2.Trend) != 1 || r2.Trend[0].Month != "2026-02" || r2.Trend[0].Rank != 1 || !near(r2.Trend[0].Composite, 1) ||
		r2.RankChange == nil || *r2.RankChange != -1 {
		t.Fatalf("trend %+v change %v", r2.Trend, r2.RankChange)
	}
	if un.Code != xc || un.Rank != 0 || un.Cases != 3 || !near(un.Response, 1) || !near(un.OnTimeRate, 2.0/3) || !near(un.Resolution, 2.0/3) || !near(un.Satisfaction, 1) {
		t.Fatalf("unranked %+v", un)
	}
	// Districts: only 兴城市 has units within it.
	rk, err = ranking.Monthly(context.Background(), f.st, 2026, time.March, ranking.Options{Level: ranking.LevelDistrict, MinCases: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(rk.Ranked) != 1 || rk.Ranked[0].Code != "211481" || rk.Ranked[0].Cases != 3 || len(rk.Ranked[0].Trend) != 3 {
		t.Fatalf("districts %+v", rk)
	}
	// Custom weights.
	w := ranking.Weights{Response: 0, Resolution: 1, Satisfaction: 0}
	rk, _ = ranking.Monthly(context.Background(), f.st, 2026, time.March, ranking.Options{Weights: w})
	if !near(rk.Ranked[1].Composite, 0.4) {
		t.Fatalf("weighted %+v", rk.Ranked[1])
	}
	if ranking.DefaultWeights.Validate() != nil || (ranking.Weights{Response: 0.5}).Validate() == nil {
		t.Fatal("weights validation")
	}
	// The dissatisfied follow-up prompted the bureau.
	ns, err := f.st.UnreadNotices(context.Background(), f.org.Users["bureau"].ID, 0)
	if err != nil || len(ns) != 1 || !strings.Contains(ns[0].Title, "回访不满意") {
		t.Fatalf("notices %+v %v", ns, err)
	}
}

func TestFollowUpNeedsReply(t *testing.T) {
	f := newFixture(t)
	f.at(day(3, 2))
	id := f.assigned("211400-zjj", calendar.NewDate(2026, 3, 20))
	if _, err := ranking.RecordFollowUp(context.Background(), f.lc, f.org.Users["bureau"], id, ranking.Satisfied, "", f.now); err == nil {
		t.Fatal("follow-up before reply accepted")
	}
	f.do(id, "zjj", lifecycle.Sign, lifecycle.Input{})
	f.reply(id, "zjj", "support")
	if _, err := ranking.RecordFollowUp(context.Background(), f.lc, f.org.Users["zjj"], id, ranking.Satisfied, "", f.now); err == nil {
		t.Fatal("a handler recorded a follow-up")
	}
	if _, err := ranking.RecordFollowUp(context.Background(), f.lc, f.org.Users["bureau"], id, "meh", "", f.now); err == nil {
		t.Fatal("bad result accepted")
	}
}
