package calendar

import (
	"testing"
	"time"
)

func TestAddOfficial2026(t *testing.T) {
	c := New(1, Official())
	cases := []struct {
		start string
		n     int
		unit  Unit
		want  string
	}{
		// Friday before Spring Festival: Sat 2/14 is a make-up working day,
		// 2/15–2/23 are off, then 2/24, 2/25, 2/26, 2/27.
		{"2026-02-13", 5, WorkingDays, "2026-02-27"},
		{"2026-02-13", 1, WorkingDays, "2026-02-14"},
		{"2026-02-13", 15, CalendarDays, "2026-02-28"},
		// Saturday 2/28 is a make-up working day.
		{"2026-02-27", 1, WorkingDays, "2026-02-28"},
		// New Year: 1/1–1/3 off, Sunday 1/4 works.
		{"2025-12-31", 1, WorkingDays, "2026-01-04"},
		// Labour Day: 5/1–5/5 off, Saturday 5/9 works.
		{"2026-04-30", 1, WorkingDays, "2026-05-06"},
		{"2026-05-08", 1, WorkingDays, "2026-05-09"},
		// National Day: 10/1–10/7 off, Saturday 10/10 works.
		{"2026-09-30", 2, WorkingDays, "2026-10-09"},
		{"2026-09-30", 3, WorkingDays, "2026-10-10"},
		{"2026-09-30", 4, WorkingDays, "2026-10-12"},
		// Mid-Autumn: 9/25–9/27 off, Sunday 9/20 works.
		{"2026-09-18", 1, WorkingDays, "2026-09-20"},
		{"2026-09-24", 1, WorkingDays, "2026-09-28"},
		// Ordinary week.
		{"2026-03-06", 5, WorkingDays, "2026-03-13"},
		{"2026-03-06", 60, CalendarDays, "2026-05-05"},
		{"2026-03-06", 0, WorkingDays, "2026-03-06"},
		// 2025: National Day and Mid-Autumn 10/1–10/8 off, 9/28 and 10/11 work.
		{"2025-09-26", 1, WorkingDays, "2025-09-28"},
		{"2025-09-30", 1, WorkingDays, "2025-10-09"},
		{"2025-10-10", 1, WorkingDays, "2025-10-11"},
	}
	for _, tc := range cases {
		start, err := ParseDate(tc.start)
		if err != nil {
			t.Fatal(err)
		}
		got := c.Add(start, tc.n, tc.unit).String()
		if got != tc.want {
			t.Errorf("Add(%s, %d %s) = %s, want %s", tc.start, tc.n, tc.unit, got, tc.want)
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := New(1, Official())
	for s, want := range map[string]bool{
		"2026-02-14": true,  // Saturday, make-up
		"2026-02-16": false, // Monday, Spring Festival
		"2026-02-21": false, // Saturday, holiday anyway
		"2026-03-07": false, // ordinary Saturday
		"2026-03-09": true,  // ordinary Monday
		"2026-06-19": false, // Dragon Boat Friday
		"2025-01-26": true,  // Sunday, make-up
	} {
		d, _ := ParseDate(s)
		if got := c.IsWorkingDay(d); got != want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", s, got, want)
		}
	}
}

func TestDaysAndYears(t *testing.T) {
	c := New(7, Official())
	if c.Revision() != 7 {
		t.Fatalf("revision = %d", c.Revision())
	}
	if got := c.Years(); len(got) != 2 || got[0] != 2025 || got[1] != 2026 {
		t.Fatalf("years = %v", got)
	}
	var off, work int
	for _, d := range c.Days(2026) {
		if d.Kind == Off {
			off++
		} else {
			work++
		}
	}
	// 3+9+3+5+3+3+7 days off, 6 make-up days in 2026.
	if off != 33 || work != 6 {
		t.Fatalf("2026 has %d days off and %d make-up days, want 33 and 6", off, work)
	}
	if !c.Covers(2026) || c.Covers(2027) {
		t.Fatal("Covers is wrong")
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := New(1, Official())
	a, _ := ParseDate("2026-02-13")
	b, _ := ParseDate("2026-02-27")
	if n := c.WorkingDaysBetween(a, b); n != 5 {
		t.Fatalf("between = %d, want 5", n)
	}
	if n := c.WorkingDaysBetween(b, a); n != -5 {
		t.Fatalf("between reversed = %d, want -5", n)
	}
}

func TestDateScanAndText(t *testing.T) {
	var d Date
	if err := d.Scan("2026-02-13"); err != nil || d.String() != "2026-02-13" {
		t.Fatalf("scan string: %v %s", err, d)
	}
	if err := d.Scan(time.Date(2026, 2, 14, 0, 0, 0, 0, time.UTC)); err != nil || d.String() != "2026-02-14" {
		t.Fatalf("scan time: %v %s", err, d)
	}
	if err := d.Scan(42); err == nil {
		t.Fatal("scanning an int must fail")
	}
	if _, err := ParseDate("2026-13-01"); err == nil {
		t.Fatal("month 13 must be refused")
	}
	// 23:30 UTC on 2026-02-13 is already 2026-02-14 in China.
	if got := DateOf(time.Date(2026, 2, 13, 23, 30, 0, 0, time.UTC)).String(); got != "2026-02-14" {
		t.Fatalf("DateOf = %s", got)
	}
}
