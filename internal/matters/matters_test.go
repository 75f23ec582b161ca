package matters_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/matters"
	"redress/internal/petition"
	"redress/internal/store"
	"redress/internal/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) AddDays(n int)  { c.mu.Lock(); c.t = c.t.AddDate(0, 0, n); c.mu.Unlock() }

type fixture struct {
	t   *testing.T
	st  *store.Store
	svc *lifecycle.Service
	det *matters.Detector
	ms  *matters.Service
	org *storetest.Org
	clk *clock
	n   int
}

func newFixture(t *testing.T) *fixture {
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location)}
	svc := lifecycle.New(st, clk.Now)
	det := matters.NewDetector(matters.DetectorOptions{})
	svc.AddIntakeHook(det)
	return &fixture{t: t, st: st, svc: svc, det: det, ms: matters.New(svc), org: o, clk: clk}
}

// heating is one household's heating complaint; variant changes the words.
func heating(variant int) intake.Record {
	texts := []string{
		"幸福小区3号楼2单元501室今冬室温长期低于16度，多次找热力公司未解决，请求督促热力公司供暖达标。",
		"再次反映：幸福小区3号楼2单元501室家里暖气不热，室温只有十几度，热力公司一直不管，请领导督促解决供暖问题。",
	}
	return intake.Record{Channel: "letter", PetitionerName: "王秀兰", PetitionerIDNumber: "211402196505120027", Phone: "13904291234",
		DistrictCode: "211402", Address: "连山区幸福小区3号楼2单元501室", Title: "幸福小区供暖不热", Content: texts[variant%len(texts)]}
}

// wages is an unrelated matter by someone else.
func wages() intake.Record {
	return intake.Record{Channel: "hotline", PetitionerName: "刘建军", Phone: "13700001111",
		DistrictCode: "211481", Address: "兴城市古城街道", Title: "宏达建筑公司拖欠工资",
		Content: "市民来电反映，在葫芦岛宏达建筑工程有限公司工地干活，工资拖欠半年共计三万元，请求督促支付。"}
}

func (f *fixture) register(rec intake.Record) lifecycle.Registered {
	f.t.Helper()
	f.n++
	rec.ExternalID = fmt.Sprintf("T-%d", f.n)
	rec.ReceivedAt = f.clk.Now()
	r, err := f.svc.Register(context.Background(), f.org.Users["bureau"], rec, true)
	if err != nil {
		f.t.Fatalf("register: %v", err)
	}
	f.clk.AddDays(1)
	return r
}

func (f *fixture) candidates(petitionID int64) []store.RepeatCandidate {
	f.t.Helper()
	cs, err := f.st.RepeatCandidates(context.Background(), store.CandidateFilter{PetitionID: petitionID})
	if err != nil {
		f.t.Fatal(err)
	}
	return cs
}

func TestIntakeFindsRepeatAndIndexGrows(t *testing.T) {
	f := newFixture(t)
	a := f.register(heating(0))
	if len(a.Related) != 0 {
		t.Fatalf("first petition has related %v", a.Related)
	}
	f.register(wages())
	b := f.register(heating(1))
	if len(b.Related) == 0 || b.Related[0].PetitionID != a.ID {
		t.Fatalf("repeat: related = %+v, want petition %d first", b.Related, a.ID)
	}
	if f.det.Index().Len() != 3 {
		t.Fatalf("index holds %d, want 3", f.det.Index().Len())
	}
	cs := f.candidates(b.ID)
	if len(cs) != 1 || cs[0].EarlierID != a.ID || cs[0].Decision != store.DecisionPending || len(cs[0].Reasons) == 0 {
		t.Fatalf("stored candidates = %+v", cs)
	}
	// A new detector rebuilt from the store finds the same.
	det2 := matters.NewDetector(matters.DetectorOptions{})
	n, _, err := det2.Rebuild(context.Background(), f.st, matters.RebuildOptions{})
	if err != nil || n != 3 || det2.Index().Len() != 3 {
		t.Fatalf("rebuild: n=%d len=%d err=%v", n, det2.Index().Len(), err)
	}
	pairs := det2.Index().Pairs()
	if len(pairs) != 1 || pairs[0].A != "T-1" || pairs[0].B != "T-3" {
		t.Fatalf("pairs after rebuild = %+v", pairs)
	}
}

