package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// webTarget is what one measurement requests: the i-th request's URL, and
// the session cookie it is sent with.
type webTarget struct {
	url    func(i int) string
	cookie string
}

// get sends one GET and reads the whole answer, which must be 200.
func (t webTarget) get(ctx context.Context, hc *http.Client, i int) error {
	u := t.url(i)
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return err
	}
	if t.cookie != "" {
		req.Header.Set("Cookie", t.cookie)
	}
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", u, res.StatusCode)
	}
	return nil
}

// measureClosed sends n GETs from clients goroutines, each sending its next
// request when the last one is answered: the most the server gives.
func measureClosed(ctx context.Context, hc *http.Client, t webTarget, clients, n int) (Result, error) {
	return closedLoop(ctx, clients, n, func(i int) error { return t.get(ctx, hc, i) })
}

// closedLoop runs do(0) … do(n-1) from clients goroutines, each starting its
// next call when the last one returns, and times every call; the first
// error stops the run.
func closedLoop(ctx context.Context, clients, n int, do func(i int) error) (Result, error) {
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
				if err := do(i); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return Result{}, firstErr
	}
	return latencyResult(lat, time.Since(start)), nil
}

// measureOpen sends n GETs at a fixed arrival rate whatever the answers
// take (an open loop: a stall does not slow the senders down), and takes
// each latency from the moment the request was due to be sent, so time a
// request spent waiting behind a stall counts (no coordinated omission).
// A server that cannot keep up is given twice the schedule plus ten
// seconds; then the measurement stops, the result says how many requests
// were answered, and those never answered count with the time they had
// waited by then (so the percentiles are lower bounds).
func measureOpen(ctx context.Context, hc *http.Client, t webTarget, rate float64, n int) (Result, error) {
	lat := make([]time.Duration, n)
	answered := make([]bool, n)
	interval := time.Duration(float64(time.Second) / rate)
	plan := time.Duration(n) * interval
	ctx, cancel := context.WithTimeout(ctx, 2*plan+10*time.Second)
	defer cancel()
	var firstErr error
	var once sync.Once
	var mu sync.Mutex
	var wg sync.WaitGroup
	// At most this many requests in flight; past that the sender waits, and
	// the wait shows in the latencies, which count from the schedule.
	slots := make(chan struct{}, 1024)
	start := time.Now()
	sent := 0
send:
	for i := range n {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
				break send
			}
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			break send
		}
		sent++
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			err := t.get(ctx, hc, i)
			if err != nil && ctx.Err() == nil {
				once.Do(func() { firstErr = err })
				return
			}
			if err == nil {
				mu.Lock()
				lat[i], answered[i] = time.Since(due), true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return Result{}, firstErr
	}
	got := 0
	for i := range lat {
		if answered[i] {
			got++
			continue
		}
		lat[i] = max(0, elapsed-time.Duration(i)*interval)
	}
	r := latencyResult(lat, elapsed)
	r.Rows, r.PerSecond = got, float64(got)/elapsed.Seconds()
	if got < n {
		r.Saturated = fmt.Sprintf("saturated: %d of %d answered in %.0f s (%d sent)", got, n, elapsed.Seconds(), sent)
	}
	return r, nil
}

func latencyResult(lat []time.Duration, elapsed time.Duration) Result {
	n := len(lat)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return Result{Rows: n, Elapsed: elapsed, P50: lat[n/2], P99: lat[min(n-1, n*99/100)],
		PerSecond: float64(n) / elapsed.Seconds(), HasLatency: true}
}
