package web

import (
	"context"
	"errors"
	"net/http"
	"sort"

	"redress/internal/access"
	"redress/internal/api"
	"redress/internal/failure"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// casePage is one case as the user may see it, with a form for each action
// the lifecycle allows the user now.
type casePage struct {
	View  api.CaseView
	Forms []actionForm
	Done  string // the action just taken, for the notice
	Units []org.Unit
	// Notices are the printable notices the case's state allows.
	Notices []dashNoticeLink
}

// actionForm is one lifecycle action's form, holding what was typed and the
// errors beside each field after a failed attempt.
type actionForm struct {
	Action lifecycle.Action
	Fields []field
	Values map[string]string
	Errors map[string]string // field → message; "" is the form as a whole
	Open   bool
	// Refused is an action the user may not take now: only its error shows.
	Refused bool
}

// field is one input of an action form.
type field struct {
	Name     string
	Kind     string // text, textarea, number, date, outcome, unit, mode, checkbox
	Required bool
}

// actionFields are the inputs of each action (see lifecycle.Input).
var actionFields = map[lifecycle.Action][]field{
	lifecycle.Accept:           {{"note", "textarea", false}},
	lifecycle.Decline:          {{"reason", "textarea", true}},
	lifecycle.Assign:           {{"unit", "unit", true}, {"mode", "mode", false}, {"due_on", "date", false}, {"note", "textarea", false}},
	lifecycle.Sign:             {{"note", "textarea", false}},
	lifecycle.Return:           {{"reason", "textarea", true}},
	lifecycle.RequestExtension: {{"days", "number", true}, {"reason", "textarea", true}},
	lifecycle.ApproveExtension: {{"note", "textarea", false}},
	lifecycle.RejectExtension:  {{"note", "textarea", false}},
	lifecycle.Reply:            {{"outcome", "outcome", true}, {"text", "textarea", true}},
	lifecycle.RequestReview:    {{"reason", "textarea", true}},
	lifecycle.DecideReview:     {{"outcome", "outcome", true}, {"text", "textarea", true}},
	lifecycle.RequestRereview:  {{"reason", "textarea", true}},
	lifecycle.DecideRereview:   {{"outcome", "outcome", true}, {"text", "textarea", true}},
	lifecycle.Close:            {{"satisfied", "checkbox", false}, {"note", "textarea", false}},
}

// loadVisible reads a case the user may see; any other case is "not found",
// revealing nothing (an accused unit cannot tell an accusation exists).
func (w *Web) loadVisible(ctx context.Context, s *session, id int64) (*petition.Case, error) {
	c, err := w.st.Case(ctx, id)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, failure.NotFound("petition")
		}
		return nil, err
	}
	if !access.CanSee(s.user, s.tree, c) {
		return nil, failure.NotFound("petition")
	}
	return c, nil
}

func (w *Web) caseShow(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := pathID(r)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	c, err := w.loadVisible(r.Context(), s, id)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	done := r.URL.Query().Get("done")
	if _, ok := lifecycle.ParseAction(done); !ok && done != "register" {
		done = ""
	}
	w.render(rw, r, s, http.StatusOK, "case", w.casePage(s, c, nil, done))
}

// casePage builds the page; failed is the form of an action that just
// failed, shown open with its values and errors.
func (w *Web) casePage(s *session, c *petition.Case, failed *actionForm, done string) casePage {
	v := api.View(w.svc, s.cal, s.tree, s.user, c)
	p := casePage{View: v, Done: done, Notices: w.dashNoticeLinks(s, c)}
	for _, a := range v.Allowed {
		if failed != nil && failed.Action == a {
			p.Forms = append(p.Forms, *failed)
			continue
		}
		p.Forms = append(p.Forms, actionForm{Action: a, Fields: actionFields[a], Values: map[string]string{}, Errors: map[string]string{}})
	}
	for _, a := range v.Allowed {
		if a == lifecycle.Assign {
			p.Units = assignable(s.tree, &c.Petition)
		}
	}
	return p
}

// assignable lists the units a case may be assigned to: not the whole city
// and, for an accusation, not the accused unit or any unit under it.
func assignable(t *org.Tree, p *petition.Petition) []org.Unit {
	var out []org.Unit
	for _, u := range t.Units() {
		if u.Kind == org.KindCity {
			continue
		}
		if p.Accusation && p.AccusedUnitID != 0 && t.Within(u.ID, p.AccusedUnitID) {
			continue
		}
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
