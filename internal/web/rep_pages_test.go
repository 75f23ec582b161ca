package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/matters"
	"redress/internal/petition"
	"redress/internal/store"
)

// repEnv is the whole server with repeat detection on intake, as `serve` wires it.
func repEnv(t testing.TB) *env {
	e := newEnv(t)
	e.svc.AddIntakeHook(matters.NewDetector(matters.DetectorOptions{}))
	return e
}

const (
	repHeating1 = "幸福小区3号楼2单元501室今冬室温长期低于16度，多次找热力公司未解决，请求督促热力公司供暖达标。"
	repHeating2 = "再次反映：幸福小区3号楼2单元501室家里暖气不热，室温只有十几度，热力公司一直不管，请领导督促解决供暖问题。"
)

// repPair registers a petition and its repeat and returns both ids and the candidate.
func (e *env) repPair(name, idNumber, phone string) (int64, int64, store.RepeatCandidate) {
	e.t.Helper()
	mod := func(r *intake.Record) {
		r.PetitionerName, r.PetitionerIDNumber, r.Phone = name, idNumber, phone
		r.Address = "连山区幸福小区3号楼2单元501室"
	}
	a := e.register("幸福小区供暖不热", repHeating1, mod)
	b := e.register("暖气不热，再次反映", repHeating2, mod)
	cs, err := e.st.RepeatCandidates(context.Background(), store.CandidateFilter{PetitionID: b})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range cs {
		if c.PetitionID == b && c.EarlierID == a {
			return a, b, c
		}
	}
	e.t.Fatalf("no repeat candidate for %d → %d: %+v", b, a, cs)
	return 0, 0, store.RepeatCandidate{}
}

func (e *env) candidate(id int64) store.RepeatCandidate {
	e.t.Helper()
	cs, err := e.st.RepeatCandidates(context.Background(), store.CandidateFilter{AfterID: id - 1, Limit: 1})
	if err != nil || len(cs) == 0 || cs[0].ID != id {
		e.t.Fatalf("candidate %d: %v %+v", id, err, cs)
	}
	return cs[0]
}

