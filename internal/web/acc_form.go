package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"redress/internal/failure"
)

// accForm is one accountability form after a failed post: which form (and
// for which record), what was typed, and the errors beside each field
// ("" is the form as a whole).
type accForm struct {
	Name   string // explain, decide, followup, reception, meeting, commitment, progress, review, checklist, item
	ID     int64  // the step, commitment or item the form belongs to (0: none)
	Values map[string]string
	Errors map[string]string
}

// Err is the error beside field.
func (f *accForm) Err(field string) string {
	if f == nil {
		return ""
	}
	return f.Errors[field]
}

// Val is what was typed into field.
func (f *accForm) Val(field string) string {
	if f == nil {
		return ""
	}
	return f.Values[field]
}

// For reports whether this failed form is form name of record id.
func (f *accForm) For(name string, id int64) bool { return f != nil && f.Name == name && f.ID == id }

type accFormKey struct{}

// accWithForm carries a failed form to the page rendered for it.
func accWithForm(r *http.Request, f *accForm) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), accFormKey{}, f))
}

// AccForm is the failed accountability form of this request, if any.
func (v *view) AccForm() *accForm {
	if v.request == nil {
		return nil
	}
	f, _ := v.request.Context().Value(accFormKey{}).(*accForm)
	return f
}

// accNewForm reads the named fields of a posted form.
func accNewForm(r *http.Request, name string, id int64, fields ...string) *accForm {
	f := &accForm{Name: name, ID: id, Values: map[string]string{}, Errors: map[string]string{}}
	for _, k := range fields {
		f.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	return f
}

// accFail puts err beside the field at fault, in the user's language. The
// domain's field names map onto the form's through fieldOf (nil: same name);
// a field the form does not have puts the error at the top of the form.
// Messages are looked up as acc.err.<form>.<field>, then
// acc.err.<form>.<code>, then the shared catalogue's error.
func (w *Web) accFail(s *session, f *accForm, err error, fieldOf map[string]string) {
	fe := failure.Public(err)
	field := fe.Field
	if to, ok := fieldOf[field]; ok {
		field = to
	}
	if _, ok := f.Values[field]; !ok {
		field = ""
	}
	loc := localeOf(s)
	msg := ""
	if fe.Field != "" && w.cat.Has("acc.err."+f.Name+"."+fe.Field) {
		msg = w.cat.T(loc, "acc.err."+f.Name+"."+fe.Field)
	} else if w.cat.Has("acc.err." + f.Name + "." + fe.Code) {
		msg = w.cat.T(loc, "acc.err."+f.Name+"."+fe.Code)
	} else {
		msg = w.cat.Error(loc, err)
	}
	f.Errors[field] = msg
}

// accIsPageError reports whether err is shown as an error page rather than
// beside a form: a missing record or an internal failure.
func accIsPageError(err error) bool {
	fe := failure.Public(err)
	return fe.Code == failure.CodeNotFound || fe.Status >= 500
}

// accIDs reads a list of petition numbers separated by commas, spaces or
// the Chinese comma.
func accIDs(field, s string) ([]int64, error) {
	var out []int64
	for _, part := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	}) {
		id, err := strconv.ParseInt(strings.TrimPrefix(part, "#"), 10, 64)
		if err != nil || id <= 0 {
			return nil, failure.Invalid(field, "%q is not a petition number", part)
		}
		out = append(out, id)
	}
	return out, nil
}

// accInputArg is what the acc-input partial sees: one labelled input of an
// accountability form, with what was typed and its error after a failure.
type accInputArg struct {
	V                     *view
	ID, Name, Label, Kind string
	Required, Wide        bool
	Value, Err            string
}

// AccInput describes input name of form (for record id; 0: none), labelled
// by the message key label; kind is text, textarea, date or number.
func (v *view) AccInput(form string, id int64, name, label, kind string, required bool) accInputArg {
	a := accInputArg{V: v, ID: form + "-" + name, Name: name, Label: label, Kind: kind, Required: required, Wide: kind == "textarea"}
	if id != 0 {
		a.ID = form + "-" + strconv.FormatInt(id, 10) + "-" + name
	}
	if f := v.AccForm(); f.For(form, id) {
		a.Value, a.Err = f.Val(name), f.Err(name)
	}
	return a
}
