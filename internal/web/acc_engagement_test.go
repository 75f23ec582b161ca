package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"redress/internal/calendar"
	"redress/internal/lifecycle"
	"redress/internal/petition"
	"redress/internal/store"
)

// A study meeting's decision assigns the case to a unit with a deadline on
// the spot; a leader, who may not assign, is refused beside the decisions
// and nothing is stored; receptions and meetings show on the case page.
func TestAccMeetingDecisionAssigns(t *testing.T) {
	e := newEnv(t)
	id := e.register("小区电梯停运", "幸福小区5号楼电梯停运两个月，老人上下楼困难，物业推诿。", nil)
	e.do("bureau", id, lifecycle.Accept, lifecycle.Input{})
	sid := strconv.FormatInt(id, 10)
	due := "2026-03-20"
	meeting := url.Values{"unit": {"211400-zjj"}, "held_on": {"2026-03-02"}, "chair": {"王副市长"}, "place": {"市政府三楼会议室"},
		"attendees": {"市住建局周局长，市信访局李科长"}, "petitions": {sid},
		"d0_petition": {sid}, "d0_text": {"由市住建局牵头，督促物业十日内恢复电梯运行"}, "d0_unit": {"211400-zjj"}, "d0_due": {due}}

	leader := e.client()
	leader.login("leader")
	p := leader.post("/engagement/meetings", meeting)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-meeting-decisions"`) || !strings.Contains(p.body, "只有信访局可以在会上当场交办") {
		t.Fatalf("leader's assigning decision: status %d", p.status)
	}
	if !strings.Contains(p.body, "由市住建局牵头") {
		t.Error("the refused form lost what was typed")
	}
	if ms, _ := e.st.StudyMeetings(context.Background(), store.EngagementFilter{}); len(ms) != 0 {
		t.Fatalf("a refused meeting was stored: %+v", ms)
	}
	if e.state(id) != petition.Accepted {
		t.Fatalf("a refused decision changed the case to %s", e.state(id))
	}

	// The leader records the reception.
	p = leader.post("/engagement/receptions", url.Values{"kind": {"reception"}, "unit": {"211400-zjj"}, "leader_name": {"王副市长"},
		"leader_title": {"副市长"}, "held_on": {"2026-03-01"}, "place": {"市信访接待中心"}, "petitions": {sid}, "promised": {"两周内解决电梯问题"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("reception: %d %.400s", p.status, p.body)
	}
	// A reception in the future is refused beside the date.
	p = leader.post("/engagement/receptions", url.Values{"kind": {"visit"}, "unit": {"211400-zjj"}, "leader_name": {"王副市长"}, "held_on": {"2026-04-01"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-reception-held_on"`) {
		t.Fatalf("future reception: %d", p.status)
	}

	// The bureau records the meeting: the decision assigns the case with its deadline.
	bureau := e.client()
	bureau.login("bureau")
	if p := bureau.post("/engagement/meetings", meeting); p.status != http.StatusSeeOther {
		t.Fatalf("bureau's meeting: %d %.400s", p.status, p.body)
	}
	c, err := e.st.Case(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	cur := c.Current()
	if c.Petition.State != petition.Assigned || cur == nil || cur.UnitID != e.org.Housing.ID || cur.DueOn == nil || *cur.DueOn != calendar.NewDate(2026, 3, 20) {
		t.Fatalf("after the meeting: state %s, assignment %+v", c.Petition.State, cur)
	}
	ms, err := e.st.StudyMeetings(context.Background(), store.EngagementFilter{PetitionID: id})
	if err != nil || len(ms) != 1 || len(ms[0].Decisions) != 1 || ms[0].Decisions[0].AssignmentID != cur.ID ||
		strings.Join(ms[0].Attendees, "|") != "市住建局周局长|市信访局李科长" {
		t.Fatalf("meeting %+v, %v", ms, err)
	}

	// The case page counts both and links to them; the lists filter by unit and period.
	p = bureau.get(idPath(id))
	if !strings.Contains(p.body, "领导接访 1 次，研究会议 1 次") {
		t.Error("the case page does not count the reception and the meeting")
	}
	p = bureau.get("/engagement?unit=211400-zjj&from=2026-03-01&to=2026-03-31")
	if !strings.Contains(p.body, "两周内解决电梯问题") || !strings.Contains(p.body, "已当场交办市住建局，2026-03-20前办结") {
		t.Error("the engagement page lacks the reception or the assigning decision")
	}
	p = bureau.get("/engagement?unit=211400-rsj")
	if strings.Contains(p.body, "两周内解决电梯问题") || strings.Contains(p.body, "已当场交办") {
		t.Error("the unit filter shows another unit's records")
	}
	p = bureau.get("/engagement?from=2026-03-02")
	if strings.Contains(p.body, "两周内解决电梯问题") || !strings.Contains(p.body, "已当场交办") {
		t.Error("the period filter is not applied")
	}
	// Another unit's handler sees none of it.
	other := e.client()
	other.login("rsj")
	if p := other.get("/engagement"); strings.Contains(p.body, "两周内解决电梯问题") || strings.Contains(p.body, "王副市长") {
		t.Error("another unit sees the housing bureau's engagement")
	}
	if p := other.post("/engagement/receptions", url.Values{"kind": {"reception"}, "unit": {"211400-zjj"}, "leader_name": {"吴局长"}, "held_on": {"2026-03-01"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "只能登记本单位的接访") {
		t.Errorf("another unit recording for the housing bureau: %d", p.status)
	}
}

// A follow-up after the reply records the satisfaction; a dissatisfied one
// shows the review route; only the bureau records follow-ups.
func TestAccFollowUp(t *testing.T) {
	e := newEnv(t)
	id := e.register("噪音扰民", "楼上住户每晚十一点后仍有很大的噪音，多次协商无果。", nil)
	e.do("bureau", id, lifecycle.Accept, lifecycle.Input{})
	e.do("bureau", id, lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj"})
	bureau := e.client()
	bureau.login("bureau")
	if p := bureau.get(idPath(id)); strings.Contains(p.body, `id="form-followup"`) {
		t.Fatal("the follow-up form shows before the reply")
	}
	e.do("zjj", id, lifecycle.Sign, lifecycle.Input{})
	e.do("zjj", id, lifecycle.Reply, lifecycle.Input{Outcome: petition.OutcomeExplain, Text: "经调查，已约谈楼上住户并告知相关规定。"})

	handler := e.client()
	handler.login("zjj")
	if p := handler.post(idPath(id)+"/follow-up", url.Values{"result": {"satisfied"}}); p.status != http.StatusForbidden {
		t.Errorf("handler's follow-up: %d", p.status)
	}
	p := bureau.post(idPath(id)+"/follow-up", url.Values{"note": {"电话回访"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-followup-result"`) || !strings.Contains(p.body, "电话回访") {
		t.Fatalf("follow-up without result: %d", p.status)
	}
	if fs, _ := e.st.FollowUps(context.Background(), id); len(fs) != 0 {
		t.Fatalf("refused follow-ups stored: %+v", fs)
	}
	if p := bureau.post(idPath(id)+"/follow-up", url.Values{"result": {"dissatisfied"}, "note": {"信访人认为噪音仍未消除"}}); p.status != http.StatusSeeOther {
		t.Fatalf("follow-up: %d", p.status)
	}
	fs, _ := e.st.FollowUps(context.Background(), id)
	if len(fs) != 1 || fs[0].Result != "dissatisfied" || fs[0].Note != "信访人认为噪音仍未消除" {
		t.Fatalf("follow-ups %+v", fs)
	}
	p = bureau.get(idPath(id) + "?acc=followup")
	if !strings.Contains(p.body, `id="acc-review-prompt"`) || !strings.Contains(p.body, `href="#action-request-review"`) || !strings.Contains(p.body, "回访结果已记录") {
		t.Fatal("a dissatisfied follow-up does not prompt the review route")
	}
}
