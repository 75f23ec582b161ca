// Package lifecycle is the statutory petition workflow as a state machine:
// register → accept/decline → assign/forward → sign or return → handle
// (with an extension approved by the unit head) → written reply → review →
// re-review → closed. Each transition checks the caller's role and unit,
// recomputes the deadlines it changes, records an event on the case and
// appends to the audit log, all in one transaction.
package lifecycle

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"redress/internal/access"
	"redress/internal/calendar"
	"redress/internal/deadline"
	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// Action names a lifecycle action, as used in API paths.
type Action string

// Actions.
const (
	Accept           Action = "accept"
	Decline          Action = "decline"
	Assign           Action = "assign"
	Sign             Action = "sign"
	Return           Action = "return"
	RequestExtension Action = "request-extension"
	ApproveExtension Action = "approve-extension"
	RejectExtension  Action = "reject-extension"
	Reply            Action = "reply"
	RequestReview    Action = "request-review"
	DecideReview     Action = "decide-review"
	RequestRereview  Action = "request-rereview"
	DecideRereview   Action = "decide-rereview"
	Close            Action = "close"
)

// Input carries an action's arguments. Each action reads the fields it needs.
type Input struct {
	Note      string         `json:"note,omitempty"`
	Reason    string         `json:"reason,omitempty"`
	UnitID    int64          `json:"unit_id,omitempty"`
	UnitCode  string         `json:"unit_code,omitempty"`
	Mode      string         `json:"mode,omitempty"` // assign | forward
	DueOn     *calendar.Date `json:"due_on,omitempty"`
	Days      int            `json:"days,omitempty"`
	Outcome   string         `json:"outcome,omitempty"` // support | explain | reject
	Text      string         `json:"text,omitempty"`
	Satisfied bool           `json:"petitioner_satisfied,omitempty"`
}

type rule struct {
	from  []petition.State
	to    petition.State
	roles []org.Role
	// unitBound: the caller must belong to the unit the case is assigned to.
	unitBound bool
	apply     func(*step, Input) error
}

var rules map[Action]rule

func init() {
	rules = map[Action]rule{
		Accept:           {[]petition.State{petition.Registered}, petition.Accepted, []org.Role{org.RoleBureau}, false, (*step).accept},
		Decline:          {[]petition.State{petition.Registered}, petition.Declined, []org.Role{org.RoleBureau}, false, (*step).decline},
		Assign:           {[]petition.State{petition.Accepted, petition.Returned}, petition.Assigned, []org.Role{org.RoleBureau}, false, (*step).assign},
		Sign:             {[]petition.State{petition.Assigned}, petition.Handling, []org.Role{org.RoleHandler, org.RoleHead}, true, (*step).sign},
		Return:           {[]petition.State{petition.Assigned}, petition.Returned, []org.Role{org.RoleHandler, org.RoleHead}, true, (*step).giveBack},
		RequestExtension: {[]petition.State{petition.Handling}, petition.ExtensionRequested, []org.Role{org.RoleHandler, org.RoleHead}, true, (*step).requestExtension},
		ApproveExtension: {[]petition.State{petition.ExtensionRequested}, petition.Handling, []org.Role{org.RoleHead}, true, (*step).approveExtension},
		RejectExtension:  {[]petition.State{petition.ExtensionRequested}, petition.Handling, []org.Role{org.RoleHead}, true, (*step).rejectExtension},
		Reply:            {[]petition.State{petition.Handling, petition.ExtensionRequested}, petition.Replied, []org.Role{org.RoleHandler, org.RoleHead}, true, (*step).reply},
		RequestReview:    {[]petition.State{petition.Replied}, petition.ReviewRequested, []org.Role{org.RoleBureau}, false, (*step).requestReview},
		DecideReview:     {[]petition.State{petition.ReviewRequested}, petition.Reviewed, []org.Role{org.RoleBureau, org.RoleLeader}, false, (*step).decideReview},
		RequestRereview:  {[]petition.State{petition.Reviewed}, petition.RereviewRequested, []org.Role{org.RoleBureau}, false, (*step).requestRereview},
		DecideRereview:   {[]petition.State{petition.RereviewRequested}, petition.Closed, []org.Role{org.RoleBureau, org.RoleLeader}, false, (*step).decideRereview},
		Close:            {[]petition.State{petition.Replied, petition.Reviewed}, petition.Closed, []org.Role{org.RoleBureau}, false, (*step).close},
	}
}

