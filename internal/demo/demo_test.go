package demo

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 3, 15, 10, 30, 0, 0, china)

func TestUnits(t *testing.T) {
	units := Units()
	byCode := map[string]Unit{}
	for _, u := range units {
		if _, dup := byCode[u.Code]; dup {
			t.Fatalf("duplicate unit code %s", u.Code)
		}
		if u.ParentCode != "" {
			if _, ok := byCode[u.ParentCode]; !ok {
				t.Errorf("unit %s: parent %s missing or listed after it", u.Code, u.ParentCode)
			}
		}
		switch u.Kind {
		case KindCity, KindDistrict, KindDepartment, KindTownship:
		default:
			t.Errorf("unit %s: kind %q", u.Code, u.Kind)
		}
		if u.Name == "" || u.HeadName == "" || u.HeadTitle == "" {
			t.Errorf("unit %s incomplete: %+v", u.Code, u)
		}
		byCode[u.Code] = u
	}
	if byCode[CityCode].Kind != KindCity {
		t.Fatalf("no city unit")
	}
	for _, code := range []string{"211402", "211403", "211404", "211421", "211422", "211481"} {
		u, ok := byCode[code]
		if !ok || u.Kind != KindDistrict || u.ParentCode != CityCode {
			t.Errorf("district %s: %+v", code, u)
		}
		towns, depts := 0, 0
		for _, x := range units {
			if x.ParentCode == code && x.Kind == KindTownship {
				towns++
			}
			if x.ParentCode == code && x.Kind == KindDepartment {
				depts++
			}
		}
		if towns < 3 || depts < 5 {
			t.Errorf("district %s: %d townships, %d departments", code, towns, depts)
		}
	}
	for _, code := range []string{"211400-xfj", "211400-zjj", "211400-rsj", "211400-zrzyj", "211400-cgj", "211400-scjgj",
		"211400-jyj", "211400-ybj", "211400-sthj", "211400-gaj", "211400-mzj", "211400-jtj", "211481-zjj", "211481-gcjd", "211421-szz"} {
		if _, ok := byCode[code]; !ok {
			t.Errorf("unit %s missing", code)
		}
	}
	if !reflect.DeepEqual(units, Units()) {
		t.Errorf("Units not stable")
	}
}

func TestUsers(t *testing.T) {
	units := map[string]Unit{}
	for _, u := range Units() {
		units[u.Code] = u
	}
	logins := map[string]User{}
	roles := map[string]bool{}
	for _, u := range Users() {
		if _, dup := logins[u.Login]; dup {
			t.Errorf("duplicate login %s", u.Login)
		}
		logins[u.Login] = u
		roles[u.Role] = true
		unit, ok := units[u.UnitCode]
		if !ok {
			t.Errorf("user %s: unit %s missing", u.Login, u.UnitCode)
		}
		if u.Password != "redress-demo" || u.Name == "" {
			t.Errorf("user %+v", u)
		}
		if u.Role == "head" && u.Name != unit.HeadName {
			t.Errorf("head %s is %s but unit %s head is %s", u.Login, u.Name, unit.Code, unit.HeadName)
		}
	}
	for _, r := range []string{"bureau", "handler", "head", "leader", "inspector", "admin"} {
		if !roles[r] {
			t.Errorf("no user with role %s", r)
		}
	}
	want := map[string][2]string{
		"admin": {"admin", "211400-xfj"}, "bureau": {"bureau", "211400-xfj"},
		"zjj": {"handler", "211400-zjj"}, "zjj-head": {"head", "211400-zjj"},
		"rsj": {"handler", "211400-rsj"}, "rsj-head": {"head", "211400-rsj"},
		"xc-zjj": {"handler", "211481-zjj"}, "xc-zjj-head": {"head", "211481-zjj"},
		"leader": {"leader", "211400"}, "inspector": {"inspector", "211400-xcb"},
	}
	for login, w := range want {
		u, ok := logins[login]
		if !ok || u.Role != w[0] || u.UnitCode != w[1] {
			t.Errorf("user %s = %+v, want role %s unit %s", login, u, w[0], w[1])
		}
	}
}

func TestIDCheckDigit(t *testing.T) {
	// Example from GB 11643-1999.
	if !ValidIDNumber("11010519491231002X") {
		t.Errorf("standard example rejected")
	}
	if ValidIDNumber("110105194912310021") || ValidIDNumber("1101051949123100") {
		t.Errorf("bad numbers accepted")
	}
}

