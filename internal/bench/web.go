package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/demo"
	"redress/internal/lifecycle"
	"redress/internal/server"
	"redress/internal/store"
	"redress/internal/web"
)

// WebOptions configure the web UI benchmark.
type WebOptions struct {
	DSN       string  // empty: a fresh SQLite database in a temporary directory
	Petitions int     // petitions in the database
	Demo      int     // of which driven through the lifecycle by the demo loader (0: min(Petitions, 2000)); the rest are copies of these
	N         int     // requests per measurement
	Clients   int     // concurrent clients of the closed-loop measurements
	Rate      float64 // requests per second of the open-loop measurements; 0: none
	Progress  io.Writer
}

// progress prints a measured line at once, so a long run that is stopped
// still shows what it measured.
func (o WebOptions) progress(r Result) {
	if o.Progress != nil {
		fmt.Fprintln(o.Progress, "  "+r.Line())
	}
}

// webNow is the benchmark's today: a Friday.
var webNow = time.Date(2026, 11, 20, 10, 0, 0, 0, calendar.Location)

// Web measures the staff UI's heaviest pages, signed in as the roles that
// use them, beside a static file served by the same server in the same
// run: the registrar's case page (a different case each request), the unit
// handler's home page, the registrar's list page, the leader's home page
// and the dashboard. Each is measured at a fixed arrival rate (open loop,
// latency from the scheduled send time) when o.Rate is set, then at the
// most it gives to o.Clients clients (closed loop). The database holds the
// demo petitions, driven through the real lifecycle, and as many copies of
// them as o.Petitions asks for (see fillCopies).
func Web(ctx context.Context, o WebOptions) ([]Result, error) {
	if o.Demo <= 0 {
		o.Demo = min(o.Petitions, 2000)
	}
	st, cleanup, err := Fresh(ctx, o.DSN)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	svc := lifecycle.New(st, func() time.Time { return webNow })
	say := func(format string, a ...any) {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, format+"\n", a...)
		}
	}
	t0 := time.Now()
	if _, err := demo.Load(ctx, svc, demo.LoadOptions{Now: webNow, Count: o.Demo}); err != nil {
		return nil, fmt.Errorf("load demo data: %w", err)
	}
	say("loaded %d demo petitions through the lifecycle in %.1f s", o.Demo, time.Since(t0).Seconds())
	if o.Petitions > o.Demo {
		t0 = time.Now()
		rows, err := fillCopies(ctx, st, o.Petitions, func(done int) {
			if done%200_000 == 0 {
				say("  %d petitions (%.0f s)", done, time.Since(t0).Seconds())
			}
		})
		if err != nil {
			return nil, fmt.Errorf("copy demo petitions: %w", err)
		}
		say("bulk-loaded %d more petitions (%d rows in all tables) in %.1f s", o.Petitions-o.Demo, rows, time.Since(t0).Seconds())
	}
	return webMeasure(ctx, st, svc, o)
}

