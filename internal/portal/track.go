package portal

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"redress/internal/calendar"
	"redress/internal/deadline"
	"redress/internal/failure"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

func logError(r *http.Request, err error) {
	slog.Error("portal request failed", "method", r.Method, "path", r.URL.Path, "err", err)
}

// errNoCase is the one answer for an unknown tracking code and for a known
// code with the wrong phone number: the two must be indistinguishable.
var errNoCase = errors.New("no case with this tracking code and phone number")

// caseFor finds the case with tracking code and phone. A wrong phone number
// gives exactly the same answer as an unknown code.
func (p *Portal) caseFor(ctx context.Context, code, phone string) (*petition.Case, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	phone = NormalizePhone(phone)
	if code == "" || phone == "" || utf8.RuneCountInString(code) > 40 {
		return nil, errNoCase
	}
	c, err := p.st.CaseByTrackingCode(ctx, code)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errNoCase
		}
		return nil, err
	}
	// The petitioner's phone, or the one given with this very submission
	// (a returning petitioner, known by ID number, may have a new number).
	given, err := p.st.ContactPhone(ctx, c.Petition.ID)
	if err != nil {
		return nil, err
	}
	match := 0
	for _, want := range []string{NormalizePhone(c.Petitioner.Phone), given} {
		if want != "" {
			match |= subtle.ConstantTimeCompare([]byte(want), []byte(phone))
		}
	}
	if match != 1 {
		return nil, errNoCase
	}
	return c, nil
}

func (p *Portal) trackForm(w http.ResponseWriter, r *http.Request) {
	p.page(w, r, http.StatusOK, "track", pageData{Title: p.t(r, "title.track")})
}

// notFound is the page for errNoCase. It echoes nothing the visitor typed,
// so an unknown code and a wrong phone produce identical bytes.
func (p *Portal) notFound(w http.ResponseWriter, r *http.Request) {
	p.page(w, r, http.StatusNotFound, "track", pageData{Title: p.t(r, "title.track"), Error: p.t(r, "track.not_found")})
}

func (p *Portal) track(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		p.notFound(w, r)
		return
	}
	p.showCase(w, r, http.StatusOK, "", "")
}

// caseView is the case as its petitioner sees it.
type caseView struct {
	Code, Phone   string
	Petition      petition.Petition
	StateName     string
	Unit          string
	Timeline      []step
	NextDue       *calendar.Date
	Reply         string
	ReplyOutcome  string
	Review        string
	ReviewOutcome string
	Attachments   []store.Attachment
	Rating        string
	CanRate       bool
	CanReview     bool
	ReviewUntil   *calendar.Date
}

type step struct {
	At   time.Time
	What string
}

// showCase renders the case named by the form's code and phone, with a
// message or error from an action just taken.
func (p *Portal) showCase(w http.ResponseWriter, r *http.Request, status int, msg, errMsg string) {
	code, phone := r.PostFormValue("code"), r.PostFormValue("phone")
	c, err := p.caseFor(r.Context(), code, phone)
	if err != nil {
		if errors.Is(err, errNoCase) {
			p.notFound(w, r)
			return
		}
		p.fail(w, r, err)
		return
	}
	v, err := p.view(r.Context(), p.locale(r), c)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	v.Phone = NormalizePhone(phone)
	p.page(w, r, status, "case", pageData{Title: p.t(r, "title.case"), Message: msg, Error: errMsg, Data: v})
}

// view builds the case page's data with its names in the language loc.
func (p *Portal) view(ctx context.Context, loc string, c *petition.Case) (caseView, error) {
	pt := c.Petition
	t := func(key string) string { return p.cat.T(loc, key) }
	v := caseView{Code: pt.TrackingCode, Petition: pt, StateName: t("state." + string(pt.State))}
	tree, err := p.st.Units(ctx)
	if err != nil {
		return v, err
	}
	if u, ok := tree.Unit(pt.UnitID); ok {
		v.Unit = u.Name
	}
	// The timeline shows what happened and when, not who inside the
	// administration did it, nor internal notes.
	for _, e := range c.Events {
		if slices.Contains(timelineActions, e.Action) {
			v.Timeline = append(v.Timeline, step{At: e.At, What: t("action." + e.Action)})
		}
	}
	for _, d := range c.Deadlines {
		if d.Obligation && d.Open() && (v.NextDue == nil || d.DueOn.Before(*v.NextDue)) {
			due := d.DueOn
			v.NextDue = &due
		}
	}
	if pt.ReplyOutcome != "" {
		v.Reply, v.ReplyOutcome = pt.ReplyText, t("outcome."+pt.ReplyOutcome)
	}
	if pt.ReviewOutcome != "" {
		v.Review, v.ReviewOutcome = pt.ReviewText, t("outcome."+pt.ReviewOutcome)
	}
	if v.Attachments, err = p.st.Attachments(ctx, pt.ID); err != nil {
		return v, err
	}
	rating, err := p.st.Rating(ctx, pt.ID)
	if err != nil {
		return v, err
	}
	if rating != "" {
		v.Rating = t("rating." + rating)
	}
	v.CanRate = rating == "" && pt.ReplyOutcome != ""
	if pt.State == petition.Replied {
		if d := c.Deadline(deadline.ReviewRequest); d != nil && d.Open() && !p.svc.Today().After(d.DueOn) {
			v.CanReview = true
			due := d.DueOn
			v.ReviewUntil = &due
		}
	}
	return v, nil
}

