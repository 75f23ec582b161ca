package inspection_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"redress/internal/calendar"
	"redress/internal/engagement"
	"redress/internal/escalation"
	"redress/internal/inspection"
	"redress/internal/intake"
	"redress/internal/lifecycle"
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

func on(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, calendar.Location) }

func date(m time.Month, d int) calendar.Date { return calendar.NewDate(2026, m, d) }

func (f *fixture) at(m time.Month, d int) *fixture { f.now = on(m, d); return f }

func (f *fixture) do(id int64, who string, a lifecycle.Action, in lifecycle.Input) {
	f.t.Helper()
	if _, err := f.lc.Do(context.Background(), f.org.Users[who], id, a, in); err != nil {
		f.t.Fatalf("%s %s on %d: %v", who, a, id, err)
	}
}

func (f *fixture) register(idNumber, name string) int64 {
	f.t.Helper()
	f.n++
	r, err := f.lc.Register(context.Background(), f.org.Users["bureau"], intake.Record{
		ExternalID: fmt.Sprintf("I-%d", f.n), ReceivedAt: f.now, Channel: "visit", PetitionerName: name, PetitionerIDNumber: idNumber,
		DistrictCode: "211402", Title: "小区供暖不达标", Content: "小区冬季室温不足十六度，反映多次未解决。"}, true)
	if err != nil {
		f.t.Fatal(err)
	}
	f.do(r.ID, "bureau", lifecycle.Accept, lifecycle.Input{})
	return r.ID
}

func (f *fixture) assign(id int64, unit string, due calendar.Date) {
	f.do(id, "bureau", lifecycle.Assign, lifecycle.Input{UnitCode: unit, DueOn: &due})
}

