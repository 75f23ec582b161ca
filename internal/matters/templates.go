package matters

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"redress/internal/access"
	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// Resolution templates by precedent (the article's property-certificate
// case: one case solved by 容缺受理, then applied to 90,000 households).
//
// A template is made from a replied case: its reply outcome and text, and
// the 容缺 items (documents to supply later, each with a due period in
// days). Applying it replies to every selected case in one transaction, as
// the caller, through the ordinary lifecycle reply action: the caller must
// be allowed to reply to each case (a handler or head of the unit it is
// assigned to) and each must be in a state where a reply is allowed. If one
// is not, nothing changes and the error names it. Each case's reply lists
// its own items and due dates, and each gets its own deficiency rows.

// MaxApply bounds the cases one application may touch.
const MaxApply = 20000

// TemplateInput makes a template from a precedent case.
type TemplateInput struct {
	PetitionID int64                `json:"petition_id"`
	Name       string               `json:"name"`
	Items      []store.TemplateItem `json:"items"`
	// Outcome and Text default to the precedent's reply (or review decision).
	Outcome string `json:"outcome,omitempty"`
	Text    string `json:"text,omitempty"`
}

// CreateTemplate turns a replied case into a template (registrars only).
func (s *Service) CreateTemplate(ctx context.Context, u org.User, in TemplateInput) (store.Template, error) {
	if u.Role != org.RoleBureau {
		return store.Template{}, failure.Forbidden("only the petition bureau manages resolution templates")
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return store.Template{}, failure.Invalid("name", "name is required")
	}
	for i, it := range in.Items {
		if strings.TrimSpace(it.Name) == "" {
			return store.Template{}, failure.Invalid(fmt.Sprintf("items[%d].name", i), "every 容缺 item needs a name")
		}
		if it.DueDays < 1 || it.DueDays > 365 {
			return store.Template{}, failure.Invalid(fmt.Sprintf("items[%d].due_days", i), "due_days must be from 1 to 365")
		}
		in.Items[i].Name = strings.TrimSpace(it.Name)
	}
	c, err := s.st.Case(ctx, in.PetitionID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return store.Template{}, failure.Invalid("petition_id", "petition %d does not exist", in.PetitionID)
		}
		return store.Template{}, err
	}
	p := c.Petition
	outcome, text := p.ReplyOutcome, p.ReplyText
	if p.ReviewOutcome != "" {
		outcome, text = p.ReviewOutcome, p.ReviewText
	}
	if in.Outcome != "" {
		outcome = in.Outcome
	}
	if strings.TrimSpace(in.Text) != "" {
		text = strings.TrimSpace(in.Text)
	}
	if text == "" || outcome == "" {
		return store.Template{}, failure.New(failure.CodeIllegalState, http.StatusConflict,
			"petition %s has no reply yet; a template is made from a replied case", p.TrackingCode)
	}
	switch outcome {
	case petition.OutcomeSupport, petition.OutcomeExplain, petition.OutcomeReject:
	default:
		return store.Template{}, failure.Invalid("outcome", "outcome %q is not one of support, explain, reject", outcome)
	}
	tp := store.Template{Name: in.Name, SourcePetitionID: p.ID, Outcome: outcome, Text: text, Items: in.Items, CreatedBy: u.ID, CreatedAt: s.svc.Now().UTC()}
	if tp.Items == nil {
		tp.Items = []store.TemplateItem{}
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertTemplate(&tp); err != nil {
			return err
		}
		return tx.Audit(actor(u), "template.create", "template", tp.ID, nil, map[string]any{
			"name": tp.Name, "source_petition_id": p.ID, "outcome": outcome, "items": tp.Items})
	})
	return tp, err
}

// Selection names the cases a template is applied to; the parts add up.
type Selection struct {
	PetitionIDs []int64 `json:"petition_ids,omitempty"`
	// Filter: a petition search, within the caller's scope.
	Filter *SearchFilter `json:"filter,omitempty"`
	// ProblemID: every petition in the problem's matters.
	ProblemID int64 `json:"problem_id,omitempty"`
	// RepeatOf: the petition, those of its matter and its repeat candidates
	// not rejected.
	RepeatOf int64 `json:"repeat_of,omitempty"`
}

// SearchFilter is the subset of the petition list's filters a selection uses.
type SearchFilter struct {
	Query    string         `json:"q,omitempty"`
	State    petition.State `json:"state,omitempty"`
	District string         `json:"district,omitempty"`
	UnitCode string         `json:"unit,omitempty"`
	Channel  string         `json:"channel,omitempty"`
	From     calendar.Date  `json:"from,omitzero"`
	To       calendar.Date  `json:"to,omitzero"`
}