// Actions lists every action in workflow order.
var Actions = []Action{Accept, Decline, Assign, Sign, Return, RequestExtension, ApproveExtension, RejectExtension,
	Reply, RequestReview, DecideReview, RequestRereview, DecideRereview, Close}

// ParseAction validates an action name.
func ParseAction(s string) (Action, bool) {
	_, ok := rules[Action(s)]
	return Action(s), ok
}

// From lists the states an action may be taken in.
func From(a Action) []petition.State { return rules[a].from }

// To returns the state an action leads to.
func To(a Action) petition.State { return rules[a].to }

// Roles lists the roles that may take an action.
func Roles(a Action) []org.Role { return rules[a].roles }

// AllowedIn lists the actions the workflow allows in state s.
func AllowedIn(s petition.State) []Action {
	var out []Action
	for _, a := range Actions {
		if slices.Contains(rules[a].from, s) {
			out = append(out, a)
		}
	}
	return out
}

// Service runs the workflow on a store.
type Service struct {
	st    *store.Store
	now   func() time.Time
	hooks []IntakeHook
}

// WithClock returns a copy of the service that reads time from now, with
// the same store and intake hooks (used to replay history, e.g. demo data).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.hooks = slices.Clone(s.hooks)
	c.now = now
	return &c
}

// AddIntakeHook adds a hook that runs on every registration. Call it while
// setting the service up, before it serves requests.
func (s *Service) AddIntakeHook(h IntakeHook) { s.hooks = append(s.hooks, h) }

// New returns a service; now is the clock (time.Now in production).
func New(st *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, now: now}
}

// Store returns the store the service runs on.
func (s *Service) Store() *store.Store { return s.st }

// Now returns the service's clock reading.
func (s *Service) Now() time.Time { return s.now() }

// Today returns today's date in China by the service's clock.
func (s *Service) Today() calendar.Date { return calendar.DateOf(s.now()) }

func actorOf(u org.User) store.Actor {
	if u.ID == 0 {
		return store.System
	}
	return store.Actor{ID: u.ID, Login: u.Login}
}

// Permitted reports whether user may take action on c now, and why not.
func (s *Service) Permitted(u org.User, tree *org.Tree, c *petition.Case, a Action) error {
	r, ok := rules[a]
	if !ok {
		return failure.New(failure.CodeNotFound, http.StatusNotFound, "action %q does not exist", a)
	}
	if !slices.Contains(r.from, c.Petition.State) {
		allowed := AllowedIn(c.Petition.State)
		names := make([]string, len(allowed))
		for i, x := range allowed {
			names[i] = string(x)
		}
		list := strings.Join(names, ", ")
		if list == "" {
			list = "none (the case is finished)"
		}
		return failure.New(failure.CodeIllegalState, http.StatusConflict,
			"cannot %s a petition that is %s; allowed now: %s", a, c.Petition.State, list).
			With(map[string]string{"action": string(a), "state": string(c.Petition.State), "allowed": list})
	}
	if !slices.Contains(r.roles, u.Role) {
		return failure.Forbidden("the %s role may not %s", u.Role, a).With(map[string]string{"action": string(a), "role": string(u.Role)})
	}
	if r.unitBound {
		cur := c.Current()
		if cur == nil || !tree.Within(u.UnitID, cur.UnitID) {
			return failure.Forbidden("only the unit the petition is assigned to may %s it", a).With(map[string]string{"action": string(a)})
		}
	}
	return nil
}

