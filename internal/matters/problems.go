package matters

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// Hard problems (老大难): a problem gathers the matters that a long-standing
// issue produced, under a lead leader (包案/领办) with responsible units, a
// plan, dated milestones, a status and notes. Leaders own problems; the
// bureau may attach matters and add notes; everyone else reads.

// ProblemInput creates or changes a problem; on change, empty fields keep
// their value and nil slices leave units alone.
type ProblemInput struct {
	Title       string  `json:"title,omitempty"`
	Description string  `json:"description,omitempty"`
	LeadUserID  int64   `json:"lead_user_id,omitempty"` // a user with the leader role; default the caller
	Plan        string  `json:"plan,omitempty"`
	Status      string  `json:"status,omitempty"`
	UnitIDs     []int64 `json:"unit_ids,omitempty"`
}

func leaderOnly(u org.User) error {
	if u.Role != org.RoleLeader {
		return failure.Forbidden("only leaders own problems (包案/领办)")
	}
	return nil
}

func (s *Service) checkProblem(ctx context.Context, in *ProblemInput) error {
	if in.LeadUserID != 0 {
		lead, err := s.st.UserByID(ctx, in.LeadUserID)
		if err != nil || lead.Role != org.RoleLeader {
			return failure.Invalid("lead_user_id", "lead_user_id must be a user with the leader role")
		}
	}
	switch in.Status {
	case "", store.ProblemOpen, store.ProblemInProgress, store.ProblemResolved:
	default:
		return failure.Invalid("status", "status %q is not one of open, in_progress, resolved", in.Status)
	}
	if len(in.UnitIDs) > 0 {
		tree, err := s.st.Units(ctx)
		if err != nil {
			return err
		}
		for i, id := range in.UnitIDs {
			if _, ok := tree.Unit(id); !ok {
				return failure.Invalid(fmt.Sprintf("unit_ids[%d]", i), "unit %d does not exist", id)
			}
		}
	}
	return nil
}

// CreateProblem registers a problem, led by the caller unless LeadUserID names another leader.
func (s *Service) CreateProblem(ctx context.Context, u org.User, in ProblemInput) (store.Problem, error) {
	if err := leaderOnly(u); err != nil {
		return store.Problem{}, err
	}
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		return store.Problem{}, failure.Invalid("title", "title is required")
	}
	if err := s.checkProblem(ctx, &in); err != nil {
		return store.Problem{}, err
	}
	now := s.svc.Now().UTC()
	p := store.Problem{Title: in.Title, Description: strings.TrimSpace(in.Description), LeadUserID: in.LeadUserID, Plan: strings.TrimSpace(in.Plan),
		Status: in.Status, UnitIDs: in.UnitIDs, CreatedBy: u.ID, CreatedAt: now, UpdatedAt: now}
	if p.LeadUserID == 0 {
		p.LeadUserID = u.ID
	}
	if p.Status == "" {
		p.Status = store.ProblemOpen
	}
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertProblem(&p); err != nil {
			return err
		}
		return tx.Audit(actor(u), "problem.create", "problem", p.ID, nil, problemSnapshot(p))
	})
	if err != nil {
		return store.Problem{}, err
	}
	return s.Problem(ctx, p.ID)
}

func problemSnapshot(p store.Problem) map[string]any {
	return map[string]any{"title": p.Title, "lead_user_id": p.LeadUserID, "status": p.Status, "plan": p.Plan, "unit_ids": p.UnitIDs}
}

// Problem reads a problem.
func (s *Service) Problem(ctx context.Context, id int64) (store.Problem, error) {
	p, err := s.st.Problem(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return p, failure.NotFound("problem")
	}
	return p, err
}

