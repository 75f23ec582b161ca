// Package deadline names the statutory time limits of the petition workflow
// (《信访工作条例》2022) and the hotline rules, with their default lengths.
// Every limit is a Rule whose count and unit an administrator may change.
package deadline

import (
	"fmt"

	"redress/internal/calendar"
)

// Kind names one time limit.
type Kind string

// The time limits. Obligations bind the bureau or a unit and make a case
// overdue when missed; windows bind the petitioner or close an option.
const (
	Acknowledge      Kind = "acknowledge"       // Art. 23: tell the petitioner whether it is accepted
	Assign           Kind = "assign"            // Art. 22: forward or assign to the body with authority
	Notify           Kind = "notify"            // Art. 23: the assigned unit tells the petitioner it has the case
	Objection        Kind = "objection"         // Art. 23: the unit may object that the matter is outside its remit
	Reply            Kind = "reply"             // Art. 34: handle and reply in writing
	ExtensionMax     Kind = "extension_max"     // Art. 34: the most a head may extend handling
	ReviewRequest    Kind = "review_request"    // Art. 35: the petitioner may ask for review
	ReviewDecision   Kind = "review_decision"   // Art. 35: the body one level up answers
	RereviewRequest  Kind = "rereview_request"  // Art. 36: the petitioner may ask for re-review
	RereviewDecision Kind = "rereview_decision" // Art. 36: the re-review body answers
)

// Rule is a time limit: Count units.
type Rule struct {
	Kind  Kind          `json:"kind"`
	Count int           `json:"count"`
	Unit  calendar.Unit `json:"unit"`
}

// Info describes a kind for people.
type Info struct {
	Kind       Kind
	Window     bool   // a window for the petitioner or an option, not an obligation
	Article    string // the article that sets it
	NameZH     string
	NameEN     string
	DefaultN   int
	DefaultUse calendar.Unit
}

// Kinds lists every time limit with its default, in workflow order.
var Kinds = []Info{
	{Acknowledge, false, "第二十三条", "受理告知", "acknowledge acceptance", 15, calendar.CalendarDays},
	{Assign, false, "第二十二条", "转送交办", "forward or assign", 15, calendar.CalendarDays},
	{Notify, false, "第二十三条", "告知信访人", "notify the petitioner", 15, calendar.CalendarDays},
	{Objection, true, "第二十三条", "提出异议", "object to the assignment", 5, calendar.WorkingDays},
	{Reply, false, "第三十四条", "办理答复", "handle and reply", 60, calendar.CalendarDays},
	{ExtensionMax, true, "第三十四条", "延期上限", "longest extension", 30, calendar.CalendarDays},
	{ReviewRequest, true, "第三十五条", "申请复查", "request review", 30, calendar.CalendarDays},
	{ReviewDecision, false, "第三十五条", "复查答复", "decide review", 30, calendar.CalendarDays},
	{RereviewRequest, true, "第三十六条", "申请复核", "request re-review", 30, calendar.CalendarDays},
	{RereviewDecision, false, "第三十六条", "复核答复", "decide re-review", 30, calendar.CalendarDays},
}

// Lookup returns the description of k.
func Lookup(k Kind) (Info, bool) {
	for _, i := range Kinds {
		if i.Kind == k {
			return i, true
		}
	}
	return Info{}, false
}

// ParseKind validates a kind name.
func ParseKind(s string) (Kind, error) {
	if _, ok := Lookup(Kind(s)); !ok {
		return "", fmt.Errorf("time limit %q does not exist", s)
	}
	return Kind(s), nil
}

// Defaults returns the statutory defaults.
func Defaults() map[Kind]Rule {
	m := make(map[Kind]Rule, len(Kinds))
	for _, i := range Kinds {
		m[i.Kind] = Rule{Kind: i.Kind, Count: i.DefaultN, Unit: i.DefaultUse}
	}
	return m
}

// Validate checks a rule an administrator wants to set.
func (r Rule) Validate() error {
	if _, ok := Lookup(r.Kind); !ok {
		return fmt.Errorf("time limit %q does not exist", r.Kind)
	}
	if r.Count < 0 || r.Count > 366 {
		return fmt.Errorf("count %d is outside 0–366", r.Count)
	}
	if _, err := calendar.ParseUnit(string(r.Unit)); err != nil {
		return err
	}
	return nil
}

// Due computes a deadline under rule r on calendar c.
func Due(c *calendar.Calendar, r Rule, start calendar.Date) calendar.Date {
	return c.Add(start, r.Count, r.Unit)
}