func TestPetitions(t *testing.T) {
	for _, c := range []struct {
		now  time.Time
		seed int64
	}{
		{testNow, 1},
		{time.Date(2026, 7, 20, 16, 0, 0, 0, time.UTC), 2},
		{time.Date(2025, 11, 2, 8, 0, 0, 0, china), 3},
	} {
		t.Run(fmt.Sprintf("%s/%d", c.now.Format("2006-01-02"), c.seed), func(t *testing.T) {
			checkPetitions(t, c.now, c.seed)
		})
	}
}

func checkPetitions(t *testing.T, now time.Time, seed int64) {
	const n = 2000
	ps := Petitions(now, n, seed)
	if len(ps) != n {
		t.Fatalf("got %d petitions, want %d", len(ps), n)
	}
	units := map[string]Unit{}
	for _, u := range Units() {
		units[u.Code] = u
	}
	ids := map[string]int{}
	byID := map[string]Petition{}
	states := map[string]int{}
	districtsSeen := map[string]int{}
	channels := map[string]int{}
	contents := map[string]int{}
	titles := map[string]int{}
	repeats, accusations, groups, overdue := 0, 0, 0, 0
	start := now.AddDate(-1, 0, 0)
	for i, p := range ps {
		if i > 0 && p.ReceivedAt.Before(ps[i-1].ReceivedAt) {
			t.Fatalf("not sorted at %d", i)
		}
		if !p.ReceivedAt.After(start) || !p.ReceivedAt.Before(now) {
			t.Errorf("%s received %v, outside the year before %v", p.ExternalID, p.ReceivedAt, now)
		}
		if m := p.ReceivedAt.Month(); p.Plan.Theme == "heating" && m > time.March && m < time.November {
			t.Errorf("%s: heating complaint in %s", p.ExternalID, m)
		}
		ids[p.ExternalID]++
		byID[p.ExternalID] = p
		if !ValidIDNumber(p.PetitionerIDNumber) {
			t.Errorf("%s: bad ID number %q", p.ExternalID, p.PetitionerIDNumber)
		}
		if p.PetitionerIDNumber[:6] != p.DistrictCode {
			t.Errorf("%s: ID %s not from district %s", p.ExternalID, p.PetitionerIDNumber, p.DistrictCode)
		}
		if len(p.Phone) != 11 || p.Phone[0] != '1' || strings.Trim(p.Phone, "0123456789") != "" {
			t.Errorf("%s: bad phone %q", p.ExternalID, p.Phone)
		}
		if _, ok := units[p.DistrictCode]; !ok || units[p.DistrictCode].Kind != KindDistrict {
			t.Errorf("%s: bad district %s", p.ExternalID, p.DistrictCode)
		}
		if !strings.HasPrefix(p.Address, "葫芦岛市"+units[p.DistrictCode].Name) {
			t.Errorf("%s: address %q not in district %s", p.ExternalID, p.Address, p.DistrictCode)
		}
		for _, s := range []string{p.Title, p.Content} {
			if strings.ContainsAny(s, "{}") || s == "" {
				t.Errorf("%s: unfilled text %q", p.ExternalID, s)
			}
		}
		if len([]rune(p.Title)) > 40 {
			t.Errorf("%s: title too long: %q", p.ExternalID, p.Title)
		}
		if !contains(Channels, p.Channel) {
			t.Errorf("%s: channel %q", p.ExternalID, p.Channel)
		}
		pl := p.Plan
		if !contains(States, pl.FinalState) {
			t.Errorf("%s: state %q", p.ExternalID, pl.FinalState)
		}
		if pl.FinalState == "declined" {
			if pl.UnitCode != "" || pl.DeclineReason == "" {
				t.Errorf("%s: declined with unit %q reason %q", p.ExternalID, pl.UnitCode, pl.DeclineReason)
			}
		} else if _, ok := units[pl.UnitCode]; !ok {
			t.Errorf("%s: unit %q not in Units()", p.ExternalID, pl.UnitCode)
		}
		if pl.FinalState == "returned" && pl.ReturnReason == "" {
			t.Errorf("%s: returned without reason", p.ExternalID)
		}
		hasReply := map[string]bool{"replied": true, "review_requested": true, "reviewed": true, "rereview_requested": true, "closed": true}[pl.FinalState]
		if hasReply != (pl.ReplyOutcome != "") || (pl.ReplyOutcome != "") != (pl.ReplyText != "") {
			t.Errorf("%s: state %s with outcome %q", p.ExternalID, pl.FinalState, pl.ReplyOutcome)
		}
		if pl.ReplyOutcome != "" && !contains([]string{"support", "explain", "reject"}, pl.ReplyOutcome) {
			t.Errorf("%s: outcome %q", p.ExternalID, pl.ReplyOutcome)
		}
		if pl.Accusation {
			accusations++
			if _, ok := units[pl.AccusedUnitCode]; !ok {
				t.Errorf("%s: accused unit %q not in Units()", p.ExternalID, pl.AccusedUnitCode)
			}
			if pl.AccusedUnitCode == pl.UnitCode {
				t.Errorf("%s: accusation assigned to the accused", p.ExternalID)
			}
		} else if pl.AccusedUnitCode != "" {
			t.Errorf("%s: accused unit without accusation", p.ExternalID)
		}
		if pl.RepeatOf != "" {
			repeats++
			orig, ok := byID[pl.RepeatOf]
			if !ok {
				t.Errorf("%s: repeat of %s which is not earlier", p.ExternalID, pl.RepeatOf)
			} else {
				if orig.Plan.RepeatOf != "" {
					t.Errorf("%s: repeat of a repeat %s", p.ExternalID, pl.RepeatOf)
				}
				if orig.Plan.Theme != pl.Theme || orig.DistrictCode != p.DistrictCode || orig.Address != p.Address {
					t.Errorf("%s: repeat of %s on another matter", p.ExternalID, pl.RepeatOf)
				}
				if orig.Content == p.Content {
					t.Errorf("%s: repeat in the same words as %s", p.ExternalID, pl.RepeatOf)
				}
			}
		}
		if pl.GroupSize > 0 {
			groups++
		}
		if pl.Overdue {
			overdue++
		}
		states[pl.FinalState]++
		districtsSeen[p.DistrictCode]++
		channels[p.Channel]++
		contents[p.Content]++
		titles[p.Title]++
	}
	for id, c := range ids {
		if c > 1 {
			t.Errorf("external id %s used %d times", id, c)
		}
	}
	for _, s := range States {
		if states[s] == 0 {
			t.Errorf("no petition in state %s", s)
		}
	}
	for _, d := range districts {
		if districtsSeen[d.code] < n/30 {
			t.Errorf("district %s has only %d petitions", d.code, districtsSeen[d.code])
		}
	}
	for _, c := range Channels {
		if channels[c] < n/50 {
			t.Errorf("channel %s has only %d petitions", c, channels[c])
		}
	}
	dup := 0
	for _, c := range contents {
		dup += c - 1
	}
	if dup > n/20 {
		t.Errorf("%d duplicate contents", dup)
	}
	if r := float64(repeats) / n; r < 0.10 || r > 0.20 {
		t.Errorf("repeat share %.2f", r)
	}
	if accusations < 3 || groups < 5 || overdue < n/50 {
		t.Errorf("accusations %d, groups %d, overdue %d", accusations, groups, overdue)
	}
	if states["closed"] < n/4 {
		t.Errorf("only %d closed", states["closed"])
	}
}

