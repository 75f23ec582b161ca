package lifecycle_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/deadline"
	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/petition"
	"redress/internal/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) AddDays(n int)   { c.mu.Lock(); c.t = c.t.AddDate(0, 0, n); c.mu.Unlock() }

var cst = calendar.Location

type fixture struct {
	t   *testing.T
	svc *lifecycle.Service
	org *storetest.Org
	clk *clock
	n   int
}

func newFixture(t *testing.T) *fixture {
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, cst)} // a Monday
	return &fixture{t: t, svc: lifecycle.New(st, clk.Now), org: o, clk: clk}
}

func (f *fixture) register() int64 {
	f.t.Helper()
	f.n++
	rec := intake.Record{
		ExternalID: fmt.Sprintf("T-%d", f.n), ReceivedAt: f.clk.Now(), Channel: "letter",
		PetitionerName: "王秀兰", PetitionerIDNumber: "211402196505120027", Phone: "13904291234",
		DistrictCode: "211402", Address: "连山区站前街道幸福小区3号楼", Title: "供暖不热",
		Content: "幸福小区3号楼今冬室温长期低于16度，多次找热力公司未解决。",
	}
	r, err := f.svc.Register(context.Background(), f.org.Users["bureau"], rec, true)
	if err != nil {
		f.t.Fatalf("register: %v", err)
	}
	return r.ID
}

// valid is a correct call of each action: who takes it and with what.
var valid = map[lifecycle.Action]struct {
	user string
	in   lifecycle.Input
}{
	lifecycle.Accept:           {"bureau", lifecycle.Input{Note: "属于信访事项"}},
	lifecycle.Decline:          {"bureau", lifecycle.Input{Reason: "已进入诉讼程序，依法通过诉讼解决"}},
	lifecycle.Assign:           {"bureau", lifecycle.Input{UnitCode: "211400-zjj"}},
	lifecycle.Sign:             {"zjj", lifecycle.Input{}},
	lifecycle.Return:           {"zjj", lifecycle.Input{Reason: "不属于本单位职责，应由热力主管部门办理"}},
	lifecycle.RequestExtension: {"zjj", lifecycle.Input{Days: 20, Reason: "需要第三方检测室温"}},
	lifecycle.ApproveExtension: {"zjj-head", lifecycle.Input{Note: "同意"}},
	lifecycle.RejectExtension:  {"zjj-head", lifecycle.Input{Note: "不同意"}},
	lifecycle.Reply:            {"zjj", lifecycle.Input{Outcome: "support", Text: "经核查情况属实，已责令热力公司整改，室温已达标。"}},
	lifecycle.RequestReview:    {"bureau", lifecycle.Input{Reason: "对答复不满意"}},
	lifecycle.DecideReview:     {"bureau", lifecycle.Input{Outcome: "explain", Text: "经复查，原处理意见正确，予以维持并解释说明。"}},
	lifecycle.RequestRereview:  {"bureau", lifecycle.Input{Reason: "仍不满意复查意见"}},
	lifecycle.DecideRereview:   {"leader", lifecycle.Input{Outcome: "explain", Text: "经复核，维持复查意见，本事项终结。"}},
	lifecycle.Close:            {"bureau", lifecycle.Input{Note: "信访人表示满意", Satisfied: true}},
}

// pathTo lists the actions that lead from registration to each state.
var pathTo = map[petition.State][]lifecycle.Action{
	petition.Registered:         nil,
	petition.Accepted:           {lifecycle.Accept},
	petition.Declined:           {lifecycle.Decline},
	petition.Assigned:           {lifecycle.Accept, lifecycle.Assign},
	petition.Returned:           {lifecycle.Accept, lifecycle.Assign, lifecycle.Return},
	petition.Handling:           {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign},
	petition.ExtensionRequested: {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign, lifecycle.RequestExtension},
	petition.Replied:            {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign, lifecycle.Reply},
	petition.ReviewRequested:    {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign, lifecycle.Reply, lifecycle.RequestReview},
	petition.Reviewed:           {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign, lifecycle.Reply, lifecycle.RequestReview, lifecycle.DecideReview},
	petition.RereviewRequested:  {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign, lifecycle.Reply, lifecycle.RequestReview, lifecycle.DecideReview, lifecycle.RequestRereview},
	petition.Closed:             {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign, lifecycle.Reply, lifecycle.RequestReview, lifecycle.DecideReview, lifecycle.RequestRereview, lifecycle.DecideRereview},
}

