package escalation_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/escalation"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/petition"
	"redress/internal/store"
	"redress/internal/storetest"
)

var cst = calendar.Location

// at is 09:00 in China on 2026-03-d.
func at(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, cst) }

type fixture struct {
	t   *testing.T
	st  *store.Store
	org *storetest.Org
	now time.Time
	lc  *lifecycle.Service
	n   int
}

func newFixture(t *testing.T) *fixture {
	st := storetest.Open(t)
	f := &fixture{t: t, st: st, org: storetest.Seed(t, st), now: at(2)}
	f.lc = lifecycle.New(st, func() time.Time { return f.now })
	return f
}

// handling registers a petition on f.now, assigns it to 市住建局 with a reply
// due on due, and has the unit sign for it.
func (f *fixture) handling(due calendar.Date) int64 {
	f.t.Helper()
	ctx := context.Background()
	f.n++
	rec := intake.Record{
		ExternalID: fmt.Sprintf("E-%d", f.n), ReceivedAt: f.now, Channel: "letter",
		PetitionerName: "王秀兰", PetitionerIDNumber: "211402196505120027", Phone: "13904291234",
		DistrictCode: "211402", Address: "连山区站前街道幸福小区3号楼", Title: "供暖不热",
		Content: "幸福小区3号楼今冬室温长期低于16度，多次找热力公司未解决。",
	}
	r, err := f.lc.Register(ctx, f.org.Users["bureau"], rec, true)
	if err != nil {
		f.t.Fatalf("register: %v", err)
	}
	f.do(r.ID, "bureau", lifecycle.Accept, lifecycle.Input{})
	f.do(r.ID, "bureau", lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj", DueOn: &due})
	f.do(r.ID, "zjj", lifecycle.Sign, lifecycle.Input{})
	return r.ID
}

func (f *fixture) do(id int64, who string, a lifecycle.Action, in lifecycle.Input) {
	f.t.Helper()
	if _, err := f.lc.Do(context.Background(), f.org.Users[who], id, a, in); err != nil {
		f.t.Fatalf("%s %s: %v", who, a, err)
	}
}

func (f *fixture) sweep(svc *escalation.Service, now time.Time) escalation.Result {
	f.t.Helper()
	res, err := svc.Sweep(context.Background(), now)
	if err != nil {
		f.t.Fatalf("sweep at %s: %v", now, err)
	}
	return res
}

func (f *fixture) escalationEvents(id int64) []string {
	f.t.Helper()
	c, err := f.st.Case(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, e := range c.Events {
		if strings.HasPrefix(e.Action, "escalation.") {
			out = append(out, e.Action)
		}
	}
	return out
}

func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if f.st.Engine() == store.Postgres {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
		}
	}
	if err := f.st.DB().QueryRow(q, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestWindow(t *testing.T) {
	cal := calendar.New(1, calendar.Official())
	d := calendar.NewDate
	for _, c := range []struct {
		rule     escalation.Rule
		today    calendar.Date
		max, min calendar.Date
	}{
		{escalation.Rule{Trigger: escalation.BeforeDue, Days: 3}, d(2026, 3, 5), d(2026, 3, 10), d(2026, 3, 5)},
		{escalation.Rule{Trigger: escalation.DueDay}, d(2026, 3, 10), d(2026, 3, 10), d(2026, 3, 10)},
		{escalation.Rule{Trigger: escalation.Overdue, Days: 0}, d(2026, 3, 14), d(2026, 3, 13), calendar.Date{}},
		// Saturday: a deadline due Friday is overdue, but by no working day yet.
		{escalation.Rule{Trigger: escalation.Overdue, Days: 1}, d(2026, 3, 14), d(2026, 3, 12), calendar.Date{}},
		{escalation.Rule{Trigger: escalation.Overdue, Days: 5}, d(2026, 3, 17), d(2026, 3, 10), calendar.Date{}},
		// Across the Spring Festival (2/15–2/23 off, 2/14 and 2/28 working).
		{escalation.Rule{Trigger: escalation.Overdue, Days: 2}, d(2026, 2, 24), d(2026, 2, 13), calendar.Date{}},
		{escalation.Rule{Trigger: escalation.BeforeDue, Days: 1}, d(2026, 2, 13), d(2026, 2, 14), d(2026, 2, 13)},
	} {
		gotMax, gotMin := escalation.Window(cal, c.rule, c.today)
		if gotMax != c.max || gotMin != c.min {
			t.Errorf("%s %d on %s: window %s..%s, want %s..%s", c.rule.Trigger, c.rule.Days, c.today, gotMin, gotMax, c.min, c.max)
		}
	}
}

// TestLadder walks one case through every rung with a controlled clock,
// restarting the runner in the middle.
func TestLadder(t *testing.T) {
	f := newFixture(t)
	id := f.handling(calendar.NewDate(2026, 3, 10)) // a Tuesday
	svc := escalation.New(f.st, escalation.Options{})
	steps := []struct {
		day   int
		fired map[string]int
	}{
		{2, nil},
		{4, nil}, // 4 working days before
		{5, map[string]int{"remind-handler": 1}},
		{5, nil},
		{9, nil},
		{10, map[string]int{"remind-head": 1}},
		{11, map[string]int{"supervise": 1}},
		{-1, nil}, // restart: a new runner on the same database
		{11, nil},
		{16, nil}, // four working days overdue
		{17, map[string]int{"report-overdue": 1}},
		{18, nil},
		{30, nil},
	}
	for _, s := range steps {
		if s.day < 0 {
			svc = escalation.New(f.st, escalation.Options{})
			continue
		}
		res := f.sweep(svc, at(s.day))
		want := 0
		for name, n := range s.fired {
			want += n
			if res.ByRule[name] != n {
				t.Errorf("March %d: rule %s fired %d times, want %d (%+v)", s.day, name, res.ByRule[name], n, res)
			}
		}
		if res.Fired != want || res.Failed != 0 {
			t.Errorf("March %d: fired %d, failed %d, want %d (%+v)", s.day, res.Fired, res.Failed, want, res)
		}
	}
	got := f.escalationEvents(id)
	want := []string{"escalation.reminder", "escalation.reminder", "escalation.supervision", "escalation.party_report"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("events %v, want %v", got, want)
	}
	ctx := context.Background()
	// The unit's non-cooperation record names its head.
	recs, err := f.st.EscalationSteps(ctx, store.StepFilter{UnitIDs: []int64{f.org.Housing.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || recs[0].HeadName != f.org.Housing.HeadName || recs[0].Action != escalation.PartyReport {
		t.Fatalf("record %+v", recs)
	}
	// Notices: handler gets the first reminder; the head that and the rest; the leader the report.
	for login, n := range map[string]int{"zjj": 1, "zjj-head": 3, "leader": 1, "bureau": 0} {
		ns, err := f.st.UnreadNotices(ctx, f.org.Users[login].ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) != n {
			t.Errorf("%s has %d notices, want %d: %+v", login, len(ns), n, ns)
		}
	}
	ls, err := f.st.Listings(ctx, false)
	if err != nil || len(ls) != 1 || ls[0].PetitionID != id {
		t.Fatalf("listings %+v, %v", ls, err)
	}
	// Solved: the reply meets the deadline and the next sweep takes it off the list.
	f.now = at(30)
	f.do(id, "zjj", lifecycle.Reply, lifecycle.Input{Outcome: petition.OutcomeSupport, Text: "已协调热力公司整改，室温达标。"})
	res := f.sweep(svc, at(31))
	if res.Delisted != 1 || res.Fired != 0 {
		t.Fatalf("after reply: %+v", res)
	}
	if ls, _ := f.st.Listings(ctx, false); len(ls) != 0 {
		t.Fatalf("still listed: %+v", ls)
	}
	if v, err := f.st.VerifyAudit(ctx, nil); err != nil || v.BrokenAt != 0 {
		t.Fatalf("audit chain: %+v %v", v, err)
	}
}

// TestCatchUp: a runner that was down for weeks fires the overdue rungs
// once, and not the reminders that went stale.
func TestCatchUp(t *testing.T) {
	f := newFixture(t)
	f.handling(calendar.NewDate(2026, 3, 10))
	svc := escalation.New(f.st, escalation.Options{})
	res := f.sweep(svc, at(25))
	if res.Fired != 2 || res.ByRule["supervise"] != 1 || res.ByRule["report-overdue"] != 1 {
		t.Fatalf("%+v", res)
	}
}

// TestReturnedTwice: two returns report the case to the Party committee,
// naming the unit that returned it last.
func TestReturnedTwice(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec := intake.Record{ExternalID: "R-1", ReceivedAt: f.now, Channel: "visit", PetitionerName: "张三", DistrictCode: "211402",
		Title: "工资拖欠", Content: "某建筑公司拖欠农民工工资三个月，多次讨要无果。"}
	r, err := f.lc.Register(ctx, f.org.Users["bureau"], rec, true)
	if err != nil {
		t.Fatal(err)
	}
	f.do(r.ID, "bureau", lifecycle.Accept, lifecycle.Input{})
	svc := escalation.New(f.st, escalation.Options{})
	for i, who := range []string{"zjj", "rsj"} {
		code := map[string]string{"zjj": "211400-zjj", "rsj": "211400-rsj"}[who]
		f.do(r.ID, "bureau", lifecycle.Assign, lifecycle.Input{UnitCode: code})
		f.do(r.ID, who, lifecycle.Return, lifecycle.Input{Reason: "不属于本单位职责"})
		if res := f.sweep(svc, f.now); res.ByRule["report-returns"] != i {
			t.Fatalf("after return %d: %+v", i+1, res)
		}
	}
	steps, err := f.st.EscalationSteps(ctx, store.StepFilter{PetitionID: r.ID})
	if err != nil || len(steps) != 1 || steps[0].UnitID != f.org.HRSS.ID || steps[0].Subject != "returns" {
		t.Fatalf("steps %+v %v", steps, err)
	}
	// A third assignment and return does not report it again.
	f.do(r.ID, "bureau", lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj"})
	f.do(r.ID, "zjj", lifecycle.Return, lifecycle.Input{Reason: "不属于本单位职责"})
	if res := f.sweep(svc, f.now); res.ByRule["report-returns"] != 0 {
		t.Fatalf("third return: %+v", res)
	}
}

// TestConcurrentRunners: two runners with their own connections sweep the
// same database at once (on PostgreSQL, two processes in effect); every step
// fires exactly once.
func TestConcurrentRunners(t *testing.T) {
	dsn := storetest.DSN(t)
	st1 := storetest.OpenDSN(t, dsn)
	st2 := storetest.OpenDSN(t, dsn)
	f := &fixture{t: t, st: st1, org: storetest.Seed(t, st1), now: at(2)}
	f.lc = lifecycle.New(st1, func() time.Time { return f.now })
	const cases = 30
	for i := range cases {
		f.handling(calendar.NewDate(2026, 3, 3+i%8))
	}
	runners := []*escalation.Service{
		escalation.New(st1, escalation.Options{Batch: 7, Workers: 4}),
		escalation.New(st2, escalation.Options{Batch: 7, Workers: 4}),
	}
	total := 0
	for day := 2; day <= 24; day++ {
		var wg sync.WaitGroup
		results := make([]escalation.Result, 2*len(runners))
		errs := make([]error, len(results))
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = runners[i%2].Sweep(context.Background(), at(day))
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("runner %d on March %d: %v", i, day, err)
			}
			total += results[i].Fired
			if results[i].Failed != 0 {
				// A failed step is retried by the next sweep; count what is left.
				res := f.sweep(runners[0], at(day))
				total += res.Fired
			}
		}
	}
	// Each case: two reminders, a supervision notice, a party report.
	if want := 4 * cases; total != want {
		t.Fatalf("fired %d steps in all, want %d", total, want)
	}
	if n := f.count("SELECT COUNT(*) FROM escalation_steps"); n != 4*cases {
		t.Fatalf("%d steps stored", n)
	}
	if n := f.count("SELECT COUNT(*) FROM events WHERE action LIKE 'escalation.%'"); n != 4*cases {
		t.Fatalf("%d escalation events", n)
	}
	if n := f.count("SELECT COUNT(*) FROM supervision_listings"); n != cases {
		t.Fatalf("%d listings", n)
	}
	if v, err := st1.VerifyAudit(context.Background(), nil); err != nil || v.BrokenAt != 0 {
		t.Fatalf("audit chain: %+v %v", v, err)
	}
}

// TestOutbox: webhooks are signed, retried with back-off and sent once;
// email goes over SMTP; nothing is sent for a step that did not commit.
func TestOutbox(t *testing.T) {
	f := newFixture(t)
	f.handling(calendar.NewDate(2026, 3, 10))
	var mu sync.Mutex
	var got []*http.Request
	var bodies []string
	fail := 1
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if fail > 0 {
			fail--
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		got = append(got, r)
		bodies = append(bodies, string(b))
	}))
	defer hook.Close()
	mail := newFakeSMTP(t)
	svc := escalation.New(f.st, escalation.Options{
		Webhooks: []escalation.Webhook{{URL: hook.URL, Secret: "s3cret"}},
		EmailTo:  []string{"duban@hld.example"},
		SMTP:     escalation.SMTP{Addr: mail.addr, From: "redress@hld.example"},
		Backoff:  time.Minute,
	})
	ctx := context.Background()
	if _, err := svc.Deliver(ctx, at(5)); err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatal("sent before any step")
	}
	f.sweep(svc, at(5)) // remind-handler
	d, err := svc.Deliver(ctx, at(5))
	if err != nil {
		t.Fatal(err)
	}
	if d.Sent != 1 || d.Retrying != 1 {
		t.Fatalf("first round %+v", d)
	}
	if d, _ := svc.Deliver(ctx, at(5).Add(59*time.Second)); d != (escalation.Delivered{}) {
		t.Fatalf("retried before the back-off: %+v", d)
	}
	if d, _ := svc.Deliver(ctx, at(5).Add(time.Minute)); d.Sent != 1 {
		t.Fatalf("retry %+v", d)
	}
	if d, _ := svc.Deliver(ctx, at(6)); d != (escalation.Delivered{}) {
		t.Fatalf("sent twice: %+v", d)
	}
	if len(got) != 1 {
		t.Fatalf("webhook called %d times", len(got))
	}
	if sig := got[0].Header.Get("X-Redress-Signature"); sig != escalation.Sign("s3cret", []byte(bodies[0])) {
		t.Fatalf("signature %q", sig)
	}
	if !strings.Contains(bodies[0], `"rule":"remind-handler"`) {
		t.Fatalf("body %s", bodies[0])
	}
	msgs := mail.messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "RCPT TO:<duban@hld.example>") || !strings.Contains(msgs[0], "办理答复期限将于2026-03-10届满") {
		t.Fatalf("mail %q", msgs)
	}
	out, err := f.st.Outbox(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range out {
		if m.State != "sent" {
			t.Fatalf("message %+v", m)
		}
	}
}

// TestEmailToRecipient: with SMTP set up, a step addressed to users is
// emailed to those who have an address, besides the configured list; a user
// without an address gets the in-app notice only.
func TestEmailToRecipient(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	email := "zjj@hld.example"
	err := f.st.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.UpdateUser(store.System, f.org.Users["zjj"].ID, store.UserChange{Email: &email})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f.handling(calendar.NewDate(2026, 3, 10))
	mail := newFakeSMTP(t)
	svc := escalation.New(f.st, escalation.Options{SMTP: escalation.SMTP{Addr: mail.addr, From: "redress@hld.example"}})
	f.sweep(svc, at(5)) // remind-handler: to the unit's handlers
	if _, err := svc.Deliver(ctx, at(5)); err != nil {
		t.Fatal(err)
	}
	msgs := mail.messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "RCPT TO:<"+email+">") {
		t.Fatalf("mail %q", msgs)
	}
	// Without SMTP nothing is queued for email.
	f2 := newFixture(t)
	err = f2.st.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.UpdateUser(store.System, f2.org.Users["zjj"].ID, store.UserChange{Email: &email})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f2.handling(calendar.NewDate(2026, 3, 10))
	f2.sweep(escalation.New(f2.st, escalation.Options{}), at(5))
	out, err := f2.st.Outbox(ctx, 0)
	if err != nil || len(out) != 0 {
		t.Fatalf("outbox without SMTP: %+v %v", out, err)
	}
}