// Allowed lists the actions user may take on c now.
func (s *Service) Allowed(u org.User, tree *org.Tree, c *petition.Case) []Action {
	var out []Action
	for _, a := range AllowedIn(c.Petition.State) {
		if s.Permitted(u, tree, c, a) == nil {
			out = append(out, a)
		}
	}
	return out
}

// step is one transition being applied inside a transaction.
type step struct {
	tx     *store.Tx
	tree   *org.Tree
	cal    *calendar.Calendar
	limits map[deadline.Kind]deadline.Rule
	c      *petition.Case
	user   org.User
	now    time.Time
	today  calendar.Date
	event  petition.Event
}

// Do takes action on petition id as user. It returns the case as it is after
// the action. A failed action changes nothing.
func (s *Service) Do(ctx context.Context, u org.User, id int64, a Action, in Input) (*petition.Case, error) {
	if err := s.st.Write(ctx, func(tx *store.Tx) error { return s.DoTx(tx, u, id, a, in) }); err != nil {
		return nil, err
	}
	c, err := s.st.Case(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("reload petition %d: %w", id, err)
	}
	return c, nil
}

// DoTx takes action on petition id inside a transaction the caller owns.
func (s *Service) DoTx(tx *store.Tx, u org.User, id int64, a Action, in Input) error {
	ctx := tx.Context()
	r, ok := rules[a]
	if !ok {
		return failure.New(failure.CodeNotFound, http.StatusNotFound, "action %q does not exist", a)
	}
	tree, err := s.st.Units(ctx)
	if err != nil {
		return err
	}
	cal, err := s.st.Calendar(ctx)
	if err != nil {
		return err
	}
	limits, err := s.st.TimeLimits(ctx)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	c, err := tx.LoadCase(id)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return failure.NotFound("petition")
		}
		return err
	}
	if !access.CanSee(u, tree, c) {
		return failure.NotFound("petition")
	}
	if err := s.Permitted(u, tree, c, a); err != nil {
		return err
	}
	before := snapshot(&c.Petition)
	st := &step{tx: tx, tree: tree, cal: cal, limits: limits, c: c, user: u, now: now, today: calendar.DateOf(now)}
	st.event = petition.Event{PetitionID: id, At: now, ActorID: u.ID, Action: string(a), FromState: c.Petition.State, ToState: r.to}
	if err := r.apply(st, in); err != nil {
		return err
	}
	c.Petition.State = r.to
	c.Petition.UpdatedAt = now
	if err := tx.UpdatePetition(&c.Petition); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return failure.New(failure.CodeConflict, http.StatusConflict, "the petition was changed by someone else; reload and try again")
		}
		return err
	}
	if err := tx.AddEvent(&st.event); err != nil {
		return err
	}
	return tx.Audit(actorOf(u), "petition."+string(a), "petition", id, before, snapshotWith(&c.Petition, st.event.Data))
}

// snapshot is what the audit log keeps of a petition: its workflow fields,
// not the petitioner's personal data.
func snapshot(p *petition.Petition) map[string]any {
	return map[string]any{
		"state": p.State, "unit_id": p.UnitID, "matter_id": p.MatterID, "version": p.Version,
		"reply_outcome": p.ReplyOutcome, "review_outcome": p.ReviewOutcome,
	}
}

func snapshotWith(p *petition.Petition, data map[string]any) map[string]any {
	m := snapshot(p)
	for k, v := range data {
		m[k] = v
	}
	return m
}

func (st *step) set(k string, v any) {
	if st.event.Data == nil {
		st.event.Data = map[string]any{}
	}
	st.event.Data[k] = v
}

// setDeadline computes deadline k from start under the current rule and calendar.
func (st *step) setDeadline(k deadline.Kind, start calendar.Date) *petition.Deadline {
	r := st.limits[k]
	info, _ := deadline.Lookup(k)
	d := petition.Deadline{
		PetitionID: st.c.Petition.ID, Kind: k, StartedOn: start, DueOn: deadline.Due(st.cal, r, start), Rule: r,
		CalendarRevision: st.cal.Revision(), Obligation: !info.Window, ComputedAt: st.now,
	}
	return st.putDeadline(d)
}

