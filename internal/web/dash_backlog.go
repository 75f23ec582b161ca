package web

import (
	"net/url"
	"strconv"
	"strings"

	"redress/internal/calendar"
	"redress/internal/matters"
	"redress/internal/store"
)

// The backlog rule (积案认定) as the dashboard form offers it, with the
// bounds the API's GET /api/v1/rates accepts.
const (
	dashMaxOpenDays     = 36500
	dashMaxMinPetitions = 1 << 20
)

// dashBacklogForm is the backlog rule as typed.
type dashBacklogForm struct {
	OpenDays, MinPetitions, Reopened string
}

// dashReadBacklog reads the backlog rule from the query; missing fields
// keep matters.DefaultBacklog. errs gets a message key per wrong field.
func dashReadBacklog(q url.Values, errs map[string]string) (dashBacklogForm, store.BacklogRule) {
	b := matters.DefaultBacklog()
	f := dashBacklogForm{OpenDays: strings.TrimSpace(q.Get("open_days")), MinPetitions: strings.TrimSpace(q.Get("min_petitions")),
		Reopened: strings.TrimSpace(q.Get("reopened"))}
	num := func(field, s string, max int, dst *int) {
		if s == "" {
			*dst = map[string]int{"open_days": b.OpenDays, "min_petitions": b.MinPetitions}[field]
			return
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > max {
			errs[field] = "dash.err." + field
			return
		}
		*dst = n
	}
	num("open_days", f.OpenDays, dashMaxOpenDays, &b.OpenDays)
	num("min_petitions", f.MinPetitions, dashMaxMinPetitions, &b.MinPetitions)
	switch f.Reopened {
	case "":
	case "1":
		b.Reopened = true
	case "0":
		b.Reopened = false
	default:
		errs["reopened"] = "dash.err.reopened"
	}
	f.OpenDays, f.MinPetitions = strconv.Itoa(b.OpenDays), strconv.Itoa(b.MinPetitions)
	if errs["open_days"] != "" {
		f.OpenDays = strings.TrimSpace(q.Get("open_days"))
	}
	if errs["min_petitions"] != "" {
		f.MinPetitions = strings.TrimSpace(q.Get("min_petitions"))
	}
	f.Reopened = "0"
	if b.Reopened {
		f.Reopened = "1"
	}
	return f, b
}

// dashBacklogText describes rule in words: the tests in use, joined by "or".
func (w *Web) dashBacklogText(loc string, rule store.BacklogRule, asOf calendar.Date) string {
	var parts []string
	if rule.OpenDays > 0 {
		parts = append(parts, w.cat.T(loc, "dash.res.rule_days", "days", rule.OpenDays))
	}
	if rule.Reopened {
		parts = append(parts, w.cat.T(loc, "dash.res.rule_reopened"))
	}
	if rule.MinPetitions > 0 {
		parts = append(parts, w.cat.T(loc, "dash.res.rule_min", "min", rule.MinPetitions))
	}
	if len(parts) == 0 {
		return w.cat.T(loc, "dash.res.rule_none")
	}
	return w.cat.T(loc, "dash.res.rule", "rule", strings.Join(parts, w.cat.T(loc, "dash.res.rule_or")), "asof", asOf.String())
}
