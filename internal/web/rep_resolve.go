package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"redress/internal/access"
	"redress/internal/failure"
	"redress/internal/lifecycle"
	"redress/internal/matters"
	"redress/internal/petition"
	"redress/internal/store"
)

// repClosing are the actions that finish a petition's handling, in the
// order offered: the unit's reply, the decisions on review, the bureau's
// closing of a replied case and its decline of one only registered.
var repClosing = []lifecycle.Action{lifecycle.Reply, lifecycle.DecideReview, lifecycle.DecideRereview, lifecycle.Close, lifecycle.Decline}

// repResolveRow is one open petition of the problem with what the reader may do to finish it.
type repResolveRow struct {
	Offer   matters.Offer
	Title   string
	Actions []lifecycle.Action // closing actions allowed to the reader now
	On      bool
	Action  lifecycle.Action
	Outcome string
	Text    string
	Happy   bool
	Error   string
}

// NeedsOutcome reports whether the row's action takes an outcome (支持/解释说明/不予支持).
func (r repResolveRow) NeedsOutcome() bool {
	return r.Action != lifecycle.Close && r.Action != lifecycle.Decline
}

type repResolvePage struct {
	P     store.Problem
	Rows  []repResolveRow
	Error string
	Steps int // after success: steps taken
	Done  bool
}

func (w *Web) repResolveRows(ctx context.Context, s *session, p store.Problem) ([]repResolveRow, error) {
	offer, err := w.repService().ResolveOffer(ctx, s.user, p.ID)
	if err != nil {
		return nil, err
	}
	var rows []repResolveRow
	for _, o := range offer {
		row := repResolveRow{Offer: o, Outcome: petition.OutcomeSupport}
		c, err := w.st.Case(ctx, o.PetitionID)
		if err != nil {
			return nil, err
		}
		if !access.CanSee(s.user, s.tree, c) {
			continue // another unit's case, or an accusation against the reader's unit
		}
		row.Title = c.Petition.Title
		for _, a := range repClosing {
			if slices.Contains(o.Actions, a) {
				row.Actions = append(row.Actions, a)
			}
		}
		if len(row.Actions) > 0 {
			row.On, row.Action = true, row.Actions[0]
		}
		row.Text = w.repPrefill(s, p, row.Action)
		rows = append(rows, row)
	}
	return rows, nil
}

// repPrefill is the text first offered for a step: the problem's
// resolution worded for a reply, a closing note or a decline reason.
func (w *Web) repPrefill(s *session, p store.Problem, a lifecycle.Action) string {
	key := "rep.resolve.prefill_reply"
	switch a {
	case lifecycle.Close:
		key = "rep.resolve.prefill_close"
	case lifecycle.Decline:
		key = "rep.resolve.prefill_decline"
	}
	return w.cat.T(s.locale, key, "title", p.Title, "plan", p.Plan)
}

func (w *Web) repResolveForm(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := idOf(r, "id", "id")
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	p, err := w.repService().Problem(r.Context(), id)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	rows, err := w.repResolveRows(r.Context(), s, p)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "rep_resolve", repResolvePage{P: p, Rows: rows})
}

// repResolve takes the checked steps, each with its own text, all or
// nothing through matters.Resolve; a refusal comes back beside its case.
func (w *Web) repResolve(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := idOf(r, "id", "id")
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	if !w.formRead(rw, r, s) {
		return
	}
	ms := w.repService()
	p, err := ms.Problem(r.Context(), id)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	rows, err := w.repResolveRows(r.Context(), s, p)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	var steps []matters.Step
	for i := range rows {
		row := &rows[i]
		k := "step-" + strconv.FormatInt(row.Offer.PetitionID, 10) + "-"
		row.On = r.PostForm.Get(k+"on") != ""
		if a, ok := lifecycle.ParseAction(r.PostForm.Get(k + "action")); ok {
			row.Action = a
		}
		row.Outcome = r.PostForm.Get(k + "outcome")
		row.Text = strings.TrimSpace(r.PostForm.Get(k + "text"))
		row.Happy = r.PostForm.Get(k+"satisfied") != ""
		if !row.On {
			continue
		}
		in := lifecycle.Input{}
		switch row.Action {
		case lifecycle.Close:
			in.Note, in.Satisfied = row.Text, row.Happy
		case lifecycle.Decline:
			in.Reason = row.Text
		default:
			in.Outcome, in.Text = row.Outcome, row.Text
		}
		steps = append(steps, matters.Step{PetitionID: row.Offer.PetitionID, Action: row.Action, Input: in})
	}
	pg := repResolvePage{P: p, Rows: rows}
	res, err := ms.Resolve(r.Context(), s.user, id, steps)
	if err == nil {
		pg.P, pg.Steps, pg.Done = res.Problem, res.Steps, true
		pg.Rows = nil
		w.render(rw, r, s, http.StatusOK, "rep_resolve", pg)
		return
	}
	fe := failure.Public(err)
	if fe.Status >= 500 {
		w.fail(rw, r, s, err)
		return
	}
	_, msg := w.repFieldError(s, err)
	placed := false
	if pid := fe.Params["petition_id"]; pid != "" {
		for i := range pg.Rows {
			if strconv.FormatInt(pg.Rows[i].Offer.PetitionID, 10) == pid {
				pg.Rows[i].Error, placed = msg, true
			}
		}
	}
	if !placed {
		pg.Error = msg
	}
	w.render(rw, r, s, http.StatusUnprocessableEntity, "rep_resolve", pg)
}