func (st *step) putDeadline(d petition.Deadline) *petition.Deadline {
	if old := st.c.Deadline(d.Kind); old != nil {
		d.ID = old.ID
		*old = d
	} else {
		st.c.Deadlines = append(st.c.Deadlines, d)
	}
	return st.c.Deadline(d.Kind)
}

// meet marks deadline k as met now, if it is open.
func (st *step) meet(k deadline.Kind) {
	if d := st.c.Deadline(k); d != nil && d.MetAt == nil {
		now := st.now
		d.MetAt = &now
	}
}

// drop removes deadline k: it no longer applies.
func (st *step) drop(k deadline.Kind) error {
	for i, d := range st.c.Deadlines {
		if d.Kind == k {
			st.c.Deadlines = slices.Delete(st.c.Deadlines, i, i+1)
			return st.tx.DeleteDeadline(st.c.Petition.ID, k)
		}
	}
	return nil
}

// save writes every deadline of the case.
func (st *step) save() error {
	for i := range st.c.Deadlines {
		if err := st.tx.SetDeadline(&st.c.Deadlines[i]); err != nil {
			return err
		}
	}
	return nil
}

// withinWindow refuses an action whose window (deadline k) has closed.
func (st *step) withinWindow(k deadline.Kind, what string) error {
	d := st.c.Deadline(k)
	if d == nil || !st.today.After(d.DueOn) {
		return nil
	}
	return failure.New(failure.CodePeriodExpired, http.StatusConflict, "the period to %s ended on %s", what, d.DueOn).
		With(map[string]string{"due_on": d.DueOn.String(), "kind": string(k)})
}

func required(field, v string, minChars int) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return failure.Invalid(field, "%s is required", field)
	}
	if n := len([]rune(v)); n < minChars {
		return failure.Invalid(field, "%s must have at least %d characters", field, minChars)
	}
	if n := len([]rune(v)); n > intake.MaxContent {
		return failure.Invalid(field, "%s has %d characters, at most %d are allowed", field, n, intake.MaxContent)
	}
	return nil
}

func outcome(field, v string) error {
	switch v {
	case petition.OutcomeSupport, petition.OutcomeExplain, petition.OutcomeReject:
		return nil
	}
	return failure.Invalid(field, "%s %q is not one of support, explain, reject", field, v)
}

func (st *step) accept(in Input) error {
	if st.c.MatterFinal != nil {
		return failure.New(failure.CodeMatterFinal, http.StatusConflict,
			"this matter was closed for good on %s; the same facts and reasons are not accepted again (Art. 36)", calendar.DateOf(*st.c.MatterFinal)).
			With(map[string]string{"final_on": calendar.DateOf(*st.c.MatterFinal).String()})
	}
	st.meet(deadline.Acknowledge)
	st.event.Note = strings.TrimSpace(in.Note)
	return st.save()
}

func (st *step) decline(in Input) error {
	if err := required("reason", in.Reason, 2); err != nil {
		return err
	}
	st.c.Petition.DeclineReason = strings.TrimSpace(in.Reason)
	st.meet(deadline.Acknowledge)
	if err := st.drop(deadline.Assign); err != nil {
		return err
	}
	st.event.Note = st.c.Petition.DeclineReason
	return st.save()
}

