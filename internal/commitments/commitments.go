// Package commitments keeps leaders' yearly commitments — each leader
// commits to crack one or two hard problems (硬骨头) and produce one or two
// reform results a year, with progress and a year-end review — and the
// checklists of joint meetings (联席会议): items with responsible units and
// due dates, which the escalation ladder climbs like any deadline.
package commitments

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/store"
)

// MaxPerKind is how many commitments of one kind a leader makes a year (the article's "1–2").
const MaxPerKind = 2

// Kinds of commitment.
var Kinds = []string{"hard_problem", "reform"}

// keepers may record commitments and checklists.
var keepers = []org.Role{org.RoleLeader, org.RoleBureau, org.RoleAdmin}

func actor(u org.User) store.Actor { return store.Actor{ID: u.ID, Login: u.Login} }

func clean(field, v string, minLen, maxLen int) (string, error) {
	v = strings.TrimSpace(v)
	if n := len([]rune(v)); n < minLen || n > maxLen {
		return "", failure.Invalid(field, "%s needs %d–%d characters", field, minLen, maxLen)
	}
	return v, nil
}

// CommitmentInput is a commitment to record.
type CommitmentInput struct {
	Year       int    `json:"year"`
	LeaderName string `json:"leader_name"`
	UnitCode   string `json:"unit_code"`
	Kind       string `json:"kind"`
	Title      string `json:"title"`
	Target     string `json:"target"`
}

// Create records a commitment; a leader makes at most MaxPerKind of each kind a year.
func Create(ctx context.Context, st *store.Store, u org.User, in CommitmentInput, now time.Time) (store.Commitment, error) {
	var c store.Commitment
	if !slices.Contains(keepers, u.Role) {
		return c, failure.Forbidden("the %s role may not record commitments", u.Role)
	}
	tree, err := st.Units(ctx)
	if err != nil {
		return c, err
	}
	unit, ok := tree.ByCode(strings.TrimSpace(in.UnitCode))
	if !ok {
		return c, failure.Invalid("unit_code", "unit %q does not exist", in.UnitCode)
	}
	if y := calendar.DateOf(now).Year(); in.Year < y-1 || in.Year > y+1 {
		return c, failure.Invalid("year", "year must be %d, %d or %d", y-1, y, y+1)
	}
	if !slices.Contains(Kinds, in.Kind) {
		return c, failure.Invalid("kind", "kind %q is not one of hard_problem, reform", in.Kind)
	}
	c = store.Commitment{Year: in.Year, UnitID: unit.ID, Kind: in.Kind, CreatedBy: u.ID, CreatedAt: now, Progress: []store.Progress{}}
	if c.LeaderName, err = clean("leader_name", in.LeaderName, 1, 100); err != nil {
		return c, err
	}
	if c.Title, err = clean("title", in.Title, 4, 500); err != nil {
		return c, err
	}
	if c.Target, err = clean("target", in.Target, 0, 5000); err != nil {
		return c, err
	}
	err = st.Write(ctx, func(tx *store.Tx) error {
		n, err := tx.CountCommitments(c.Year, c.LeaderName, c.UnitID, c.Kind)
		if err != nil {
			return err
		}
		if n >= MaxPerKind {
			return failure.New(failure.CodeConflict, http.StatusConflict, "%s already has %d %s commitments for %d", c.LeaderName, n, c.Kind, c.Year)
		}
		return tx.CreateCommitment(actor(u), &c)
	})
	return c, err
}

// AddProgress notes progress on an open commitment.
func AddProgress(ctx context.Context, st *store.Store, u org.User, id int64, note string, now time.Time) (store.Progress, error) {
	var p store.Progress
	if !slices.Contains(keepers, u.Role) {
		return p, failure.Forbidden("the %s role may not record progress on commitments", u.Role)
	}
	note, err := clean("note", note, 2, 5000)
	if err != nil {
		return p, err
	}
	p = store.Progress{Note: note, ByUser: u.ID, At: now}
	err = st.Write(ctx, func(tx *store.Tx) error { return tx.AddProgress(actor(u), id, &p) })
	switch {
	case errors.Is(err, store.ErrNotFound):
		return p, failure.NotFound("commitment")
	case errors.Is(err, store.ErrConflict):
		return p, failure.New(failure.CodeIllegalState, http.StatusConflict, "the commitment was reviewed already")
	}
	return p, err
}

