package calendar

import (
	"fmt"
	"sort"
	"time"
)

// DayKind says how the holiday arrangement changes a day.
type DayKind string

const (
	// Off is a public holiday or a day off in the arrangement (放假).
	Off DayKind = "off"
	// Work is a weekend day made a working day (调休上班).
	Work DayKind = "work"
)

// Day is one exception to the Monday–Friday week.
type Day struct {
	Date Date    `json:"date"`
	Kind DayKind `json:"kind"`
	Note string  `json:"note,omitempty"`
}

// Unit is the unit a time limit is counted in.
type Unit string

const (
	// CalendarDays counts every day.
	CalendarDays Unit = "calendar"
	// WorkingDays counts only working days.
	WorkingDays Unit = "working"
)

// ParseUnit validates a unit name.
func ParseUnit(s string) (Unit, error) {
	switch Unit(s) {
	case CalendarDays, WorkingDays:
		return Unit(s), nil
	}
	return "", fmt.Errorf("unit %q is not one of calendar, working", s)
}

// Calendar is one revision of the holiday arrangement. It is immutable.
type Calendar struct {
	revision int64
	days     map[Date]Day
	years    map[int]bool
}

// New builds a calendar revision from its exception days.
func New(revision int64, days []Day) *Calendar {
	c := &Calendar{revision: revision, days: make(map[Date]Day, len(days)), years: map[int]bool{}}
	for _, d := range days {
		c.days[d.Date] = d
		c.years[d.Date.Year()] = true
	}
	return c
}

// Revision identifies the data this calendar was built from; deadlines record it.
func (c *Calendar) Revision() int64 { return c.revision }

// Covers reports whether the arrangement for year y is known.
func (c *Calendar) Covers(y int) bool { return c.years[y] }

// Years lists the years whose arrangement is known, ascending.
func (c *Calendar) Years() []int {
	out := make([]int, 0, len(c.years))
	for y := range c.years {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// Days returns the exception days of year y in date order.
func (c *Calendar) Days(y int) []Day {
	var out []Day
	for d, day := range c.days {
		if d.Year() == y {
			out = append(out, day)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// All returns every exception day in date order.
func (c *Calendar) All() []Day {
	out := make([]Day, 0, len(c.days))
	for _, day := range c.days {
		out = append(out, day)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// IsWorkingDay reports whether d is a working day: Monday–Friday unless
// the arrangement gives it off, or a weekend day the arrangement makes a working day.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if day, ok := c.days[d]; ok {
		return day.Kind == Work
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Add returns the due date of a time limit of n units starting on start.
// The start day itself is not counted (期间开始之日不计算在内).
func (c *Calendar) Add(start Date, n int, unit Unit) Date {
	if unit != WorkingDays {
		return start.AddDays(n)
	}
	d := start
	for counted := 0; counted < n; {
		d = d.AddDays(1)
		if c.IsWorkingDay(d) {
			counted++
		}
	}
	return d
}

// WorkingDaysBetween counts the working days after from up to and including to.
// It is negative when to is before from.
func (c *Calendar) WorkingDaysBetween(from, to Date) int {
	if to.Before(from) {
		return -c.WorkingDaysBetween(to, from)
	}
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}
