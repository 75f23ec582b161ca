package web

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"redress/internal/access"
	"redress/internal/calendar"
	"redress/internal/petition"
	"redress/internal/store"
)

// dashProblemCases is how many of a problem's cases the leader's home lists.
const dashProblemCases = 10

// dashProblem is a hard problem (老大难) the signed-in leader leads
// (包案/领办), with the newest of the cases in its matters.
type dashProblem struct {
	store.Problem
	Cases []store.Summary
}

// dashLeaderProblems lists the problems whose lead leader is the signed-in
// user (problems.lead_user_id holds the leader's user id), newest first,
// each with its latest cases the leader may see.
func (w *Web) dashLeaderProblems(ctx context.Context, s *session) ([]dashProblem, error) {
	all, err := w.st.Problems(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("leader's problems: %w", err)
	}
	today := w.svc.Today()
	var out []dashProblem
	for _, pb := range all {
		if pb.LeadUserID != s.user.ID {
			continue
		}
		ids, err := w.st.PetitionsOfProblem(ctx, pb.ID)
		if err != nil {
			return nil, fmt.Errorf("problem %d: %w", pb.ID, err)
		}
		slices.Reverse(ids)
		dp := dashProblem{Problem: pb}
		for _, id := range ids {
			if len(dp.Cases) == dashProblemCases {
				break
			}
			c, err := w.st.Case(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("problem %d: %w", pb.ID, err)
			}
			if !access.CanSee(s.user, s.tree, c) {
				continue
			}
			dp.Cases = append(dp.Cases, dashSummary(c, today))
		}
		maskSummaries(s.user, dp.Cases)
		out = append(out, dp)
	}
	return out, nil
}

// dashSummary is a case as a list row, with its next obligation due as
// store.ListPetitions computes it (the earliest open obligation).
func dashSummary(c *petition.Case, today calendar.Date) store.Summary {
	sm := store.Summary{Petition: c.Petition, PetitionerName: c.Petitioner.Name}
	for _, d := range c.Deadlines {
		if !d.Obligation || !d.Open() {
			continue
		}
		if sm.NextDue == nil || d.DueOn.Before(*sm.NextDue) {
			due := d.DueOn
			sm.NextDue = &due
		}
	}
	if sm.NextDue != nil {
		sm.Overdue = sm.NextDue.Before(today)
	}
	return sm
}
