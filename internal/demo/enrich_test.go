package demo_test

import (
	"context"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/demo"
	"redress/internal/lifecycle"
	"redress/internal/matters"
	"redress/internal/store"
	"redress/internal/storetest"
)

// TestEnrich loads a small demo, lets the detector find its repeats, and
// checks that Enrich leaves work in every queue the UI shows: candidates
// decided and still pending, problems led by leaders with their matters and
// milestones, receptions, study meetings, follow-ups, commitments and an
// inspection; and that the audit chain still verifies.
func TestEnrich(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, calendar.Location)
	svc := lifecycle.New(st, func() time.Time { return now })
	if _, err := demo.Load(ctx, svc, demo.LoadOptions{Now: now, Count: 600}); err != nil {
		t.Fatal(err)
	}
	det := matters.NewDetector(matters.DetectorOptions{})
	if _, err := det.Backfill(ctx, st, matters.RebuildOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := demo.Enrich(ctx, svc, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Confirmed == 0 || res.Rejected == 0 || res.Problems == 0 || res.Receptions == 0 || res.Meetings == 0 ||
		res.FollowUps == 0 || res.Commitments != 5 {
		t.Fatalf("enrich recorded too little: %+v", res)
	}
	pending, err := st.RepeatCandidates(ctx, store.CandidateFilter{Decision: store.DecisionPending})
	if err != nil || len(pending) == 0 {
		t.Fatalf("no candidates left for the registrar (%v)", err)
	}
	probs, err := st.Problems(ctx, "")
	if err != nil || len(probs) != res.Problems {
		t.Fatalf("problems: %d stored, %d recorded (%v)", len(probs), res.Problems, err)
	}
	for _, p := range probs {
		if p.LeadUserID == 0 || p.LeadName == "" {
			t.Fatalf("problem %d has no lead leader: %+v", p.ID, p)
		}
	}
	recs, err := st.Receptions(ctx, store.EngagementFilter{})
	if err != nil || len(recs) != res.Receptions {
		t.Fatalf("receptions: %d stored, %d recorded (%v)", len(recs), res.Receptions, err)
	}
	if v, err := st.VerifyAudit(ctx, nil); err != nil || v.BrokenAt != 0 {
		t.Fatalf("audit chain after enrich: %+v %v", v, err)
	}
}
