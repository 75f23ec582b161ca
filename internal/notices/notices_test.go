package notices_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/notices"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
	"redress/internal/storetest"
)

type fixture struct {
	t    *testing.T
	st   *store.Store
	svc  *lifecycle.Service
	org  *storetest.Org
	now  time.Time
	tree *org.Tree
}

func newFixture(t *testing.T) *fixture {
	st := storetest.Open(t)
	f := &fixture{t: t, st: st, org: storetest.Seed(t, st), now: time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location)}
	f.svc = lifecycle.New(st, func() time.Time { return f.now })
	tree, err := st.Units(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f.tree = tree
	return f
}

// petition registers a petition whose title tries to inject a script, then takes the actions.
func (f *fixture) petition(ext string, steps ...func(id int64)) *petition.Case {
	f.t.Helper()
	r, err := f.svc.Register(context.Background(), f.org.Users["bureau"], intake.Record{
		ExternalID: ext, ReceivedAt: f.now, Channel: "hotline", PetitionerName: "王秀兰", Phone: "13904291234",
		DistrictCode: "211402", Address: "连山区站前街道幸福小区3号楼", Title: "供暖不热<script>alert(1)</script>",
		Content: "幸福小区3号楼今冬室温长期低于16度，多次找热力公司未解决。",
	}, true)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, s := range steps {
		s(r.ID)
	}
	c, err := f.st.Case(context.Background(), r.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) do(user string, a lifecycle.Action, in lifecycle.Input) func(int64) {
	return func(id int64) {
		f.t.Helper()
		if _, err := f.svc.Do(context.Background(), f.org.Users[user], id, a, in); err != nil {
			f.t.Fatalf("%s: %v", a, err)
		}
	}
}

func (f *fixture) build(c *petition.Case, k notices.Kind) (*notices.Notice, string, []byte) {
	f.t.Helper()
	n, err := notices.Build(f.org.Users["bureau"], f.tree, c, k, notices.DefaultOptions())
	if err != nil {
		f.t.Fatalf("build %s: %v", k, err)
	}
	var h, p bytes.Buffer
	if err := n.HTML(&h, "/notice.css"); err != nil {
		f.t.Fatal(err)
	}
	if err := n.PDF(&p); err != nil {
		f.t.Fatal(err)
	}
	return n, h.String(), p.Bytes()
}

func contains(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s lacks %q", what, sub)
		}
	}
}

// pdfText returns the PDF's text by pdftotext, or skips the check when poppler-utils is not installed.
func pdfText(t *testing.T, pdf []byte) (string, bool) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/Type /Page")) || !bytes.Contains(pdf, []byte("%%EOF")) {
		t.Fatalf("not a PDF with pages: %q…", pdf[:min(40, len(pdf))])
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext not installed: Chinese text round trip not checked")
		return "", false
	}
	path := filepath.Join(t.TempDir(), "n.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if info, err := exec.Command("pdfinfo", path).Output(); err == nil && !strings.Contains(string(info), "Pages:") {
		t.Errorf("pdfinfo finds no pages: %s", info)
	}
	// Lines wrap anywhere: compare without line breaks.
	return strings.Join(strings.Fields(string(out)), ""), true
}

func TestAcceptanceNotice(t *testing.T) {
	f := newFixture(t)
	c := f.petition("N-1", f.do("bureau", lifecycle.Accept, lifecycle.Input{}))
	n, h, pdf := f.build(c, notices.Acceptance)
	if n.DateZH != "二〇二六年三月二日" {
		t.Errorf("date %q", n.DateZH)
	}
	contains(t, "HTML", h, "<title>受理告知书 葫信告〔2026〕1号</title>", `<link rel="stylesheet" href="/notice.css">`,
		"葫芦岛市信访局", "王秀兰：", "依法受理", "60日内", c.Petition.TrackingCode, "二〇二六年三月二日",
		"供暖不热&lt;script&gt;alert(1)&lt;/script&gt;", `class="seal"`)
	if strings.Contains(h, "<script") || strings.Contains(h, "style=") || strings.Contains(h, "<style") {
		t.Error("the page has a script or inline style")
	}
	if text, ok := pdfText(t, pdf); ok {
		contains(t, "PDF text", text, "葫芦岛市信访局", "葫信告〔2026〕1号", "受理告知书", "王秀兰：", "依法受理", "二〇二六年三月二日",
			"供暖不热<script>alert(1)</script>", c.Petition.TrackingCode)
	}
}

func TestDeclineNotice(t *testing.T) {
	f := newFixture(t)
	c := f.petition("N-1", f.do("bureau", lifecycle.Decline, lifecycle.Input{Reason: "该事项已进入诉讼程序，应依法通过诉讼解决"}))
	n, h, pdf := f.build(c, notices.Decline)
	if n.Number != "葫信不受〔2026〕1号" || n.Title != "不予受理告知书" {
		t.Errorf("number %q title %q", n.Number, n.Title)
	}
	contains(t, "HTML", h, "不予受理告知书", "理由：该事项已进入诉讼程序，应依法通过诉讼解决", "第三十一条")
	if text, ok := pdfText(t, pdf); ok {
		contains(t, "PDF text", text, "不予受理告知书", "理由：该事项已进入诉讼程序，应依法通过诉讼解决")
	}
	// A declined petition has no acceptance notice and no reply.
	for _, k := range []notices.Kind{notices.Acceptance, notices.Reply} {
		_, err := notices.Build(f.org.Users["bureau"], f.tree, c, k, notices.DefaultOptions())
		var fe *failure.Error
		if !errors.As(err, &fe) || fe.Code != failure.CodeIllegalState || fe.Status != 409 {
			t.Errorf("%s notice of a declined petition: %v", k, err)
		}
	}
}