// TestReport drafts the report of a crafted history whose answers are known.
func TestReport(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	f := &fixture{t: t, st: st, org: storetest.Seed(t, st)}
	f.lc = lifecycle.New(st, func() time.Time { return f.now })
	eng := engagement.New(f.lc)
	esc := escalation.New(st, escalation.Options{})
	const zjj = "211400-zjj"
	const wang, li = "211402196505120027", "211402198001010026"

	// P1: received 1/5, reply due 1/20, never answered.
	f.at(time.January, 5)
	p1 := f.register(wang, "王秀兰")
	f.assign(p1, zjj, date(1, 20))
	f.do(p1, "zjj", lifecycle.Sign, lifecycle.Input{})
	// P3: received 1/10, returned once, reassigned, replied late on 4/1.
	f.at(time.January, 10)
	p3 := f.register(li, "李建国")
	f.assign(p3, zjj, date(2, 10))
	f.do(p3, "zjj", lifecycle.Return, lifecycle.Input{Reason: "需补充材料"})
	f.assign(p3, zjj, date(2, 10))
	f.do(p3, "zjj", lifecycle.Sign, lifecycle.Input{})
	for _, d := range []time.Time{on(1, 21), on(2, 11), on(3, 1)} {
		if _, err := esc.Sweep(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	// P2: the same person on the same matter, 3/2.
	f.at(time.March, 2)
	p2 := f.register(wang, "王秀兰")
	if _, err := st.DB().Exec(rebind(st, "UPDATE petitions SET matter_id = (SELECT matter_id FROM petitions WHERE id = ?) WHERE id = ?"), p1, p2); err != nil {
		t.Fatal(err)
	}
	f.assign(p2, zjj, date(4, 30))
	f.do(p2, "zjj", lifecycle.Sign, lifecycle.Input{})
	// Engagement: the head met 王秀兰 on 2/10 (about P1) and 3/15 (about P2); a deputy met her on 2/12; a meeting studied P1 on 2/20.
	f.at(time.March, 20)
	for _, r := range []struct {
		d    calendar.Date
		head bool
		p    int64
	}{{date(2, 10), true, p1}, {date(3, 15), true, p2}, {date(2, 12), false, p1}} {
		_, err := eng.RecordReception(ctx, f.org.Users["bureau"], engagement.ReceptionInput{Kind: "reception", UnitCode: zjj,
			LeaderName: "周局长", IsHead: r.head, HeldOn: &r.d, PetitionIDs: []int64{r.p}}, f.now)
		if err != nil {
			t.Fatal(err)
		}
	}
	held := date(2, 20)
	if _, err := eng.RecordMeeting(ctx, f.org.Users["bureau"], engagement.MeetingInput{UnitCode: zjj, HeldOn: &held, Chair: "周局长",
		PetitionIDs: []int64{p1}, Decisions: []engagement.DecisionInput{{PetitionID: p1, Text: "约谈热力公司"}}}, f.now); err != nil {
		t.Fatal(err)
	}
	f.at(time.April, 1)
	f.do(p3, "zjj", lifecycle.Reply, lifecycle.Input{Outcome: "support", Text: "已更换管网，室温达标，答复如上。"})
	f.at(time.April, 28)
	f.do(p2, "zjj", lifecycle.Reply, lifecycle.Input{Outcome: "explain", Text: "管网改造已列入今年计划，解释如上。"})
	// P4: recent and alone; P5: another unit's.
	f.at(time.June, 1)
	p4 := f.register("211402197001010013", "孙明")
	f.assign(p4, zjj, date(6, 30))
	f.do(p4, "zjj", lifecycle.Sign, lifecycle.Input{})
	p5 := f.register("21140219700101003X", "周红")
	f.assign(p5, "211400-rsj", date(6, 30))

	f.at(time.July, 2)
	if _, err := inspection.Open(ctx, st, f.org.Users["bureau"], zjj, date(1, 1), date(6, 30), 60, f.now); err == nil {
		t.Fatal("the bureau opened an inspection")
	}
	in, err := inspection.Open(ctx, st, f.org.Users["inspector"], zjj, date(1, 1), date(6, 30), 60, f.now)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := inspection.Draft(ctx, st, in.ID, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Cases) != 3 {
		t.Fatalf("%d cases, want P1, P2, P3: %+v", len(rep.Cases), rep.Cases)
	}
	byID := map[int64]inspection.CaseFinding{}
	for _, c := range rep.Cases {
		byID[c.PetitionID] = c
	}
	c1, c2, c3 := byID[p1], byID[p2], byID[p3]
	check := func(name string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("P1 repeat", c1.Repeat, true)
	check("P1 matter petitions", c1.MatterPetitions, 2)
	check("P1 backlog", c1.Backlog, true)
	check("P1 days open", c1.DaysOpen, 176)
	check("P1 head met", c1.HeadMet, true)
	check("P1 head meetings", c1.HeadMeetings, 2)
	check("P1 head meeting dates", dates(c1.HeadMeetingDates), "2026-02-10,2026-03-15")
	check("P1 study meeting", c1.StudyMeetingHeld, true)
	check("P1 study meeting dates", dates(c1.StudyMeetingDates), "2026-02-20")
	check("P1 missed", missed(c1.MissedDeadlines), "reply 2026-01-20 open")
	check("P1 returns", c1.Returns, 0)
	check("P1 escalations", c1.Escalations, 2)
	check("P1 escalations by action", c1.EscalationsBy, map[string]int{"party_report": 1, "supervision": 1})
	check("P1 resolved", c1.Resolved, false)

	check("P2 repeat", c2.Repeat, true)
	check("P2 backlog", c2.Backlog, true)
	check("P2 days open", c2.DaysOpen, 120)
	check("P2 head meetings", c2.HeadMeetings, 2)
	check("P2 study meeting", c2.StudyMeetingHeld, false)
	check("P2 missed", len(c2.MissedDeadlines), 0)
	check("P2 escalations", c2.Escalations, 0)
	check("P2 resolved", c2.Resolved, true)

	check("P3 repeat", c3.Repeat, false)
	check("P3 backlog", c3.Backlog, true)
	check("P3 head met", c3.HeadMet, false)
	check("P3 head meetings", c3.HeadMeetings, 0)
	check("P3 study meeting", c3.StudyMeetingHeld, false)
	check("P3 missed", missed(c3.MissedDeadlines), "reply 2026-02-10 2026-04-01")
	check("P3 returns", c3.Returns, 1)
	check("P3 escalations", c3.Escalations, 2)
	check("P3 resolved", c3.Resolved, true)

	s := rep.Summary
	check("summary", fmt.Sprint(s.Cases, s.Repeat, s.Backlog, s.HeadMet, s.StudyMeetingHeld, s.WithMissed, s.Resolved, s.Returns, s.Escalations),
		"3 2 3 2 1 2 2 1 4")
	check("resolution rate", *s.ResolutionRate, 2.0/3)
	// Rates over the four valid assignments (P3's returned one does not count).
	r := rep.Rates
	check("rates", fmt.Sprint(r.Cases, r.Responded, r.OnTime, r.Replied, r.Resolved, r.FollowedUp), "4 4 1 2 1 0")
	check("composite", fmt.Sprintf("%.4f", *r.Composite), "0.3750")
	check("unit", rep.Unit.Code, zjj)

	// Findings become rectification items, which the ladder escalates.
	due := date(7, 10)
	item, err := inspection.AddRectification(ctx, st, f.org.Users["inspector"], in.ID, inspection.RectificationInput{PetitionID: p1,
		Finding: "一把手未就王秀兰反映问题召开专题会议研究解决方案", OwnerName: "周局长", DueOn: &due}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	res, err := esc.Sweep(ctx, on(7, 13))
	if err != nil || res.ByRule["supervise"] < 1 {
		t.Fatalf("rectification escalation %+v %v", res, err)
	}
	steps, _ := st.EscalationSteps(ctx, store.StepFilter{Action: "supervision", PetitionID: p1})
	found := false
	for _, s := range steps {
		found = found || (s.Subject == "rectification" && s.SubjectID == item.ID)
	}
	if !found {
		t.Fatalf("no supervision step on the item: %+v", steps)
	}
	if _, err := inspection.CompleteRectification(ctx, st, f.org.Users["rsj"], item.ID, "已召开专题会", f.now); err == nil {
		t.Fatal("another unit completed the item")
	}
	done, err := inspection.CompleteRectification(ctx, st, f.org.Users["zjj-head"], item.ID, "7月14日召开专题会议，形成解决方案", f.now)
	if err != nil || done.State != "done" {
		t.Fatalf("complete %+v %v", done, err)
	}
	if res, _ := esc.Sweep(ctx, on(7, 30)); res.Fired != 0 {
		// The completed item climbs no further (P1, P4 and P5 reached the top on 7/13).
		t.Fatalf("after completion %+v", res)
	}

	rep, err = inspection.Draft(ctx, st, in.ID, f.now)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := inspection.WriteExcel(&buf, rep); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows(inspection.SheetCases)
	if err != nil || len(rows) != 4 {
		t.Fatalf("case sheet %v %v", rows, err)
	}
	var p1row []string
	for _, row := range rows {
		if row[0] == c1.TrackingCode {
			p1row = row
		}
	}
	if p1row == nil || p1row[8] != "是" || p1row[9] != "2" || p1row[10] != "2026-02-10、2026-03-15" || p1row[11] != "是" {
		t.Fatalf("P1 row %q", p1row)
	}
	rects, _ := x.GetRows(inspection.SheetRectifications)
	if len(rects) != 2 || rects[1][4] != "已完成" {
		t.Fatalf("rectification sheet %q", rects)
	}
	sum, _ := x.GetRows(inspection.SheetSummary)
	if !strings.Contains(fmt.Sprint(sum), "化解率 66.7%") {
		t.Fatalf("summary sheet %q", sum)
	}
}

func rebind(st *store.Store, q string) string {
	if st.Engine() != store.Postgres {
		return q
	}
	for i := 1; strings.Contains(q, "?"); i++ {
		q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
	}
	return q
}

func dates(ds []calendar.Date) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return strings.Join(s, ",")
}

func missed(ms []store.MissedDeadline) string {
	var s []string
	for _, m := range ms {
		met := "open"
		if !m.MetOn.IsZero() {
			met = m.MetOn.String()
		}
		s = append(s, m.Kind+" "+m.DueOn.String()+" "+met)
	}
	return strings.Join(s, "; ")
}
