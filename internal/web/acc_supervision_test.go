package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/escalation"
	"redress/internal/lifecycle"
	"redress/internal/store"
)

// accMarch is 09:00 in China on 2026-03-d.
func accMarch(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, calendar.Location) }

// accSupervised assigns a case to 市住建局 with the reply due on 10 March,
// lets the escalation ladder climb (supervision notice on the 11th, report to
// the Party committee and 挂牌督办 on the 17th) and moves the web's clock to
// the 17th. It returns the case and its supervision step.
func accSupervised(t *testing.T, e *env) (int64, store.EscalationStep) {
	t.Helper()
	id := e.register("供暖不热", "幸福小区3号楼今冬室温长期低于16度，多次找热力公司未解决。", nil)
	due := calendar.NewDate(2026, 3, 10)
	e.do("bureau", id, lifecycle.Accept, lifecycle.Input{})
	e.do("bureau", id, lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj", DueOn: &due})
	e.do("zjj", id, lifecycle.Sign, lifecycle.Input{})
	svc := escalation.New(e.st, escalation.Options{})
	for _, d := range []int{11, 17} {
		if _, err := svc.Sweep(context.Background(), accMarch(d)); err != nil {
			t.Fatalf("sweep on March %d: %v", d, err)
		}
	}
	e.clk.Advance(accMarch(17).Add(time.Hour).Sub(e.clk.Now()))
	steps, err := e.st.EscalationSteps(context.Background(), store.StepFilter{PetitionID: id, Action: escalation.Supervision})
	if err != nil || len(steps) != 1 {
		t.Fatalf("supervision steps %+v, %v", steps, err)
	}
	return id, steps[0]
}

func accStepPath(id int64, what string) string {
	return "/supervision/steps/" + strconv.FormatInt(id, 10) + "/" + what
}

func accExplanations(t *testing.T, e *env, stepID int64) []store.EscalationExplanation {
	t.Helper()
	st, err := e.st.EscalationStep(context.Background(), stepID)
	if err != nil {
		t.Fatal(err)
	}
	return st.Explanations
}

// The supervised unit explains; another unit cannot; a handler cannot
// decide; the bureau rejects (with a reason), the unit explains again, the
// bureau accepts. Every refused request leaves the store as it was.
func TestAccExplanationFlow(t *testing.T) {
	e := newEnv(t)
	id, step := accSupervised(t, e)
	explain := url.Values{"text": {"因供热管网改造施工延误，已协调热力公司三日内完成整改，届时回复。"}}

	bureau := e.client()
	bureau.login("bureau")
	p := bureau.get("/supervision")
	if p.status != http.StatusOK || !strings.Contains(p.body, `id="listing-`+strconv.FormatInt(id, 10)+`"`) || !strings.Contains(p.body, `id="step-`+strconv.FormatInt(step.ID, 10)+`"`) {
		t.Fatalf("bureau's supervision page lacks the listed case or the notice: %d", p.status)
	}
	if !strings.Contains(p.body, "负责人211400-zjj") {
		t.Error("the notice does not name the unit's head")
	}

	// Another unit neither sees the notice nor can answer it.
	other := e.client()
	other.login("rsj")
	if p := other.get("/supervision"); strings.Contains(p.body, `id="step-`+strconv.FormatInt(step.ID, 10)+`"`) || strings.Contains(p.body, "供暖不热") {
		t.Error("another unit sees the supervision notice")
	}
	if p := other.post(accStepPath(step.ID, "explain"), explain); p.status != http.StatusNotFound {
		t.Errorf("another unit's explanation: status %d", p.status)
	}
	if n := len(accExplanations(t, e, step.ID)); n != 0 {
		t.Fatalf("another unit's explanation was stored (%d)", n)
	}

	// Too short: the error shows beside the field, nothing is stored.
	head := e.client()
	head.login("zjj-head")
	p = head.post(accStepPath(step.ID, "explain"), url.Values{"text": {"在办"}, "next": {"case"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-explain-text-`+strconv.FormatInt(step.ID, 10)+`"`) ||
		!strings.Contains(p.body, "请填写书面说明") || !strings.Contains(p.body, `id="case-title"`) {
		t.Fatalf("short explanation: status %d", p.status)
	}
	if n := len(accExplanations(t, e, step.ID)); n != 0 {
		t.Fatalf("a refused explanation was stored (%d)", n)
	}
	p = head.post(accStepPath(step.ID, "explain"), explain)
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/supervision?acc=explain") {
		t.Fatalf("explain: status %d, location %q", p.status, p.header.Get("Location"))
	}
	if ex := accExplanations(t, e, step.ID); len(ex) != 1 || ex[0].Decision != "pending" || ex[0].SubmittedBy != e.user("zjj-head").ID {
		t.Fatalf("explanation %+v", ex)
	}
	// A second one while the first is pending is refused beside the form.
	if p := head.post(accStepPath(step.ID, "explain"), explain); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "上一份书面说明仍在等待信访局审核") {
		t.Fatalf("second explanation while one is pending: %d", p.status)
	}
	if n := len(accExplanations(t, e, step.ID)); n != 1 {
		t.Fatalf("a second pending explanation was stored (%d)", n)
	}

	// A handler may not decide.
	handler := e.client()
	handler.login("zjj")
	if p := handler.post(accStepPath(step.ID, "decide"), url.Values{"decision": {"accept"}}); p.status != http.StatusForbidden {
		t.Errorf("handler's decision: status %d", p.status)
	}
	if ex := accExplanations(t, e, step.ID); ex[0].Decision != "pending" {
		t.Fatalf("a handler decided: %+v", ex)
	}

	// The bureau rejects: a reason is required.
	p = bureau.post(accStepPath(step.ID, "decide"), url.Values{"decision": {"reject"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "不予采纳时请写明理由") {
		t.Fatalf("reject without reason: status %d", p.status)
	}
	if ex := accExplanations(t, e, step.ID); ex[0].Decision != "pending" {
		t.Fatalf("a refused decision changed the explanation: %+v", ex)
	}
	p = bureau.post(accStepPath(step.ID, "decide"), url.Values{"decision": {"reject"}, "note": {"未说明具体完成时间"}, "next": {"case"}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), idPath(id)+"?acc=decide") {
		t.Fatalf("reject: status %d, location %q", p.status, p.header.Get("Location"))
	}
	if ex := accExplanations(t, e, step.ID); ex[0].Decision != "rejected" || ex[0].DecisionNote != "未说明具体完成时间" {
		t.Fatalf("after reject: %+v", ex)
	}

	// The head explains again from the case page; the bureau accepts.
	if p := head.get(idPath(id)); !strings.Contains(p.body, `id="form-explain-`+strconv.FormatInt(step.ID, 10)+`"`) || !strings.Contains(p.body, "说明未采纳") {
		t.Fatal("the case page does not offer the head a new explanation after a rejection")
	}
	explain.Set("next", "case")
	if p := head.post(accStepPath(step.ID, "explain"), explain); p.status != http.StatusSeeOther {
		t.Fatalf("second explanation: %d", p.status)
	}
	if p := bureau.post(accStepPath(step.ID, "decide"), url.Values{"decision": {"accept"}}); p.status != http.StatusSeeOther {
		t.Fatalf("accept: %d %.300s", p.status, p.body)
	}
	ex := accExplanations(t, e, step.ID)
	if len(ex) != 2 || ex[0].Decision != "rejected" || ex[1].Decision != "accepted" || ex[1].DecidedBy != e.user("bureau").ID {
		t.Fatalf("after accept: %+v", ex)
	}
	p = bureau.get(idPath(id))
	if !strings.Contains(p.body, "说明已采纳") || !strings.Contains(p.body, "报市委") || strings.Contains(p.body, `id="form-decide-`) {
		t.Error("the case page does not show the accepted explanation and the report to the Party committee")
	}
	// Answered notices leave the open list; the record counts them for the unit and its head.
	if p := bureau.get("/supervision"); strings.Contains(p.body, `id="step-`+strconv.FormatInt(step.ID, 10)+`"`) {
		t.Error("an answered notice is still listed as open")
	}
	p = bureau.get("/supervision/record?unit=211400-zjj")
	if !strings.Contains(p.body, `id="record-211400-zjj"`) || !strings.Contains(p.body, "负责人211400-zjj") {
		t.Fatalf("record page lacks the unit: %.500s", p.body)
	}
}

// In-app notices: the head is told of the supervision notice by name, sees
// the unread count in the nav, and marks a notice read; nobody else can.
func TestAccNotices(t *testing.T) {
	e := newEnv(t)
	accSupervised(t, e)
	ns, err := e.st.UnreadNotices(context.Background(), e.user("zjj-head").ID, 0)
	if err != nil || len(ns) == 0 {
		t.Fatalf("head's notices: %v %v", ns, err)
	}
	head := e.client()
	head.login("zjj-head")
	p := head.get("/notices")
	want := `id="nav-unread" aria-label="` + strconv.Itoa(len(ns)) + ` 条未读">` + strconv.Itoa(len(ns)) + "<"
	if !strings.Contains(p.body, want) || !strings.Contains(p.body, "督办通知：") {
		t.Fatalf("notices page: no unread count %q or no supervision notice", want)
	}
	other := e.client()
	other.login("zjj")
	if p := other.post("/notices/"+strconv.FormatInt(ns[0].ID, 10)+"/read", nil); p.status != http.StatusNotFound {
		t.Errorf("reading someone else's notice: %d", p.status)
	}
	if p := head.post("/notices/"+strconv.FormatInt(ns[0].ID, 10)+"/read", nil); p.status != http.StatusSeeOther {
		t.Fatalf("mark read: %d", p.status)
	}
	left, _ := e.st.UnreadNotices(context.Background(), e.user("zjj-head").ID, 0)
	if len(left) != len(ns)-1 {
		t.Fatalf("%d unread after marking one read, want %d", len(left), len(ns)-1)
	}
}
