package ranking

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"redress/internal/access"
	"redress/internal/failure"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// Follow-up results.
const (
	Satisfied    = "satisfied"    // 满意
	Basic        = "basic"        // 基本满意
	Dissatisfied = "dissatisfied" // 不满意
)

// FollowUpResult is a recorded follow-up and what it leads to.
type FollowUpResult struct {
	store.FollowUp
	// ReviewPrompt: the petitioner is dissatisfied and may still ask for
	// review; the bureau's next action is NextAction on the case.
	ReviewPrompt bool   `json:"review_prompt"`
	NextAction   string `json:"next_action,omitempty"`
}

// RecordFollowUp records the petitioner's satisfaction after a reply. Only the
// bureau calls back. A dissatisfied answer on a case still open to review
// puts a notice before the bureau's users pointing to the review route.
func RecordFollowUp(ctx context.Context, lc *lifecycle.Service, u org.User, petitionID int64, result, note string, now time.Time) (FollowUpResult, error) {
	var out FollowUpResult
	if u.Role != org.RoleBureau {
		return out, failure.Forbidden("only the petition bureau records follow-ups")
	}
	if result != Satisfied && result != Basic && result != Dissatisfied {
		return out, failure.Invalid("result", "result %q is not one of satisfied, basic, dissatisfied", result)
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 2000 {
		return out, failure.Invalid("note", "note may have at most 2000 characters")
	}
	st := lc.Store()
	tree, err := st.Units(ctx)
	if err != nil {
		return out, err
	}
	c, err := st.Case(ctx, petitionID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !access.CanSee(u, tree, c)) {
		return out, failure.NotFound("petition")
	}
	if err != nil {
		return out, err
	}
	if c.Petition.RepliedAt == nil {
		return out, failure.New(failure.CodeIllegalState, http.StatusConflict, "a follow-up comes after the written reply; this petition has none yet")
	}
	out.FollowUp = store.FollowUp{PetitionID: petitionID, Result: result, Note: note, ByUser: u.ID, At: now}
	if result == Dissatisfied {
		switch c.Petition.State {
		case petition.Replied:
			out.ReviewPrompt, out.NextAction = true, string(lifecycle.RequestReview)
		case petition.Reviewed:
			out.ReviewPrompt, out.NextAction = true, string(lifecycle.RequestRereview)
		}
	}
	err = st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.AddFollowUp(store.Actor{ID: u.ID, Login: u.Login}, &out.FollowUp); err != nil {
			return err
		}
		data := map[string]any{"result": result, "follow_up_id": out.ID}
		if out.ReviewPrompt {
			data["next_action"] = out.NextAction
		}
		if err := tx.AddEvent(&petition.Event{PetitionID: petitionID, At: now, ActorID: u.ID, Action: "followup", Note: note, Data: data}); err != nil {
			return err
		}
		if !out.ReviewPrompt {
			return nil
		}
		users, err := tx.Recipients(0, org.RoleBureau)
		if err != nil {
			return err
		}
		for _, b := range users {
			if err := tx.AddNotice(&store.Notice{UserID: b.ID, PetitionID: petitionID, Kind: "followup.dissatisfied",
				Title: "回访不满意：" + c.Petition.TrackingCode + " " + c.Petition.Title,
				Body:  "信访人对答复不满意，可告知其申请复查（复核）的权利和期限", CreatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