// TestGiveUp: a message that never gets through is marked failed after MaxAttempts.
func TestGiveUp(t *testing.T) {
	f := newFixture(t)
	f.handling(calendar.NewDate(2026, 3, 10))
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusBadGateway)
	}))
	defer hook.Close()
	svc := escalation.New(f.st, escalation.Options{Webhooks: []escalation.Webhook{{URL: hook.URL}}, MaxAttempts: 3, Backoff: time.Second})
	f.sweep(svc, at(5))
	now := at(5)
	for range 3 {
		if _, err := svc.Deliver(context.Background(), now); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
	}
	out, _ := f.st.Outbox(context.Background(), 0)
	if len(out) != 1 || out[0].State != "failed" || out[0].Attempts != 3 {
		t.Fatalf("%+v", out)
	}
}

func TestValidate(t *testing.T) {
	if err := escalation.Validate(escalation.Defaults()); err != nil {
		t.Fatal(err)
	}
	bad := escalation.Defaults()
	bad[1].Name = bad[0].Name
	if escalation.Validate(bad) == nil {
		t.Fatal("duplicate name accepted")
	}
	bad = escalation.Defaults()
	bad[0].Action = "shout"
	if escalation.Validate(bad) == nil {
		t.Fatal("unknown action accepted")
	}
}