// selectIDs resolves a selection to petition ids, in order, without duplicates.
func (s *Service) selectIDs(ctx context.Context, u org.User, sel Selection) ([]int64, error) {
	ids := slices.Clone(sel.PetitionIDs)
	if sel.Filter != nil {
		tree, err := s.st.Units(ctx)
		if err != nil {
			return nil, err
		}
		f := store.Filter{Query: sel.Filter.Query, State: sel.Filter.State, District: sel.Filter.District, Channel: sel.Filter.Channel,
			From: sel.Filter.From, To: sel.Filter.To, Scope: access.Scope(u, tree), Limit: 500}
		if sel.Filter.UnitCode != "" {
			unit, ok := tree.ByCode(sel.Filter.UnitCode)
			if !ok {
				return nil, failure.Invalid("filter.unit", "unit %q does not exist", sel.Filter.UnitCode)
			}
			f.UnitIDs = tree.Subtree(unit.ID)
		}
		for {
			page, err := s.st.ListPetitions(ctx, f)
			if err != nil {
				return nil, err
			}
			for _, it := range page.Items {
				ids = append(ids, it.ID)
			}
			if page.NextCursor == "" || len(ids) > MaxApply {
				break
			}
			f.Cursor = page.NextCursor
		}
	}
	if sel.ProblemID != 0 {
		more, err := s.st.PetitionsOfProblem(ctx, sel.ProblemID)
		if err != nil {
			return nil, err
		}
		ids = append(ids, more...)
	}
	if sel.RepeatOf != 0 {
		more, err := s.st.RepeatsOf(ctx, sel.RepeatOf)
		if err != nil {
			return nil, err
		}
		ids = append(ids, more...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return nil, failure.Invalid("select", "the selection matches no petition")
	}
	if len(ids) > MaxApply {
		return nil, failure.Invalid("select", "the selection matches more than %d petitions; narrow it", MaxApply)
	}
	return ids, nil
}

// PreviewItem is one case of a template preview.
type PreviewItem struct {
	PetitionID   int64          `json:"petition_id"`
	TrackingCode string         `json:"tracking_code"`
	State        petition.State `json:"state"`
	Allowed      bool           `json:"allowed"`
	Reason       string         `json:"reason,omitempty"` // why not
	// Refusal is the refusal itself (nil when allowed), for callers that
	// word it in the reader's language.
	Refusal error                `json:"-"`
	Items   []store.TemplateItem `json:"-"`
	Due     []DueItem            `json:"items"`
}

// DueItem is a 容缺 item with the date it would fall due.
type DueItem struct {
	Name  string        `json:"name"`
	DueOn calendar.Date `json:"due_on"`
}

// Preview is what applying a template would do.
type Preview struct {
	Template store.Template `json:"template"`
	Cases    []PreviewItem  `json:"cases"`
	Allowed  int            `json:"allowed"`
	Refused  int            `json:"refused"`
}

func dueItems(tp store.Template, today calendar.Date) []DueItem {
	out := make([]DueItem, len(tp.Items))
	for i, it := range tp.Items {
		out[i] = DueItem{Name: it.Name, DueOn: today.AddDays(it.DueDays)}
	}
	return out
}

// replyText is the template's text followed by this case's 容缺 items.
func replyText(tp store.Template, due []DueItem) string {
	if len(due) == 0 {
		return tp.Text
	}
	var b strings.Builder
	b.WriteString(tp.Text)
	b.WriteString("\n容缺受理，请于期限内补交以下材料，逾期未补交的终止办理：")
	for i, d := range due {
		fmt.Fprintf(&b, "\n%d. %s（%s前）", i+1, d.Name, d.DueOn)
	}
	return b.String()
}

// PreviewTemplate shows, for each selected case, whether the caller may
// apply the template to it now, and the items it would owe.
func (s *Service) PreviewTemplate(ctx context.Context, u org.User, templateID int64, sel Selection) (Preview, error) {
	tp, err := s.template(ctx, templateID)
	if err != nil {
		return Preview{}, err
	}
	ids, err := s.selectIDs(ctx, u, sel)
	if err != nil {
		return Preview{}, err
	}
	tree, err := s.st.Units(ctx)
	if err != nil {
		return Preview{}, err
	}
	due := dueItems(tp, calendar.DateOf(s.svc.Now()))
	out := Preview{Template: tp, Cases: make([]PreviewItem, 0, len(ids))}
	for _, id := range ids {
		c, err := s.st.Case(ctx, id)
		if errors.Is(err, store.ErrNotFound) || err == nil && !access.CanSee(u, tree, c) {
			out.Cases = append(out.Cases, PreviewItem{PetitionID: id, Reason: "not found", Refusal: failure.NotFound("petition"), Due: due})
			out.Refused++
			continue
		}
		if err != nil {
			return Preview{}, err
		}
		it := PreviewItem{PetitionID: id, TrackingCode: c.Petition.TrackingCode, State: c.Petition.State, Due: due, Allowed: true}
		if err := s.svc.Permitted(u, tree, c, lifecycle.Reply); err != nil {
			it.Allowed, it.Reason, it.Refusal = false, failure.Public(err).Message, err
			out.Refused++
		} else {
			out.Allowed++
		}
		out.Cases = append(out.Cases, it)
	}
	return out, nil
}

func (s *Service) template(ctx context.Context, id int64) (store.Template, error) {
	tp, err := s.st.Template(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return tp, failure.NotFound("template")
	}
	return tp, err
}

// Applied is the result of applying a template.
type Applied struct {
	TemplateID  int64   `json:"template_id"`
	PetitionIDs []int64 `json:"petition_ids"`
	Items       int     `json:"items"` // 容缺 items created
}

// ApplyTemplate replies to every selected case with the template, and
// gives each its own 容缺 items, all in one transaction: if any case may not
// be replied to now, nothing changes and the error names that case.
func (s *Service) ApplyTemplate(ctx context.Context, u org.User, templateID int64, sel Selection) (Applied, error) {
	tp, err := s.template(ctx, templateID)
	if err != nil {
		return Applied{}, err
	}
	ids, err := s.selectIDs(ctx, u, sel)
	if err != nil {
		return Applied{}, err
	}
	out := Applied{TemplateID: tp.ID, PetitionIDs: ids}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		out.Items = 0
		now := s.svc.Now().UTC()
		due := dueItems(tp, calendar.DateOf(now))
		text := replyText(tp, due)
		for _, id := range ids {
			if err := s.svc.DoTx(tx, u, id, lifecycle.Reply, lifecycle.Input{Outcome: tp.Outcome, Text: text}); err != nil {
				return namedCase(tx, id, err)
			}
			c, err := tx.LoadCase(id)
			if err != nil {
				return err
			}
			for _, d := range due {
				item := store.Deficiency{PetitionID: id, TemplateID: tp.ID, UnitID: c.Petition.UnitID, Name: d.Name, DueOn: d.DueOn, CreatedAt: now}
				if err := tx.InsertDeficiency(&item); err != nil {
					return err
				}
				out.Items++
			}
		}
		return tx.Audit(actor(u), "template.apply", "template", tp.ID, nil, map[string]any{
			"petition_ids": ids, "cases": len(ids), "items": out.Items})
	})
	if err != nil {
		return Applied{}, err
	}
	return out, nil
}

