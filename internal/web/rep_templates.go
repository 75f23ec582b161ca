package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"redress/internal/failure"
	"redress/internal/matters"
	"redress/internal/petition"
	"redress/internal/store"
)

func (w *Web) repTemplateList(rw http.ResponseWriter, r *http.Request, s *session) {
	ts, err := w.st.Templates(r.Context())
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "rep_templates", struct{ Items []store.Template }{ts})
}

// repItemRows is how many 容缺 item rows the new-template form offers.
const repItemRows = 4

// repTemplateForm is the new-template form.
type repTemplateForm struct {
	Source  *petition.Petition
	Name    string
	Outcome string
	Text    string
	Items   []store.TemplateItem // shown rows (DueDays 0: blank)
	Days    []string             // what was typed in each row's due period
	Errors  map[string]string
}

func (w *Web) repTemplateSource(ctx context.Context, s *session, raw string) (*petition.Petition, error) {
	id, ok := repFormInt(raw)
	if !ok || id == 0 {
		return nil, failure.Invalid("petition_id", "petition id %q is not a positive whole number", raw)
	}
	c, err := w.loadVisible(ctx, s, id)
	if err != nil {
		return nil, err
	}
	return &c.Petition, nil
}

func (w *Web) repTemplateNew(rw http.ResponseWriter, r *http.Request, s *session) {
	src, err := w.repTemplateSource(r.Context(), s, r.URL.Query().Get("petition"))
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	f := repTemplateForm{Source: src, Outcome: src.ReplyOutcome, Text: src.ReplyText, Errors: map[string]string{},
		Items: make([]store.TemplateItem, repItemRows), Days: make([]string, repItemRows)}
	if src.ReviewOutcome != "" {
		f.Outcome, f.Text = src.ReviewOutcome, src.ReviewText
	}
	if f.Text == "" {
		f.Errors[""] = w.cat.T(s.locale, "rep.tpl.no_reply")
	}
	w.render(rw, r, s, http.StatusOK, "rep_template_new", f)
}

func (w *Web) repTemplateCreate(rw http.ResponseWriter, r *http.Request, s *session) {
	if !w.formRead(rw, r, s) {
		return
	}
	src, err := w.repTemplateSource(r.Context(), s, r.PostForm.Get("petition_id"))
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	f := repTemplateForm{Source: src, Name: strings.TrimSpace(r.PostForm.Get("name")), Outcome: r.PostForm.Get("outcome"),
		Text: strings.TrimSpace(r.PostForm.Get("text")), Errors: map[string]string{}}
	names, days := r.PostForm["item_name"], r.PostForm["item_days"]
	in := matters.TemplateInput{PetitionID: src.ID, Name: f.Name, Outcome: f.Outcome, Text: f.Text}
	for i := range names {
		name, d := strings.TrimSpace(names[i]), ""
		if i < len(days) {
			d = strings.TrimSpace(days[i])
		}
		f.Items, f.Days = append(f.Items, store.TemplateItem{Name: name}), append(f.Days, d)
		if name == "" && d == "" {
			continue
		}
		n, convErr := strconv.Atoi(d)
		if convErr != nil || n < 1 || n > 365 {
			f.Errors["items."+strconv.Itoa(i)] = w.cat.T(s.locale, "rep.err.invalid.items.due_days")
			continue
		}
		if name == "" {
			f.Errors["items."+strconv.Itoa(i)] = w.cat.T(s.locale, "rep.err.invalid.items.name")
			continue
		}
		f.Items[i].DueDays = n
		in.Items = append(in.Items, store.TemplateItem{Name: name, DueDays: n})
	}
	for len(f.Items) < repItemRows {
		f.Items, f.Days = append(f.Items, store.TemplateItem{}), append(f.Days, "")
	}
	if len(f.Errors) == 0 {
		tp, err := w.repService().CreateTemplate(r.Context(), s.user, in)
		if err == nil {
			http.Redirect(rw, r, "/templates/"+strconv.FormatInt(tp.ID, 10)+"?done=created", http.StatusSeeOther)
			return
		}
		if fe := failure.Public(err); fe.Status >= 500 {
			w.fail(rw, r, s, err)
			return
		}
		field, msg := w.repFieldError(s, err)
		switch fe := failure.Public(err); {
		case fe.Code == failure.CodeIllegalState:
			field, msg = "", w.cat.T(s.locale, "rep.tpl.no_reply")
		case field == "items.name" || field == "items.due_days":
			field = ""
		}
		f.Errors[field] = msg
	}
	w.render(rw, r, s, http.StatusUnprocessableEntity, "rep_template_new", f)
}

// repSelection is the selection form: a petition search, a problem, the
// repeats of a petition, and tracking codes or ids listed by hand.
type repSelection struct {
	Q, State, ProblemID, RepeatOf, IDs string
}

// Query encodes the selection as hidden-field values.
func (sel repSelection) values() url.Values {
	return url.Values{"q": {sel.Q}, "state": {sel.State}, "problem_id": {sel.ProblemID}, "repeat_of": {sel.RepeatOf}, "ids": {sel.IDs}}
}

func repReadSelection(r *http.Request) repSelection {
	g := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	return repSelection{Q: g("q"), State: g("state"), ProblemID: g("problem_id"), RepeatOf: g("repeat_of"), IDs: g("ids")}
}