// fakeSMTP is the smallest SMTP server net/smtp will talk to.
type fakeSMTP struct {
	addr string
	mu   sync.Mutex
	msgs []string
}

func newFakeSMTP(t *testing.T) *fakeSMTP {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &fakeSMTP{addr: ln.Addr().String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *fakeSMTP) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	var b strings.Builder
	fmt.Fprint(c, "220 fake\r\n")
	data := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		b.WriteString(line)
		switch {
		case data:
			if line == ".\r\n" {
				data = false
				fmt.Fprint(c, "250 queued\r\n")
			}
		case strings.HasPrefix(line, "EHLO"), strings.HasPrefix(line, "HELO"):
			fmt.Fprint(c, "250 fake\r\n")
		case strings.HasPrefix(line, "DATA"):
			data = true
			fmt.Fprint(c, "354 go on\r\n")
		case strings.HasPrefix(line, "QUIT"):
			s.mu.Lock()
			s.msgs = append(s.msgs, b.String())
			s.mu.Unlock()
			fmt.Fprint(c, "221 bye\r\n")
			return
		default:
			fmt.Fprint(c, "250 ok\r\n")
		}
	}
}

func (s *fakeSMTP) messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.msgs...)
}

// TestRunSweepsAtStartAndStops: the loop sweeps once at start and ends when
// its context does; the clock is the test's.
func TestRunSweepsAtStartAndStops(t *testing.T) {
	f := newFixture(t)
	id := f.handling(calendar.NewDate(2026, 3, 10))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	now := func() time.Time {
		calls++
		if calls > 1 {
			cancel() // after the first sweep has read the clock
		}
		return at(25)
	}
	done := make(chan struct{})
	go func() {
		escalation.New(f.st, escalation.Options{}).Run(ctx, time.Hour, now)
		close(done)
	}()
	<-done
	if got := f.escalationEvents(id); len(got) != 2 {
		t.Fatalf("events after the start-up sweep: %v", got)
	}
}

