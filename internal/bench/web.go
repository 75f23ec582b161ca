package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"redress/internal/calendar"
	"redress/internal/demo"
	"redress/internal/lifecycle"
	"redress/internal/server"
	"redress/internal/web"
)

// WebOptions configure the web UI benchmark.
type WebOptions struct {
	DSN       string // empty: a fresh SQLite database in a temporary directory
	Petitions int    // demo petitions loaded first
	N         int    // requests per measurement
	Clients   int    // concurrent clients
}

// Web measures the staff UI's heaviest pages with the demo data, signed in
// as the roles that use them, beside a static file served by the same
// server in the same run: the registrar's case page, the unit handler's home
// page and the registrar's list page.
func Web(ctx context.Context, o WebOptions) ([]Result, error) {
	st, cleanup, err := Fresh(ctx, o.DSN)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, calendar.Location)
	svc := lifecycle.New(st, func() time.Time { return now })
	if _, err := demo.Load(ctx, svc, demo.LoadOptions{Now: now, Count: o.Petitions}); err != nil {
		return nil, fmt.Errorf("load demo data: %w", err)
	}
	srv := httptest.NewServer(server.Handler(svc, server.Options{Web: web.Options{SessionTTL: time.Hour}}))
	defer srv.Close()
	tr := &http.Transport{MaxIdleConns: o.Clients, MaxIdleConnsPerHost: o.Clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	bureau, err := signIn(ctx, hc, srv.URL, "bureau")
	if err != nil {
		return nil, err
	}
	handler, err := signIn(ctx, hc, srv.URL, "zjj")
	if err != nil {
		return nil, err
	}
	login, err := fetch(ctx, hc, srv.URL+"/login", "")
	if err != nil {
		return nil, err
	}
	css := regexp.MustCompile(`/static/app\.[0-9a-f]+\.css`).FindString(login)
	list, err := fetch(ctx, hc, srv.URL+"/petitions", bureau)
	if err != nil {
		return nil, err
	}
	caseURL := regexp.MustCompile(`/petitions/[0-9]+`).FindString(list)
	if css == "" || caseURL == "" {
		return nil, fmt.Errorf("no stylesheet or case link found in the pages")
	}
	var out []Result
	for _, m := range []struct{ name, path, cookie string }{
		{"static file (baseline)", css, ""},
		{"case page, registrar", caseURL, bureau},
		{"home page, unit handler", "/home", handler},
		{"list page, registrar (50 rows)", "/petitions", bureau},
	} {
		r, err := measure(ctx, hc, srv.URL+m.path, m.cookie, o.Clients, o.N)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.name, err)
		}
		r.Name = fmt.Sprintf("%s, %d clients", m.name, o.Clients)
		out = append(out, r)
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

// measure sends n GETs of u from clients goroutines and reports their rate and latency.
func measure(ctx context.Context, hc *http.Client, u, cookie string, clients, n int) (Result, error) {
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				if _, err := fetch(ctx, hc, u, cookie); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return Result{}, firstErr
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return Result{Rows: n, Elapsed: elapsed, P50: lat[n/2], P99: lat[min(n-1, n*99/100)],
		PerSecond: float64(n) / elapsed.Seconds(), HasLatency: true}, nil
}