func (p *Portal) parseSmall(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			p.tooLarge(w, r)
			return false
		}
		p.notFound(w, r)
		return false
	}
	return true
}

func (p *Portal) rate(w http.ResponseWriter, r *http.Request) {
	if !p.parseSmall(w, r) {
		return
	}
	rating := r.PostFormValue("rating")
	if !slices.Contains(ratings, rating) {
		p.showCase(w, r, http.StatusBadRequest, "", p.t(r, "rate.choose"))
		return
	}
	err := p.Rate(r.Context(), r.PostFormValue("code"), r.PostFormValue("phone"), rating)
	switch {
	case errors.Is(err, errNoCase):
		p.notFound(w, r)
	case errors.Is(err, store.ErrConflict):
		p.showCase(w, r, http.StatusConflict, "", p.t(r, "rate.already"))
	case errors.Is(err, errNotReplied):
		p.showCase(w, r, http.StatusConflict, "", p.t(r, "rate.not_replied"))
	case err != nil:
		p.fail(w, r, err)
	default:
		p.showCase(w, r, http.StatusOK, p.t(r, "rate.thanks"), "")
	}
}

var errNotReplied = errors.New("the petition has no reply yet")

// Rate records the petitioner's satisfaction with the written reply, after
// checking the tracking code and phone number.
func (p *Portal) Rate(ctx context.Context, code, phone, rating string) error {
	if !slices.Contains(ratings, rating) {
		return failure.Invalid("rating", "rating %q is not one of satisfied, basically_satisfied, unsatisfied", rating)
	}
	c, err := p.caseFor(ctx, code, phone)
	if err != nil {
		return err
	}
	if c.Petition.ReplyOutcome == "" {
		return errNotReplied
	}
	return p.st.Write(ctx, func(tx *store.Tx) error {
		return tx.RatePetition(p.actor, c.Petition.ID, rating, p.svc.Now())
	})
}

func (p *Portal) review(w http.ResponseWriter, r *http.Request) {
	if !p.parseSmall(w, r) {
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if utf8.RuneCountInString(reason) < 2 {
		p.showCase(w, r, http.StatusBadRequest, "", p.t(r, "review.no_reason"))
		return
	}
	err := p.RequestReview(r.Context(), r.PostFormValue("code"), r.PostFormValue("phone"), reason)
	var fe *failure.Error
	switch {
	case errors.Is(err, errNoCase):
		p.notFound(w, r)
	case errors.As(err, &fe) && fe.Code == failure.CodePeriodExpired:
		p.showCase(w, r, http.StatusConflict, "", p.t(r, "review.expired"))
	case errors.As(err, &fe) && fe.Code == failure.CodeMatterFinal:
		p.showCase(w, r, fe.Status, "", p.t(r, "review.final"))
	case errors.As(err, &fe) && fe.Status < 500:
		// The state the petitioner sees is the one in the page's own words,
		// not the lifecycle's message, which is English and for staff.
		msg := p.t(r, "review.retry")
		if state := fe.Params["state"]; state != "" {
			msg = p.t(r, "review.not_now", "state", p.t(r, "state."+state))
		}
		p.showCase(w, r, fe.Status, "", msg)
	case err != nil:
		p.fail(w, r, err)
	default:
		p.showCase(w, r, http.StatusOK, p.t(r, "review.done"), "")
	}
}

// portalUser is who the lifecycle sees when a petitioner asks for a review
// through the portal. In the core a review request is recorded by the
// petition bureau (role bureau) on the petitioner's behalf; here the
// petitioner does it themselves, so the portal records it in the bureau's
// role as the system (no staff member acted: the event has no actor), and
// only after proving the case is theirs (tracking code + phone). Nothing
// else is possible through this path: RequestReview is the only action the
// portal ever takes, and the lifecycle still enforces the state and the
// 30-day window (Art. 35).
var portalUser = org.User{Login: "portal", Name: "信访人（网上申请）", Role: org.RoleBureau}

// RequestReview asks for a review (复查) of the reply to the petitioner's
// own case. The lifecycle's change and a second audit entry saying the
// petitioner made the request through the portal commit together.
func (p *Portal) RequestReview(ctx context.Context, code, phone, reason string) error {
	c, err := p.caseFor(ctx, code, phone)
	if err != nil {
		return err
	}
	id := c.Petition.ID
	return p.st.Write(ctx, func(tx *store.Tx) error {
		if err := p.svc.DoTx(tx, portalUser, id, lifecycle.RequestReview, lifecycle.Input{Reason: reason}); err != nil {
			return err
		}
		return tx.Audit(p.actor, "portal.request_review", "petition", id, nil, map[string]any{"via": "portal", "proof": "tracking_code+phone"})
	})
}