// webMeasure measures the pages on a loaded database.
func webMeasure(ctx context.Context, st *store.Store, svc *lifecycle.Service, o WebOptions) ([]Result, error) {
	var maxID int64
	if err := st.DB().QueryRowContext(ctx, "SELECT MAX(id) FROM petitions").Scan(&maxID); err != nil {
		return nil, fmt.Errorf("count petitions: %w", err)
	}

	// The server as serve runs it (the dashboard's figures reused for a
	// minute, --dashboard-cache), and one that computes them every time.
	srv := httptest.NewServer(server.Handler(svc, server.Options{Web: web.Options{SessionTTL: time.Hour, DashboardMaxAge: time.Minute}}))
	defer srv.Close()
	uncached := httptest.NewServer(server.Handler(svc, server.Options{Web: web.Options{SessionTTL: time.Hour}}))
	defer uncached.Close()
	conns := max(o.Clients, 256)
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	cookies := map[string]string{}
	for _, login := range []string{"bureau", "zjj", "leader"} {
		var err error
		if cookies[login], err = signIn(ctx, hc, srv.URL, login); err != nil {
			return nil, err
		}
	}
	login, err := fetch(ctx, hc, srv.URL+"/login", "")
	if err != nil {
		return nil, err
	}
	css := regexp.MustCompile(`/static/app\.[0-9a-f]+\.css`).FindString(login)
	if css == "" {
		return nil, fmt.Errorf("no stylesheet link found in the sign-in page")
	}
	// The registrar opens cases all over the table, not one hot row.
	rng := rand.New(rand.NewPCG(uint64(o.Petitions), 7))
	caseIDs := make([]int64, 4096)
	for i := range caseIDs {
		// Copies of older years leave gaps in the ids: take the next that exists.
		if err := st.DB().QueryRowContext(ctx, rebindFor(st, "SELECT MIN(id) FROM petitions WHERE id >= ?"), 1+rng.Int64N(maxID)).Scan(&caseIDs[i]); err != nil {
			return nil, fmt.Errorf("pick cases: %w", err)
		}
	}
	from := calendar.DateOf(webNow).AddDays(-30)
	dashboard := fmt.Sprintf("/dashboard?from=%s&to=%s", from, calendar.DateOf(webNow))
	fixed := func(path string) func(int) string { return func(int) string { return srv.URL + path } }
	pages := []struct {
		name   string
		url    func(int) string
		cookie string
	}{
		{"static file (baseline)", fixed(css), ""},
		{"case page, registrar", func(i int) string { return fmt.Sprintf("%s/petitions/%d", srv.URL, caseIDs[i%len(caseIDs)]) }, cookies["bureau"]},
		{"home page, unit handler", fixed("/home"), cookies["zjj"]},
		{"list page, registrar (50 rows)", fixed("/petitions"), cookies["bureau"]},
		{"home page, leader", fixed("/home"), cookies["leader"]},
		{"dashboard, leader, last 30 days", fixed(dashboard), cookies["leader"]},
		// Sessions live in the store, so the cookie works on both servers.
		{"dashboard, leader, last 30 days, figures computed every request", func(int) string { return uncached.URL + dashboard }, cookies["leader"]},
	}
	var out []Result
	for _, pg := range pages {
		t := webTarget{url: pg.url, cookie: pg.cookie}
		if err := t.get(ctx, hc, 0); err != nil {
			if strings.Contains(err.Error(), "status 404") {
				out = append(out, Result{Name: pg.name + ": skipped, it answers 404 (not in this build)", Skipped: true})
				continue
			}
			return nil, fmt.Errorf("%s: %w", pg.name, err)
		}
		if o.Rate > 0 {
			r, err := measureOpen(ctx, hc, t, o.Rate, o.N)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", pg.name, err)
			}
			r.Name = fmt.Sprintf("%s, open loop at %g req/s", pg.name, o.Rate)
			out = append(out, r)
			o.progress(r)
		}
		r, err := measureClosed(ctx, hc, t, o.Clients, o.N)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pg.name, err)
		}
		r.Name = fmt.Sprintf("%s, closed loop, %d clients", pg.name, o.Clients)
		out = append(out, r)
		o.progress(r)
	}
	return out, nil
}

func signIn(ctx context.Context, hc *http.Client, base, login string) (string, error) {
	form := url.Values{"login": {login}, "password": {demo.Password}}
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	res, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("sign in as %s: %w", login, err)
	}
	defer res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == "redress_session" && c.Value != "" {
			return c.Name + "=" + c.Value, nil
		}
	}
	return "", fmt.Errorf("sign in as %s: status %d and no session cookie", login, res.StatusCode)
}

func fetch(ctx context.Context, hc *http.Client, u, cookie string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return "", err
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return "", err
	}
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: status %d", u, res.StatusCode)
	}
	return string(b), nil
}

// rebindFor turns the single ? of q into $1 on PostgreSQL.
func rebindFor(st *store.Store, q string) string {
	if st.Engine() == store.Postgres {
		return strings.Replace(q, "?", "$1", 1)
	}
	return q
}
