package matters

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"redress/internal/failure"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// Service takes registrars' decisions on repeat candidates and reads matters.
type Service struct {
	svc *lifecycle.Service
	st  *store.Store
}

// New returns the service on the workflow svc.
func New(svc *lifecycle.Service) *Service { return &Service{svc: svc, st: svc.Store()} }

// Decision is a registrar's answer to a candidate.
type Decision struct {
	// NewFacts: the repeat brings new facts or reasons. It then joins the
	// matter but stays a case of its own (see Confirm).
	NewFacts bool   `json:"new_facts,omitempty"`
	Note     string `json:"note,omitempty"`
}

// Outcome says what confirming a candidate did.
type Outcome struct {
	Candidate store.RepeatCandidate `json:"candidate"`
	MatterID  int64                 `json:"matter_id"`
	// MergedMatter is the matter that was folded into MatterID (0: none).
	MergedMatter int64 `json:"merged_matter,omitempty"`
	// Declined is true when the new petition was closed as a repeat of
	// ReferenceID (the matter's open case, or the earlier petition).
	Declined    bool  `json:"declined"`
	ReferenceID int64 `json:"reference_id,omitempty"`
}

func canDecide(u org.User) error {
	if u.Role != org.RoleBureau {
		return failure.Forbidden("only the petition bureau's registrars decide repeat candidates")
	}
	return nil
}

// open states are those of a case still being worked on.
func open(s petition.State) bool {
	return s != petition.Closed && s != petition.Declined
}

// Confirm records that candidate id is a repeat and applies the repeat rules,
// all in one transaction:
//
//   - The new petition's matter is merged into the earlier petition's matter
//     (all petitions of both join; the merged matter is final if either was).
//   - Without new facts, a new petition still only registered is declined
//     (不予受理) through the ordinary lifecycle action, with a reason naming
//     the case it repeats: the open case of the matter if there is one, else
//     the earlier petition. This is the 12345 rule "a repeat without new
//     facts gets the progress of the existing case, not a new case" done with
//     the statutory steps: the petitioner is told (the decline notice) where
//     the matter stands, and no second case runs. A petition already
//     accepted keeps running; merging never undoes a statutory step.
//   - With new facts, the petition joins the matter and stays a case of its
//     own, to be accepted and handled with its own deadlines (the matter is
//     extended: its counts and last date grow). On a matter closed for good
//     (终结) new facts make a new matter, not a repeat: Confirm refuses and the
//     registrar rejects the candidate instead.
//   - A repeat without new facts of a matter closed for good is declined
//     with Art. 36 as the reason; accept would refuse it anyway, since its
//     matter is now final.
func (s *Service) Confirm(ctx context.Context, u org.User, id int64, d Decision) (Outcome, error) {
	if err := canDecide(u); err != nil {
		return Outcome{}, err
	}
	var out Outcome
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		out = Outcome{}
		c, err := tx.RepeatCandidate(id)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return failure.NotFound("repeat candidate")
			}
			return err
		}
		if c.Decision != store.DecisionPending {
			return failure.New(failure.CodeConflict, http.StatusConflict, "repeat candidate %d was %s already", id, c.Decision)
		}
		newer, err := tx.LoadCase(c.PetitionID)
		if err != nil {
			return err
		}
		earlier, err := tx.LoadCase(c.EarlierID)
		if err != nil {
			return err
		}
		if d.NewFacts && earlier.MatterFinal != nil {
			return failure.New(failure.CodeMatterFinal, http.StatusConflict,
				"the matter of %s was closed for good; new facts make a new matter: reject this candidate instead", earlier.Petition.TrackingCode)
		}
		now := s.svc.Now().UTC()
		if err := tx.DecideRepeatCandidate(id, store.DecisionConfirmed, d.NewFacts, strings.TrimSpace(d.Note), u.ID, now); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return failure.New(failure.CodeConflict, http.StatusConflict, "repeat candidate %d was decided already", id)
			}
			return err
		}
		into, from := earlier.Petition.MatterID, newer.Petition.MatterID
		if from < into {
			into, from = from, into // keep the older matter
		}
		if into != from {
			if err := tx.MergeMatters(into, from, now); err != nil {
				return err
			}
			if err := tx.Audit(actor(u), "matter.merge", "matter", into, map[string]any{"matters": []int64{into, from}},
				map[string]any{"matter_id": into, "merged": from}); err != nil {
				return err
			}
			out.MergedMatter = from
		}
		out.MatterID = into
		if !d.NewFacts && newer.Petition.State == petition.Registered {
			ref, err := s.reference(ctx, tx, into, newer.Petition.ID, earlier)
			if err != nil {
				return err
			}
			reason := fmt.Sprintf("重复信访：与信访件 %s 为同一信访事项，无新的事实和理由，不再另行受理；请关注原件办理进度。(repeat of %s without new facts; follow that case)",
				ref.TrackingCode, ref.TrackingCode)
			if earlier.MatterFinal != nil {
				reason = fmt.Sprintf("重复信访：与信访件 %s 为同一信访事项，该事项已办结终结，同一事实和理由不再受理（《信访工作条例》第三十六条）。(matter closed for good, Art. 36)", ref.TrackingCode)
			}
			if err := s.svc.DoTx(tx, u, newer.Petition.ID, lifecycle.Decline, lifecycle.Input{Reason: reason}); err != nil {
				return fmt.Errorf("decline repeat %d: %w", newer.Petition.ID, err)
			}
			out.Declined, out.ReferenceID = true, ref.ID
		}
		c.Decision, c.NewFacts, c.Note, c.DecidedBy, c.DecidedAt = store.DecisionConfirmed, d.NewFacts, strings.TrimSpace(d.Note), u.ID, &now
		out.Candidate = c
		return tx.Audit(actor(u), "repeat.confirm", "repeat_candidate", id, map[string]any{"decision": store.DecisionPending},
			map[string]any{"decision": store.DecisionConfirmed, "petition_id": c.PetitionID, "earlier_id": c.EarlierID,
				"new_facts": d.NewFacts, "matter_id": into, "declined": out.Declined, "reference_id": out.ReferenceID})
	})
	return out, err
}

