// Package escalation is the escalation ladder (督办): configurable rules over
// every open obligation deadline — a reminder to the handling unit before the
// due date, a reminder to its head on the day, a supervision notice to the
// head by name once overdue, and a report to the Party committee (报市委) with
// the case listed for 挂牌督办 when it stays overdue or keeps being returned.
//
// The database is the truth. Sweep(now) finds the due steps with SQL; each
// step is recorded in escalation_steps, whose UNIQUE key makes a second
// firing impossible, in the same transaction as its effects (an event on the
// case, the audit entry, in-app notices and the outbox rows for webhooks and
// email). Messages leave only after that transaction commits.
package escalation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"redress/internal/calendar"
	"redress/internal/deadline"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// Rule is one rung of the ladder.
type Rule = store.EscalationRule

// Triggers.
const (
	BeforeDue = "before_due" // Days working days before the due date, until it is due
	DueDay    = "due_day"    // on the due date
	Overdue   = "overdue"    // past due, and at least Days working days past it
	Returns   = "returns"    // the case was returned (退单) at least Days times
)

// Actions.
const (
	Reminder    = "reminder"     // 提醒
	Supervision = "supervision"  // 督办通知, answerable by a written explanation
	PartyReport = "party_report" // 报市委, and listed for 挂牌督办 until solved
)

// Recipients.
const (
	Handlers  = "handlers"  // the handlers of the responsible unit
	Head      = "head"      // the head of the responsible unit (一把手), by name
	Committee = "committee" // the Party committee: the city leaders
	Bureau    = "bureau"    // the petition bureau
)

// Defaults is the ladder used until an administrator stores another.
func Defaults() []Rule {
	return []Rule{
		{Name: "remind-handler", Trigger: BeforeDue, Days: 3, Action: Reminder, Recipient: Handlers, Active: true},
		{Name: "remind-head", Trigger: DueDay, Action: Reminder, Recipient: Head, Active: true},
		{Name: "supervise", Trigger: Overdue, Days: 1, Action: Supervision, Recipient: Head, Active: true},
		{Name: "report-overdue", Trigger: Overdue, Days: 5, Action: PartyReport, Recipient: Committee, Active: true},
		{Name: "report-returns", Trigger: Returns, Days: 2, Action: PartyReport, Recipient: Committee, Active: true},
	}
}

// Validate checks a ladder an administrator wants to store.
func Validate(rules []Rule) error {
	if len(rules) == 0 {
		return failure.Invalid("rules", "at least one rule is required")
	}
	if len(rules) > 50 {
		return failure.Invalid("rules", "at most 50 rules are allowed")
	}
	seen := map[string]bool{}
	for i, r := range rules {
		field := fmt.Sprintf("rules[%d]", i)
		name := strings.TrimSpace(r.Name)
		if name == "" || len(name) > 64 || name != r.Name {
			return failure.Invalid(field+".name", "rule %d needs a name of 1–64 characters without surrounding spaces", i+1)
		}
		if seen[name] {
			return failure.Invalid(field+".name", "rule name %q is used twice", name)
		}
		seen[name] = true
		if !slices.Contains([]string{BeforeDue, DueDay, Overdue, Returns}, r.Trigger) {
			return failure.Invalid(field+".trigger", "trigger %q is not one of before_due, due_day, overdue, returns", r.Trigger)
		}
		if r.Days < 0 || r.Days > 60 {
			return failure.Invalid(field+".days", "days %d is outside 0–60", r.Days)
		}
		if r.Trigger == Returns && r.Days < 1 {
			return failure.Invalid(field+".days", "a returns rule needs days (the number of returns) of at least 1")
		}
		if !slices.Contains([]string{Reminder, Supervision, PartyReport}, r.Action) {
			return failure.Invalid(field+".action", "action %q is not one of reminder, supervision, party_report", r.Action)
		}
		if !slices.Contains([]string{Handlers, Head, Committee, Bureau}, r.Recipient) {
			return failure.Invalid(field+".recipient", "recipient %q is not one of handlers, head, committee, bureau", r.Recipient)
		}
	}
	return nil
}

// Window returns the due dates rule r fires on today: those on or before
// maxDue, and on or after minDue unless it is zero. Reminders go stale once a
// deadline has passed; the overdue rungs never do.
func Window(cal *calendar.Calendar, r Rule, today calendar.Date) (maxDue, minDue calendar.Date) {
	switch r.Trigger {
	case BeforeDue:
		return cal.Add(today, r.Days, calendar.WorkingDays), today
	case DueDay:
		return today, today
	default: // Overdue
		// The latest due date with at least Days working days after it up to today.
		d := today
		for counted := 0; counted < r.Days; d = d.AddDays(-1) {
			if cal.IsWorkingDay(d) {
				counted++
			}
		}
		if !d.Before(today) {
			d = today.AddDays(-1)
		}
		return d, calendar.Date{}
	}
}

