package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// Leaders' commitments: at most two of a kind a year, progress, year-end
// review; units may read but not record them.
func TestAccCommitments(t *testing.T) {
	e := newEnv(t)
	leader := e.client()
	leader.login("leader")
	mk := func(title string) int {
		return leader.post("/commitments", url.Values{"year": {"2026"}, "leader_name": {"王副市长"}, "unit": {"211400-zjj"},
			"kind": {"hard_problem"}, "title": {title}, "target": {"年底前全部解决"}}).status
	}
	for _, title := range []string{"老旧小区供暖不达标问题", "回迁房产权证办理难问题"} {
		if s := mk(title); s != http.StatusSeeOther {
			t.Fatalf("commitment %s: %d", title, s)
		}
	}
	p := leader.post("/commitments", url.Values{"year": {"2026"}, "leader_name": {"王副市长"}, "unit": {"211400-zjj"},
		"kind": {"hard_problem"}, "title": {"第三个难题"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "本年度此类承诺已有 2 项") {
		t.Fatalf("third commitment of a kind: %d", p.status)
	}
	cs, err := e.st.Commitments(context.Background(), 2026, 0)
	if err != nil || len(cs) != 2 {
		t.Fatalf("commitments %+v %v", cs, err)
	}
	sid := strconv.FormatInt(cs[0].ID, 10)
	if p := leader.post("/commitments/"+sid+"/progress", url.Values{"note": {"已完成 12 个小区管网改造"}, "year": {"2026"}}); p.status != http.StatusSeeOther {
		t.Fatalf("progress: %d", p.status)
	}
	p = leader.post("/commitments/"+sid+"/review", url.Values{"review": {"全年完成"}, "year": {"2026"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-review-`+sid+`-outcome"`) {
		t.Fatalf("review without outcome: %d", p.status)
	}
	if p := leader.post("/commitments/"+sid+"/review", url.Values{"outcome": {"achieved"}, "review": {"全年完成改造任务"}, "year": {"2026"}}); p.status != http.StatusSeeOther {
		t.Fatalf("review: %d", p.status)
	}
	cs, _ = e.st.Commitments(context.Background(), 0, cs[0].ID)
	if cs[0].State != "achieved" || len(cs[0].Progress) != 1 {
		t.Fatalf("after review: %+v", cs[0])
	}
	handler := e.client()
	handler.login("zjj")
	if p := handler.get("/commitments?year=2026"); !strings.Contains(p.body, "老旧小区供暖不达标问题") || strings.Contains(p.body, `id="form-commitment"`) {
		t.Error("a handler should read commitments but not be offered the form")
	}
	if p := handler.post("/commitments", url.Values{"year": {"2026"}}); p.status != http.StatusForbidden {
		t.Errorf("handler records a commitment: %d", p.status)
	}
}

// A joint meeting's checklist: the responsible unit completes its own item,
// another unit cannot.
func TestAccChecklists(t *testing.T) {
	e := newEnv(t)
	bureau := e.client()
	bureau.login("bureau")
	p := bureau.post("/checklists", url.Values{"title": {"供暖问题联席会议清单"}, "meeting": {"全市信访工作联席会议"},
		"i0_title": {"排查老旧小区供暖管网"}, "i0_unit": {"211400-zjj"}, "i0_due": {"2026-03-31"},
		"i1_title": {"过去的期限"}, "i1_unit": {"211400-rsj"}, "i1_due": {"2026-01-01"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="err-checklist-items"`) || !strings.Contains(p.body, "不能早于今天") {
		t.Fatalf("checklist with a past due date: %d", p.status)
	}
	if ls, _ := e.st.Checklists(context.Background(), 0); len(ls) != 0 {
		t.Fatal("a refused checklist was stored")
	}
	p = bureau.post("/checklists", url.Values{"title": {"供暖问题联席会议清单"}, "meeting": {"全市信访工作联席会议"},
		"i0_title": {"排查老旧小区供暖管网"}, "i0_unit": {"211400-zjj"}, "i0_due": {"2026-03-31"},
		"i1_title": {"落实供暖补贴"}, "i1_unit": {"211400-rsj"}, "i1_due": {"2026-04-30"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("checklist: %d %.300s", p.status, p.body)
	}
	ls, err := e.st.Checklists(context.Background(), 0)
	if err != nil || len(ls) != 1 || len(ls[0].Items) != 2 {
		t.Fatalf("checklists %+v %v", ls, err)
	}
	item := strconv.FormatInt(ls[0].Items[0].ID, 10)
	other := e.client()
	other.login("rsj")
	if p := other.post("/checklist-items/"+item+"/done", url.Values{"note": {"已排查"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "只有责任单位或联席会议可以办结该事项") {
		t.Errorf("another unit completes the item: %d", p.status)
	}
	handler := e.client()
	handler.login("zjj")
	if p := handler.post("/checklist-items/"+item+"/done", url.Values{"note": {"已排查 36 个小区"}}); p.status != http.StatusSeeOther {
		t.Fatalf("done: %d", p.status)
	}
	p = bureau.get("/checklists")
	if !strings.Contains(p.body, "已办结 1 / 2") {
		t.Error("the checklist does not count the done item")
	}
}