// namedCase puts the case's tracking code in front of a refusal, keeping
// its code and status, so that the caller knows which case stopped it all.
func namedCase(tx *store.Tx, id int64, err error) error {
	code, _ := tx.PetitionTrackingCode(id)
	var fe *failure.Error
	if errors.As(err, &fe) {
		named := *fe
		named.Message = fmt.Sprintf("case %s (id %d): %s; nothing was changed", code, id, fe.Message)
		params := map[string]string{"petition_id": fmt.Sprint(id), "tracking_code": code}
		for k, v := range fe.Params {
			params[k] = v
		}
		named.Params = params
		return &named
	}
	return fmt.Errorf("case %s (id %d): %w", code, id, err)
}

// Deficiencies lists 容缺 items: a unit's staff see their units' items,
// overseers every unit's (or one unit's subtree with unitID).
func (s *Service) Deficiencies(ctx context.Context, u org.User, unitID int64, overdueOnly bool) ([]store.Deficiency, error) {
	tree, err := s.st.Units(ctx)
	if err != nil {
		return nil, err
	}
	f := store.DeficiencyFilter{OpenOnly: overdueOnly, Limit: 5000}
	if overdueOnly {
		f.DueBefore = calendar.DateOf(s.svc.Now())
	}
	switch u.Role {
	case org.RoleHandler, org.RoleHead:
		if unitID != 0 && !tree.Within(unitID, u.UnitID) {
			return nil, failure.Forbidden("a unit sees only its own 容缺 items")
		}
		if unitID == 0 {
			unitID = u.UnitID
		}
	}
	if unitID != 0 {
		f.UnitIDs = tree.Subtree(unitID)
	}
	return s.st.Deficiencies(ctx, f)
}