// Webhook is an HTTP endpoint told of every step, its body signed with Secret.
type Webhook struct {
	URL    string
	Secret string
}

// Options configure the service.
type Options struct {
	Webhooks []Webhook
	EmailTo  []string // addresses told of every step by email ("" : none)
	SMTP     SMTP     // how email is sent
	Logger   *slog.Logger
	// Batch is how many candidates one query reads (default 500); Workers
	// how many steps are fired at once, so that they share group commits
	// (default 32).
	Batch, Workers int
	// HTTPClient sends webhooks (default: a client with a 10 s timeout).
	HTTPClient *http.Client
	// MaxAttempts before a message is given up (default 8); the wait after
	// attempt n is Backoff·2^(n-1) (default 30 s), at most 6 h.
	MaxAttempts int
	Backoff     time.Duration
}

// Service runs the ladder on a store.
type Service struct {
	st   *store.Store
	o    Options
	log  *slog.Logger
	poke chan struct{} // a step committed: deliver the outbox now
}

// New returns the service.
func New(st *store.Store, o Options) *Service {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Batch <= 0 {
		o.Batch = 500
	}
	if o.Workers <= 0 {
		o.Workers = 32
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.Backoff <= 0 {
		o.Backoff = 30 * time.Second
	}
	return &Service{st: st, o: o, log: o.Logger, poke: make(chan struct{}, 1)}
}

// Rules returns the ladder in force: the stored one, or the defaults.
func (s *Service) Rules(ctx context.Context) ([]Rule, error) {
	rules, stored, err := s.st.EscalationRules(ctx)
	if err != nil {
		return nil, err
	}
	if !stored {
		return Defaults(), nil
	}
	return rules, nil
}

// SetRules replaces the ladder; only administrators may.
func (s *Service) SetRules(ctx context.Context, u org.User, rules []Rule, now time.Time) error {
	if u.Role != org.RoleAdmin {
		return failure.Forbidden("only an administrator may change the escalation rules")
	}
	if err := Validate(rules); err != nil {
		return err
	}
	before, err := s.Rules(ctx)
	if err != nil {
		return err
	}
	return s.st.Write(ctx, func(tx *store.Tx) error {
		return tx.SetEscalationRules(store.Actor{ID: u.ID, Login: u.Login}, before, rules, now)
	})
}

// Result counts what one sweep did.
type Result struct {
	Fired    int            `json:"fired"`
	ByRule   map[string]int `json:"by_rule"`
	Skipped  int            `json:"skipped"` // already fired elsewhere, or no longer due
	Failed   int            `json:"failed"`  // left for the next sweep
	Delisted int            `json:"delisted"`
}

var errSkip = errors.New("step no longer due or already fired")

// Sweep fires every step due at now, each exactly once however many
// processes sweep, and takes solved cases off the 挂牌督办 list.
func (s *Service) Sweep(ctx context.Context, now time.Time) (Result, error) {
	res := Result{ByRule: map[string]int{}}
	rules, err := s.Rules(ctx)
	if err != nil {
		return res, err
	}
	cal, err := s.st.Calendar(ctx)
	if err != nil {
		return res, err
	}
	tree, err := s.st.Units(ctx)
	if err != nil {
		return res, err
	}
	today := calendar.DateOf(now)
	for _, r := range rules {
		if !r.Active {
			continue
		}
		var after store.DeadlineCursor
		for {
			var cands []store.EscalationCandidate
			advanced := false
			if r.Trigger == Returns {
				cands, err = s.st.ReturnedCases(ctx, r.Name, r.Days, s.o.Batch)
			} else {
				maxDue, minDue := Window(cal, r, today)
				cands, err = s.st.DueDeadlines(ctx, r.Name, maxDue, minDue, after, s.o.Batch)
				if n := len(cands); n > 0 {
					after, advanced = store.CursorOf(cands[n-1]), true
				}
				// Rectification items (整改) and joint-meeting checklist items climb the same ladder.
				for _, more := range []func(context.Context, string, calendar.Date, calendar.Date, int) ([]store.EscalationCandidate, error){
					s.st.DueRectifications, s.st.DueChecklistItems,
				} {
					if err != nil || len(cands) >= s.o.Batch {
						break
					}
					var extra []store.EscalationCandidate
					extra, err = more(ctx, r.Name, maxDue, minDue, s.o.Batch-len(cands))
					cands = append(cands, extra...)
				}
			}
			if err != nil {
				return res, err
			}
			fired, skipped, failed := s.fireAll(ctx, tree, r, cands, now)
			res.Fired += fired
			res.ByRule[r.Name] += fired
			res.Skipped += skipped
			res.Failed += failed
			if err := ctx.Err(); err != nil {
				return res, err
			}
			// Stop when a round makes no progress: what is left failed and
			// waits for the next sweep. Deadlines are paged by key, so a round
			// that read deadlines always moves on.
			if len(cands) < s.o.Batch || (fired == 0 && !advanced) {
				break
			}
		}
	}
	solved, err := s.st.SolvedListings(ctx)
	if err != nil {
		return res, err
	}
	for _, id := range solved {
		err := s.st.Write(ctx, func(tx *store.Tx) error {
			cleared, err := tx.ClearListing(store.System, id, now)
			if err != nil || !cleared {
				return err
			}
			return tx.AddEvent(&petition.Event{PetitionID: id, At: now, Action: "escalation.delist", Note: "已解决，撤销挂牌督办"})
		})
		if err != nil {
			return res, fmt.Errorf("clear listing of petition %d: %w", id, err)
		}
		res.Delisted++
	}
	return res, nil
}

// fireAll fires rule r on cands, several at a time so that they share commits.
func (s *Service) fireAll(ctx context.Context, tree *org.Tree, r Rule, cands []store.EscalationCandidate, now time.Time) (fired, skipped, failed int) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, s.o.Workers)
	for _, c := range cands {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			err := s.fire(ctx, tree, r, c, now)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				fired++
			case errors.Is(err, errSkip):
				skipped++
			default:
				failed++
				s.log.Warn("escalation step failed; the next sweep retries it", "rule", r.Name, "petition", c.PetitionID, "subject", c.Subject, "err", err)
			}
		}()
	}
	wg.Wait()
	return fired, skipped, failed
}

