// Package petition holds the case records of the petition workflow:
// petitioners, petitions, assignments to units, deadlines and the timeline.
package petition

import (
	"time"

	"redress/internal/calendar"
	"redress/internal/deadline"
)

// State is where a petition stands in the statutory workflow.
type State string

// States, in workflow order.
const (
	Registered         State = "registered"          // 登记
	Accepted           State = "accepted"            // 受理
	Declined           State = "declined"            // 不予受理
	Assigned           State = "assigned"            // 已交办/转送, waiting for the unit to sign
	Returned           State = "returned"            // 退单, the bureau re-routes
	Handling           State = "handling"            // 办理中
	ExtensionRequested State = "extension_requested" // 延期申请中
	Replied            State = "replied"             // 已答复 (信访处理意见书)
	ReviewRequested    State = "review_requested"    // 复查中
	Reviewed           State = "reviewed"            // 已复查
	RereviewRequested  State = "rereview_requested"  // 复核中
	Closed             State = "closed"              // 终结
)

// States lists every state in workflow order.
var States = []State{Registered, Accepted, Declined, Assigned, Returned, Handling,
	ExtensionRequested, Replied, ReviewRequested, Reviewed, RereviewRequested, Closed}

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	for _, x := range States {
		if x == s {
			return true
		}
	}
	return false
}

// Channels a petition can arrive by.
var Channels = []string{"letter", "visit", "online", "hotline", "mailbox"}

// Reply outcomes (信访处理意见书).
const (
	OutcomeSupport = "support" // 支持
	OutcomeExplain = "explain" // 解释说明
	OutcomeReject  = "reject"  // 不予支持
)

// Petitioner is who submits: a person or a group. All fields are personal data.
type Petitioner struct {
	ID           int64  `json:"id"`
	Kind         string `json:"kind"` // person | group
	Name         string `json:"name"`
	IDNumber     string `json:"id_number"`
	Phone        string `json:"phone"`
	Address      string `json:"address"`
	DistrictCode string `json:"district_code"`
	GroupSize    int    `json:"group_size"`
}

// Petition is one submission and the case it opens.
type Petition struct {
	ID            int64      `json:"id"`
	ExternalID    string     `json:"external_id,omitempty"`
	TrackingCode  string     `json:"tracking_code"`
	ReceivedAt    time.Time  `json:"received_at"`
	Channel       string     `json:"channel"`
	PetitionerID  int64      `json:"petitioner_id"`
	MatterID      int64      `json:"matter_id"`
	DistrictCode  string     `json:"district_code"`
	Address       string     `json:"address"`
	Title         string     `json:"title"`
	Content       string     `json:"content"`
	State         State      `json:"state"`
	Accusation    bool       `json:"accusation"`
	AccusedUnitID int64      `json:"accused_unit_id,omitempty"`
	UnitID        int64      `json:"unit_id,omitempty"` // the unit currently responsible
	DeclineReason string     `json:"decline_reason,omitempty"`
	ReplyOutcome  string     `json:"reply_outcome,omitempty"`
	ReplyText     string     `json:"reply_text,omitempty"`
	RepliedAt     *time.Time `json:"replied_at,omitempty"`
	ReviewOutcome string     `json:"review_outcome,omitempty"`
	ReviewText    string     `json:"review_text,omitempty"`
	ClosedAt      *time.Time `json:"closed_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	Version       int        `json:"version"`
}

// Assignment makes a unit responsible for a petition (交办 / 转送).
type Assignment struct {
	ID              int64          `json:"id"`
	PetitionID      int64          `json:"petition_id"`
	UnitID          int64          `json:"unit_id"`
	Mode            string         `json:"mode"`  // assign | forward
	State           string         `json:"state"` // pending | signed | returned | replied
	AssignedAt      time.Time      `json:"assigned_at"`
	AssignedBy      int64          `json:"assigned_by"`
	DueOn           *calendar.Date `json:"due_on,omitempty"`
	SignedAt        *time.Time     `json:"signed_at,omitempty"`
	ReturnedAt      *time.Time     `json:"returned_at,omitempty"`
	ReturnReason    string         `json:"return_reason,omitempty"`
	ExtensionState  string         `json:"extension_state,omitempty"`
	ExtensionDays   int            `json:"extension_days,omitempty"`
	ExtensionReason string         `json:"extension_reason,omitempty"`
}

// Deadline is one computed time limit on a petition.
type Deadline struct {
	ID               int64         `json:"-"`
	PetitionID       int64         `json:"-"`
	Kind             deadline.Kind `json:"kind"`
	StartedOn        calendar.Date `json:"started_on"`
	DueOn            calendar.Date `json:"due_on"`
	Rule             deadline.Rule `json:"rule"`
	CalendarRevision int64         `json:"calendar_revision"`
	Obligation       bool          `json:"obligation"`
	MetAt            *time.Time    `json:"met_at,omitempty"`
	ComputedAt       time.Time     `json:"computed_at"`
}

// Open reports whether the deadline is still running.
func (d Deadline) Open() bool { return d.MetAt == nil }

// Overdue reports whether an open obligation is past its due date on today.
func (d Deadline) Overdue(today calendar.Date) bool {
	return d.Obligation && d.Open() && d.DueOn.Before(today)
}

// Event is one entry on a case's timeline.
type Event struct {
	ID         int64          `json:"id"`
	PetitionID int64          `json:"-"`
	At         time.Time      `json:"at"`
	ActorID    int64          `json:"actor_id,omitempty"`
	ActorName  string         `json:"actor_name,omitempty"`
	Action     string         `json:"action"`
	FromState  State          `json:"from_state,omitempty"`
	ToState    State          `json:"to_state,omitempty"`
	Note       string         `json:"note,omitempty"`
	Data       map[string]any `json:"data,omitempty"`
}

// Case is a petition with everything attached to it.
type Case struct {
	Petition    Petition     `json:"petition"`
	Petitioner  Petitioner   `json:"petitioner"`
	Assignments []Assignment `json:"assignments"`
	Deadlines   []Deadline   `json:"deadlines"`
	Events      []Event      `json:"events"`
	MatterFinal *time.Time   `json:"matter_final_at,omitempty"`
}

// Current returns the latest assignment, if any.
func (c *Case) Current() *Assignment {
	if len(c.Assignments) == 0 {
		return nil
	}
	return &c.Assignments[len(c.Assignments)-1]
}

// Deadline returns the deadline of kind k, if any.
func (c *Case) Deadline(k deadline.Kind) *Deadline {
	for i := range c.Deadlines {
		if c.Deadlines[i].Kind == k {
			return &c.Deadlines[i]
		}
	}
	return nil
}

// Overdue reports whether any obligation is past due on today.
func (c *Case) Overdue(today calendar.Date) bool {
	for _, d := range c.Deadlines {
		if d.Overdue(today) {
			return true
		}
	}
	return false
}

// Related is an earlier petition found to raise the same matter, with the
// score of the match and the signals that matched (e.g. "id_number", "text").
type Related struct {
	PetitionID int64    `json:"petition_id"`
	ExternalID string   `json:"external_id,omitempty"`
	Score      float64  `json:"score"`
	Reasons    []string `json:"reasons"`
}