// TestConcurrentDelivery: two processes delivering one outbox send each message once.
func TestConcurrentDelivery(t *testing.T) {
	dsn := storetest.DSN(t)
	st1 := storetest.OpenDSN(t, dsn)
	st2 := storetest.OpenDSN(t, dsn)
	f := &fixture{t: t, st: st1, org: storetest.Seed(t, st1), now: at(2)}
	f.lc = lifecycle.New(st1, func() time.Time { return f.now })
	for range 10 {
		f.handling(calendar.NewDate(2026, 3, 10))
	}
	var mu sync.Mutex
	seen := map[string]int{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Header.Get("X-Redress-Delivery")]++
		mu.Unlock()
	}))
	defer hook.Close()
	o := escalation.Options{Webhooks: []escalation.Webhook{{URL: hook.URL, Secret: "k"}}}
	svcs := []*escalation.Service{escalation.New(st1, o), escalation.New(st2, o)}
	if res := f.sweep(svcs[0], at(25)); res.Fired != 20 {
		t.Fatalf("fired %d", res.Fired)
	}
	var wg sync.WaitGroup
	sent := make([]int, 4)
	for i := range sent {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := svcs[i%2].Deliver(context.Background(), at(25))
			if err != nil {
				t.Error(err)
			}
			sent[i] = d.Sent
		}()
	}
	wg.Wait()
	total := 0
	for _, n := range sent {
		total += n
	}
	if total != 20 || len(seen) != 20 {
		t.Fatalf("sent %d, %d distinct deliveries", total, len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("message %s delivered %d times", id, n)
		}
	}
}

// TestSweepPagesByKey: one sweep fires every due step even when they are
// many times the batch size (the due deadlines are read page after page,
// each page starting after the last).
func TestSweepPagesByKey(t *testing.T) {
	f := newFixture(t)
	const cases = 10
	for range cases {
		f.handling(calendar.NewDate(2026, 3, 10))
	}
	svc := escalation.New(f.st, escalation.Options{Batch: 3, Workers: 2})
	if res := f.sweep(svc, at(5)); res.ByRule["remind-handler"] != cases || res.Failed != 0 {
		t.Fatalf("one sweep: %+v", res)
	}
	if res := f.sweep(svc, at(5)); res.Fired != 0 {
		t.Fatalf("second sweep fired %+v", res)
	}
}