// payload is what webhooks receive and the outbox keeps.
type payload struct {
	Event        string `json:"event"`
	StepID       int64  `json:"step_id"`
	Rule         string `json:"rule"`
	Action       string `json:"action"`
	Recipient    string `json:"recipient"`
	PetitionID   int64  `json:"petition_id"`
	TrackingCode string `json:"tracking_code"`
	Subject      string `json:"subject"`
	DueOn        string `json:"due_on"`
	UnitID       int64  `json:"unit_id,omitempty"`
	Unit         string `json:"unit,omitempty"`
	HeadName     string `json:"head_name,omitempty"`
	FiredAt      string `json:"fired_at"`
	Text         string `json:"text"`
}

// fire records one step and its effects in one transaction, or returns
// errSkip when the step already exists or is no longer due.
func (s *Service) fire(ctx context.Context, tree *org.Tree, r Rule, c store.EscalationCandidate, now time.Time) error {
	return s.st.Write(ctx, func(tx *store.Tx) error {
		cur, ok, err := tx.RecheckCandidate(c)
		if err != nil {
			return err
		}
		if !ok {
			return errSkip
		}
		unit, hasUnit := tree.Unit(cur.UnitID)
		step := store.EscalationStep{
			Rule: r.Name, Subject: c.Subject, SubjectID: c.SubjectID, DueOn: c.DueOn, PetitionID: c.PetitionID,
			UnitID: cur.UnitID, Action: r.Action, Recipient: r.Recipient, FiredAt: now.UTC(), FiredOn: calendar.DateOf(now),
		}
		if hasUnit {
			step.HeadName = unit.HeadName
		}
		step.Note = describe(r, c, unit, hasUnit)
		// The audit entry comes first: on PostgreSQL it takes the audit-head
		// lock before the step's unique key, the order every writer follows,
		// so two processes firing the same steps wait rather than deadlock.
		entity, entityID := "petition", c.PetitionID
		if c.Subject == "rectification" || c.Subject == "checklist_item" {
			entity, entityID = c.Subject, c.SubjectID
		}
		if err := tx.Audit(store.System, "escalation."+r.Action, entity, entityID, nil, map[string]any{
			"rule": r.Name, "subject": c.Subject, "due_on": c.DueOn.String(), "unit_id": cur.UnitID, "head_name": step.HeadName,
		}); err != nil {
			return err
		}
		inserted, err := tx.InsertEscalationStep(&step)
		if err != nil {
			return err
		}
		if !inserted {
			return errSkip
		}
		if c.PetitionID != 0 {
			if err := tx.AddEvent(&petition.Event{PetitionID: c.PetitionID, At: now, Action: "escalation." + r.Action, Note: step.Note,
				Data: map[string]any{"step_id": step.ID, "rule": r.Name, "subject": c.Subject, "subject_id": c.SubjectID, "due_on": c.DueOn.String(),
					"unit_id": cur.UnitID, "head_name": step.HeadName, "recipient": r.Recipient}}); err != nil {
				return err
			}
		}
		if r.Action == PartyReport && c.PetitionID != 0 && c.Subject != "rectification" {
			if err := tx.ListForSupervision(c.PetitionID, step.ID, now); err != nil {
				return err
			}
		}
		users, err := recipients(tx, r.Recipient, cur.UnitID)
		if err != nil {
			return err
		}
		title := titleOf(r.Action) + "：" + cur.TrackingCode + " " + cur.Title
		for _, u := range users {
			if err := tx.AddNotice(&store.Notice{UserID: u.ID, StepID: step.ID, PetitionID: c.PetitionID, Kind: "escalation." + r.Action,
				Title: title, Body: step.Note, CreatedAt: now}); err != nil {
				return err
			}
		}
		p := payload{Event: "escalation." + r.Action, StepID: step.ID, Rule: r.Name, Action: r.Action, Recipient: r.Recipient,
			PetitionID: c.PetitionID, TrackingCode: cur.TrackingCode, Subject: c.Subject, DueOn: c.DueOn.String(),
			UnitID: cur.UnitID, HeadName: step.HeadName, FiredAt: now.UTC().Format(time.RFC3339), Text: step.Note}
		if hasUnit {
			p.Unit = unit.Name
		}
		body, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("encode webhook payload: %w", err)
		}
		queued := false
		for _, wh := range s.o.Webhooks {
			if err := tx.Enqueue(&store.OutboxMessage{Channel: "webhook", Target: wh.URL, Body: string(body), StepID: step.ID}, now); err != nil {
				return err
			}
			queued = true
		}
		// Email goes to the configured list and, when SMTP is set up, to
		// every recipient with an address (the head named in a 督办 notice).
		emailTo := slices.Clone(s.o.EmailTo)
		if s.o.SMTP.Addr != "" {
			for _, u := range users {
				if u.Email != "" && !slices.Contains(emailTo, u.Email) {
					emailTo = append(emailTo, u.Email)
				}
			}
		}
		for _, to := range emailTo {
			if err := tx.Enqueue(&store.OutboxMessage{Channel: "email", Target: to, Subject: title, Body: step.Note, StepID: step.ID}, now); err != nil {
				return err
			}
			queued = true
		}
		if queued {
			tx.AfterCommit(s.wake)
		}
		return nil
	})
}

