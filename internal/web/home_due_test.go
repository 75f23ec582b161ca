package web_test

import (
	"strings"
	"testing"

	"redress/internal/calendar"
	"redress/internal/lifecycle"
)

// TestHandlerHomeDueSoon: the unit handler's "due soon" section lists the
// cases being handled whose deadline falls within five working days, and
// not those due later.
func TestHandlerHomeDueSoon(t *testing.T) {
	e := newEnv(t)
	handling := func(title string, due calendar.Date) {
		id := e.register(title, "夜间施工噪音很大，影响休息。", nil)
		e.do("bureau", id, lifecycle.Accept, lifecycle.Input{})
		e.do("bureau", id, lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj", DueOn: &due})
		e.do("zjj", id, lifecycle.Sign, lifecycle.Input{})
	}
	handling("三天后到期", calendar.NewDate(2026, 3, 5)) // today is Mon 2 March
	handling("下月到期", calendar.NewDate(2026, 4, 20))
	c := e.client()
	c.login("zjj")
	p := c.get("/home")
	i := strings.Index(p.body, `id="section-1"`)
	j := strings.Index(p.body, `id="section-2"`)
	if p.status != 200 || i < 0 || j < i {
		t.Fatalf("home: %d", p.status)
	}
	soon := p.body[i:j]
	if !strings.Contains(soon, "三天后到期") || strings.Contains(soon, "下月到期") {
		t.Fatalf("due soon section: %s", soon)
	}
}
