package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/password"
	"redress/internal/portal"
	"redress/internal/server"
	"redress/internal/store"
	"redress/internal/storetest"
	"redress/internal/web"
)

const testPassword = "redress-demo"

// clock is the test's time; tests move it forward to expire sessions and locks.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type env struct {
	t   testing.TB
	st  *store.Store
	org *storetest.Org
	svc *lifecycle.Service
	clk *clock
	srv *httptest.Server
	ttl time.Duration
}

// newEnv starts the whole server (as `redress serve` wires it) over a fresh
// seeded store, every user with the demo password.
func newEnv(t testing.TB, opts ...func(*web.Options)) *env {
	t.Helper()
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location)}
	svc := lifecycle.New(st, clk.Now)
	hash, err := password.Hash(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	q := "UPDATE users SET password_hash = ?"
	if st.Engine() == store.Postgres {
		q = "UPDATE users SET password_hash = $1"
	}
	if _, err := st.DB().Exec(q, hash); err != nil {
		t.Fatalf("set passwords: %v", err)
	}
	e := &env{t: t, st: st, org: o, svc: svc, clk: clk, ttl: 2 * time.Hour}
	wo := web.Options{SessionTTL: e.ttl}
	for _, o := range opts {
		o(&wo)
	}
	e.srv = httptest.NewServer(server.Handler(svc, server.Options{MaxBodyBytes: 1 << 20,
		Portal: portal.Options{DataDir: t.TempDir()}, Web: wo}))
	t.Cleanup(e.srv.Close)
	return e
}

// register stores a petition through the lifecycle, as the registrar.
func (e *env) register(title, content string, mod func(*intake.Record)) int64 {
	e.t.Helper()
	rec := intake.Record{ReceivedAt: e.clk.Now().Add(-time.Hour), Channel: "visit", PetitionerName: "张三丰",
		PetitionerIDNumber: "211402198001010018", Phone: "13912345678", DistrictCode: "211402", Address: "连山区站前街道 12 号楼 3 单元",
		Title: title, Content: content}
	if mod != nil {
		mod(&rec)
	}
	res, err := e.svc.Register(context.Background(), e.org.Users["bureau"], rec, false)
	if err != nil {
		e.t.Fatalf("register: %v", err)
	}
	return res.ID
}

// do takes a lifecycle action directly (to set up a case).
func (e *env) do(login string, id int64, a lifecycle.Action, in lifecycle.Input) {
	e.t.Helper()
	if _, err := e.svc.Do(context.Background(), e.org.Users[login], id, a, in); err != nil {
		e.t.Fatalf("%s %s: %v", login, a, err)
	}
}

func (e *env) user(login string) org.User { return e.org.Users[login] }

// client is a browser-like HTTP client with a cookie jar that does not
// follow redirects, so tests see them.
type client struct {
	t   testing.TB
	e   *env
	hc  *http.Client
	jar *cookiejar.Jar
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, e: e, jar: jar, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type page struct {
	status int
	body   string
	header http.Header
}

func (c *client) get(path string) page {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.e.srv.URL+path, nil)
	return c.send(req)
}

// post sends a form as a same-origin browser would.
func (c *client) post(path string, form url.Values) page {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.send(req)
}

func (c *client) send(req *http.Request) page {
	c.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, body: string(b), header: res.Header}
}

func (c *client) login(login string) {
	c.t.Helper()
	p := c.post("/login", url.Values{"login": {login}, "password": {testPassword}})
	if p.status != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: status %d: %s", login, p.status, p.body)
	}
}