// UpdateProblem changes a problem (leaders).
func (s *Service) UpdateProblem(ctx context.Context, u org.User, id int64, in ProblemInput) (store.Problem, error) {
	if err := leaderOnly(u); err != nil {
		return store.Problem{}, err
	}
	if err := s.checkProblem(ctx, &in); err != nil {
		return store.Problem{}, err
	}
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		p, err := tx.ProblemTx(id)
		if errors.Is(err, store.ErrNotFound) {
			return failure.NotFound("problem")
		}
		if err != nil {
			return err
		}
		before := problemSnapshot(p)
		if t := strings.TrimSpace(in.Title); t != "" {
			p.Title = t
		}
		if d := strings.TrimSpace(in.Description); d != "" {
			p.Description = d
		}
		if pl := strings.TrimSpace(in.Plan); pl != "" {
			p.Plan = pl
		}
		if in.LeadUserID != 0 {
			p.LeadUserID = in.LeadUserID
		}
		now := s.svc.Now().UTC()
		if in.Status != "" && in.Status != p.Status {
			if in.Status == store.ProblemResolved {
				p.ResolvedAt = &now
			} else {
				p.ResolvedAt = nil
			}
			p.Status = in.Status
		}
		p.UpdatedAt = now
		if err := tx.UpdateProblem(&p); err != nil {
			return err
		}
		if in.UnitIDs != nil {
			if err := tx.SetProblemUnits(id, in.UnitIDs); err != nil {
				return err
			}
			p.UnitIDs = in.UnitIDs
		}
		return tx.Audit(actor(u), "problem.update", "problem", id, before, problemSnapshot(p))
	})
	if err != nil {
		return store.Problem{}, err
	}
	return s.Problem(ctx, id)
}

// AttachMatter puts a matter under a problem (leaders and the bureau).
func (s *Service) AttachMatter(ctx context.Context, u org.User, problemID, matterID int64) (store.Problem, error) {
	if u.Role != org.RoleLeader && u.Role != org.RoleBureau {
		return store.Problem{}, failure.Forbidden("only leaders and the petition bureau attach matters to problems")
	}
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ProblemTx(problemID); errors.Is(err, store.ErrNotFound) {
			return failure.NotFound("problem")
		} else if err != nil {
			return err
		}
		before, err := tx.AttachMatter(problemID, matterID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return failure.Invalid("matter_id", "matter %d does not exist", matterID)
		case errors.Is(err, store.ErrConflict):
			return failure.Invalid("matter_id", "matter %d was merged into another; attach that one", matterID)
		case err != nil:
			return err
		}
		return tx.Audit(actor(u), "problem.attach_matter", "matter", matterID, map[string]any{"problem_id": before}, map[string]any{"problem_id": problemID})
	})
	if err != nil {
		return store.Problem{}, err
	}
	return s.Problem(ctx, problemID)
}

// MilestoneInput adds a milestone.
type MilestoneInput struct {
	Title string        `json:"title"`
	DueOn calendar.Date `json:"due_on"`
}

// AddMilestone adds a dated milestone to a problem's plan (leaders).
func (s *Service) AddMilestone(ctx context.Context, u org.User, problemID int64, in MilestoneInput) (store.Milestone, error) {
	if err := leaderOnly(u); err != nil {
		return store.Milestone{}, err
	}
	m := store.Milestone{Title: strings.TrimSpace(in.Title), DueOn: in.DueOn}
	if m.Title == "" || m.DueOn.IsZero() {
		return m, failure.Invalid("title", "a milestone needs a title and a due_on date")
	}
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ProblemTx(problemID); errors.Is(err, store.ErrNotFound) {
			return failure.NotFound("problem")
		} else if err != nil {
			return err
		}
		if err := tx.AddMilestone(problemID, &m, s.svc.Now()); err != nil {
			return err
		}
		return tx.Audit(actor(u), "problem.milestone_add", "problem", problemID, nil, map[string]any{"milestone_id": m.ID, "title": m.Title, "due_on": m.DueOn.String()})
	})
	return m, err
}

// CompleteMilestone marks a milestone done (leaders).
func (s *Service) CompleteMilestone(ctx context.Context, u org.User, problemID, milestoneID int64) error {
	if err := leaderOnly(u); err != nil {
		return err
	}
	return s.st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CompleteMilestone(problemID, milestoneID, s.svc.Now()); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return failure.NotFound("open milestone")
			}
			return err
		}
		return tx.Audit(actor(u), "problem.milestone_done", "problem", problemID, nil, map[string]any{"milestone_id": milestoneID})
	})
}

// AddNote adds a progress note (leaders and the bureau).
func (s *Service) AddNote(ctx context.Context, u org.User, problemID int64, text string) (store.Note, error) {
	if u.Role != org.RoleLeader && u.Role != org.RoleBureau {
		return store.Note{}, failure.Forbidden("only leaders and the petition bureau add notes to problems")
	}
	n := store.Note{UserID: u.ID, Text: strings.TrimSpace(text), At: s.svc.Now().UTC()}
	if n.Text == "" {
		return n, failure.Invalid("text", "text is required")
	}
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ProblemTx(problemID); errors.Is(err, store.ErrNotFound) {
			return failure.NotFound("problem")
		} else if err != nil {
			return err
		}
		if err := tx.AddProblemNote(problemID, &n); err != nil {
			return err
		}
		return tx.Audit(actor(u), "problem.note", "problem", problemID, nil, map[string]any{"note_id": n.ID})
	})
	return n, err
}

