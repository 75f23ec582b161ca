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
	"redress/internal/escalation"
	"redress/internal/inspection"
	"redress/internal/inspection/inspectiontest"
	"redress/internal/lifecycle"
	"redress/internal/store"
	"redress/internal/storetest"
)

type fixture struct {
	org *storetest.Org
	now time.Time
}

func on(m time.Month, d int) time.Time { return inspectiontest.On(m, d) }

func date(m time.Month, d int) calendar.Date { return inspectiontest.Date(m, d) }

// TestReport drafts the report of a crafted history whose answers are known.
func TestReport(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	f := &fixture{org: storetest.Seed(t, st)}
	lc := lifecycle.New(st, func() time.Time { return f.now })
	esc := escalation.New(st, escalation.Options{})
	const zjj = inspectiontest.Unit
	h := inspectiontest.Build(t, st, f.org, lc, func(t time.Time) { f.now = t })
	p1, p2, p3 := h.P1, h.P2, h.P3

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
