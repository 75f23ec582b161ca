package commitments_test

import (
	"context"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/commitments"
	"redress/internal/escalation"
	"redress/internal/store"
	"redress/internal/storetest"
)

func TestCommitments(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	now := time.Date(2026, 1, 15, 9, 0, 0, 0, calendar.Location)
	leader := o.Users["leader"]
	in := commitments.CommitmentInput{Year: 2026, LeaderName: "王副市长", UnitCode: "211400", Kind: "hard_problem", Title: "化解兴城市回迁房办证难题"}
	if _, err := commitments.Create(ctx, st, o.Users["zjj"], in, now); err == nil {
		t.Fatal("a handler recorded a commitment")
	}
	var first store.Commitment
	for i := range 2 {
		c, err := commitments.Create(ctx, st, leader, in, now)
		if err != nil {
			t.Fatalf("commitment %d: %v", i+1, err)
		}
		if i == 0 {
			first = c
		}
	}
	if _, err := commitments.Create(ctx, st, leader, in, now); err == nil {
		t.Fatal("a third hard problem accepted")
	}
	in.Kind = "reform"
	if _, err := commitments.Create(ctx, st, leader, in, now); err != nil {
		t.Fatal(err)
	}
	if _, err := commitments.AddProgress(ctx, st, leader, first.ID, "已完成9万户容缺办证", now); err != nil {
		t.Fatal(err)
	}
	c, err := commitments.Review(ctx, st, leader, first.ID, "achieved", "年内全部办结", now.AddDate(0, 11, 0))
	if err != nil || c.State != "achieved" || len(c.Progress) != 1 {
		t.Fatalf("review %+v %v", c, err)
	}
	if _, err := commitments.AddProgress(ctx, st, leader, first.ID, "再记一笔", now); err == nil {
		t.Fatal("progress after review accepted")
	}
	all, err := st.Commitments(ctx, 2026, 0)
	if err != nil || len(all) != 3 {
		t.Fatalf("commitments %+v %v", all, err)
	}
}

// TestChecklistEscalates: an overdue checklist item gets a supervision
// notice; a completed one climbs no further.
func TestChecklistEscalates(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location)
	d1, d2 := calendar.NewDate(2026, 3, 10), calendar.NewDate(2026, 3, 31)
	cl, err := commitments.CreateChecklist(ctx, st, o.Users["bureau"], commitments.ChecklistInput{Title: "化工园区省级复核整改清单", Meeting: "化工园区联席会议",
		Items: []commitments.ItemInput{{Title: "完成园区封闭化管理", UnitCode: "211400-zjj", DueOn: &d1}, {Title: "补齐消防设施", UnitCode: "211400-rsj", DueOn: &d2}}}, now)
	if err != nil || len(cl.Items) != 2 {
		t.Fatalf("checklist %+v %v", cl, err)
	}
	esc := escalation.New(st, escalation.Options{})
	res, err := esc.Sweep(ctx, time.Date(2026, 3, 12, 9, 0, 0, 0, calendar.Location))
	if err != nil || res.Fired != 1 || res.ByRule["supervise"] != 1 {
		t.Fatalf("sweep %+v %v", res, err)
	}
	steps, _ := st.EscalationSteps(ctx, store.StepFilter{UnitIDs: []int64{o.Housing.ID}})
	if len(steps) != 1 || steps[0].Subject != "checklist_item" || steps[0].SubjectID != cl.Items[0].ID || steps[0].PetitionID != 0 {
		t.Fatalf("steps %+v", steps)
	}
	if _, err := commitments.CompleteItem(ctx, st, o.Users["rsj"], cl.Items[0].ID, "已完成", now); err == nil {
		t.Fatal("another unit completed the item")
	}
	if _, err := commitments.CompleteItem(ctx, st, o.Users["zjj"], cl.Items[0].ID, "围墙和门禁已建成", now); err != nil {
		t.Fatal(err)
	}
	if res, _ := esc.Sweep(ctx, time.Date(2026, 3, 20, 9, 0, 0, 0, calendar.Location)); res.Fired != 0 {
		t.Fatalf("completed item escalated: %+v", res)
	}
	got, err := st.Checklist(ctx, cl.ID)
	if err != nil || got.Items[0].State != "done" || got.Items[1].State != "open" {
		t.Fatalf("checklist %+v %v", got, err)
	}
}