// Step is one lifecycle action on one petition of a problem's matters.
type Step struct {
	PetitionID int64            `json:"petition_id"`
	Action     lifecycle.Action `json:"action"`
	Input      lifecycle.Input  `json:"input"`
}

// Resolution is what resolving a problem did.
type Resolution struct {
	Problem store.Problem `json:"problem"`
	Steps   int           `json:"steps"`
}

// Offer lists, for resolving a problem, each petition of its matters still
// open with the actions the caller may take on it now.
type Offer struct {
	PetitionID   int64              `json:"petition_id"`
	TrackingCode string             `json:"tracking_code"`
	MatterID     int64              `json:"matter_id"`
	State        petition.State     `json:"state"`
	Actions      []lifecycle.Action `json:"actions"`
}

// ResolveOffer is the offer to close a problem's matters together.
func (s *Service) ResolveOffer(ctx context.Context, u org.User, problemID int64) ([]Offer, error) {
	p, err := s.Problem(ctx, problemID)
	if err != nil {
		return nil, err
	}
	tree, err := s.st.Units(ctx)
	if err != nil {
		return nil, err
	}
	out := []Offer{}
	for _, m := range p.MatterIDs {
		ps, err := s.st.MatterPetitions(ctx, m)
		if err != nil {
			return nil, err
		}
		for _, mp := range ps {
			if !open(mp.State) {
				continue
			}
			c, err := s.st.Case(ctx, mp.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, Offer{PetitionID: mp.ID, TrackingCode: mp.TrackingCode, MatterID: m, State: mp.State, Actions: s.svc.Allowed(u, tree, c)})
		}
	}
	return out, nil
}

// Resolve takes each step (each petition with its own reply, decision or
// closing, through the lifecycle as the caller) in one transaction, all or
// nothing: a step that is not allowed stops everything and the error names
// its case. Each step must be on a petition of the problem's matters. When
// no petition of the problem is left open afterwards, the problem is
// marked resolved.
func (s *Service) Resolve(ctx context.Context, u org.User, problemID int64, steps []Step) (Resolution, error) {
	if len(steps) == 0 {
		return Resolution{}, failure.Invalid("steps", "at least one step is required")
	}
	if len(steps) > MaxApply {
		return Resolution{}, failure.Invalid("steps", "at most %d steps at once", MaxApply)
	}
	p, err := s.Problem(ctx, problemID)
	if err != nil {
		return Resolution{}, err
	}
	inProblem := map[int64]bool{}
	for _, id := range p.MatterIDs {
		ps, err := s.st.MatterPetitions(ctx, id)
		if err != nil {
			return Resolution{}, err
		}
		for _, mp := range ps {
			inProblem[mp.ID] = true
		}
	}
	for i, st := range steps {
		if !inProblem[st.PetitionID] {
			return Resolution{}, failure.Invalid(fmt.Sprintf("steps[%d].petition_id", i), "petition %d is not in this problem's matters", st.PetitionID)
		}
		if _, ok := lifecycle.ParseAction(string(st.Action)); !ok {
			return Resolution{}, failure.Invalid(fmt.Sprintf("steps[%d].action", i), "action %q does not exist", st.Action)
		}
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		for _, st := range steps {
			if err := s.svc.DoTx(tx, u, st.PetitionID, st.Action, st.Input); err != nil {
				return namedCase(tx, st.PetitionID, err)
			}
		}
		open, err := tx.ProblemOpenPetitions(problemID)
		if err != nil {
			return err
		}
		pb, err := tx.ProblemTx(problemID)
		if err != nil {
			return err
		}
		if open == 0 && pb.Status != store.ProblemResolved {
			before := problemSnapshot(pb)
			now := s.svc.Now().UTC()
			pb.Status, pb.ResolvedAt, pb.UpdatedAt = store.ProblemResolved, &now, now
			if err := tx.UpdateProblem(&pb); err != nil {
				return err
			}
			if err := tx.Audit(actor(u), "problem.resolve", "problem", problemID, before, problemSnapshot(pb)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Resolution{}, err
	}
	p, err = s.Problem(ctx, problemID)
	return Resolution{Problem: p, Steps: len(steps)}, err
}
