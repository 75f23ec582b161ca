package matters_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/matters"
	"redress/internal/petition"
	"redress/internal/stats"
	"redress/internal/store"
	"redress/internal/storetest"
)

// TestRatesOnCraftedData: seven petitions whose categories and outcomes are
// set directly, and the rates worked out by hand.
func TestRatesOnCraftedData(t *testing.T) {
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	now := time.Date(2026, 6, 30, 12, 0, 0, 0, calendar.Location)
	svc := lifecycle.New(st, func() time.Time { return now })
	ctx := context.Background()
	day := func(s string) time.Time {
		d, _ := calendar.ParseDate(s)
		return d.EndOfDay().Add(-12 * time.Hour)
	}
	type craft struct {
		received, district string
		unit               int64
		state              petition.State
		reply, review      string
		replied, closed    string
		group              int // petitions with the same group share a matter
		reopened           bool
	}
	crafts := []craft{
		{received: "2026-01-10", district: "211402", unit: o.Housing.ID, state: petition.Closed, closed: "2026-01-20", replied: "2026-01-18", reply: "explain", group: 1},
		{received: "2026-01-15", district: "211402", unit: o.Housing.ID, state: petition.Handling, group: 1},
		{received: "2026-02-01", district: "211481", unit: o.XCHousing.ID, state: petition.Replied, reply: "support", replied: "2026-06-01"},
		{received: "2026-03-01", district: "211481", unit: o.HRSS.ID, state: petition.Reviewed, reply: "explain", review: "support", replied: "2026-03-20", reopened: true},
		{received: "2026-06-20", district: "211402", unit: o.Housing.ID, state: petition.Handling},
		{received: "2026-05-01", district: "211402", state: petition.Registered},
		{received: "2026-05-02", district: "211402", state: petition.Declined},
	}
	matterOf := map[int]int64{}
	for i, c := range crafts {
		r, err := svc.Register(ctx, o.Users["bureau"], heatingAt(i, c.district, day(c.received)), true)
		if err != nil {
			t.Fatal(err)
		}
		err = st.Write(ctx, func(tx *store.Tx) error {
			cs, err := tx.LoadCase(r.ID)
			if err != nil {
				return err
			}
			p := &cs.Petition
			p.State, p.UnitID, p.ReplyOutcome, p.ReviewOutcome = c.state, c.unit, c.reply, c.review
			if c.replied != "" {
				t := day(c.replied)
				p.RepliedAt = &t
			}
			if c.closed != "" {
				t := day(c.closed)
				p.ClosedAt = &t
			}
			if c.group != 0 {
				if m, ok := matterOf[c.group]; ok {
					p.MatterID = m
				} else {
					matterOf[c.group] = p.MatterID
				}
			}
			if c.reopened {
				if err := tx.AddEvent(&petition.Event{PetitionID: p.ID, At: day(c.replied).Add(24 * time.Hour), Action: "request-review"}); err != nil {
					return err
				}
			}
			return tx.UpdatePetition(p)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	period := stats.Period{From: calendar.NewDate(2026, 1, 1), To: calendar.NewDate(2026, 6, 30)}
	rs, err := matters.New(svc).Rates(ctx, o.Users["inspector"], period, matters.RateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range rs.Categories {
		got[c.Category] = fmt.Sprintf("%d/%d", c.Overall.Hits, c.Overall.Total)
		for _, u := range c.Units {
			got[fmt.Sprintf("%s unit %d", c.Category, u.UnitID)] = fmt.Sprintf("%d/%d", u.Rate.Hits, u.Rate.Total)
		}
		for _, d := range c.Districts {
			got[c.Category+" "+d.District] = fmt.Sprintf("%d/%d", d.Rate.Hits, d.Rate.Total)
		}
	}
	want := map[string]string{
		"all": "3/5", fmt.Sprintf("all unit %d", o.Housing.ID): "1/3", fmt.Sprintf("all unit %d", o.XCHousing.ID): "1/1",
		fmt.Sprintf("all unit %d", o.HRSS.ID): "1/1", "all 211402": "1/3", "all 211481": "2/2",
		"repeat": "1/2", fmt.Sprintf("repeat unit %d", o.Housing.ID): "1/2", "repeat 211402": "1/2",
		"backlog": "2/3", fmt.Sprintf("backlog unit %d", o.Housing.ID): "0/1", fmt.Sprintf("backlog unit %d", o.XCHousing.ID): "1/1",
		fmt.Sprintf("backlog unit %d", o.HRSS.ID): "1/1", "backlog 211402": "0/1", "backlog 211481": "2/2",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %s", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// Stricter backlog: only open longer than 90 days.
	only := store.BacklogRule{OpenDays: 90}
	rs, err = matters.New(svc).Rates(ctx, o.Users["inspector"], period, matters.RateOptions{Backlog: &only})
	if err != nil {
		t.Fatal(err)
	}
	if b := rs.Categories[1]; b.Category != "backlog" || b.Overall.Hits != 1 || b.Overall.Total != 2 {
		t.Errorf("open-only backlog = %+v", b.Overall)
	}
	// A handler sees only its unit's cases (none are assigned in this data set).
	rs, err = matters.New(svc).Rates(ctx, o.Users["zjj"], period, matters.RateOptions{})
	if err != nil || rs.Categories[2].Overall.Total != 0 {
		t.Errorf("handler's rates = %+v, %v", rs.Categories[2].Overall, err)
	}
}

func heatingAt(i int, district string, at time.Time) intake.Record {
	r := heating(i)
	r.ExternalID = fmt.Sprintf("RATE-%d", i)
	r.ReceivedAt = at
	r.DistrictCode = district
	r.PetitionerIDNumber = ""
	return r
}