// wake tells the delivery loop that the outbox has new messages.
func (s *Service) wake() {
	select {
	case s.poke <- struct{}{}:
	default:
	}
}

func recipients(tx *store.Tx, recipient string, unitID int64) ([]org.User, error) {
	switch recipient {
	case Committee:
		return tx.Recipients(0, org.RoleLeader)
	case Bureau:
		return tx.Recipients(0, org.RoleBureau)
	}
	if unitID == 0 {
		// The bureau's own obligation (acknowledge, assign): it is told itself.
		return tx.Recipients(0, org.RoleBureau)
	}
	if recipient == Head {
		return tx.Recipients(unitID, org.RoleHead)
	}
	return tx.Recipients(unitID, org.RoleHandler, org.RoleHead)
}

func titleOf(action string) string {
	switch action {
	case Supervision:
		return "督办通知"
	case PartyReport:
		return "报市委"
	}
	return "办理提醒"
}

// describe says what happened, naming the unit and its head.
func describe(r Rule, c store.EscalationCandidate, unit org.Unit, hasUnit bool) string {
	who := "市信访局"
	if hasUnit {
		who = unit.Name
		if unit.HeadName != "" {
			who += "（" + strings.TrimSpace(unit.HeadTitle+" "+unit.HeadName) + "）"
		}
	}
	what := "期限"
	switch c.Subject {
	case "rectification":
		what = fmt.Sprintf("整改事项#%d的整改期限", c.SubjectID)
	case "checklist_item":
		what = fmt.Sprintf("联席会议清单事项#%d的完成期限", c.SubjectID)
	}
	if kind, ok := strings.CutPrefix(c.Subject, "deadline/"); ok {
		if info, ok := deadline.Lookup(deadline.Kind(kind)); ok {
			what = info.NameZH + "期限"
		}
	}
	switch r.Trigger {
	case Returns:
		return fmt.Sprintf("%s：该件已被退单%d次以上，%s，报市委并挂牌督办", titleOf(r.Action), r.Days, who)
	case BeforeDue:
		return fmt.Sprintf("%s：%s将于%s届满，请%s按期办结", titleOf(r.Action), what, c.DueOn, who)
	case DueDay:
		return fmt.Sprintf("%s：%s今日（%s）届满，请%s今日办结", titleOf(r.Action), what, c.DueOn, who)
	}
	if r.Action == PartyReport {
		return fmt.Sprintf("%s：%s已于%s届满，逾期%d个工作日以上，%s，报市委并挂牌督办", titleOf(r.Action), what, c.DueOn, r.Days, who)
	}
	return fmt.Sprintf("%s：%s已于%s届满仍未办结，督办%s，请作出书面说明", titleOf(r.Action), what, c.DueOn, who)
}