func (st *step) assign(in Input) error {
	var unit org.Unit
	var ok bool
	switch {
	case in.UnitID != 0:
		unit, ok = st.tree.Unit(in.UnitID)
	case in.UnitCode != "":
		unit, ok = st.tree.ByCode(in.UnitCode)
	default:
		return failure.Invalid("unit", "unit_id or unit_code is required")
	}
	if !ok {
		return failure.Invalid("unit", "unit %q does not exist", firstNonEmpty(in.UnitCode, fmt.Sprint(in.UnitID)))
	}
	if unit.Kind == org.KindCity {
		return failure.Invalid("unit", "assign to a district, department or township, not to the whole city")
	}
	if st.c.Petition.Accusation && st.c.Petition.AccusedUnitID != 0 && st.tree.Within(unit.ID, st.c.Petition.AccusedUnitID) {
		return failure.Invalid("unit", "an accusation may not be assigned to the accused unit or a unit under it (Art. 30)")
	}
	mode := in.Mode
	if mode == "" {
		mode = "assign"
	}
	if mode != "assign" && mode != "forward" {
		return failure.Invalid("mode", "mode %q is not one of assign, forward", in.Mode)
	}
	a := petition.Assignment{PetitionID: st.c.Petition.ID, UnitID: unit.ID, Mode: mode, State: "pending", AssignedAt: st.now, AssignedBy: st.user.ID}
	if in.DueOn != nil {
		statutory := deadline.Due(st.cal, st.limits[deadline.Reply], st.today)
		if in.DueOn.Before(st.today) {
			return failure.Invalid("due_on", "due_on %s is in the past", in.DueOn)
		}
		if in.DueOn.After(statutory) {
			return failure.Invalid("due_on", "due_on %s is later than the statutory limit %s", in.DueOn, statutory)
		}
		d := *in.DueOn
		a.DueOn = &d
	}
	if err := st.tx.InsertAssignment(&a); err != nil {
		return err
	}
	st.c.Assignments = append(st.c.Assignments, a)
	st.c.Petition.UnitID = unit.ID
	st.meet(deadline.Assign)
	st.setDeadline(deadline.Notify, st.today)
	st.setDeadline(deadline.Objection, st.today)
	st.set("unit_id", unit.ID)
	st.set("unit", unit.Name)
	st.set("mode", mode)
	if a.DueOn != nil {
		st.set("due_on", a.DueOn.String())
	}
	st.event.Note = strings.TrimSpace(in.Note)
	return st.save()
}

func (st *step) sign(in Input) error {
	a := st.c.Current()
	a.State = "signed"
	now := st.now
	a.SignedAt = &now
	if err := st.tx.UpdateAssignment(a); err != nil {
		return err
	}
	st.meet(deadline.Notify)
	st.meet(deadline.Objection)
	d := st.setDeadline(deadline.Reply, st.today)
	if a.DueOn != nil && a.DueOn.Before(d.DueOn) {
		// The bureau set a shorter deadline than the statute's.
		d.DueOn = *a.DueOn
		d.Rule = deadline.Rule{Kind: deadline.Reply, Count: st.today.DaysUntil(*a.DueOn), Unit: calendar.CalendarDays}
	}
	st.event.Note = strings.TrimSpace(in.Note)
	return st.save()
}

func (st *step) giveBack(in Input) error {
	if err := st.withinWindow(deadline.Objection, "object to the assignment"); err != nil {
		return err
	}
	if err := required("reason", in.Reason, 2); err != nil {
		return err
	}
	a := st.c.Current()
	a.State = "returned"
	now := st.now
	a.ReturnedAt = &now
	a.ReturnReason = strings.TrimSpace(in.Reason)
	if err := st.tx.UpdateAssignment(a); err != nil {
		return err
	}
	st.c.Petition.UnitID = 0
	for _, k := range []deadline.Kind{deadline.Notify, deadline.Objection} {
		if err := st.drop(k); err != nil {
			return err
		}
	}
	// The bureau must route it again.
	st.setDeadline(deadline.Assign, st.today)
	st.event.Note = a.ReturnReason
	st.set("unit_id", a.UnitID)
	return st.save()
}