func (f *fixture) do(id int64, a lifecycle.Action) (*petition.Case, error) {
	v := valid[a]
	return f.svc.Do(context.Background(), f.org.Users[v.user], id, a, v.in)
}

func (f *fixture) caseIn(s petition.State) int64 {
	f.t.Helper()
	id := f.register()
	for _, a := range pathTo[s] {
		if _, err := f.do(id, a); err != nil {
			f.t.Fatalf("walking to %s, %s: %v", s, a, err)
		}
	}
	return id
}

func code(err error) string {
	var fe *failure.Error
	if errors.As(err, &fe) {
		return fe.Code
	}
	return ""
}

// TestEveryTransition tries every action in every state: the legal ones
// reach their target state, the illegal ones are refused, naming what is allowed.
func TestEveryTransition(t *testing.T) {
	f := newFixture(t)
	if len(pathTo) != len(petition.States) {
		t.Fatalf("pathTo covers %d states, there are %d", len(pathTo), len(petition.States))
	}
	legal := 0
	for _, s := range petition.States {
		for _, a := range lifecycle.Actions {
			id := f.caseIn(s)
			c, err := f.do(id, a)
			if slices.Contains(lifecycle.From(a), s) {
				legal++
				if err != nil {
					t.Errorf("%s in %s: %v", a, s, err)
					continue
				}
				if c.Petition.State != lifecycle.To(a) {
					t.Errorf("%s in %s led to %s, want %s", a, s, c.Petition.State, lifecycle.To(a))
				}
				last := c.Events[len(c.Events)-1]
				if last.Action != string(a) || last.FromState != s || last.ToState != lifecycle.To(a) {
					t.Errorf("%s in %s: last event %+v", a, s, last)
				}
				continue
			}
			if code(err) == failure.CodeNotFound && len(c0(f, id).Assignments) == 0 {
				// Before assignment the unit does not see the case at all; a
				// leader, who sees everything, is told what is allowed instead.
				_, err = f.svc.Do(context.Background(), f.org.Users["leader"], id, a, valid[a].in)
			}
			if code(err) != failure.CodeIllegalState {
				t.Errorf("%s in %s: got %v, want %s", a, s, err, failure.CodeIllegalState)
				continue
			}
			var fe *failure.Error
			errors.As(err, &fe)
			for _, ok := range lifecycle.AllowedIn(s) {
				if !containsStr(fe.Message, string(ok)) {
					t.Errorf("%s in %s: message %q does not name allowed action %s", a, s, fe.Message, ok)
				}
			}
			after, _ := f.svc.Store().Case(context.Background(), id)
			if after.Petition.State != s {
				t.Errorf("refused %s in %s still moved the case to %s", a, s, after.Petition.State)
			}
		}
	}
	if legal != 17 {
		t.Errorf("%d legal transitions exercised, want 17", legal)
	}
}