func TestRepCandidatesRolesAndDecisions(t *testing.T) {
	e := repEnv(t)
	a, b, c := e.repPair("王秀兰", "211402196505120027", "13904291234")
	path := fmt.Sprintf("/repeats/%d", c.ID)

	// A unit's handler can neither open the queue nor decide a candidate.
	h := e.client()
	h.login("zjj")
	if p := h.get("/repeats"); p.status != http.StatusForbidden {
		t.Fatalf("handler opened the queue: %d", p.status)
	}
	if p := h.post(path+"/confirm", url.Values{}); p.status != http.StatusForbidden || !strings.Contains(p.body, "无权") {
		t.Fatalf("handler confirmed: %d", p.status)
	}
	if got := e.candidate(c.ID); got.Decision != store.DecisionPending {
		t.Fatalf("after a refused confirm: %s", got.Decision)
	}

	// A leader reads the queue with reasons in Chinese, masked data and no decision form.
	l := e.client()
	l.login("leader")
	p := l.get("/repeats")
	if p.status != 200 || !strings.Contains(p.body, fmt.Sprintf(`id="cand-%d"`, c.ID)) || !strings.Contains(p.body, "身份证号相同") {
		t.Fatalf("leader's queue: %d %s", p.status, p.body)
	}
	if strings.Contains(p.body, "211402196505120027") || strings.Contains(p.body, "13904291234") || strings.Contains(p.body, `id="confirm-`) {
		t.Fatal("leader sees personal data or the decision form")
	}
	if l.post(path+"/reject", url.Values{}).status != http.StatusForbidden {
		t.Fatal("leader rejected a candidate")
	}

	// The registrar sees everything and confirms without new facts: the repeat is declined.
	r := e.client()
	r.login("bureau")
	if p := r.get("/repeats"); !strings.Contains(p.body, "211402196505120027") || !strings.Contains(p.body, fmt.Sprintf(`id="confirm-%d"`, c.ID)) {
		t.Fatal("registrar's queue lacks the full record or the form")
	}
	p = r.post(path+"/confirm", url.Values{"note": {"同一户供暖问题"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", p.status, p.body)
	}
	if got := e.candidate(c.ID); got.Decision != store.DecisionConfirmed || got.Note != "同一户供暖问题" {
		t.Fatalf("candidate after confirm: %+v", got)
	}
	ca, _ := e.st.Case(context.Background(), a)
	cb, _ := e.st.Case(context.Background(), b)
	if cb.Petition.State != petition.Declined || cb.Petition.MatterID != ca.Petition.MatterID || !strings.Contains(cb.Petition.DeclineReason, ca.Petition.TrackingCode) {
		t.Fatalf("repeat after confirm: %s matter %d/%d %q", cb.Petition.State, cb.Petition.MatterID, ca.Petition.MatterID, cb.Petition.DeclineReason)
	}
	p = r.get(path + "?done=confirmed")
	if !strings.Contains(p.body, "已确认为重复信访") || !strings.Contains(p.body, fmt.Sprintf(`id="outcome-declined-%d"`, c.ID)) || !strings.Contains(p.body, ca.Petition.TrackingCode) {
		t.Fatalf("outcome page: %s", p.body)
	}
	// Deciding twice is refused beside the form, in Chinese.
	if p = r.post(path+"/reject", url.Values{}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "已被他人处理") {
		t.Fatalf("second decision: %d", p.status)
	}

	// The matter now shows both petitions and its counts.
	p = r.get(fmt.Sprintf("/matters/%d", ca.Petition.MatterID))
	if p.status != 200 || !strings.Contains(p.body, ca.Petition.TrackingCode) || !strings.Contains(p.body, cb.Petition.TrackingCode) {
		t.Fatalf("matter page: %d", p.status)
	}
	if p = r.get("/matters"); !strings.Contains(p.body, fmt.Sprintf(`id="matter-%d"`, ca.Petition.MatterID)) {
		t.Fatal("matter not listed")
	}

	// Another pair, rejected: the store says so and both stay separate.
	_, y, c2 := e.repPair("李国庆", "211402197003030034", "13800002222")
	if p = r.post(fmt.Sprintf("/repeats/%d/reject", c2.ID), url.Values{"note": {"不同诉求"}}); p.status != http.StatusSeeOther {
		t.Fatalf("reject: %d", p.status)
	}
	if got := e.candidate(c2.ID); got.Decision != store.DecisionRejected {
		t.Fatalf("candidate after reject: %+v", got)
	}
	if e.state(y) != petition.Registered {
		t.Fatal("a rejected candidate changed the petition")
	}
}

// repHandling registers n property-certificate cases and brings each to handling at 市住建局.
func (e *env) repHandling(n int) []int64 {
	e.t.Helper()
	var ids []int64
	for i := 0; i < n; i++ {
		id := e.register("锦绣华庭办不了房产证", "房款早已付清，开发商手续不全，锦绣华庭小区业主至今办不了不动产权证书，请求协调办理。", func(r *intake.Record) {
			r.PetitionerName, r.PetitionerIDNumber, r.Phone = fmt.Sprintf("业主%d", i), "", fmt.Sprintf("1391234%04d", i)
			r.Address = fmt.Sprintf("连山区锦绣华庭%d号楼", i+1)
		})
		e.do("bureau", id, lifecycle.Accept, lifecycle.Input{})
		e.do("bureau", id, lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj"})
		e.do("zjj", id, lifecycle.Sign, lifecycle.Input{})
		ids = append(ids, id)
	}
	return ids
}

const repReply = "经协调，开发商已补齐规划验收手续，可先行办理不动产权证书，其余材料容缺后补。"

// repTemplate makes a template from a replied precedent through the page, as the registrar.
func (e *env) repTemplate(r *client, precedent int64) int64 {
	e.t.Helper()
	p := r.post("/templates", url.Values{"petition_id": {fmt.Sprint(precedent)}, "name": {"锦绣华庭容缺办证"}, "outcome": {"support"}, "text": {repReply},
		"item_name": {"契税完税证明", "维修基金缴存凭证", ""}, "item_days": {"30", "60", ""}})
	if p.status != http.StatusSeeOther {
		e.t.Fatalf("create template: %d %s", p.status, p.body)
	}
	var id int64
	if _, err := fmt.Sscanf(p.header.Get("Location"), "/templates/%d", &id); err != nil {
		e.t.Fatalf("location %q", p.header.Get("Location"))
	}
	return id
}

func TestRepTemplatePreviewApplyAllOrNothing(t *testing.T) {
	e := repEnv(t)
	ids := e.repHandling(4)
	e.do("zjj", ids[0], lifecycle.Reply, lifecycle.Input{Outcome: "support", Text: repReply})
	r := e.client()
	r.login("bureau")
	// Errors beside the fields: a nameless template and an item without a period.
	p := r.post("/templates", url.Values{"petition_id": {fmt.Sprint(ids[0])}, "name": {""}, "item_name": {"契税完税证明"}, "item_days": {""}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "补交期限须为 1 至 365 天") {
		t.Fatalf("bad template: %d", p.status)
	}
	tpl := e.repTemplate(r, ids[0])
	h := e.client()
	h.login("zjj")
	if h.post("/templates", url.Values{"petition_id": {fmt.Sprint(ids[0])}, "name": {"x"}}).status != http.StatusForbidden {
		t.Fatal("a handler made a template")
	}
	sel := func(list ...int64) url.Values {
		var s []string
		for _, id := range list {
			s = append(s, fmt.Sprint(id))
		}
		return url.Values{"ids": {strings.Join(s, ",")}}
	}
	path := fmt.Sprintf("/templates/%d", tpl)
	// Preview: three cases would be replied to, the precedent is refused and says why in Chinese.
	p = h.post(path+"/preview", sel(ids...))
	if p.status != 200 || !strings.Contains(p.body, "可以办理 3 件") || !strings.Contains(p.body, "不能办理 1 件") || !strings.Contains(p.body, "当前状态为“已答复”") {
		t.Fatalf("preview: %d %s", p.status, p.body)
	}
	// Apply with the refused case in: nothing changes, and the page names the case.
	code := func(id int64) string { c, _ := e.st.Case(context.Background(), id); return c.Petition.TrackingCode }
	p = h.post(path+"/apply", sel(ids...))
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "全部未作更改") || !strings.Contains(p.body, code(ids[0])) {
		t.Fatalf("refused apply: %d %s", p.status, p.body)
	}
	for _, id := range ids[1:] {
		if e.state(id) != petition.Handling {
			t.Fatalf("case %d changed by a refused apply: %s", id, e.state(id))
		}
	}
	if ds, _ := e.st.Deficiencies(context.Background(), store.DeficiencyFilter{}); len(ds) != 0 {
		t.Fatalf("items after a refused apply: %d", len(ds))
	}
	// The registrar may preview, but may not reply for the unit: every case refused.
	if p = r.post(path+"/preview", sel(ids[1:]...)); !strings.Contains(p.body, "可以办理 0 件") {
		t.Fatal("the bureau would reply for the unit")
	}
	// Apply to the three: replied, two 容缺 items each.
	p = h.post(path+"/apply", sel(ids[1:]...))
	if p.status != 200 || !strings.Contains(p.body, "已按模板答复 3 件，登记容缺材料 6 项") {
		t.Fatalf("apply: %d %s", p.status, p.body)
	}
	for _, id := range ids[1:] {
		c, _ := e.st.Case(context.Background(), id)
		if c.Petition.State != petition.Replied || !strings.Contains(c.Petition.ReplyText, "契税完税证明") {
			t.Fatalf("case %d after apply: %s %q", id, c.Petition.State, c.Petition.ReplyText)
		}
	}
	// Selection by search works too (within the handler's scope).
	if p = h.post(path+"/preview", url.Values{"q": {"锦绣华庭"}, "state": {"replied"}}); !strings.Contains(p.body, "不能办理 4 件") {
		t.Fatalf("search preview: %s", p.body)
	}
}

func TestRepDeficienciesScope(t *testing.T) {
	e := repEnv(t)
	ids := e.repHandling(3)
	e.do("zjj", ids[0], lifecycle.Reply, lifecycle.Input{Outcome: "support", Text: repReply})
	r := e.client()
	r.login("bureau")
	tpl := e.repTemplate(r, ids[0])
	h := e.client()
	h.login("zjj")
	if p := h.post(fmt.Sprintf("/templates/%d/apply", tpl), url.Values{"ids": {fmt.Sprintf("%d,%d", ids[1], ids[2])}}); p.status != 200 {
		t.Fatalf("apply: %d", p.status)
	}
	ds, err := e.st.Deficiencies(context.Background(), store.DeficiencyFilter{})
	if err != nil || len(ds) != 4 {
		t.Fatalf("items: %d %v", len(ds), err)
	}
	// Another unit's handler sees none of them and cannot ask for that unit or supply one.
	o := e.client()
	o.login("rsj")
	p := o.get("/deficiencies")
	if p.status != 200 || strings.Contains(p.body, "契税完税证明") || !strings.Contains(p.body, `id="def-none"`) {
		t.Fatalf("other unit's list: %d", p.status)
	}
	if p = o.get(fmt.Sprintf("/deficiencies?unit=%d", e.org.Housing.ID)); p.status != http.StatusForbidden {
		t.Fatalf("other unit asked for 住建局's items: %d", p.status)
	}
	if p = o.post(fmt.Sprintf("/deficiencies/%d/supplied", ds[0].ID), url.Values{}); p.status != http.StatusNotFound {
		t.Fatalf("other unit supplied an item: %d", p.status)
	}
	// The unit sees its items, overdue ones after the due date, and marks one supplied.
	if p = h.get("/deficiencies"); !strings.Contains(p.body, "契税完税证明") || !strings.Contains(p.body, fmt.Sprintf(`id="supply-%d"`, ds[0].ID)) {
		t.Fatal("the unit does not see its items")
	}
	e.clk.Advance(40 * 24 * 3600e9)
	h.login("zjj")
	p = h.get("/deficiencies?overdue=1")
	if !strings.Contains(p.body, "契税完税证明") || strings.Contains(p.body, "维修基金缴存凭证") {
		t.Fatalf("overdue list: %s", p.body)
	}
	if p = h.post(fmt.Sprintf("/deficiencies/%d/supplied", ds[0].ID), url.Values{"overdue": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("supply: %d", p.status)
	}
	after, _ := e.st.Deficiencies(context.Background(), store.DeficiencyFilter{PetitionID: ds[0].PetitionID})
	supplied := 0
	for _, d := range after {
		if d.SuppliedAt != nil {
			supplied++
		}
	}
	if supplied != 1 {
		t.Fatalf("supplied items: %d", supplied)
	}
}

func TestRepProblemAttachResolve(t *testing.T) {
	e := repEnv(t)
	ids := e.repHandling(2)
	for _, id := range ids {
		e.do("zjj", id, lifecycle.Reply, lifecycle.Input{Outcome: "support", Text: repReply})
	}
	l := e.client()
	l.login("leader")
	// A problem without a title comes back with the error beside the field.
	if p := l.post("/problems", url.Values{"title": {""}, "lead_user_id": {fmt.Sprint(e.user("leader").ID)}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-p-title"`) {
		t.Fatalf("untitled problem: %d", p.status)
	}
	p := l.post("/problems", url.Values{"title": {"锦绣华庭办证难"}, "lead_user_id": {fmt.Sprint(e.user("leader").ID)}, "plan": {"分批办证"},
		"unit_ids": {fmt.Sprint(e.org.Housing.ID)}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("create problem: %d %s", p.status, p.body)
	}
	var pid int64
	fmt.Sscanf(p.header.Get("Location"), "/problems/%d", &pid)
	ppath := fmt.Sprintf("/problems/%d", pid)
	r := e.client()
	r.login("bureau")
	if r.post("/problems", url.Values{"title": {"x"}}).status != http.StatusForbidden {
		t.Fatal("the bureau created a problem")
	}
	h := e.client()
	h.login("zjj")
	if h.post(ppath+"/matters", url.Values{"matter_id": {"1"}}).status != http.StatusForbidden {
		t.Fatal("a handler attached a matter")
	}
	if p = r.post(ppath+"/matters", url.Values{"matter_id": {"999999"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-attach-matter"`) {
		t.Fatalf("unknown matter: %d", p.status)
	}
	for _, id := range ids {
		c, _ := e.st.Case(context.Background(), id)
		if p = r.post(ppath+"/matters", url.Values{"matter_id": {fmt.Sprint(c.Petition.MatterID)}}); p.status != http.StatusSeeOther {
			t.Fatalf("attach: %d %s", p.status, p.body)
		}
	}
	// Inspectors read without forms.
	in := e.client()
	in.login("inspector")
	if p = in.get(ppath); p.status != 200 || strings.Contains(p.body, `id="attach-form"`) || !strings.Contains(p.body, "锦绣华庭办证难") {
		t.Fatalf("inspector's problem page: %d", p.status)
	}
	// Another unit's handler is offered none of the problem's cases.
	o := e.client()
	o.login("rsj")
	if p = o.get(ppath + "/resolve"); p.status != 200 || strings.Contains(p.body, "step-") || !strings.Contains(p.body, `id="resolve-none"`) {
		t.Fatalf("other unit's resolve form: %d", p.status)
	}
	// The registrar closes both replied cases together, each with its own note.
	p = r.get(ppath + "/resolve")
	if p.status != 200 || !strings.Contains(p.body, fmt.Sprintf(`name="step-%d-text"`, ids[0])) {
		t.Fatalf("resolve form: %d", p.status)
	}
	form := url.Values{}
	for _, id := range ids {
		k := fmt.Sprintf("step-%d-", id)
		form.Set(k+"on", "1")
		form.Set(k+"action", "close")
		form.Set(k+"text", "问题已化解")
	}
	// Without the petitioner's satisfaction the review window is still open: refused beside the case, nothing closed.
	if p = r.post(ppath+"/resolve", form); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, fmt.Sprintf(`id="err-row-%d"`, ids[0])) ||
		!strings.Contains(p.body, "仍可申请复查") || !strings.Contains(p.body, "全部未作更改") {
		t.Fatalf("resolve inside the review window: %d %s", p.status, p.body)
	}
	if e.state(ids[0]) != petition.Replied || e.state(ids[1]) != petition.Replied {
		t.Fatal("a refused resolution closed a case")
	}
	for _, id := range ids {
		k := fmt.Sprintf("step-%d-", id)
		form.Set(k+"on", "1")
		form.Set(k+"action", "close")
		form.Set(k+"satisfied", "1")
		form.Set(k+"text", fmt.Sprintf("问题已化解，本件办结（%d）", id))
	}
	if p = r.post(ppath+"/resolve", form); p.status != 200 || !strings.Contains(p.body, "已办理 2 件") || !strings.Contains(p.body, "已化解") {
		t.Fatalf("resolve: %d %s", p.status, p.body)
	}
	for _, id := range ids {
		if e.state(id) != petition.Closed {
			t.Fatalf("case %d after resolve: %s", id, e.state(id))
		}
	}
	pb, _ := e.st.Problem(context.Background(), pid)
	if pb.Status != store.ProblemResolved {
		t.Fatalf("problem after resolve: %s", pb.Status)
	}
}

func TestRepPagesRenderInEveryLocale(t *testing.T) {
	e := repEnv(t)
	a, _, c := e.repPair("王秀兰", "211402196505120027", "13904291234")
	ids := e.repHandling(2)
	e.do("zjj", ids[0], lifecycle.Reply, lifecycle.Input{Outcome: "support", Text: repReply})
	r := e.client()
	r.login("bureau")
	tpl := e.repTemplate(r, ids[0])
	h := e.client()
	h.login("zjj")
	if p := h.post(fmt.Sprintf("/templates/%d/apply", tpl), url.Values{"ids": {fmt.Sprint(ids[1])}}); p.status != 200 {
		t.Fatalf("apply: %d", p.status)
	}
	l := e.client()
	l.login("leader")
	p := l.post("/problems", url.Values{"title": {"幸福小区供暖"}, "lead_user_id": {fmt.Sprint(e.user("leader").ID)}})
	var pid int64
	fmt.Sscanf(p.header.Get("Location"), "/problems/%d", &pid)
	ca, _ := e.st.Case(context.Background(), a)
	readers := []string{"/repeats", "/repeats?decision=confirmed", fmt.Sprintf("/repeats/%d", c.ID), "/matters", "/matters/frequent?min=2",
		fmt.Sprintf("/matters/%d", ca.Petition.MatterID), "/problems", fmt.Sprintf("/problems/%d", pid), fmt.Sprintf("/problems/%d/resolve", pid),
		"/templates", fmt.Sprintf("/templates/%d", tpl), "/deficiencies", "/deficiencies?overdue=1", idPath(ids[1]), idPath(a)}
	pages := map[string][]string{
		"bureau":    append([]string{fmt.Sprintf("/templates/new?petition=%d", ids[0])}, readers...),
		"leader":    append([]string{"/problems/new"}, readers...),
		"inspector": readers,
		"admin":     readers[:6],
		"zjj":       {"/templates", fmt.Sprintf("/templates/%d", tpl), "/deficiencies", idPath(ids[1])},
		"zjj-head":  {"/deficiencies?overdue=1"},
	}
	for login, paths := range pages {
		for _, loc := range []string{"zh-CN", "en"} {
			c := e.client()
			c.login(login)
			if p := c.post("/locale", url.Values{"locale": {loc}}); p.status != http.StatusSeeOther {
				t.Fatalf("%s: set locale %s: %d", login, loc, p.status)
			}
			for _, path := range paths {
				p := c.get(path)
				if p.status != http.StatusOK {
					t.Errorf("%s %s (%s): status %d", login, path, loc, p.status)
					continue
				}
				if i := strings.Index(p.body, "⟦"); i >= 0 {
					t.Errorf("%s %s (%s): missing message near %q", login, path, loc, p.body[i:min(len(p.body), i+60)])
				}
			}
		}
	}
	// The case page carries the repeats section: the matter and the 容缺 items.
	if p := h.get(idPath(ids[1])); !strings.Contains(p.body, `id="rep-case"`) || !strings.Contains(p.body, "契税完税证明") {
		t.Fatal("case page lacks the repeats section")
	}
	if p := r.get(idPath(ids[0])); !strings.Contains(p.body, `id="rep-make-template"`) {
		t.Fatal("a replied case offers no template to the registrar")
	}
}