// Explain records the responsible unit's written explanation for a
// supervision notice; only its handlers and head may give one.
func (s *Service) Explain(ctx context.Context, u org.User, stepID int64, text string, now time.Time) (store.EscalationExplanation, error) {
	var e store.EscalationExplanation
	step, err := s.st.EscalationStep(ctx, stepID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return e, failure.NotFound("escalation step")
		}
		return e, err
	}
	if step.Action == Reminder {
		return e, failure.New(failure.CodeIllegalState, http.StatusConflict, "a reminder needs no explanation; explanations answer supervision notices")
	}
	if !u.Role.UnitScoped() || step.UnitID == 0 || u.UnitID != step.UnitID {
		return e, failure.Forbidden("only the unit under supervision may explain")
	}
	text = strings.TrimSpace(text)
	if n := len([]rune(text)); n < 10 || n > 5000 {
		return e, failure.Invalid("text", "the explanation must have 10–5000 characters")
	}
	e = store.EscalationExplanation{StepID: stepID, Text: text, SubmittedBy: u.ID, SubmittedAt: now}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.AddExplanation(store.Actor{ID: u.ID, Login: u.Login}, &e); err != nil {
			return err
		}
		if step.PetitionID == 0 {
			return nil
		}
		return tx.AddEvent(&petition.Event{PetitionID: step.PetitionID, At: now, ActorID: u.ID, Action: "escalation.explain", Note: text,
			Data: map[string]any{"step_id": stepID}})
	})
	if errors.Is(err, store.ErrConflict) {
		return e, failure.New(failure.CodeConflict, http.StatusConflict, "an earlier explanation is still awaiting the bureau's decision")
	}
	return e, err
}

// Decide accepts or rejects the pending explanation of a step; only the bureau may.
func (s *Service) Decide(ctx context.Context, u org.User, stepID int64, decision, note string, now time.Time) (store.EscalationExplanation, error) {
	var e store.EscalationExplanation
	if u.Role != org.RoleBureau {
		return e, failure.Forbidden("only the petition bureau decides on explanations")
	}
	switch decision {
	case "accept":
		decision = "accepted"
	case "reject":
		decision = "rejected"
	default:
		return e, failure.Invalid("decision", "decision %q is not one of accept, reject", decision)
	}
	note = strings.TrimSpace(note)
	if decision == "rejected" && note == "" {
		return e, failure.Invalid("note", "say why the explanation is rejected")
	}
	step, err := s.st.EscalationStep(ctx, stepID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return e, failure.NotFound("escalation step")
		}
		return e, err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		var err error
		e, err = tx.DecideExplanation(store.Actor{ID: u.ID, Login: u.Login}, stepID, decision, note, now)
		if err != nil || step.PetitionID == 0 {
			return err
		}
		return tx.AddEvent(&petition.Event{PetitionID: step.PetitionID, At: now, ActorID: u.ID, Action: "escalation.explanation." + decision,
			Note: note, Data: map[string]any{"step_id": stepID, "explanation_id": e.ID}})
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return e, failure.New(failure.CodeIllegalState, http.StatusConflict, "no explanation of this step awaits a decision")
	case errors.Is(err, store.ErrConflict):
		return e, failure.New(failure.CodeConflict, http.StatusConflict, "the explanation was decided by someone else")
	}
	return e, err
}
