// Package inspectiontest builds the crafted unit history whose inspection
// report is known, for the tests of the inspection package and of the pages
// that show the report.
package inspectiontest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/engagement"
	"redress/internal/escalation"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/store"
	"redress/internal/storetest"
)

// Unit is the inspected unit: 市住建局 of storetest.Seed.
const Unit = "211400-zjj"

// On is 10:00 in China on a day of 2026.
func On(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, calendar.Location) }

// Date is a day of 2026.
func Date(m time.Month, d int) calendar.Date { return calendar.NewDate(2026, m, d) }

// History is the crafted history's petitions.
//
//   - P1 (王秀兰): received 1/5, reply due 1/20, signed, never answered;
//     supervised and reported to the Party committee; the head met her on
//     2/10 and 3/15, a deputy on 2/12; a study meeting on 2/20.
//   - P2: 王秀兰 again on the same matter, received 3/2, replied 4/28.
//   - P3 (李建国): received 1/10, returned once, reassigned (reply due
//     2/10), replied late on 4/1 (support); supervised and reported.
//   - P4: alone and recent (6/1). P5: another unit's (市人社局).
//
// An inspection of Unit over 2026-01-01…06-30 with a 60-day backlog
// threshold, drafted on 7/2, finds P1, P2 and P3.
type History struct {
	P1, P2, P3, P4, P5 int64
}

type builder struct {
	t   testing.TB
	lc  *lifecycle.Service
	org *storetest.Org
	set func(time.Time)
	n   int
}

func (b *builder) at(m time.Month, d int) { b.set(On(m, d)) }

func (b *builder) do(id int64, who string, a lifecycle.Action, in lifecycle.Input) {
	b.t.Helper()
	if _, err := b.lc.Do(context.Background(), b.org.Users[who], id, a, in); err != nil {
		b.t.Fatalf("%s %s on %d: %v", who, a, id, err)
	}
}

func (b *builder) register(idNumber, name string) int64 {
	b.t.Helper()
	b.n++
	r, err := b.lc.Register(context.Background(), b.org.Users["bureau"], intake.Record{
		ExternalID: fmt.Sprintf("I-%d", b.n), ReceivedAt: b.lc.Now(), Channel: "visit", PetitionerName: name, PetitionerIDNumber: idNumber,
		DistrictCode: "211402", Title: "小区供暖不达标", Content: "小区冬季室温不足十六度，反映多次未解决。"}, true)
	if err != nil {
		b.t.Fatal(err)
	}
	b.do(r.ID, "bureau", lifecycle.Accept, lifecycle.Input{})
	return r.ID
}

func (b *builder) assign(id int64, unit string, due calendar.Date) {
	b.t.Helper()
	b.do(id, "bureau", lifecycle.Assign, lifecycle.Input{UnitCode: unit, DueOn: &due})
}

// Build records the history through the lifecycle service lc, whose clock
// set moves (lc must read the time set gives it). It leaves the clock on 7/2.
func Build(t testing.TB, st *store.Store, o *storetest.Org, lc *lifecycle.Service, set func(time.Time)) History {
	t.Helper()
	ctx := context.Background()
	b := &builder{t: t, lc: lc, org: o, set: set}
	eng := engagement.New(lc)
	esc := escalation.New(st, escalation.Options{})
	const wang, li = "211402196505120027", "211402198001010026"
	var h History

	b.at(time.January, 5)
	h.P1 = b.register(wang, "王秀兰")
	b.assign(h.P1, Unit, Date(1, 20))
	b.do(h.P1, "zjj", lifecycle.Sign, lifecycle.Input{})
	b.at(time.January, 10)
	h.P3 = b.register(li, "李建国")
	b.assign(h.P3, Unit, Date(2, 10))
	b.do(h.P3, "zjj", lifecycle.Return, lifecycle.Input{Reason: "需补充材料"})
	b.assign(h.P3, Unit, Date(2, 10))
	b.do(h.P3, "zjj", lifecycle.Sign, lifecycle.Input{})
	for _, d := range []time.Time{On(1, 21), On(2, 11), On(3, 1)} {
		if _, err := esc.Sweep(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	b.at(time.March, 2)
	h.P2 = b.register(wang, "王秀兰")
	if _, err := st.DB().Exec(rebind(st, "UPDATE petitions SET matter_id = (SELECT matter_id FROM petitions WHERE id = ?) WHERE id = ?"), h.P1, h.P2); err != nil {
		t.Fatal(err)
	}
	b.assign(h.P2, Unit, Date(4, 30))
	b.do(h.P2, "zjj", lifecycle.Sign, lifecycle.Input{})
	b.at(time.March, 20)
	for _, r := range []struct {
		d    calendar.Date
		head bool
		p    int64
	}{{Date(2, 10), true, h.P1}, {Date(3, 15), true, h.P2}, {Date(2, 12), false, h.P1}} {
		_, err := eng.RecordReception(ctx, o.Users["bureau"], engagement.ReceptionInput{Kind: "reception", UnitCode: Unit,
			LeaderName: "周局长", IsHead: r.head, HeldOn: &r.d, PetitionIDs: []int64{r.p}}, lc.Now())
		if err != nil {
			t.Fatal(err)
		}
	}
	held := Date(2, 20)
	if _, err := eng.RecordMeeting(ctx, o.Users["bureau"], engagement.MeetingInput{UnitCode: Unit, HeldOn: &held, Chair: "周局长",
		PetitionIDs: []int64{h.P1}, Decisions: []engagement.DecisionInput{{PetitionID: h.P1, Text: "约谈热力公司"}}}, lc.Now()); err != nil {
		t.Fatal(err)
	}
	b.at(time.April, 1)
	b.do(h.P3, "zjj", lifecycle.Reply, lifecycle.Input{Outcome: "support", Text: "已更换管网，室温达标，答复如上。"})
	b.at(time.April, 28)
	b.do(h.P2, "zjj", lifecycle.Reply, lifecycle.Input{Outcome: "explain", Text: "管网改造已列入今年计划，解释如上。"})
	b.at(time.June, 1)
	h.P4 = b.register("211402197001010013", "孙明")
	b.assign(h.P4, Unit, Date(6, 30))
	b.do(h.P4, "zjj", lifecycle.Sign, lifecycle.Input{})
	h.P5 = b.register("21140219700101003X", "周红")
	b.assign(h.P5, "211400-rsj", Date(6, 30))
	b.at(time.July, 2)
	return h
}

func rebind(st *store.Store, q string) string {
	if st.Engine() != store.Postgres {
		return q
	}
	for i := 1; strings.Contains(q, "?"); i++ {
		q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
	}
	return q
}