func c0(f *fixture, id int64) *petition.Case {
	c, err := f.svc.Store().Case(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func containsStr(s, sub string) bool { return sub != "" && strings.Contains(s, sub) }

func TestRolesAndScope(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.caseIn(petition.Assigned)
	// A registrar may not sign for the unit.
	if _, err := f.svc.Do(ctx, f.org.Users["bureau"], id, lifecycle.Sign, lifecycle.Input{}); code(err) != failure.CodeForbidden {
		t.Fatalf("bureau sign: %v", err)
	}
	// Another unit's handler does not even see the case.
	if _, err := f.svc.Do(ctx, f.org.Users["rsj"], id, lifecycle.Sign, lifecycle.Input{}); code(err) != failure.CodeNotFound {
		t.Fatalf("other unit sign: %v", err)
	}
	// Inspectors only read.
	if _, err := f.svc.Do(ctx, f.org.Users["inspector"], id, lifecycle.Sign, lifecycle.Input{}); code(err) != failure.CodeForbidden {
		t.Fatalf("inspector sign: %v", err)
	}
	// A handler may not approve an extension; the head may.
	f.do(id, lifecycle.Sign)
	f.do(id, lifecycle.RequestExtension)
	if _, err := f.svc.Do(ctx, f.org.Users["zjj"], id, lifecycle.ApproveExtension, lifecycle.Input{}); code(err) != failure.CodeForbidden {
		t.Fatalf("handler approve: %v", err)
	}
	if _, err := f.do(id, lifecycle.ApproveExtension); err != nil {
		t.Fatalf("head approve: %v", err)
	}
}

func dueOf(t *testing.T, c *petition.Case, k deadline.Kind) string {
	t.Helper()
	d := c.Deadline(k)
	if d == nil {
		t.Fatalf("no %s deadline on case %d", k, c.Petition.ID)
	}
	return d.DueOn.String()
}

func TestDeadlines(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Received Friday 2026-02-13: acknowledge and assign within 15 days.
	f.clk.Set(time.Date(2026, 2, 13, 10, 0, 0, 0, cst))
	id := f.register()
	c, _ := f.svc.Store().Case(ctx, id)
	if got := dueOf(t, c, deadline.Acknowledge); got != "2026-02-28" {
		t.Errorf("acknowledge due %s, want 2026-02-28", got)
	}
	if c.Deadline(deadline.Acknowledge).CalendarRevision == 0 {
		t.Error("deadline does not record its calendar revision")
	}
	f.do(id, lifecycle.Accept)
	c, err := f.do(id, lifecycle.Assign)
	if err != nil {
		t.Fatal(err)
	}
	// Objection window: 5 working days from Friday 2026-02-13 is 2026-02-27.
	if got := dueOf(t, c, deadline.Objection); got != "2026-02-27" {
		t.Errorf("objection due %s, want 2026-02-27", got)
	}
	if c.Deadline(deadline.Assign).MetAt == nil || c.Deadline(deadline.Acknowledge).MetAt == nil {
		t.Error("assign and acknowledge deadlines should be met")
	}
	// After the window, the unit can no longer return it.
	f.clk.Set(time.Date(2026, 2, 28, 10, 0, 0, 0, cst))
	if _, err := f.do(id, lifecycle.Return); code(err) != failure.CodePeriodExpired {
		t.Fatalf("late return: %v", err)
	}
	// Signed on 2026-03-02: reply within 60 days, 2026-05-01.
	f.clk.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, cst))
	c, _ = f.do(id, lifecycle.Sign)
	if got := dueOf(t, c, deadline.Reply); got != "2026-05-01" {
		t.Errorf("reply due %s, want 2026-05-01", got)
	}
	// Extension of 20 days approved: 2026-05-21.
	f.do(id, lifecycle.RequestExtension)
	c, _ = f.do(id, lifecycle.ApproveExtension)
	if got := dueOf(t, c, deadline.Reply); got != "2026-05-21" {
		t.Errorf("extended reply due %s, want 2026-05-21", got)
	}
	// A second extension is refused.
	if _, err := f.do(id, lifecycle.RequestExtension); code(err) != failure.CodeIllegalState {
		t.Errorf("second extension: %v", err)
	}
	// More than 30 days is refused with the field named.
	id2 := f.caseIn(petition.Handling)
	_, err = f.svc.Do(ctx, f.org.Users["zjj"], id2, lifecycle.RequestExtension, lifecycle.Input{Days: 31, Reason: "太复杂"})
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Field != "days" {
		t.Errorf("31-day extension: %v", err)
	}
	// Overdue once the reply deadline passes.
	f.clk.Set(time.Date(2026, 5, 22, 10, 0, 0, 0, cst))
	c, _ = f.svc.Store().Case(ctx, id)
	if !c.Overdue(f.svc.Today()) {
		t.Error("case past its reply deadline is not overdue")
	}
	c, _ = f.do(id, lifecycle.Reply)
	if c.Overdue(f.svc.Today()) {
		t.Error("replied case is still overdue")
	}
	if got := dueOf(t, c, deadline.ReviewRequest); got != "2026-06-21" {
		t.Errorf("review request window ends %s, want 2026-06-21", got)
	}
	// Closing inside the review window needs the petitioner's satisfaction.
	if _, err := f.svc.Do(ctx, f.org.Users["bureau"], id, lifecycle.Close, lifecycle.Input{}); code(err) != failure.CodeIllegalState {
		t.Errorf("early close: %v", err)
	}
	// A review request after the window is refused.
	f.clk.Set(time.Date(2026, 6, 22, 10, 0, 0, 0, cst))
	if _, err := f.do(id, lifecycle.RequestReview); code(err) != failure.CodePeriodExpired {
		t.Errorf("late review request: %v", err)
	}
	// After the window it may be closed without the petitioner's word.
	if _, err := f.svc.Do(ctx, f.org.Users["bureau"], id, lifecycle.Close, lifecycle.Input{Note: "期满未申请复查"}); err != nil {
		t.Errorf("close after window: %v", err)
	}
}