func TestReplyNotice(t *testing.T) {
	f := newFixture(t)
	text := "经核查，你反映的情况属实。\n已责令热力公司于3月5日前完成管网维修，室温已达18℃。"
	var before *petition.Case
	c := f.petition("N-1",
		f.do("bureau", lifecycle.Accept, lifecycle.Input{}),
		f.do("bureau", lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj"}),
		f.do("zjj", lifecycle.Sign, lifecycle.Input{}),
		func(id int64) {
			var err error
			if before, err = f.st.Case(context.Background(), id); err != nil {
				t.Fatal(err)
			}
		},
		func(int64) { f.now = time.Date(2026, 3, 12, 10, 0, 0, 0, calendar.Location) },
		f.do("zjj", lifecycle.Reply, lifecycle.Input{Outcome: petition.OutcomeExplain, Text: text}))
	// No written reply yet: no 意见书.
	_, err := notices.Build(f.org.Users["bureau"], f.tree, before, notices.Reply, notices.DefaultOptions())
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Code != failure.CodeIllegalState {
		t.Fatalf("reply notice before the reply: %v", err)
	}

	n, h, pdf := f.build(c, notices.Reply)
	if n.Issuer != "葫芦岛市住建局" || n.Outcome != "解释说明" || n.DateZH != "二〇二六年三月十二日" || n.Number != "葫信复〔2026〕1号" {
		t.Errorf("issuer %q outcome %q date %q number %q", n.Issuer, n.Outcome, n.DateZH, n.Number)
	}
	contains(t, "HTML", h, "信访事项处理意见书", "<p>经核查，你反映的情况属实。</p>", "处理意见：解释说明。", "30日内", "请求复查", "第三十五条")
	if text, ok := pdfText(t, pdf); ok {
		contains(t, "PDF text", text, "葫芦岛市住建局", "信访事项处理意见书", "已责令热力公司于3月5日前完成管网维修，室温已达18°C。", "处理意见：解释说明。",
			"自收到本意见书之日起30日内", "二〇二六年三月十二日")
	}
	// An acceptance notice still fits a replied case.
	if _, err := notices.Build(f.org.Users["bureau"], f.tree, c, notices.Acceptance, notices.DefaultOptions()); err != nil {
		t.Errorf("acceptance notice of a replied case: %v", err)
	}
}

func TestLongReplyBreaksPages(t *testing.T) {
	f := newFixture(t)
	long := strings.Repeat("经核查，热力公司对该小区供热管网进行了全面排查，更换了老化阀门，并安排专人每日测温。", 40)
	c := f.petition("N-1",
		f.do("bureau", lifecycle.Accept, lifecycle.Input{}),
		f.do("bureau", lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj"}),
		f.do("zjj", lifecycle.Sign, lifecycle.Input{}),
		f.do("zjj", lifecycle.Reply, lifecycle.Input{Outcome: petition.OutcomeSupport, Text: long}))
	_, _, pdf := f.build(c, notices.Reply)
	if pages := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page ")) + bytes.Count(pdf, []byte("/Type /Page/")); pages < 2 {
		if out, err := exec.Command("pdfinfo", "-").Output(); err == nil {
			t.Logf("pdfinfo: %s", out)
		}
		t.Errorf("a long reply fits one page? %d pages", pages)
	}
}

func TestHiddenPetitionerAndDates(t *testing.T) {
	f := newFixture(t)
	c := f.petition("N-1", f.do("bureau", lifecycle.Accept, lifecycle.Input{}))
	c.Petition.Accusation = true
	n, err := notices.Build(f.org.Users["inspector"], f.tree, c, notices.Acceptance, notices.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if n.Addressee != "（信访人信息保密）" {
		t.Errorf("addressee of an accusation for an inspector: %q", n.Addressee)
	}
	for d, want := range map[string]string{"2026-01-10": "二〇二六年一月十日", "2026-12-31": "二〇二六年十二月三十一日", "2030-10-20": "二〇三〇年十月二十日"} {
		day, _ := calendar.ParseDate(d)
		if got := notices.DateZH(day); got != want {
			t.Errorf("DateZH(%s) = %s, want %s", d, got, want)
		}
	}
	if _, err := notices.ParseKind("summons"); err == nil {
		t.Error("unknown kind accepted")
	}
	if !bytes.Contains(notices.Stylesheet(), []byte("@page")) || len(notices.StylesheetHash()) != 12 {
		t.Error("stylesheet lacks @page rules")
	}
}

// TestConcurrentPDFs makes notices at once, as a server does: they share the parsed font.
func TestConcurrentPDFs(t *testing.T) {
	f := newFixture(t)
	c := f.petition("N-1", f.do("bureau", lifecycle.Accept, lifecycle.Input{}))
	titles := []string{"供暖不热", "拖欠工资", "违章建筑", "噪音扰民"}
	out := make([][]byte, len(titles))
	var wg sync.WaitGroup
	for i, title := range titles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cc := *c
			cc.Petition.Title = title
			n, err := notices.Build(f.org.Users["bureau"], f.tree, &cc, notices.Acceptance, notices.DefaultOptions())
			if err != nil {
				t.Error(err)
				return
			}
			var b bytes.Buffer
			if err := n.PDF(&b); err != nil {
				t.Error(err)
			}
			out[i] = b.Bytes()
		}()
	}
	wg.Wait()
	for i, pdf := range out {
		if text, ok := pdfText(t, pdf); ok && !strings.Contains(text, "“"+titles[i]+"”") {
			t.Errorf("PDF %d lacks its title %s", i, titles[i])
		}
	}
}
