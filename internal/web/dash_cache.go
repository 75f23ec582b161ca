package web

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"redress/internal/matters"
	"redress/internal/stats"
	"redress/internal/store"
)

// dashFigures are the dashboard's figures for one scope, period and backlog
// rule, and when they were computed.
type dashFigures struct {
	D     *stats.Dashboard
	Rates matters.Rates
	At    time.Time
}

// dashCache keeps each dashboard's figures for maxAge. At a million
// petitions the figures take about a second of database work; a morning
// when every leader opens the dashboard would otherwise compute them once
// per request and queue every page behind them. Requests for the same key
// that arrive while it is computed wait for that one computation
// (singleflight). The page says when its figures were computed. A zero
// maxAge computes every time.
type dashCache struct {
	maxAge time.Duration
	group  singleflight.Group
	mu     sync.Mutex
	m      map[string]dashFigures
}

// dashCacheMax bounds the entries kept: a period typed by hand makes a new
// key, and old ones are dropped when the map is full.
const dashCacheMax = 512

// get returns the figures for key, computing them with compute when there
// are none younger than maxAge.
func (c *dashCache) get(ctx context.Context, key string, now time.Time, compute func(context.Context) (dashFigures, error)) (dashFigures, error) {
	if c.maxAge <= 0 {
		return compute(ctx)
	}
	c.mu.Lock()
	f, ok := c.m[key]
	c.mu.Unlock()
	if ok && now.Sub(f.At) < c.maxAge {
		return f, nil
	}
	v, err, _ := c.group.Do(key, func() (any, error) {
		// The computation is shared, so one caller's cancelled request must
		// not cancel it for the others.
		f, err := compute(context.WithoutCancel(ctx))
		if err != nil {
			return dashFigures{}, err
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.m == nil || len(c.m) >= dashCacheMax {
			c.m = map[string]dashFigures{}
		}
		c.m[key] = f
		return f, nil
	})
	if err != nil {
		return dashFigures{}, err
	}
	return v.(dashFigures), nil
}

// dashKey names what the figures depend on: the scope (role and unit),
// the period and the backlog rule.
func dashKey(s *session, period stats.Period, backlog store.BacklogRule) string {
	return fmt.Sprintf("%s|%d|%s|%s|%+v", s.user.Role, s.user.UnitID, period.From, period.To, backlog)
}
