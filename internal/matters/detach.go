package matters

import (
	"context"
	"errors"

	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/store"
)

// DetachMatter takes a matter out of a problem (leaders and the bureau, as
// for AttachMatter); its petitions are then no longer resolved with it.
func (s *Service) DetachMatter(ctx context.Context, u org.User, problemID, matterID int64) (store.Problem, error) {
	if u.Role != org.RoleLeader && u.Role != org.RoleBureau {
		return store.Problem{}, failure.Forbidden("only leaders and the petition bureau detach matters from problems")
	}
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ProblemTx(problemID); errors.Is(err, store.ErrNotFound) {
			return failure.NotFound("problem")
		} else if err != nil {
			return err
		}
		if err := tx.DetachMatter(problemID, matterID); errors.Is(err, store.ErrNotFound) {
			return failure.Invalid("matter_id", "matter %d is not under problem %d", matterID, problemID)
		} else if err != nil {
			return err
		}
		return tx.Audit(actor(u), "problem.detach_matter", "matter", matterID, map[string]any{"problem_id": problemID}, map[string]any{"problem_id": nil})
	})
	if err != nil {
		return store.Problem{}, err
	}
	return s.Problem(ctx, problemID)
}