// reference picks the case a declined repeat points to: the newest open
// case of the matter other than the repeat itself, else the earlier petition.
func (s *Service) reference(ctx context.Context, tx *store.Tx, matterID, self int64, earlier *petition.Case) (store.MatterPetition, error) {
	ps, err := tx.MatterPetitionsTx(matterID)
	if err != nil {
		return store.MatterPetition{}, err
	}
	for _, p := range slices.Backward(ps) {
		if p.ID != self && open(p.State) {
			return p, nil
		}
	}
	return store.MatterPetition{ID: earlier.Petition.ID, TrackingCode: earlier.Petition.TrackingCode}, nil
}

// Reject records that candidate id is not a repeat.
func (s *Service) Reject(ctx context.Context, u org.User, id int64, note string) (store.RepeatCandidate, error) {
	if err := canDecide(u); err != nil {
		return store.RepeatCandidate{}, err
	}
	var c store.RepeatCandidate
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		var err error
		c, err = tx.RepeatCandidate(id)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return failure.NotFound("repeat candidate")
			}
			return err
		}
		now := s.svc.Now().UTC()
		if err := tx.DecideRepeatCandidate(id, store.DecisionRejected, false, strings.TrimSpace(note), u.ID, now); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return failure.New(failure.CodeConflict, http.StatusConflict, "repeat candidate %d was %s already", id, c.Decision)
			}
			return err
		}
		c.Decision, c.Note, c.DecidedBy, c.DecidedAt = store.DecisionRejected, strings.TrimSpace(note), u.ID, &now
		return tx.Audit(actor(u), "repeat.reject", "repeat_candidate", id, map[string]any{"decision": store.DecisionPending},
			map[string]any{"decision": store.DecisionRejected, "petition_id": c.PetitionID, "earlier_id": c.EarlierID})
	})
	return c, err
}

func actor(u org.User) store.Actor {
	if u.ID == 0 {
		return store.System
	}
	return store.Actor{ID: u.ID, Login: u.Login}
}
