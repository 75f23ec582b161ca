package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"redress/internal/engagement"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/ranking"
	"redress/internal/store"
)

// accCase is what the case page shows of accountability: the escalation
// steps taken with their explanations, how often leaders received the
// petitioner and studied the case, and the follow-ups after the reply.
type accCase struct {
	ID         int64
	Steps      []accStep
	Receptions int
	Meetings   int
	Replied    bool
	FollowUps  []store.FollowUp
	Names      map[int64]string
	// CanFollowUp: the user (the bureau) may record a follow-up.
	CanFollowUp bool
	// Prompt: the latest follow-up is dissatisfied and the review route is
	// open; NextAction is the action that takes it.
	Prompt     bool
	NextAction string
	Done       string // the accountability form just submitted
	Err        bool   // the section could not be read
}

// AccCase builds the case page's accountability section for the case the
// page shows. A failure to read it is logged and shown as a short note, so
// the rest of the case page still works.
func (v *view) AccCase() accCase {
	p, ok := v.Data.(casePage)
	if !ok || v.request == nil {
		return accCase{}
	}
	a, err := v.w.accCaseData(v.request.Context(), v.User, v.tree, p.View.Petition)
	if err != nil {
		logError("read accountability of case", err, "petition", p.View.Petition.ID)
		return accCase{ID: p.View.Petition.ID, Err: true}
	}
	switch d := v.request.URL.Query().Get("acc"); d {
	case "explain", "decide", "followup":
		a.Done = d
	}
	return a
}

func (w *Web) accCaseData(ctx context.Context, u org.User, tree *org.Tree, p petition.Petition) (accCase, error) {
	a := accCase{ID: p.ID, Replied: p.RepliedAt != nil, CanFollowUp: u.Role == org.RoleBureau && p.RepliedAt != nil}
	var scope []int64
	if u.Role.UnitScoped() {
		scope = tree.Subtree(u.UnitID)
	}
	steps, err := w.st.EscalationSteps(ctx, store.StepFilter{PetitionID: p.ID, UnitIDs: scope, Limit: 200})
	if err != nil {
		return a, err
	}
	if a.Names, err = w.accNames(ctx); err != nil {
		return a, err
	}
	slices.Reverse(steps) // oldest first, as the ladder was climbed
	a.Steps = accSteps(u, steps, a.Names, "case")
	f := engagement.Filter(u, tree, store.EngagementFilter{PetitionID: p.ID})
	rs, err := w.st.Receptions(ctx, f)
	if err != nil {
		return a, err
	}
	ms, err := w.st.StudyMeetings(ctx, f)
	if err != nil {
		return a, err
	}
	a.Receptions, a.Meetings = len(rs), len(ms)
	if a.FollowUps, err = w.st.FollowUps(ctx, p.ID); err != nil {
		return a, err
	}
	if n := len(a.FollowUps); n > 0 && a.FollowUps[n-1].Result == ranking.Dissatisfied {
		switch p.State {
		case petition.Replied:
			a.Prompt, a.NextAction = true, string(lifecycle.RequestReview)
		case petition.Reviewed:
			a.Prompt, a.NextAction = true, string(lifecycle.RequestRereview)
		}
	}
	return a, nil
}

// accFollowUp records the petitioner's satisfaction after the reply (回访).
func (w *Web) accFollowUp(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := pathID(r)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	if !w.formRead(rw, r, s) {
		return
	}
	f := accNewForm(r, "followup", id, "result", "note")
	_, err = ranking.RecordFollowUp(r.Context(), w.svc, s.user, id, f.Values["result"], f.Values["note"], w.svc.Now())
	if err == nil {
		http.Redirect(rw, r, "/petitions/"+strconv.FormatInt(id, 10)+"?acc=followup#acc-followup", http.StatusSeeOther)
		return
	}
	if accIsPageError(err) {
		w.fail(rw, r, s, err)
		return
	}
	c, lerr := w.loadVisible(r.Context(), s, id)
	if lerr != nil {
		w.fail(rw, r, s, lerr)
		return
	}
	w.accFail(s, f, err, nil)
	w.render(rw, accWithForm(r, f), s, http.StatusUnprocessableEntity, "case", w.casePage(s, c, nil, ""))
}
