package matters_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/matters"
	"redress/internal/petition"
	"redress/internal/store"
)

// handling registers n property-certificate cases and brings each to
// handling at 市住建局, all in one transaction.
func (f *fixture) handling(n int) []int64 {
	f.t.Helper()
	ctx := context.Background()
	bureau, zjj := f.org.Users["bureau"], f.org.Users["zjj"]
	var ids []int64
	err := f.st.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < n; i++ {
			rec := intake.Record{ExternalID: fmt.Sprintf("CERT-%d", i), ReceivedAt: f.clk.Now(), Channel: "letter",
				PetitionerName: fmt.Sprintf("业主%d", i), Phone: fmt.Sprintf("139%08d", i), DistrictCode: "211402",
				Address: fmt.Sprintf("连山区锦绣华庭%d号楼", i%40+1), Title: "锦绣华庭办不了房产证",
				Content: "房款早已付清，开发商手续不全，锦绣华庭小区业主至今办不了不动产权证书，请求协调办理。"}
			p, err := f.svc.Prepare(ctx, rec, true)
			if err != nil {
				return err
			}
			r, err := f.svc.RegisterTx(tx, bureau, p)
			if err != nil {
				return err
			}
			for _, st := range []struct {
				u  string
				a  lifecycle.Action
				in lifecycle.Input
			}{{"bureau", lifecycle.Accept, lifecycle.Input{}}, {"bureau", lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj"}}, {"zjj", lifecycle.Sign, lifecycle.Input{}}} {
				u := bureau
				if st.u == "zjj" {
					u = zjj
				}
				if err := f.svc.DoTx(tx, u, r.ID, st.a, st.in); err != nil {
					return fmt.Errorf("%s %d: %w", st.a, r.ID, err)
				}
			}
			ids = append(ids, r.ID)
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return ids
}

func TestTemplateAppliedToThousandCasesAllOrNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	bureau, zjj := f.org.Users["bureau"], f.org.Users["zjj"]
	ids := f.handling(1002)
	precedent, replied, cases := ids[0], ids[1], ids[2:]
	for _, id := range []int64{precedent, replied} {
		if _, err := f.svc.Do(ctx, zjj, id, lifecycle.Reply, lifecycle.Input{Outcome: "support",
			Text: "经协调，锦绣华庭小区按容缺受理方式办理不动产权证书，主要材料齐全即予受理。"}); err != nil {
			t.Fatal(err)
		}
	}
	items := []store.TemplateItem{{Name: "契税完税证明", DueDays: 30}, {Name: "房屋测绘报告", DueDays: 60}}
	if _, err := f.ms.CreateTemplate(ctx, zjj, matters.TemplateInput{PetitionID: precedent, Name: "x", Items: items}); failure.Public(err).Code != failure.CodeForbidden {
		t.Fatalf("a handler made a template: %v", err)
	}
	if _, err := f.ms.CreateTemplate(ctx, bureau, matters.TemplateInput{PetitionID: cases[0], Name: "x"}); failure.Public(err).Code != failure.CodeIllegalState {
		t.Fatalf("template from an unreplied case: %v", err)
	}
	tp, err := f.ms.CreateTemplate(ctx, bureau, matters.TemplateInput{PetitionID: precedent, Name: "锦绣华庭房产证容缺办理", Items: items})
	if err != nil {
		t.Fatal(err)
	}
	if tp.Outcome != "support" || len(tp.Items) != 2 {
		t.Fatalf("template %+v", tp)
	}

	// One case not in an allowed state (replied already): nothing changes.
	other, _ := f.st.Case(ctx, replied)
	sel := matters.Selection{PetitionIDs: append([]int64{replied}, cases...)}
	pv, err := f.ms.PreviewTemplate(ctx, zjj, tp.ID, sel)
	if err != nil {
		t.Fatal(err)
	}
	if pv.Allowed != 1000 || pv.Refused != 1 {
		t.Fatalf("preview: %d allowed, %d refused", pv.Allowed, pv.Refused)
	}
	_, err = f.ms.ApplyTemplate(ctx, zjj, tp.ID, sel)
	fe := failure.Public(err)
	if fe.Code != failure.CodeIllegalState || !strings.Contains(fe.Message, other.Petition.TrackingCode) || fe.Params["petition_id"] != fmt.Sprint(replied) {
		t.Fatalf("apply with a case not allowed: %v", err)
	}
	if d, _ := f.st.Deficiencies(ctx, store.DeficiencyFilter{}); len(d) != 0 {
		t.Fatalf("%d 容缺 items after a refused application", len(d))
	}
	for _, id := range []int64{cases[0], cases[999]} {
		c, _ := f.st.Case(ctx, id)
		if c.Petition.State != petition.Handling {
			t.Fatalf("case %d is %s after a refused application", id, c.Petition.State)
		}
	}

	// The 1,000 cases, selected by a search, in one step.
	sel = matters.Selection{Filter: &matters.SearchFilter{State: petition.Handling, UnitCode: "211400-zjj", Query: "锦绣华庭"}}
	applied, err := f.ms.ApplyTemplate(ctx, zjj, tp.ID, sel)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied.PetitionIDs) != 1000 || applied.Items != 2000 {
		t.Fatalf("applied to %d cases, %d items", len(applied.PetitionIDs), applied.Items)
	}
	c, _ := f.st.Case(ctx, cases[500])
	if c.Petition.State != petition.Replied || !strings.Contains(c.Petition.ReplyText, "契税完税证明（2026-04-01前）") {
		t.Fatalf("case after apply: %s %q", c.Petition.State, c.Petition.ReplyText)
	}

	// Past due: on the unit's list, not on another unit's.
	f.clk.AddDays(31)
	list, err := f.ms.Deficiencies(ctx, zjj, 0, true)
	if err != nil || len(list) != 1000 || list[0].Name != "契税完税证明" {
		t.Fatalf("overdue list: %d items, %v", len(list), err)
	}
	if l, _ := f.ms.Deficiencies(ctx, f.org.Users["rsj"], 0, true); len(l) != 0 {
		t.Fatalf("another unit sees %d items", len(l))
	}
	// Case 0 supplies both items; the rest never do.
	all, _ := f.st.Deficiencies(ctx, store.DeficiencyFilter{PetitionID: cases[0]})
	for _, d := range all {
		if _, err := f.ms.Supply(ctx, zjj, d.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.ms.Supply(ctx, f.org.Users["rsj"], all[0].ID); failure.Public(err).Code != failure.CodeNotFound {
		t.Fatalf("another unit supplied: %v", err)
	}
	// Within the grace period nothing is terminated.
	res, err := f.ms.SweepDeficiencies(ctx, f.clk.Now(), matters.SweepOptions{GraceDays: 15})
	if err != nil || res.Terminated != 0 {
		t.Fatalf("sweep within grace: %+v %v", res, err)
	}
	f.clk.AddDays(16)
	res, err = f.ms.SweepDeficiencies(ctx, f.clk.Now(), matters.SweepOptions{GraceDays: 15})
	if err != nil || res.Terminated != 999 || res.Closed != 999 {
		t.Fatalf("sweep after grace: %+v %v", res, err)
	}
	c, _ = f.st.Case(ctx, cases[1])
	if c.Petition.State != petition.Closed {
		t.Fatalf("a case whose items never came is %s", c.Petition.State)
	}
	c, _ = f.st.Case(ctx, cases[0])
	if c.Petition.State != petition.Replied {
		t.Fatalf("the case that supplied its items is %s", c.Petition.State)
	}
	// Once only.
	res, err = f.ms.SweepDeficiencies(ctx, f.clk.Now(), matters.SweepOptions{GraceDays: 15})
	if err != nil || res.Terminated != 0 || res.Closed != 0 {
		t.Fatalf("second sweep: %+v %v", res, err)
	}
}
