//go:build browser

package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/petition"
	"redress/internal/store"
)

// TestBrowserRepeatsProblemTemplate walks the repeats flow by clicking and
// typing: the registrar confirms a repeat candidate, a leader registers a
// hard problem, the registrar attaches the matter and resolves the problem,
// closing its matter; then a template made from a precedent is previewed
// and applied by the unit that handles the cases.
func TestBrowserRepeatsProblemTemplate(t *testing.T) {
	e := repEnv(t)
	ctx := context.Background()
	mod := func(r *intake.Record) {
		r.PetitionerName, r.PetitionerIDNumber, r.Phone = "王秀兰", "211402196505120027", "13904291234"
		r.Address = "连山区幸福小区3号楼2单元501室"
	}
	// The earlier petition was handled and replied to; then the same household writes again.
	a := e.register("幸福小区供暖不热", repHeating1, mod)
	e.do("bureau", a, lifecycle.Accept, lifecycle.Input{})
	e.do("bureau", a, lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj"})
	e.do("zjj", a, lifecycle.Sign, lifecycle.Input{})
	e.do("zjj", a, lifecycle.Reply, lifecycle.Input{Outcome: "support", Text: "已督促热力公司对3号楼管网进行改造，室温已达标。"})
	b := e.register("暖气不热，再次反映", repHeating2, mod)
	cs, err := e.st.RepeatCandidates(ctx, store.CandidateFilter{PetitionID: b, Decision: store.DecisionPending})
	if err != nil || len(cs) == 0 {
		t.Fatalf("no candidate: %v", err)
	}
	cid := cs[0].ID

	// 1. The registrar confirms the candidate without new facts.
	reg := e.tab(t)
	reg.login("bureau")
	reg.clickTo(css("#nav-repeats"), css(fmt.Sprintf("#cand-%d", cid)))
	if got := reg.text(fmt.Sprintf("#cand-%d .rep-reasons", cid)); !strings.Contains(got, "身份证号相同") {
		t.Fatalf("reasons: %q", got)
	}
	reg.shot("repeats-candidates")
	reg.do(chromedp.SendKeys(css(fmt.Sprintf("#note-%d", cid)), "同一户供暖问题，无新情况"),
		chromedp.Click(css(fmt.Sprintf("#confirm-%d", cid))))
	reg.waitText(fmt.Sprintf("#outcome-%d", cid), "不予受理")
	if e.state(b) != petition.Declined {
		t.Fatalf("repeat not declined: %s", e.state(b))
	}
	ca, _ := e.st.Case(ctx, a)
	matter := ca.Petition.MatterID

	// 2. A leader registers the problem and a milestone.
	ld := e.tab(t)
	ld.login("leader")
	ld.clickTo(css("#nav-problems"), css("#problem-new"))
	ld.clickTo(css("#problem-new"), css("#problem-form"))
	ld.do(chromedp.Click(css("#problem-submit")))
	ld.waitText("#err-p-title", "请填写标题")
	ld.do(chromedp.SendKeys(css("#p-title"), "幸福小区供暖管网老化"),
		chromedp.Click(css("#p-unit-211400-zjj")),
		chromedp.SendKeys(css("#p-plan"), "住建局牵头，热力公司年内完成3号楼管网改造，逐户回访。"),
		chromedp.Click(css("#problem-submit")))
	ld.waitText("#notice", "问题已登记")
	ld.do(chromedp.SendKeys(css("#ms-title"), "完成管网改造"), chromedp.SetValue(css("#ms-due"), "2026-04-30"),
		chromedp.Click(css("#milestone-submit")))
	ld.waitText("#problem-milestones", "完成管网改造")
	path := value(ld, "path", chromedp.Evaluate[string](`location.pathname`))

	// 3. The registrar attaches the matter and resolves the problem, closing its petitions.
	reg.open(path)
	reg.do(chromedp.SendKeys(css("#attach-matter"), fmt.Sprint(matter)), chromedp.Click(css("#attach-submit")))
	reg.waitText("#problem-matters", fmt.Sprintf("事项 %d", matter))
	reg.do(chromedp.SendKeys(css("#note-text"), "热力公司已进场施工"), chromedp.Click(css("#note-submit")))
	reg.waitText("#problem-notes", "热力公司已进场施工")
	reg.shot("problem")
	reg.clickTo(css("#problem-resolve"), css("#resolve-form"))
	row := fmt.Sprintf("step-%d-", a)
	// Without the petitioner's satisfaction the review window still runs: refused beside the case.
	reg.do(chromedp.Click(css("#resolve-submit")))
	reg.waitText(fmt.Sprintf("#err-row-%d", a), "仍可申请复查")
	if e.state(a) != petition.Replied {
		t.Fatal("a refused resolution changed the case")
	}
	reg.do(chromedp.Click(css(fmt.Sprintf(`input[name="%ssatisfied"]`, row))), chromedp.Click(css("#resolve-submit")))
	reg.waitText("#resolve-done", "已化解")
	if e.state(a) != petition.Closed {
		t.Fatalf("case after resolve: %s", e.state(a))
	}
	if pb, _ := e.st.Problems(ctx, store.ProblemResolved); len(pb) != 1 {
		t.Fatalf("resolved problems: %d", len(pb))
	}

	// 4. A template from a precedent, previewed and applied by the unit.
	ids := e.repHandling(4)
	e.do("zjj", ids[0], lifecycle.Reply, lifecycle.Input{Outcome: "support", Text: repReply})
	reg.open(idPath(ids[0]))
	reg.clickTo(css("#rep-make-template"), css("#tpl-form"))
	reg.do(chromedp.SendKeys(css("#tpl-name"), "锦绣华庭容缺办证"),
		chromedp.SendKeys(css("#item-name-0"), "契税完税证明"), chromedp.SendKeys(css("#item-days-0"), "30"),
		chromedp.SendKeys(css("#item-name-1"), "维修基金缴存凭证"), chromedp.SendKeys(css("#item-days-1"), "60"),
		chromedp.Click(css("#tpl-submit")))
	reg.waitText("#notice", "模板已制作")
	path = value(reg, "path", chromedp.Evaluate[string](`location.pathname`))
	h := e.tab(t)
	h.login("zjj")
	h.open(path)
	h.do(chromedp.SendKeys(css("#sel-q"), "锦绣华庭"), chromedp.SetValue(css("#sel-state"), ""),
		chromedp.Click(css("#preview-submit")))
	h.waitText("#preview-allowed", "可以办理 3 件")
	if got := h.text("#preview-cases"); !strings.Contains(got, "当前状态为“已答复”") {
		t.Fatalf("preview reasons: %q", got)
	}
	h.shot("template-preview")
	// The precedent is in the selection: applying refuses as a whole, in Chinese.
	h.do(chromedp.Click(css("#apply-submit")))
	h.waitText("#err-apply", "全部未作更改")
	for _, id := range ids[1:] {
		if e.state(id) != petition.Handling {
			t.Fatalf("case %d changed by a refused apply", id)
		}
	}
	// Narrow the search to cases being handled, preview again and apply.
	h.do(chromedp.SetValue(css("#sel-state"), "handling"), chromedp.Click(css("#preview-submit")))
	h.waitText("#preview-refused", "不能办理 0 件")
	h.do(chromedp.Click(css("#apply-submit")))
	h.waitText("#apply-count", "已按模板答复 3 件，登记容缺材料 6 项")
	for _, id := range ids[1:] {
		if e.state(id) != petition.Replied {
			t.Fatalf("case %d after apply: %s", id, e.state(id))
		}
	}
	h.clickTo(css("#nav-deficiencies"), css("#deficiencies"))
	if n := h.count("#deficiencies button[id^=supply-]"); n != 6 {
		t.Fatalf("open items for the unit: %d", n)
	}
}
