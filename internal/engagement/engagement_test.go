package engagement_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/engagement"
	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/petition"
	"redress/internal/store"
	"redress/internal/storetest"
)

func TestReceptionsAndMeetings(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location)
	lc := lifecycle.New(st, func() time.Time { return now })
	svc := engagement.New(lc)
	reg := func(ext string) int64 {
		r, err := lc.Register(ctx, o.Users["bureau"], intake.Record{ExternalID: ext, ReceivedAt: now, Channel: "visit",
			PetitionerName: "赵大", PetitionerIDNumber: "211402196505120027", DistrictCode: "211402",
			Title: "拖欠工资", Content: "某工地拖欠二十名农民工工资共四十万元。"}, true)
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	p1, p2 := reg("G-1"), reg("G-2")
	if _, err := lc.Do(ctx, o.Users["bureau"], p1, lifecycle.Accept, lifecycle.Input{}); err != nil {
		t.Fatal(err)
	}
	held := calendar.NewDate(2026, 3, 1)
	rec, err := svc.RecordReception(ctx, o.Users["zjj-head"], engagement.ReceptionInput{Kind: "reception", UnitCode: "211400-zjj",
		LeaderName: "周局长", LeaderTitle: "局长", IsHead: true, HeldOn: &held, Place: "市信访接待大厅", Promised: "两周内约谈施工方",
		PetitionIDs: []int64{p1, p2}}, now)
	if err == nil {
		t.Fatal("a unit head linked cases not assigned to the unit")
	}
	rec, err = svc.RecordReception(ctx, o.Users["bureau"], engagement.ReceptionInput{Kind: "reception", UnitCode: "211400-zjj",
		LeaderName: "周局长", LeaderTitle: "局长", IsHead: true, HeldOn: &held, Place: "市信访接待大厅", Promised: "两周内约谈施工方",
		PetitionIDs: []int64{p1, p2}}, now)
	if err != nil {
		t.Fatal(err)
	}
	// Both petitions are the same person's: one petitioner linked.
	if len(rec.PetitionIDs) != 2 || len(rec.PetitionerIDs) != 1 {
		t.Fatalf("reception %+v", rec)
	}
	future := calendar.NewDate(2026, 3, 9)
	if _, err := svc.RecordReception(ctx, o.Users["bureau"], engagement.ReceptionInput{Kind: "visit", UnitCode: "211400-zjj", LeaderName: "周局长", HeldOn: &future}, now); err == nil {
		t.Fatal("future reception accepted")
	}

	due := calendar.NewDate(2026, 3, 20)
	in := engagement.MeetingInput{UnitCode: "211400-rsj", HeldOn: &held, Place: "市政府3楼会议室", Chair: "王副市长",
		Attendees: []string{"人社局局长", "住建局局长"}, PetitionIDs: []int64{p2},
		Decisions: []engagement.DecisionInput{
			{PetitionID: p1, Text: "由市人社局牵头，限期追缴工资", UnitCode: "211400-rsj", DueOn: &due},
			{Text: "住建局配合核查工程款"},
		}}
	// p2 is only registered, not accepted: the assignment is refused and nothing is kept.
	bad := in
	bad.Decisions = []engagement.DecisionInput{{PetitionID: p2, Text: "交办人社局", UnitCode: "211400-rsj", DueOn: &due}}
	_, err = svc.RecordMeeting(ctx, o.Users["bureau"], bad, now)
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Code != failure.CodeIllegalState {
		t.Fatalf("assigning a registered petition: %v", err)
	}
	if ms, _ := st.StudyMeetings(ctx, store.EngagementFilter{}); len(ms) != 0 {
		t.Fatalf("a failed meeting was kept: %+v", ms)
	}
	m, err := svc.RecordMeeting(ctx, o.Users["bureau"], in, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Decisions) != 2 || m.Decisions[0].AssignmentID == 0 || m.Decisions[1].AssignmentID != 0 || len(m.PetitionIDs) != 2 {
		t.Fatalf("meeting %+v", m)
	}
	c, err := st.Case(ctx, p1)
	if err != nil {
		t.Fatal(err)
	}
	if c.Petition.State != petition.Assigned || c.Current().UnitID != o.HRSS.ID || c.Current().DueOn == nil || *c.Current().DueOn != due {
		t.Fatalf("case after the meeting: %+v %+v", c.Petition, c.Current())
	}
	ms, err := st.StudyMeetings(ctx, store.EngagementFilter{PetitionID: p1})
	if err != nil || len(ms) != 1 || len(ms[0].Decisions) != 2 || len(ms[0].Attendees) != 2 {
		t.Fatalf("meetings %+v %v", ms, err)
	}
	rs, err := st.Receptions(ctx, store.EngagementFilter{UnitIDs: []int64{o.Housing.ID}, PetitionID: p2})
	if err != nil || len(rs) != 1 || !rs[0].IsHead || rs[0].Promised != "两周内约谈施工方" {
		t.Fatalf("receptions %+v %v", rs, err)
	}
	if rs, _ := st.Receptions(ctx, store.EngagementFilter{UnitIDs: []int64{o.HRSS.ID}}); len(rs) != 0 {
		t.Fatalf("other unit's receptions %+v", rs)
	}
}