// Review records the year-end review: achieved or missed.
func Review(ctx context.Context, st *store.Store, u org.User, id int64, outcome, review string, now time.Time) (store.Commitment, error) {
	if !slices.Contains(keepers, u.Role) {
		return store.Commitment{}, failure.Forbidden("the %s role may not review commitments", u.Role)
	}
	if outcome != "achieved" && outcome != "missed" {
		return store.Commitment{}, failure.Invalid("outcome", "outcome %q is not one of achieved, missed", outcome)
	}
	review, err := clean("review", review, 4, 5000)
	if err != nil {
		return store.Commitment{}, err
	}
	err = st.Write(ctx, func(tx *store.Tx) error { return tx.ReviewCommitment(actor(u), id, outcome, review, now) })
	if errors.Is(err, store.ErrNotFound) {
		return store.Commitment{}, failure.New(failure.CodeIllegalState, http.StatusConflict, "no open commitment %d", id)
	}
	if err != nil {
		return store.Commitment{}, err
	}
	cs, err := st.Commitments(ctx, 0, id)
	if err != nil || len(cs) != 1 {
		return store.Commitment{}, errors.Join(err, failure.NotFound("commitment"))
	}
	return cs[0], nil
}

// ItemInput is one checklist item.
type ItemInput struct {
	Title    string         `json:"title"`
	UnitCode string         `json:"unit_code"`
	DueOn    *calendar.Date `json:"due_on"`
}

// ChecklistInput is a joint meeting's checklist.
type ChecklistInput struct {
	Title   string      `json:"title"`
	Meeting string      `json:"meeting"`
	Items   []ItemInput `json:"items"`
}

// CreateChecklist records a checklist with its items.
func CreateChecklist(ctx context.Context, st *store.Store, u org.User, in ChecklistInput, now time.Time) (store.Checklist, error) {
	var c store.Checklist
	if !slices.Contains(keepers, u.Role) {
		return c, failure.Forbidden("the %s role may not record checklists", u.Role)
	}
	tree, err := st.Units(ctx)
	if err != nil {
		return c, err
	}
	c = store.Checklist{CreatedBy: u.ID, CreatedAt: now}
	if c.Title, err = clean("title", in.Title, 2, 500); err != nil {
		return c, err
	}
	if c.Meeting, err = clean("meeting", in.Meeting, 2, 200); err != nil {
		return c, err
	}
	if len(in.Items) == 0 || len(in.Items) > 1000 {
		return c, failure.Invalid("items", "a checklist needs 1–1000 items")
	}
	today := calendar.DateOf(now)
	for i, it := range in.Items {
		title, err := clean("items.title", it.Title, 2, 1000)
		if err != nil {
			return c, err
		}
		unit, ok := tree.ByCode(strings.TrimSpace(it.UnitCode))
		if !ok {
			return c, failure.Invalid("items.unit_code", "item %d: unit %q does not exist", i+1, it.UnitCode)
		}
		if it.DueOn == nil || it.DueOn.Before(today) {
			return c, failure.Invalid("items.due_on", "item %d: due_on is required and may not be in the past", i+1)
		}
		c.Items = append(c.Items, store.ChecklistItem{Title: title, UnitID: unit.ID, DueOn: *it.DueOn})
	}
	err = st.Write(ctx, func(tx *store.Tx) error { return tx.CreateChecklist(actor(u), &c) })
	return c, err
}

// CompleteItem marks an item done: the responsible unit, or a keeper.
func CompleteItem(ctx context.Context, st *store.Store, u org.User, id int64, note string, now time.Time) (store.ChecklistItem, error) {
	it, err := st.ChecklistItem(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return it, failure.NotFound("checklist item")
	}
	if err != nil {
		return it, err
	}
	tree, err := st.Units(ctx)
	if err != nil {
		return it, err
	}
	if !slices.Contains(keepers, u.Role) && !(u.Role.UnitScoped() && tree.Within(u.UnitID, it.UnitID)) {
		return it, failure.Forbidden("only the responsible unit or the joint meeting's keepers may complete an item")
	}
	if note, err = clean("note", note, 2, 5000); err != nil {
		return it, err
	}
	err = st.Write(ctx, func(tx *store.Tx) error { return tx.CompleteChecklistItem(actor(u), id, note, now) })
	if errors.Is(err, store.ErrNotFound) {
		return it, failure.New(failure.CodeIllegalState, http.StatusConflict, "the item is already done")
	}
	if err != nil {
		return it, err
	}
	return st.ChecklistItem(ctx, id)
}
