//go:build browser

package web_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"redress/internal/lifecycle"
	"redress/internal/petition"
	"redress/internal/store"
)

// TestAccBrowserSupervisionAndEngagement walks the accountability pages by
// clicking and typing: the bureau sees a supervised case, the unit head
// writes an explanation, the bureau accepts it; a leader records a
// reception and a study meeting whose decision assigns a case on the spot
// (refused for the leader, who may not assign; done by the bureau); a
// leader records a commitment.
func TestAccBrowserSupervisionAndEngagement(t *testing.T) {
	e := newEnv(t)
	id, step := accSupervised(t, e)
	sid := strconv.FormatInt(step.ID, 10)

	bureau := e.tab(t)
	bureau.login("bureau")
	bureau.clickTo(css("#nav-supervision"), css("#listing-table"))
	bureau.waitText("#listing-"+strconv.FormatInt(id, 10), "供暖不热")
	bureau.waitText("#step-"+sid, "督办通知")
	bureau.waitText("#step-"+sid, "负责人211400-zjj")

	// The head sees the unread notices in the nav and explains from the case page.
	head := e.tab(t)
	head.login("zjj-head")
	if head.count("#nav-unread") != 1 {
		t.Error("the head's nav shows no unread count")
	}
	head.open(idPath(id))
	head.waitText("#acc-steps", "督办通知")
	head.clickTo(css("#explain-"+sid+" > summary"), css("#explain-text-"+sid))
	head.do(chromedp.SendKeys(css("#explain-text-"+sid), "短"), chromedp.Click(css("#submit-explain-"+sid)))
	head.waitText("#err-explain-text-"+sid, "请填写书面说明")
	head.do(chromedp.Evaluate[chromedp.Void]("document.querySelector('#explain-text-"+sid+"').value = ''"), chromedp.SendKeys(css("#explain-text-"+sid), "因供热管网改造施工延误，已协调热力公司三日内完成整改。"), chromedp.Click(css("#submit-explain-"+sid)))
	head.waitText("#acc-notice", "书面说明已提交")
	head.waitText("#step-"+sid, "说明待审核")
	head.do(chromedp.ScrollIntoView(css("#acc-case")))
	head.shot("supervision-case-head")

	// The bureau accepts it on the supervision page.
	bureau.open("/supervision")
	bureau.waitText("#step-"+sid, "说明待审核")
	bureau.shot("supervision")
	bureau.do(chromedp.Click(css("#accept-" + sid)))
	bureau.waitText("#notice", "已记录对书面说明的审核意见")
	st, err := e.st.EscalationStep(context.Background(), step.ID)
	if err != nil || len(st.Explanations) != 1 || st.Explanations[0].Decision != "accepted" {
		t.Fatalf("after the bureau accepted: %+v, %v", st.Explanations, err)
	}

	// A leader records a reception and a study meeting.
	cid := e.register("小区电梯停运", "幸福小区5号楼电梯停运两个月，老人上下楼困难，物业推诿。", nil)
	e.do("bureau", cid, lifecycle.Accept, lifecycle.Input{})
	ccid := strconv.FormatInt(cid, 10)
	leader := e.tab(t)
	leader.login("leader")
	leader.clickTo(css("#nav-engagement"), css("#form-reception"))
	leader.do(chromedp.SetValue(css("#reception-kind"), "visit"), chromedp.SetValue(css("#reception-unit"), "211400-zjj"),
		chromedp.SendKeys(css("#reception-leader_name"), "王副市长"), chromedp.SendKeys(css("#reception-leader_title"), "副市长"),
		chromedp.SetValue(css("#reception-held_on"), "2026-03-16"), chromedp.SendKeys(css("#reception-place"), "幸福小区"),
		chromedp.SendKeys(css("#reception-petitions"), ccid), chromedp.SendKeys(css("#reception-promised"), "两周内恢复电梯运行"),
		chromedp.Click(css("#submit-reception")))
	leader.waitText("#notice", "接访记录已保存")
	leader.waitText("#reception-table", "两周内恢复电梯运行")
	fillMeeting := func(b *tab) {
		b.do(chromedp.SetValue(css("#meeting-unit"), "211400-zjj"), chromedp.SetValue(css("#meeting-held_on"), "2026-03-17"),
			chromedp.SendKeys(css("#meeting-chair"), "王副市长"), chromedp.SendKeys(css("#meeting-attendees"), "市住建局周局长、市信访局李科长"),
			chromedp.SendKeys(css("#d0-petition"), ccid), chromedp.SendKeys(css("#d0-text"), "由市住建局牵头，督促物业十日内恢复电梯"),
			chromedp.SetValue(css("#d0-unit"), "211400-zjj"), chromedp.SetValue(css("#d0-due"), "2026-03-27"),
			chromedp.Click(css("#submit-meeting")))
	}
	fillMeeting(leader)
	leader.waitText("#err-meeting-decisions", "只有信访局可以在会上当场交办")
	if e.state(cid) != petition.Accepted {
		t.Fatal("a refused meeting assigned the case")
	}
	bureau.open("/engagement")
	fillMeeting(bureau)
	bureau.waitText("#notice", "研究会议已保存")
	bureau.waitText("#meeting-table", "已当场交办市住建局，2026-03-27前办结")
	bureau.shot("engagement")
	c, err := e.st.Case(context.Background(), cid)
	if err != nil || c.Petition.State != petition.Assigned || c.Current().UnitID != e.org.Housing.ID || c.Current().DueOn == nil || c.Current().DueOn.String() != "2026-03-27" {
		t.Fatalf("after the meeting: %+v, %v", c.Current(), err)
	}
	ms, _ := e.st.StudyMeetings(context.Background(), store.EngagementFilter{PetitionID: cid})
	if len(ms) != 1 || ms[0].Decisions[0].AssignmentID != c.Current().ID {
		t.Fatalf("meetings %+v", ms)
	}
	leader.open(idPath(cid))
	leader.waitText("#acc-engagement", "领导接访 1 次，研究会议 1 次")

	// The leader records a yearly commitment.
	leader.clickTo(css("#nav-commitments"), css("#form-commitment"))
	leader.do(chromedp.SendKeys(css("#commitment-leader_name"), "王副市长"), chromedp.SetValue(css("#commitment-unit"), "211400-zjj"),
		chromedp.SetValue(css("#commitment-kind"), "hard_problem"), chromedp.SendKeys(css("#commitment-title"), "老旧小区电梯停运问题"),
		chromedp.SendKeys(css("#commitment-target"), "年底前恢复全部停运电梯"), chromedp.Click(css("#submit-commitment")))
	leader.waitText("#notice", "承诺已登记")
	leader.waitText("#commitment-table", "老旧小区电梯停运问题")
	leader.shot("commitments")
}
