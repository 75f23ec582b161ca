//go:build devtools

// Developer tools, built only with -tags devtools so that ordinary test runs
// neither compile nor skip them.

package demo

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestDump(t *testing.T) {
	now := time.Date(2026, 3, 15, 10, 0, 0, 0, china)
	ps := Petitions(now, 2000, 1)
	for _, p := range ps {
		fmt.Printf("== %s %s %s %s %s %s | %+v\n%s\n%s\n\n", p.ExternalID, p.ReceivedAt.Format(time.RFC3339), p.Channel, p.PetitionerName, p.PetitionerIDNumber, p.Address, p.Plan.FinalState+" "+p.Plan.UnitCode+" "+p.Plan.Theme+" rep="+p.Plan.RepeatOf, p.Title, p.Content)
	}
}

// TestSummary logs how the demo petitions spread over states, themes,
// channels and districts (run with -v).
func TestSummary(t *testing.T) {
	ps := Petitions(testNow, 2000, 1)
	count := func(key func(Petition) string) string {
		m := map[string]int{}
		for _, p := range ps {
			m[key(p)]++
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
		var b strings.Builder
		for _, k := range keys {
			fmt.Fprintf(&b, "%s=%d ", k, m[k])
		}
		return b.String()
	}
	t.Logf("states: %s", count(func(p Petition) string { return p.Plan.FinalState }))
	t.Logf("themes: %s", count(func(p Petition) string { return p.Plan.Theme }))
	t.Logf("channels: %s", count(func(p Petition) string { return p.Channel }))
	t.Logf("districts: %s", count(func(p Petition) string { return p.DistrictCode }))
	t.Logf("outcomes: %s", count(func(p Petition) string { return p.Plan.ReplyOutcome }))
	t.Logf("repeat: %s", count(func(p Petition) string { return fmt.Sprint(p.Plan.RepeatOf != "") }))
	t.Logf("overdue: %s", count(func(p Petition) string { return fmt.Sprint(p.Plan.Overdue) }))
	t.Logf("group: %s", count(func(p Petition) string { return fmt.Sprint(p.Plan.GroupSize > 0) }))
	t.Logf("accusation: %s", count(func(p Petition) string { return fmt.Sprint(p.Plan.Accusation) }))
	t.Logf("unit level: %s", count(func(p Petition) string {
		u, _ := unitByCode(p.Plan.UnitCode)
		if u.ParentCode == CityCode {
			return "city"
		}
		return u.Kind
	}))
	t.Logf("month: %s", count(func(p Petition) string { return p.ReceivedAt.Format("2006-01") }))
}
