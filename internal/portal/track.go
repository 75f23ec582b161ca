package portal

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
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
	p.page(w, r, http.StatusOK, "track", pageData{Title: "查询办理进度"})
}

// notFound is the page for errNoCase. It echoes nothing the visitor typed,
// so an unknown code and a wrong phone produce identical bytes.
func (p *Portal) notFound(w http.ResponseWriter, r *http.Request) {
	p.page(w, r, http.StatusNotFound, "track", pageData{Title: "查询办理进度",
		Error: "未找到与该查询码和手机号相符的信访事项，请核对后重试。"})
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

var actionNames = map[string]string{
	"register": "登记", string(lifecycle.Accept): "受理", string(lifecycle.Decline): "不予受理",
	string(lifecycle.Assign): "交办承办单位", string(lifecycle.Sign): "承办单位签收", string(lifecycle.Return): "承办单位退回，重新交办",
	string(lifecycle.RequestExtension): "承办单位申请延期", string(lifecycle.ApproveExtension): "延期获批准",
	string(lifecycle.RejectExtension): "延期未获批准", string(lifecycle.Reply): "书面答复",
	string(lifecycle.RequestReview): "申请复查", string(lifecycle.DecideReview): "复查决定",
	string(lifecycle.RequestRereview): "申请复核", string(lifecycle.DecideRereview): "复核决定", string(lifecycle.Close): "办结",
}

var outcomeNames = map[string]string{petition.OutcomeSupport: "支持", petition.OutcomeExplain: "解释说明", petition.OutcomeReject: "不予支持"}

var ratingNames = map[string]string{store.RatingSatisfied: "满意", store.RatingBasicallySatisfied: "基本满意", store.RatingUnsatisfied: "不满意"}

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
	v, err := p.view(r.Context(), c)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	v.Phone = NormalizePhone(phone)
	p.page(w, r, status, "case", pageData{Title: "办理进度", Message: msg, Error: errMsg, Data: v})
}

func (p *Portal) view(ctx context.Context, c *petition.Case) (caseView, error) {
	pt := c.Petition
	v := caseView{Code: pt.TrackingCode, Petition: pt, StateName: stateNames[pt.State]}
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
		if name, ok := actionNames[e.Action]; ok {
			v.Timeline = append(v.Timeline, step{At: e.At, What: name})
		}
	}
	for _, d := range c.Deadlines {
		if d.Obligation && d.Open() && (v.NextDue == nil || d.DueOn.Before(*v.NextDue)) {
			due := d.DueOn
			v.NextDue = &due
		}
	}
	if pt.ReplyOutcome != "" {
		v.Reply, v.ReplyOutcome = pt.ReplyText, outcomeNames[pt.ReplyOutcome]
	}
	if pt.ReviewOutcome != "" {
		v.Review, v.ReviewOutcome = pt.ReviewText, outcomeNames[pt.ReviewOutcome]
	}
	if v.Attachments, err = p.st.Attachments(ctx, pt.ID); err != nil {
		return v, err
	}
	rating, err := p.st.Rating(ctx, pt.ID)
	if err != nil {
		return v, err
	}
	v.Rating = ratingNames[rating]
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
	if _, ok := ratingNames[rating]; !ok {
		p.showCase(w, r, http.StatusBadRequest, "", "请选择满意、基本满意或不满意。")
		return
	}
	err := p.Rate(r.Context(), r.PostFormValue("code"), r.PostFormValue("phone"), rating)
	switch {
	case errors.Is(err, errNoCase):
		p.notFound(w, r)
	case errors.Is(err, store.ErrConflict):
		p.showCase(w, r, http.StatusConflict, "", "您已评价过本件。")
	case errors.Is(err, errNotReplied):
		p.showCase(w, r, http.StatusConflict, "", "收到书面答复后才能评价。")
	case err != nil:
		p.fail(w, r, err)
	default:
		p.showCase(w, r, http.StatusOK, "感谢您的评价。", "")
	}
}

var errNotReplied = errors.New("the petition has no reply yet")

// Rate records the petitioner's satisfaction with the written reply, after
// checking the tracking code and phone number.
func (p *Portal) Rate(ctx context.Context, code, phone, rating string) error {
	if _, ok := ratingNames[rating]; !ok {
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
		p.showCase(w, r, http.StatusBadRequest, "", "请写明申请复查的理由。")
		return
	}
	err := p.RequestReview(r.Context(), r.PostFormValue("code"), r.PostFormValue("phone"), reason)
	var fe *failure.Error
	switch {
	case errors.Is(err, errNoCase):
		p.notFound(w, r)
	case errors.As(err, &fe) && fe.Code == failure.CodePeriodExpired:
		p.showCase(w, r, http.StatusConflict, "", "申请复查的期限（收到答复之日起30日）已过。")
	case errors.As(err, &fe) && fe.Status < 500:
		p.showCase(w, r, fe.Status, "", "现在不能申请复查："+fe.Message)
	case err != nil:
		p.fail(w, r, err)
	default:
		p.showCase(w, r, http.StatusOK, "复查申请已提交，上一级机关将在30日内提出复查意见。", "")
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