func (st *step) requestExtension(in Input) error {
	a := st.c.Current()
	if a.ExtensionState == "approved" {
		return failure.New(failure.CodeIllegalState, http.StatusConflict, "an extension was already granted for this assignment; handling may be extended only once (Art. 34)")
	}
	limit := st.limits[deadline.ExtensionMax]
	if in.Days < 1 || in.Days > limit.Count {
		return failure.Invalid("days", "days must be between 1 and %d", limit.Count).With(map[string]string{"max": fmt.Sprint(limit.Count)})
	}
	if err := required("reason", in.Reason, 2); err != nil {
		return err
	}
	a.ExtensionState = "requested"
	a.ExtensionDays = in.Days
	a.ExtensionReason = strings.TrimSpace(in.Reason)
	if err := st.tx.UpdateAssignment(a); err != nil {
		return err
	}
	st.event.Note = a.ExtensionReason
	st.set("days", in.Days)
	return nil
}

func (st *step) approveExtension(in Input) error {
	a := st.c.Current()
	a.ExtensionState = "approved"
	if err := st.tx.UpdateAssignment(a); err != nil {
		return err
	}
	d := st.c.Deadline(deadline.Reply)
	if d == nil {
		return fmt.Errorf("petition %d is handled but has no reply deadline", st.c.Petition.ID)
	}
	unit := st.limits[deadline.ExtensionMax].Unit
	d.DueOn = st.cal.Add(d.DueOn, a.ExtensionDays, unit)
	d.Rule.Count += a.ExtensionDays
	d.CalendarRevision = st.cal.Revision()
	d.ComputedAt = st.now
	st.event.Note = strings.TrimSpace(in.Note)
	st.set("days", a.ExtensionDays)
	st.set("reply_due_on", d.DueOn.String())
	st.set("notice", "the petitioner must be told of the extension and its reason")
	return st.save()
}

func (st *step) rejectExtension(in Input) error {
	a := st.c.Current()
	a.ExtensionState = "rejected"
	if err := st.tx.UpdateAssignment(a); err != nil {
		return err
	}
	st.event.Note = strings.TrimSpace(in.Note)
	return nil
}

func (st *step) reply(in Input) error {
	if err := outcome("outcome", in.Outcome); err != nil {
		return err
	}
	if err := required("text", in.Text, 10); err != nil {
		return err
	}
	a := st.c.Current()
	a.State = "replied"
	if a.ExtensionState == "requested" {
		a.ExtensionState = ""
		a.ExtensionDays = 0
	}
	if err := st.tx.UpdateAssignment(a); err != nil {
		return err
	}
	p := &st.c.Petition
	p.ReplyOutcome, p.ReplyText = in.Outcome, strings.TrimSpace(in.Text)
	now := st.now
	p.RepliedAt = &now
	st.meet(deadline.Reply)
	st.setDeadline(deadline.ReviewRequest, st.today)
	st.set("outcome", in.Outcome)
	return st.save()
}

func (st *step) requestReview(in Input) error {
	if err := st.withinWindow(deadline.ReviewRequest, "request review"); err != nil {
		return err
	}
	if err := required("reason", in.Reason, 2); err != nil {
		return err
	}
	st.meet(deadline.ReviewRequest)
	st.setDeadline(deadline.ReviewDecision, st.today)
	st.event.Note = strings.TrimSpace(in.Reason)
	return st.save()
}

func (st *step) decideReview(in Input) error {
	if err := outcome("outcome", in.Outcome); err != nil {
		return err
	}
	if err := required("text", in.Text, 10); err != nil {
		return err
	}
	p := &st.c.Petition
	p.ReviewOutcome, p.ReviewText = in.Outcome, strings.TrimSpace(in.Text)
	st.meet(deadline.ReviewDecision)
	st.setDeadline(deadline.RereviewRequest, st.today)
	st.set("outcome", in.Outcome)
	return st.save()
}