func TestWorkingDayLimitsAreSettings(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.org.Users["admin"]
	err := f.svc.SetTimeLimit(ctx, admin, deadline.Rule{Kind: deadline.Acknowledge, Count: 5, Unit: "working"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetTimeLimit(ctx, f.org.Users["bureau"], deadline.Rule{Kind: deadline.Acknowledge, Count: 5, Unit: "working"}); code(err) != failure.CodeForbidden {
		t.Fatalf("bureau changing a time limit: %v", err)
	}
	f.clk.Set(time.Date(2026, 2, 13, 10, 0, 0, 0, cst))
	id := f.register()
	c, _ := f.svc.Store().Case(ctx, id)
	if got := dueOf(t, c, deadline.Acknowledge); got != "2026-02-27" {
		t.Errorf("acknowledge due %s under 5 working days, want 2026-02-27", got)
	}
}

func TestMatterFinalRefusesSameFacts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	first := f.caseIn(petition.Closed)
	c1, _ := f.svc.Store().Case(ctx, first)
	if c1.MatterFinal == nil {
		t.Fatal("closing after re-review did not make the matter final")
	}
	second := f.register()
	if _, err := f.svc.Store().DB().Exec(rebind(f, "UPDATE petitions SET matter_id = ? WHERE id = ?"), c1.Petition.MatterID, second); err != nil {
		t.Fatal(err)
	}
	if _, err := f.do(second, lifecycle.Accept); code(err) != failure.CodeMatterFinal {
		t.Fatalf("accepting a petition on a final matter: %v", err)
	}
}

func rebind(f *fixture, q string) string {
	if f.svc.Store().Engine() == "postgres" {
		return "UPDATE petitions SET matter_id = $1 WHERE id = $2"
	}
	return q
}

func TestReturnReroutes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.caseIn(petition.Returned)
	c, _ := f.svc.Store().Case(ctx, id)
	if c.Petition.UnitID != 0 || c.Current().State != "returned" || c.Current().ReturnReason == "" {
		t.Fatalf("returned case: %+v %+v", c.Petition, c.Current())
	}
	if c.Deadline(deadline.Assign) == nil || c.Deadline(deadline.Assign).MetAt != nil {
		t.Fatal("a returned case must carry an open assign deadline for the bureau")
	}
	c, err := f.svc.Do(ctx, f.org.Users["bureau"], id, lifecycle.Assign, lifecycle.Input{UnitCode: "211400-rsj"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Assignments) != 2 || c.Petition.State != petition.Assigned {
		t.Fatalf("re-routed case: %d assignments, state %s", len(c.Assignments), c.Petition.State)
	}
	// The housing bureau, which returned it, may not sign it now.
	if _, err := f.do(id, lifecycle.Sign); code(err) != failure.CodeForbidden {
		t.Fatalf("old unit sign after re-routing: %v", err)
	}
	if _, err := f.svc.Do(ctx, f.org.Users["rsj"], id, lifecycle.Sign, lifecycle.Input{}); err != nil {
		t.Fatalf("new unit sign: %v", err)
	}
}

func TestAccusationNeverReachesAccused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec := intake.Record{ExternalID: "ACC-1", ReceivedAt: f.clk.Now(), Channel: "letter", PetitionerName: "匿名",
		DistrictCode: "211481", Title: "检举住建局工作人员", Content: "检举兴城市住建局某科长收受开发商财物。",
		Accusation: true, AccusedUnitCode: "211481-zjj"}
	r, err := f.svc.Register(ctx, f.org.Users["bureau"], rec, true)
	if err != nil {
		t.Fatal(err)
	}
	f.do(r.ID, lifecycle.Accept)
	if _, err := f.svc.Do(ctx, f.org.Users["bureau"], r.ID, lifecycle.Assign, lifecycle.Input{UnitCode: "211481-zjj"}); code(err) != failure.CodeInvalid {
		t.Fatalf("assigning an accusation to the accused unit: %v", err)
	}
}

func TestFailedActionChangesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.caseIn(petition.Handling)
	before, _ := f.svc.Store().Case(ctx, id)
	_, err := f.svc.Do(ctx, f.org.Users["zjj"], id, lifecycle.Reply, lifecycle.Input{Outcome: "maybe", Text: "这是一段足够长的答复文字。"})
	if code(err) != failure.CodeInvalid {
		t.Fatalf("bad outcome: %v", err)
	}
	after, _ := f.svc.Store().Case(ctx, id)
	if after.Petition.Version != before.Petition.Version || len(after.Events) != len(before.Events) {
		t.Fatal("a refused action changed the case")
	}
}
