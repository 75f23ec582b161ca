package api

import (
	"sync"
	"time"

	"redress/internal/org"
)

// tokenCacheTTL bounds how long a token's user is remembered without asking
// the database again: a disabled account or changed role takes effect
// within this time. It saves a database read on every API call.
const tokenCacheTTL = 30 * time.Second

type cachedUser struct {
	u       org.User
	expires time.Time
}

type tokenCache struct {
	mu  sync.Mutex
	ttl time.Duration
	m   map[string]cachedUser
}

func newTokenCache(ttl time.Duration) *tokenCache {
	return &tokenCache{ttl: ttl, m: map[string]cachedUser{}}
}

func (c *tokenCache) get(tok string) (org.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[tok]
	if !ok || time.Now().After(e.expires) {
		delete(c.m, tok)
		return org.User{}, false
	}
	return e.u, true
}

func (c *tokenCache) put(tok string, u org.User) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= 10000 {
		// Bounded: drop everything rather than grow without limit.
		c.m = map[string]cachedUser{}
	}
	c.m[tok] = cachedUser{u: u, expires: time.Now().Add(c.ttl)}
}