func (st *step) requestRereview(in Input) error {
	if err := st.withinWindow(deadline.RereviewRequest, "request re-review"); err != nil {
		return err
	}
	if err := required("reason", in.Reason, 2); err != nil {
		return err
	}
	st.meet(deadline.RereviewRequest)
	st.setDeadline(deadline.RereviewDecision, st.today)
	st.event.Note = strings.TrimSpace(in.Reason)
	return st.save()
}

func (st *step) decideRereview(in Input) error {
	if err := outcome("outcome", in.Outcome); err != nil {
		return err
	}
	if err := required("text", in.Text, 10); err != nil {
		return err
	}
	p := &st.c.Petition
	p.ReviewOutcome, p.ReviewText = in.Outcome, strings.TrimSpace(in.Text)
	st.meet(deadline.RereviewDecision)
	st.set("outcome", in.Outcome)
	return st.finish()
}

func (st *step) close(in Input) error {
	window := deadline.ReviewRequest
	what := "request review"
	if st.c.Petition.State == petition.Reviewed {
		window, what = deadline.RereviewRequest, "request re-review"
	}
	if d := st.c.Deadline(window); d != nil && d.MetAt == nil && !st.today.After(d.DueOn) && !in.Satisfied {
		return failure.New(failure.CodeIllegalState, http.StatusConflict,
			"the petitioner may still %s until %s; close earlier only if the petitioner is satisfied", what, d.DueOn).
			With(map[string]string{"due_on": d.DueOn.String()})
	}
	st.meet(window)
	st.event.Note = strings.TrimSpace(in.Note)
	st.set("petitioner_satisfied", in.Satisfied)
	return st.finish()
}

// finish closes the case for good: the matter is final (终结).
func (st *step) finish() error {
	now := st.now
	st.c.Petition.ClosedAt = &now
	if err := st.tx.MarkMatterFinal(st.c.Petition.MatterID, now); err != nil {
		return err
	}
	return st.save()
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// NewTrackingCode returns a random code a petitioner uses to follow a case.
func NewTrackingCode() string {
	const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ" // no 0/O, 1/I
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return "XF" + string(b)
}

// SetTimeLimit changes one statutory time limit; only administrators may.
func (s *Service) SetTimeLimit(ctx context.Context, u org.User, r deadline.Rule) error {
	if u.Role != org.RoleAdmin {
		return failure.Forbidden("only an administrator may change time limits")
	}
	if err := r.Validate(); err != nil {
		return failure.Invalid("time_limit", "%v", err)
	}
	return s.st.Write(ctx, func(tx *store.Tx) error { return tx.SetTimeLimit(actorOf(u), r) })
}

// SetCalendarYear replaces year's holiday arrangement with days, as a new
// calendar revision; only administrators may. Deadlines computed from then
// on record the new revision.
func (s *Service) SetCalendarYear(ctx context.Context, u org.User, year int, days []calendar.Day, note string) (int64, error) {
	if u.Role != org.RoleAdmin {
		return 0, failure.Forbidden("only an administrator may change the calendar")
	}
	seen := map[calendar.Date]bool{}
	for i, d := range days {
		if d.Date.IsZero() || d.Date.Year() != year {
			return 0, failure.Invalid("days", "day %d (%s) is not in %d", i+1, d.Date, year)
		}
		if d.Kind != calendar.Off && d.Kind != calendar.Work {
			return 0, failure.Invalid("days", "day %s has kind %q; use off or work", d.Date, d.Kind)
		}
		if seen[d.Date] {
			return 0, failure.Invalid("days", "day %s is listed twice", d.Date)
		}
		seen[d.Date] = true
	}
	if strings.TrimSpace(note) == "" {
		return 0, failure.Invalid("note", "note is required (e.g. the State Council notice the arrangement comes from)")
	}
	cur, err := s.st.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	var all []calendar.Day
	for _, d := range cur.All() {
		if d.Date.Year() != year {
			all = append(all, d)
		}
	}
	all = append(all, days...)
	var rev int64
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		var err error
		rev, err = tx.SaveCalendar(actorOf(u), all, note)
		return err
	})
	return rev, err
}