// selection turns the form into the domain's selection; errors name the field.
func (w *Web) repDomainSelection(ctx context.Context, sel repSelection) (matters.Selection, map[string]string) {
	out := matters.Selection{}
	errs := map[string]string{}
	if sel.Q != "" || sel.State != "" {
		out.Filter = &matters.SearchFilter{Query: sel.Q, State: petition.State(sel.State)}
	}
	if id, ok := repFormInt(sel.ProblemID); ok {
		out.ProblemID = id
	} else {
		errs["problem_id"] = "rep.err.invalid.problem_id"
	}
	if id, ok := repFormInt(sel.RepeatOf); ok {
		out.RepeatOf = id
	} else {
		errs["repeat_of"] = "rep.err.invalid.repeat_of"
	}
	for _, f := range strings.FieldsFunc(sel.IDs, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '\r' || r == '、' }) {
		if id, ok := repFormInt(f); ok && id > 0 {
			out.PetitionIDs = append(out.PetitionIDs, id)
			continue
		}
		c, err := w.st.CaseByTrackingCode(ctx, f)
		if err != nil {
			errs["ids"] = "rep.err.invalid.ids"
			continue
		}
		out.PetitionIDs = append(out.PetitionIDs, c.Petition.ID)
	}
	return out, errs
}

// repTemplatePage is a template with the selection form, and after a
// preview or a failed application the preview with the error.
type repTemplatePage struct {
	T        store.Template
	Sel      repSelection
	Hidden   url.Values
	Problems []store.Problem
	States   []petition.State
	Preview  *matters.Preview
	Reasons  map[int64]string // petition id → why it would be refused, in the reader's language
	Applied  *matters.Applied
	Error    string
	Errors   map[string]string
	Done     string
	CanApply bool
}

func (w *Web) repTemplatePage(ctx context.Context, s *session, id int64) (repTemplatePage, error) {
	tp, err := w.st.Template(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return repTemplatePage{}, failure.NotFound("template")
	}
	if err != nil {
		return repTemplatePage{}, err
	}
	ps, err := w.st.Problems(ctx, "")
	if err != nil {
		return repTemplatePage{}, err
	}
	pg := repTemplatePage{T: tp, Problems: ps, Errors: map[string]string{}, Reasons: map[int64]string{},
		States:   []petition.State{petition.Handling, petition.ExtensionRequested},
		CanApply: slices.Contains(repAppliers, s.user.Role)}
	pg.Sel.State = string(petition.Handling)
	return pg, nil
}

func (w *Web) repTemplateShow(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := idOf(r, "id", "id")
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	pg, err := w.repTemplatePage(r.Context(), s, id)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	pg.Done = r.URL.Query().Get("done")
	w.render(rw, r, s, http.StatusOK, "rep_template", pg)
}

// repTemplateSelected reads the selection and previews it; ok false when
// the page was rendered with errors already.
func (w *Web) repTemplateSelected(rw http.ResponseWriter, r *http.Request, s *session) (repTemplatePage, matters.Selection, bool) {
	id, err := idOf(r, "id", "id")
	if err != nil {
		w.fail(rw, r, s, err)
		return repTemplatePage{}, matters.Selection{}, false
	}
	if err := r.ParseForm(); err != nil {
		w.fail(rw, r, s, failure.Invalid("", "the form could not be read"))
		return repTemplatePage{}, matters.Selection{}, false
	}
	pg, err := w.repTemplatePage(r.Context(), s, id)
	if err != nil {
		w.fail(rw, r, s, err)
		return pg, matters.Selection{}, false
	}
	pg.Sel = repReadSelection(r)
	pg.Hidden = pg.Sel.values()
	sel, errs := w.repDomainSelection(r.Context(), pg.Sel)
	for k, key := range errs {
		pg.Errors[k] = w.cat.T(s.locale, key)
	}
	if len(errs) > 0 {
		w.render(rw, r, s, http.StatusUnprocessableEntity, "rep_template", pg)
		return pg, sel, false
	}
	pv, err := w.repService().PreviewTemplate(r.Context(), s.user, id, sel)
	if err != nil {
		if fe := failure.Public(err); fe.Status >= 500 || fe.Code == failure.CodeNotFound {
			w.fail(rw, r, s, err)
			return pg, sel, false
		}
		_, msg := w.repFieldError(s, err)
		pg.Errors["select"] = msg
		w.render(rw, r, s, http.StatusUnprocessableEntity, "rep_template", pg)
		return pg, sel, false
	}
	for _, c := range pv.Cases {
		if c.Refusal != nil {
			pg.Reasons[c.PetitionID] = w.cat.Error(s.locale, c.Refusal)
		}
	}
	pg.Preview = &pv
	return pg, sel, true
}

func (w *Web) repTemplatePreview(rw http.ResponseWriter, r *http.Request, s *session) {
	pg, _, ok := w.repTemplateSelected(rw, r, s)
	if !ok {
		return
	}
	w.render(rw, r, s, http.StatusOK, "rep_template", pg)
}

// repTemplateApply applies the template to the selection, all or nothing;
// on refusal the preview comes back with the reason at the top.
func (w *Web) repTemplateApply(rw http.ResponseWriter, r *http.Request, s *session) {
	pg, sel, ok := w.repTemplateSelected(rw, r, s)
	if !ok {
		return
	}
	out, err := w.repService().ApplyTemplate(r.Context(), s.user, pg.T.ID, sel)
	if err != nil {
		if fe := failure.Public(err); fe.Status >= 500 {
			w.fail(rw, r, s, err)
			return
		}
		_, pg.Error = w.repFieldError(s, err)
		w.render(rw, r, s, http.StatusUnprocessableEntity, "rep_template", pg)
		return
	}
	pg.Applied, pg.Preview = &out, nil
	w.render(rw, r, s, http.StatusOK, "rep_template", pg)
}
