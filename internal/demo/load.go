package demo

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/schollz/progressbar/v3"

	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/password"
	"redress/internal/store"
)

// Password is the password of every demo user.
const Password = DemoPassword

// DefaultCount is how many petitions the demo loads.
const DefaultCount = 2000

// LoadOptions configure Load.
type LoadOptions struct {
	Count    int       // petitions; DefaultCount when 0
	Seed     int64     // generator seed
	Now      time.Time // the demo's "today"; time.Now when zero
	Progress io.Writer // where progress goes; nil for none
	Terminal bool      // draw a progress bar rather than lines
}

// Load fills an empty database with the Huludao organisation, the demo
// users and the demo petitions, each driven through the real lifecycle to
// its planned state. It does nothing and returns false if units exist.
func Load(ctx context.Context, svc *lifecycle.Service, o LoadOptions) (bool, error) {
	st := svc.Store()
	tree, err := st.Units(ctx)
	if err != nil {
		return false, err
	}
	if len(tree.Units()) > 0 {
		return false, nil
	}
	if o.Count == 0 {
		o.Count = DefaultCount
	}
	if o.Seed == 0 {
		o.Seed = 20260101
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if err := loadOrg(ctx, st); err != nil {
		return false, err
	}
	return true, loadPetitions(ctx, svc, o)
}

func loadOrg(ctx context.Context, st *store.Store) error {
	units := Units()
	depth := map[string]int{}
	parent := map[string]string{}
	for _, u := range units {
		parent[u.Code] = u.ParentCode
	}
	var depthOf func(string) int
	depthOf = func(c string) int {
		if d, ok := depth[c]; ok {
			return d
		}
		d := 0
		if p := parent[c]; p != "" && p != c {
			d = depthOf(p) + 1
		}
		depth[c] = d
		return d
	}
	sort.SliceStable(units, func(i, j int) bool { return depthOf(units[i].Code) < depthOf(units[j].Code) })
	users := Users()
	hashes := make([]string, len(users))
	for i, u := range users {
		h, err := password.Hash(u.Password)
		if err != nil {
			return err
		}
		hashes[i] = h
	}
	return st.Write(ctx, func(tx *store.Tx) error {
		ids := map[string]int64{}
		for _, u := range units {
			ou := org.Unit{Code: u.Code, Name: u.Name, Kind: u.Kind, HeadName: u.HeadName, HeadTitle: u.HeadTitle}
			if u.ParentCode != "" {
				pid, ok := ids[u.ParentCode]
				if !ok {
					return fmt.Errorf("demo unit %s: parent %s unknown", u.Code, u.ParentCode)
				}
				ou.ParentID = pid
			}
			if err := tx.CreateUnit(store.System, &ou); err != nil {
				return err
			}
			ids[u.Code] = ou.ID
		}
		for i, u := range users {
			role, err := org.ParseRole(u.Role)
			if err != nil {
				return fmt.Errorf("demo user %s: %w", u.Login, err)
			}
			uid, ok := ids[u.UnitCode]
			if !ok {
				return fmt.Errorf("demo user %s: unit %s unknown", u.Login, u.UnitCode)
			}
			ou := org.User{Login: u.Login, Name: u.Name, Role: role, UnitID: uid, PasswordHash: hashes[i]}
			if err := tx.CreateUser(store.System, &ou); err != nil {
				return err
			}
		}
		return nil
	})
}

// steps lists, per final state, the actions that lead there.
var steps = map[string][]lifecycle.Action{
	"registered":          nil,
	"accepted":            {lifecycle.Accept},
	"declined":            {lifecycle.Decline},
	"assigned":            {lifecycle.Accept, lifecycle.Assign},
	"returned":            {lifecycle.Accept, lifecycle.Assign, lifecycle.Return},
	"handling":            {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign},
	"extension_requested": {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign, lifecycle.RequestExtension},
	"replied":             {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign, lifecycle.Reply},
	"review_requested":    {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign, lifecycle.Reply, lifecycle.RequestReview},
	"reviewed":            {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign, lifecycle.Reply, lifecycle.RequestReview, lifecycle.DecideReview},
	"rereview_requested":  {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign, lifecycle.Reply, lifecycle.RequestReview, lifecycle.DecideReview, lifecycle.RequestRereview},
	"closed":              {lifecycle.Accept, lifecycle.Assign, lifecycle.Sign, lifecycle.Reply, lifecycle.Close},
}

// offsets is when each action happens, in days after receipt, on an ordinary case.
var offsets = map[lifecycle.Action]float64{
	lifecycle.Accept: 2, lifecycle.Decline: 3, lifecycle.Assign: 4, lifecycle.Sign: 6, lifecycle.Return: 6,
	lifecycle.RequestExtension: 40, lifecycle.Reply: 45, lifecycle.RequestReview: 55, lifecycle.DecideReview: 75,
	lifecycle.RequestRereview: 85, lifecycle.DecideRereview: 105, lifecycle.Close: 80,
}

func finished(state string) bool {
	switch state {
	case "declined", "replied", "reviewed", "closed":
		return true
	}
	return false
}

// schedule returns when each action of p happens.
func schedule(p Petition, acts []lifecycle.Action, now time.Time) []time.Time {
	day := 24 * time.Hour
	at := make([]time.Time, len(acts))
	for i, a := range acts {
		off := offsets[a]
		if p.Plan.Overdue && a == lifecycle.Reply {
			off = 75 // after the 60-day limit from signing
		}
		at[i] = p.ReceivedAt.Add(time.Duration(off * float64(day)))
	}
	if len(acts) == 0 {
		return at
	}
	last := at[len(at)-1]
	latest := now.Add(-2 * time.Hour)
	span := latest.Sub(p.ReceivedAt)
	switch {
	case last.After(latest):
		// A recent petition: squeeze its steps into the time since receipt.
		scale := float64(span) / float64(last.Sub(p.ReceivedAt))
		for i := range at {
			at[i] = p.ReceivedAt.Add(time.Duration(float64(at[i].Sub(p.ReceivedAt)) * scale))
		}
	case !p.Plan.Overdue && !finished(p.Plan.FinalState):
		// An open case on time: its steps happened lately.
		for i := range at {
			back := time.Duration(len(at)-i) * 2 * day
			if t := latest.Add(-back); t.After(p.ReceivedAt) && t.After(at[i]) {
				at[i] = t
			}
		}
	}
	for i := 1; i < len(at); i++ {
		if !at[i].After(at[i-1]) {
			at[i] = at[i-1].Add(time.Minute)
		}
	}
	return at
}

type unitActors struct {
	tree  *org.Tree
	users map[string]org.User // login → user
	byKey map[string]org.User // unit code + role → a real demo user
}

func (ua *unitActors) actor(unitCode string, role org.Role) org.User {
	if u, ok := ua.byKey[unitCode+"/"+string(role)]; ok {
		return u
	}
	unit, _ := ua.tree.ByCode(unitCode)
	// No demo login for this unit: act as the unit itself.
	return org.User{Login: "system", Name: unit.Name, Role: role, UnitID: unit.ID}
}

func loadPetitions(ctx context.Context, svc *lifecycle.Service, o LoadOptions) error {
	st := svc.Store()
	tree, err := st.Units(ctx)
	if err != nil {
		return err
	}
	ua := &unitActors{tree: tree, users: map[string]org.User{}, byKey: map[string]org.User{}}
	all, err := st.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range all {
		ua.users[u.Login] = u
		if unit, ok := tree.Unit(u.UnitID); ok {
			if _, dup := ua.byKey[unit.Code+"/"+string(u.Role)]; !dup {
				ua.byKey[unit.Code+"/"+string(u.Role)] = u
			}
		}
	}
	bureau, ok := ua.users["bureau"]
	if !ok {
		return fmt.Errorf("demo users lack the registrar %q", "bureau")
	}
	leader := ua.users["leader"]

	ps := Petitions(o.Now, o.Count, o.Seed)
	var clock time.Time
	// The same service (with its intake hooks), on a clock the loader moves.
	loader := svc.WithClock(func() time.Time { return clock })
	var bar *progressbar.ProgressBar
	if o.Progress != nil && o.Terminal {
		bar = progressbar.NewOptions(len(ps), progressbar.OptionSetWriter(o.Progress), progressbar.OptionSetDescription("载入演示数据 loading demo data"),
			progressbar.OptionShowCount(), progressbar.OptionSetWidth(30), progressbar.OptionClearOnFinish())
	}
	const chunk = 200
	for start := 0; start < len(ps); start += chunk {
		end := min(len(ps), start+chunk)
		err := st.Write(ctx, func(tx *store.Tx) error {
			for _, p := range ps[start:end] {
				if err := loadOne(tx, loader, &clock, p, bureau, leader, ua, o.Now); err != nil {
					return fmt.Errorf("demo petition %s (%s): %w", p.ExternalID, p.Plan.FinalState, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		switch {
		case bar != nil:
			_ = bar.Set(end)
		case o.Progress != nil:
			fmt.Fprintf(o.Progress, "loading demo data: %d/%d petitions\n", end, len(ps))
		}
	}
	if bar != nil {
		_ = bar.Finish()
	}
	return nil
}

func loadOne(tx *store.Tx, svc *lifecycle.Service, clock *time.Time, p Petition, bureau, leader org.User, ua *unitActors, now time.Time) error {
	rec := intake.Record{ExternalID: p.ExternalID, ReceivedAt: p.ReceivedAt, Channel: p.Channel, PetitionerName: p.PetitionerName,
		PetitionerIDNumber: p.PetitionerIDNumber, Phone: p.Phone, DistrictCode: p.DistrictCode, Address: p.Address,
		Title: p.Title, Content: p.Content, GroupSize: p.Plan.GroupSize, Accusation: p.Plan.Accusation, AccusedUnitCode: p.Plan.AccusedUnitCode}
	*clock = p.ReceivedAt
	prep, err := svc.Prepare(tx.Context(), rec, true)
	if err != nil {
		return err
	}
	reg, err := svc.RegisterTx(tx, bureau, prep)
	if err != nil {
		return err
	}
	acts := steps[p.Plan.FinalState]
	at := schedule(p, acts, now)
	for i, a := range acts {
		*clock = at[i]
		who := bureau
		in := lifecycle.Input{}
		switch a {
		case lifecycle.Decline:
			in.Reason = firstOf(p.Plan.DeclineReason, "不属于信访事项受理范围，已告知通过法定途径解决")
		case lifecycle.Assign:
			in.UnitCode = p.Plan.UnitCode
		case lifecycle.Sign:
			who = ua.actor(p.Plan.UnitCode, org.RoleHandler)
		case lifecycle.Return:
			who = ua.actor(p.Plan.UnitCode, org.RoleHandler)
			in.Reason = firstOf(p.Plan.ReturnReason, "该事项不属于本单位职责范围，建议转有权处理单位")
		case lifecycle.RequestExtension:
			who = ua.actor(p.Plan.UnitCode, org.RoleHandler)
			in.Days, in.Reason = 30, "案情复杂，需多部门联合核查，申请延期办理"
		case lifecycle.Reply:
			who = ua.actor(p.Plan.UnitCode, org.RoleHandler)
			in.Outcome = firstOf(p.Plan.ReplyOutcome, "explain")
			in.Text = firstOf(p.Plan.ReplyText, "经调查核实，现将处理意见答复如下：已责成相关单位依法依规办理，并将办理情况告知信访人。")
		case lifecycle.RequestReview:
			in.Reason = "信访人对处理意见不服，申请复查"
		case lifecycle.DecideReview:
			in.Outcome, in.Text = "explain", "经复查，原处理意见认定事实清楚，适用政策正确，予以维持。"
		case lifecycle.RequestRereview:
			in.Reason = "信访人对复查意见不服，申请复核"
		case lifecycle.DecideRereview:
			who = leader
			in.Outcome, in.Text = "explain", "经复核，维持复查意见。本信访事项终结。"
		case lifecycle.Close:
			in.Note = "已答复，信访人无异议"
			in.Satisfied = at[i].Sub(at[max(0, i-1)]) < 31*24*time.Hour
		}
		if err := svc.DoTx(tx, who, reg.ID, a, in); err != nil {
			return fmt.Errorf("%s: %w", a, err)
		}
	}
	return nil
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