func TestPetitionsDeterministic(t *testing.T) {
	a := Petitions(testNow, 500, 7)
	b := Petitions(testNow, 500, 7)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed, different petitions")
	}
	c := Petitions(testNow, 500, 8)
	if reflect.DeepEqual(a, c) {
		t.Fatalf("different seeds, same petitions")
	}
}

func TestPetitionsSmall(t *testing.T) {
	for _, n := range []int{0, 1, 12, 40} {
		ps := Petitions(testNow, n, 3)
		if len(ps) != n {
			t.Errorf("n=%d: got %d", n, len(ps))
		}
		if n >= 40 {
			seen := map[string]bool{}
			for _, p := range ps {
				seen[p.Plan.FinalState] = true
			}
			if len(seen) != len(States) {
				t.Errorf("n=%d: only %d states", n, len(seen))
			}
		}
	}
}

// Old petitions are mostly finished, recent ones mostly not.
func TestPetitionsStatesFollowAge(t *testing.T) {
	ps := Petitions(testNow, 2000, 1)
	done := func(s string) bool { return s == "closed" || s == "replied" || s == "reviewed" || s == "declined" }
	var oldDone, oldAll, newDone, newAll int
	for _, p := range ps {
		age := testNow.Sub(p.ReceivedAt)
		switch {
		case age > 180*24*time.Hour:
			oldAll++
			if done(p.Plan.FinalState) {
				oldDone++
			}
		case age < 10*24*time.Hour:
			newAll++
			if done(p.Plan.FinalState) {
				newDone++
			}
		}
	}
	if float64(oldDone) < 0.8*float64(oldAll) || float64(newDone) > 0.4*float64(newAll) {
		t.Errorf("old done %d/%d, new done %d/%d", oldDone, oldAll, newDone, newAll)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
