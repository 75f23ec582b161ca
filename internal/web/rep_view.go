package web

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"redress/internal/failure"
	"redress/internal/matters"
	"redress/internal/petition"
)

// repService is the domain service of matters, problems and templates,
// on the same workflow the API uses.
func (w *Web) repService() *matters.Service { return matters.New(w.svc) }

// RepReason names a signal of the repeat detector.
func (v *view) RepReason(code string) string {
	return v.w.cat.Maybe(v.Locale, "rep.reason."+code, code)
}

// RepScore shows a candidate's score as a percentage.
func (v *view) RepScore(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }

// RepProblemStatus names a problem's status.
func (v *view) RepProblemStatus(s string) string { return v.T("rep.problem.status." + s) }

// RepOpen reports whether a petition state is still being worked on.
func (v *view) RepOpen(s petition.State) bool { return s != petition.Closed && s != petition.Declined }

// repIndexed strips list indexes from an error's field: items[2].name → items.name.
var repIndexed = regexp.MustCompile(`\[\d+\]`)

// repFieldError words err for the user and names the form field it belongs
// to ("" for the form as a whole). Refusals of a step on one case of a
// batch name that case and say that nothing was changed.
func (w *Web) repFieldError(s *session, err error) (string, string) {
	fe := failure.Public(err)
	field := repIndexed.ReplaceAllString(fe.Field, "")
	msg := ""
	key := "rep.err." + fe.Code + "." + field
	switch {
	case fe.Code == failure.CodeIllegalState && fe.Params["state"] == "" && fe.Params["due_on"] != "":
		msg = w.cat.T(s.locale, "rep.err.review_window", "due_on", fe.Params["due_on"])
	case fe.Code == failure.CodeIllegalState && fe.Params["state"] == "":
		msg = w.cat.T(s.locale, "rep.err.not_now")
	case field != "" && w.cat.Has(key):
		msg = w.cat.T(s.locale, key)
	case w.cat.Has("rep.err." + fe.Code):
		msg = w.cat.T(s.locale, "rep.err."+fe.Code)
	default:
		msg = w.cat.Error(s.locale, err)
	}
	if code := fe.Params["tracking_code"]; code != "" {
		msg = w.cat.T(s.locale, "rep.err.batch", "code", code, "msg", msg)
	}
	return field, msg
}

// repFormInt reads an optional positive whole number from a form or query value.
func repFormInt(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// repSideArg and repCandArg carry the view into the shared partials.
type repSideArg struct {
	V     *view
	S     repSide
	Label string
}

type repCandArg struct {
	V *view
	I repCandidateView
}

func init() {
	funcs["repSide"] = func(v *view, s repSide, label string) repSideArg { return repSideArg{V: v, S: s, Label: label} }
	funcs["repList"] = func(s ...string) []string { return s }
	funcs["repCand"] = func(v *view, i repCandidateView) repCandArg { return repCandArg{V: v, I: i} }
}