func TestRolledBackRegistrationNeverEntersIndex(t *testing.T) {
	f := newFixture(t)
	f.register(heating(0))
	boom := errors.New("boom")
	rec := heating(1)
	rec.ExternalID = "ROLLBACK-1"
	rec.ReceivedAt = f.clk.Now()
	p, err := f.svc.Prepare(context.Background(), rec, true)
	if err != nil {
		t.Fatal(err)
	}
	err = f.st.Write(context.Background(), func(tx *store.Tx) error {
		r, err := f.svc.RegisterTx(tx, f.org.Users["bureau"], p)
		if err != nil {
			return err
		}
		if len(r.Related) != 1 {
			t.Errorf("inside the transaction: related = %+v", r.Related)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("write: %v", err)
	}
	if f.det.Index().Len() != 1 {
		t.Fatalf("index holds %d after a rollback, want 1", f.det.Index().Len())
	}
	if n, _ := f.st.CountSignatures(context.Background()); n != 1 {
		t.Fatalf("%d signatures stored after a rollback, want 1", n)
	}
}

func TestSameTransactionRepeatsAreFound(t *testing.T) {
	f := newFixture(t)
	var ids []int64
	var related [][]petition.Related
	err := f.st.Write(context.Background(), func(tx *store.Tx) error {
		for i, rec := range []intake.Record{heating(0), wages(), heating(1)} {
			rec.ExternalID = fmt.Sprintf("IMP-%d", i)
			rec.ReceivedAt = f.clk.Now()
			p, err := f.svc.Prepare(context.Background(), rec, true)
			if err != nil {
				return err
			}
			r, err := f.svc.RegisterTx(tx, f.org.Users["bureau"], p)
			if err != nil {
				return err
			}
			ids = append(ids, r.ID)
			related = append(related, r.Related)
		}
		if f.det.Index().Len() != 0 {
			t.Errorf("index grew before commit: %d", f.det.Index().Len())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(related[2]) != 1 || related[2][0].PetitionID != ids[0] {
		t.Fatalf("third petition's related = %+v, want %d", related[2], ids[0])
	}
	if f.det.Index().Len() != 3 {
		t.Fatalf("index holds %d after commit, want 3", f.det.Index().Len())
	}
}

func TestConfirmWithoutNewFactsDeclinesAndMerges(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	bureau := f.org.Users["bureau"]
	a := f.register(heating(0))
	if _, err := f.svc.Do(ctx, bureau, a.ID, lifecycle.Accept, lifecycle.Input{}); err != nil {
		t.Fatal(err)
	}
	b := f.register(heating(1))
	c := f.candidates(b.ID)[0]
	if _, err := f.ms.Confirm(ctx, f.org.Users["zjj"], c.ID, matters.Decision{}); failure.Public(err).Code != failure.CodeForbidden {
		t.Fatalf("a handler confirmed: %v", err)
	}
	out, err := f.ms.Confirm(ctx, bureau, c.ID, matters.Decision{Note: "同一户供暖"})
	if err != nil {
		t.Fatal(err)
	}
	if !out.Declined || out.ReferenceID != a.ID {
		t.Fatalf("outcome = %+v", out)
	}
	cb, _ := f.st.Case(ctx, b.ID)
	ca, _ := f.st.Case(ctx, a.ID)
	if cb.Petition.State != petition.Declined || cb.Petition.MatterID != ca.Petition.MatterID {
		t.Fatalf("repeat: state %s matter %d, want declined in matter %d", cb.Petition.State, cb.Petition.MatterID, ca.Petition.MatterID)
	}
	m, err := f.st.Matter(ctx, ca.Petition.MatterID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Petitions != 2 || m.Petitioners != 1 || len(m.Channels) != 1 || m.Open != 1 || m.FirstOn.String() != "2026-03-02" || m.LastOn.String() != "2026-03-03" {
		t.Fatalf("matter = %+v", m)
	}
	if _, err := f.ms.Confirm(ctx, bureau, c.ID, matters.Decision{}); failure.Public(err).Code != failure.CodeConflict {
		t.Fatalf("second confirm: %v", err)
	}
	if _, err := f.ms.Reject(ctx, bureau, c.ID, ""); failure.Public(err).Code != failure.CodeConflict {
		t.Fatalf("reject after confirm: %v", err)
	}
	// Audited.
	entries, err := f.st.AuditFor(ctx, "repeat_candidate", fmt.Sprint(c.ID), 10)
	if err != nil || len(entries) != 1 || entries[0].Action != "repeat.confirm" {
		t.Fatalf("audit = %+v, %v", entries, err)
	}
}

func TestConfirmWithNewFactsKeepsCaseOpen(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	bureau := f.org.Users["bureau"]
	a := f.register(heating(0))
	b := f.register(heating(1))
	c := f.candidates(b.ID)[0]
	out, err := f.ms.Confirm(ctx, bureau, c.ID, matters.Decision{NewFacts: true})
	if err != nil {
		t.Fatal(err)
	}
	cb, _ := f.st.Case(ctx, b.ID)
	if out.Declined || cb.Petition.State != petition.Registered {
		t.Fatalf("new facts: outcome %+v state %s", out, cb.Petition.State)
	}
	if _, err := f.svc.Do(ctx, bureau, b.ID, lifecycle.Accept, lifecycle.Input{}); err != nil {
		t.Fatalf("accept a repeat with new facts: %v", err)
	}
	_ = a
}

func TestJoiningFinalMatterMakesAcceptRefuse(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	bureau := f.org.Users["bureau"]
	a := f.register(heating(0))
	// Close a's matter for good.
	err := f.st.Write(ctx, func(tx *store.Tx) error {
		c, err := tx.LoadCase(a.ID)
		if err != nil {
			return err
		}
		return tx.MarkMatterFinal(c.Petition.MatterID, f.clk.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	b := f.register(heating(1))
	c := f.candidates(b.ID)[0]
	if _, err := f.ms.Confirm(ctx, bureau, c.ID, matters.Decision{NewFacts: true}); failure.Public(err).Code != failure.CodeMatterFinal {
		t.Fatalf("new facts on a final matter: %v", err)
	}
	// Join without declining (the case was accepted... no: still registered),
	// so test the accept refusal on a third petition merged through a
	// second candidate after the repeat was accepted.
	if _, err := f.svc.Do(ctx, bureau, b.ID, lifecycle.Accept, lifecycle.Input{}); err != nil {
		t.Fatal(err)
	}
	out, err := f.ms.Confirm(ctx, bureau, c.ID, matters.Decision{})
	if err != nil {
		t.Fatal(err)
	}
	if out.Declined {
		t.Fatal("an accepted petition was declined")
	}
	d := f.register(heating(0))
	cd := f.candidates(d.ID)
	if len(cd) == 0 {
		t.Fatal("no candidate for the third petition")
	}
	out, err = f.ms.Confirm(ctx, bureau, cd[0].ID, matters.Decision{})
	if err != nil {
		t.Fatal(err)
	}
	if !out.Declined {
		t.Fatalf("repeat of a final matter not declined: %+v", out)
	}
	// A petition that joins a final matter any other way is refused by accept.
	e := f.register(wages())
	err = f.st.Write(ctx, func(tx *store.Tx) error {
		ca, _ := tx.LoadCase(a.ID)
		ce, _ := tx.LoadCase(e.ID)
		return tx.MergeMatters(ca.Petition.MatterID, ce.Petition.MatterID, f.clk.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Do(ctx, bureau, e.ID, lifecycle.Accept, lifecycle.Input{}); failure.Public(err).Code != failure.CodeMatterFinal {
		t.Fatalf("accept in a final matter: %v", err)
	}
}

func TestBackfillSignsPetitionsStoredWithoutTheHook(t *testing.T) {
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location)}
	plain := lifecycle.New(st, clk.Now) // like demo.Load's own service: no hook
	for i, rec := range []intake.Record{heating(0), wages(), heating(1)} {
		rec.ExternalID, rec.ReceivedAt = fmt.Sprintf("OLD-%d", i), clk.Now()
		if _, err := plain.Register(context.Background(), o.Users["bureau"], rec, true); err != nil {
			t.Fatal(err)
		}
	}
	det := matters.NewDetector(matters.DetectorOptions{})
	if n, _, err := det.Rebuild(context.Background(), st, matters.RebuildOptions{}); err != nil || n != 0 {
		t.Fatalf("rebuild: %d %v", n, err)
	}
	n, err := det.Backfill(context.Background(), st, matters.RebuildOptions{})
	if err != nil || n != 3 || det.Index().Len() != 3 {
		t.Fatalf("backfill: n=%d len=%d err=%v", n, det.Index().Len(), err)
	}
	cs, _ := st.RepeatCandidates(context.Background(), store.CandidateFilter{})
	if len(cs) != 1 {
		t.Fatalf("candidates after backfill: %+v", cs)
	}
	if n, err := det.Backfill(context.Background(), st, matters.RebuildOptions{}); err != nil || n != 0 {
		t.Fatalf("second backfill: %d %v", n, err)
	}
}

func TestSignaturesOfAnOldFormatAreSignedAgain(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.register(heating(0))
	f.register(wages())
	b := f.register(heating(1))
	// Petition b's signature as an older detector wrote it.
	err := f.st.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec("UPDATE repeat_signatures SET signature = ? WHERE petition_id = ?", []byte{2, 0, 0, 0}, b.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	det := matters.NewDetector(matters.DetectorOptions{})
	n, _, err := det.Rebuild(ctx, f.st, matters.RebuildOptions{})
	if err != nil || n != 2 {
		t.Fatalf("rebuild: %d %v", n, err)
	}
	if n, err := det.Backfill(ctx, f.st, matters.RebuildOptions{}); err != nil || n != 1 {
		t.Fatalf("backfill: %d %v", n, err)
	}
	if det.Index().Len() != 3 {
		t.Fatalf("index holds %d", det.Index().Len())
	}
	cs := f.candidates(b.ID)
	if len(cs) != 1 || cs[0].EarlierID != a.ID {
		t.Fatalf("candidates after signing again: %+v", cs)
	}
	// The earlier petition, signed again, does not list later ones.
	err = f.st.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec("UPDATE repeat_signatures SET signature = ? WHERE petition_id = ?", []byte{2}, a.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	det = matters.NewDetector(matters.DetectorOptions{})
	if _, _, err := det.Rebuild(ctx, f.st, matters.RebuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := det.Backfill(ctx, f.st, matters.RebuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if cs := f.candidates(a.ID); len(cs) != 1 || cs[0].PetitionID != b.ID {
		t.Fatalf("candidates of the earlier petition: %+v", cs)
	}
}