// Supply records that a 容缺 item was handed in (the responsible unit or the bureau).
func (s *Service) Supply(ctx context.Context, u org.User, itemID int64) (store.Deficiency, error) {
	tree, err := s.st.Units(ctx)
	if err != nil {
		return store.Deficiency{}, err
	}
	var d store.Deficiency
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		var err error
		d, err = tx.DeficiencyTx(itemID)
		if errors.Is(err, store.ErrNotFound) {
			return failure.NotFound("容缺 item")
		}
		if err != nil {
			return err
		}
		unitStaff := (u.Role == org.RoleHandler || u.Role == org.RoleHead) && d.UnitID != 0 && tree.Within(u.UnitID, d.UnitID)
		if u.Role != org.RoleBureau && !unitStaff {
			return failure.NotFound("容缺 item")
		}
		now := s.svc.Now().UTC()
		if err := tx.SupplyDeficiency(itemID, now); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return failure.New(failure.CodeConflict, http.StatusConflict, "this 容缺 item was supplied or terminated already")
			}
			return err
		}
		d.SuppliedAt = &now
		if err := tx.AddEvent(&petition.Event{PetitionID: d.PetitionID, At: now, ActorID: u.ID, Action: "deficiency-supplied", Note: d.Name}); err != nil {
			return err
		}
		return tx.Audit(actor(u), "deficiency.supply", "deficiency_item", itemID, nil, map[string]any{"petition_id": d.PetitionID, "name": d.Name})
	})
	return d, err
}

// SweepOptions configure SweepDeficiencies.
type SweepOptions struct {
	// GraceDays after the due date before a missing item terminates its
	// case (default 15): until then the item is only listed as past due.
	GraceDays int
	// Batch bounds the cases handled per transaction (default 200).
	Batch int
}

// SweepResult counts what a sweep did.
type SweepResult struct {
	Terminated int `json:"terminated"` // cases whose 容缺 acceptance ended
	Closed     int `json:"closed"`     // of those (this or an earlier sweep), cases closed now
}

// sweepUser is the system acting in the bureau's role: it closes cases
// whose 容缺 items never came, and nothing else.
var sweepUser = org.User{Login: "system", Name: "容缺到期处理", Role: org.RoleBureau}

// SweepDeficiencies applies the 容缺 rule on the day of now. An item not
// supplied by its due date is listed as past due for its unit. If it is
// still missing GraceDays days after its due date, the case's 容缺
// acceptance ends: all its open items are marked terminated and its
// timeline records why. The case is then closed (终结) through the
// lifecycle close action as soon as that is allowed: at once if the
// petitioner's review window is over, otherwise by a later sweep once it is.
// The system never cuts the statutory review period short. Run it daily;
// it acts on each case once (terminated items are not swept again).
func (s *Service) SweepDeficiencies(ctx context.Context, now time.Time, o SweepOptions) (SweepResult, error) {
	if o.GraceDays <= 0 {
		o.GraceDays = 15
	}
	if o.Batch <= 0 {
		o.Batch = 200
	}
	var res SweepResult
	cutoff := calendar.DateOf(now).AddDays(-o.GraceDays)
	for {
		n := 0
		err := s.st.Write(ctx, func(tx *store.Tx) error {
			n = 0
			ids, err := tx.OverduePetitions(cutoff, o.Batch)
			if err != nil {
				return err
			}
			for _, id := range ids {
				k, err := tx.TerminateDeficiencies(id, now)
				if err != nil {
					return err
				}
				if err := tx.AddEvent(&petition.Event{PetitionID: id, At: now.UTC(), Action: "deficiency-terminated",
					Note: fmt.Sprintf("容缺材料逾期%d日仍未补交，终止容缺受理", o.GraceDays), Data: map[string]any{"items": k}}); err != nil {
					return err
				}
				if err := tx.Audit(store.System, "deficiency.terminate", "petition", id, nil, map[string]any{"items": k, "grace_days": o.GraceDays}); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return res, fmt.Errorf("sweep 容缺 items: %w", err)
		}
		res.Terminated += n
		if n < o.Batch {
			break
		}
	}
	// Close what may be closed now. A refusal (the review window is open,
	// a review was requested) leaves the case for a later sweep; close
	// checks before it writes, so the transaction goes on.
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		res.Closed = 0
		ids, err := tx.TerminatedUnclosed([]petition.State{petition.Replied, petition.Reviewed}, 10*o.Batch)
		if err != nil {
			return err
		}
		for _, id := range ids {
			err := s.svc.DoTx(tx, sweepUser, id, lifecycle.Close, lifecycle.Input{Note: "容缺材料逾期未补交，终止办理"})
			var fe *failure.Error
			switch {
			case err == nil:
				res.Closed++
			case errors.As(err, &fe):
				// not yet
			default:
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("sweep 容缺 items: %w", err)
	}
	return res, nil
}
