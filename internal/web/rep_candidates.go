package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"redress/internal/access"
	"redress/internal/failure"
	"redress/internal/matters"
	"redress/internal/petition"
	"redress/internal/store"
)

// repSide is one petition of a candidate pair as the reader may see it
// (nil Case: not visible to the reader).
type repSide struct {
	Case *petition.Case
}

// repCandidateView is a candidate with both petitions side by side, the
// decision form (pending) or the outcome (decided).
type repCandidateView struct {
	C       store.RepeatCandidate
	New     repSide
	Earlier repSide
	// After a decision: the matter the new petition is in now and, if it was
	// declined as a repeat without new facts, its decline reason.
	MatterID int64
	Declined bool
	Reason   string
	Form     repDecisionForm
}

// repDecisionForm is what the registrar typed and the errors beside it.
type repDecisionForm struct {
	NewFacts bool
	Note     string
	Errors   map[string]string
}

type repCandidatesPage struct {
	Decision string
	Items    []repCandidateView
	Next     int64 // id to continue after (0: no more)
	Done     string
}

const repQueuePage = 30

func (w *Web) repSide(ctx context.Context, s *session, id int64) (repSide, error) {
	c, err := w.st.Case(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return repSide{}, nil
	}
	if err != nil {
		return repSide{}, err
	}
	if !access.CanSee(s.user, s.tree, c) {
		return repSide{}, nil
	}
	return repSide{Case: access.MaskCase(s.user, c)}, nil
}

// repCandidateView loads both petitions of a candidate and, once decided, where the new one stands.
func (w *Web) repCandidateView(ctx context.Context, s *session, c store.RepeatCandidate) (repCandidateView, error) {
	v := repCandidateView{C: c, Form: repDecisionForm{Errors: map[string]string{}}}
	var err error
	if v.New, err = w.repSide(ctx, s, c.PetitionID); err != nil {
		return v, err
	}
	if v.Earlier, err = w.repSide(ctx, s, c.EarlierID); err != nil {
		return v, err
	}
	if c.Decision == store.DecisionConfirmed && v.New.Case != nil {
		p := v.New.Case.Petition
		v.MatterID = p.MatterID
		v.Declined = p.State == petition.Declined
		v.Reason = p.DeclineReason
	}
	return v, nil
}

func (w *Web) repCandidates(rw http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	d := q.Get("decision")
	switch d {
	case store.DecisionPending, store.DecisionConfirmed, store.DecisionRejected:
	default:
		d = store.DecisionPending
	}
	after, ok := repFormInt(q.Get("after"))
	if !ok {
		after = 0
	}
	cs, err := w.st.RepeatCandidates(r.Context(), store.CandidateFilter{Decision: d, AfterID: after, Limit: repQueuePage + 1})
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	p := repCandidatesPage{Decision: d, Done: q.Get("done")}
	if len(cs) > repQueuePage {
		cs = cs[:repQueuePage]
		p.Next = cs[len(cs)-1].ID
	}
	for _, c := range cs {
		v, err := w.repCandidateView(r.Context(), s, c)
		if err != nil {
			w.fail(rw, r, s, err)
			return
		}
		p.Items = append(p.Items, v)
	}
	w.render(rw, r, s, http.StatusOK, "rep_candidates", p)
}

// repLoadCandidate reads one candidate (the list's first after id-1).
func (w *Web) repLoadCandidate(ctx context.Context, id int64) (store.RepeatCandidate, error) {
	cs, err := w.st.RepeatCandidates(ctx, store.CandidateFilter{AfterID: id - 1, Limit: 1})
	if err != nil {
		return store.RepeatCandidate{}, err
	}
	if len(cs) == 0 || cs[0].ID != id {
		return store.RepeatCandidate{}, failure.NotFound("repeat candidate")
	}
	return cs[0], nil
}

func (w *Web) repCandidate(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := idOf(r, "id", "id")
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.repShowCandidate(rw, r, s, id, http.StatusOK, nil)
}

// repShowCandidate renders one candidate; form carries a failed decision.
func (w *Web) repShowCandidate(rw http.ResponseWriter, r *http.Request, s *session, id int64, status int, form *repDecisionForm) {
	c, err := w.repLoadCandidate(r.Context(), id)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	v, err := w.repCandidateView(r.Context(), s, c)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	if form != nil {
		v.Form = *form
	}
	w.render(rw, r, s, status, "rep_candidate", struct {
		Item repCandidateView
		Done string
	}{v, r.URL.Query().Get("done")})
}

func (w *Web) repDecisionForm(r *http.Request) repDecisionForm {
	return repDecisionForm{NewFacts: r.PostForm.Get("new_facts") != "", Note: strings.TrimSpace(r.PostForm.Get("note")), Errors: map[string]string{}}
}

func (w *Web) repConfirm(rw http.ResponseWriter, r *http.Request, s *session) {
	w.repDecide(rw, r, s, true)
}

func (w *Web) repReject(rw http.ResponseWriter, r *http.Request, s *session) {
	w.repDecide(rw, r, s, false)
}

func (w *Web) repDecide(rw http.ResponseWriter, r *http.Request, s *session, confirm bool) {
	id, err := idOf(r, "id", "id")
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	if !w.formRead(rw, r, s) {
		return
	}
	form := w.repDecisionForm(r)
	done := "rejected"
	if confirm {
		done = "confirmed"
		_, err = w.repService().Confirm(r.Context(), s.user, id, matters.Decision{NewFacts: form.NewFacts, Note: form.Note})
	} else {
		_, err = w.repService().Reject(r.Context(), s.user, id, form.Note)
	}
	if err == nil {
		http.Redirect(rw, r, "/repeats/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
		return
	}
	fe := failure.Public(err)
	if fe.Code == failure.CodeNotFound || fe.Status >= 500 {
		w.fail(rw, r, s, err)
		return
	}
	field, msg := w.repFieldError(s, err)
	if fe.Code == failure.CodeMatterFinal {
		field = "new_facts"
	}
	form.Errors[field] = msg
	w.repShowCandidate(rw, r, s, id, http.StatusUnprocessableEntity, &form)
}
