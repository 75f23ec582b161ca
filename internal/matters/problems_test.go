package matters_test

import (
	"context"
	"strings"
	"testing"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/lifecycle"
	"redress/internal/matters"
	"redress/internal/petition"
	"redress/internal/store"
)

func TestProblemGathersMattersAndResolvesThemTogether(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	bureau, leader, zjj := f.org.Users["bureau"], f.org.Users["leader"], f.org.Users["zjj"]
	ids := f.handling(3)
	for _, id := range ids[:2] {
		if _, err := f.svc.Do(ctx, zjj, id, lifecycle.Reply, lifecycle.Input{Outcome: "support", Text: "已协调开发商补齐手续，办理不动产权证书。"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.ms.CreateProblem(ctx, bureau, matters.ProblemInput{Title: "x"}); failure.Public(err).Code != failure.CodeForbidden {
		t.Fatalf("the bureau created a problem: %v", err)
	}
	if _, err := f.ms.CreateProblem(ctx, leader, matters.ProblemInput{Title: "x", LeadUserID: zjj.ID}); failure.Public(err).Code != failure.CodeInvalid {
		t.Fatalf("a handler as lead: %v", err)
	}
	p, err := f.ms.CreateProblem(ctx, leader, matters.ProblemInput{Title: "锦绣华庭办证难", Plan: "三个月内完成首批办证",
		UnitIDs: []int64{f.org.Housing.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if p.LeadUserID != leader.ID || p.Status != store.ProblemOpen || len(p.UnitIDs) != 1 {
		t.Fatalf("problem %+v", p)
	}
	m, err := f.ms.AddMilestone(ctx, leader, p.ID, matters.MilestoneInput{Title: "补齐规划验收", DueOn: calendar.NewDate(2026, 4, 30)})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.ms.CompleteMilestone(ctx, leader, p.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.ms.CompleteMilestone(ctx, leader, p.ID, m.ID); failure.Public(err).Code != failure.CodeNotFound {
		t.Fatalf("completed twice: %v", err)
	}
	if _, err := f.ms.AddNote(ctx, bureau, p.ID, "开发商已提交补正材料"); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		c, _ := f.st.Case(ctx, id)
		if _, err := f.ms.AttachMatter(ctx, bureau, p.ID, c.Petition.MatterID); err != nil {
			t.Fatal(err)
		}
	}
	p, err = f.ms.Problem(ctx, p.ID)
	if err != nil || len(p.MatterIDs) != 3 || p.Petitions != 3 || p.Open != 3 || len(p.Milestones) != 1 || p.Milestones[0].DoneAt == nil || len(p.Notes) != 1 {
		t.Fatalf("problem %+v %v", p, err)
	}
	offer, err := f.ms.ResolveOffer(ctx, bureau, p.ID)
	if err != nil || len(offer) != 3 {
		t.Fatalf("offer %+v %v", offer, err)
	}
	closeAll := []matters.Step{}
	for _, id := range ids {
		closeAll = append(closeAll, matters.Step{PetitionID: id, Action: lifecycle.Close, Input: lifecycle.Input{Satisfied: true, Note: "问题已解决"}})
	}
	// The third case is still being handled: nothing changes.
	_, err = f.ms.Resolve(ctx, bureau, p.ID, closeAll)
	c2, _ := f.st.Case(ctx, ids[2])
	if fe := failure.Public(err); fe.Code != failure.CodeIllegalState || !strings.Contains(fe.Message, c2.Petition.TrackingCode) {
		t.Fatalf("resolve with a case not ready: %v", err)
	}
	if c, _ := f.st.Case(ctx, ids[0]); c.Petition.State != petition.Replied {
		t.Fatalf("case closed by a refused resolution: %s", c.Petition.State)
	}
	if _, err := f.svc.Do(ctx, zjj, ids[2], lifecycle.Reply, lifecycle.Input{Outcome: "support", Text: "已协调开发商补齐手续，办理不动产权证书。"}); err != nil {
		t.Fatal(err)
	}
	res, err := f.ms.Resolve(ctx, bureau, p.ID, closeAll)
	if err != nil {
		t.Fatal(err)
	}
	if res.Problem.Status != store.ProblemResolved || res.Problem.Open != 0 || res.Problem.ResolvedAt == nil {
		t.Fatalf("after resolve: %+v", res.Problem)
	}
	other := f.register(wages())
	if _, err := f.ms.Resolve(ctx, bureau, p.ID, []matters.Step{{PetitionID: other.ID, Action: lifecycle.Accept}}); failure.Public(err).Code != failure.CodeInvalid {
		t.Fatalf("a step outside the problem: %v", err)
	}
}
