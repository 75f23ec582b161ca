// Package bench measures redress on this machine, always beside a baseline
// measured in the same run, because shared machines are too noisy for
// absolute numbers to mean much on their own.
package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/server"
	"redress/internal/store"
)

// IntakeOptions configure the intake benchmark.
type IntakeOptions struct {
	DSN     string // empty: a fresh SQLite database in a temporary directory
	N       int    // petitions per client setting
	Clients []int
	Out     io.Writer
}

// Result is one line of figures.
type Result struct {
	Name       string
	Rows       int
	Elapsed    time.Duration
	P50, P99   time.Duration
	PerSecond  float64
	HasLatency bool
	Skipped    bool   // not measured; Name says why
	Saturated  string // the load was not kept up with: what was answered (latencies are lower bounds)
}

// Fresh opens a migrated store on a fresh database: a temporary SQLite file,
// or a new schema on the PostgreSQL server at dsn. cleanup removes it.
func Fresh(ctx context.Context, dsn string) (st *store.Store, cleanup func(), err error) {
	var drop func()
	if store.IsPostgres(dsn) {
		b := make([]byte, 5)
		_, _ = rand.Read(b)
		schema := "bench_" + hex.EncodeToString(b)
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, nil, err
		}
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			admin.Close()
			return nil, nil, fmt.Errorf("create schema: %w", err)
		}
		drop = func() { _, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE"); admin.Close() }
		u, err := url.Parse(dsn)
		if err != nil {
			drop()
			return nil, nil, err
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
	} else {
		dir, err := os.MkdirTemp("", "redress-bench-")
		if err != nil {
			return nil, nil, err
		}
		drop = func() { os.RemoveAll(dir) }
		dsn = "sqlite:" + filepath.Join(dir, "redress.db")
	}
	st, err = store.Open(ctx, store.Options{DSN: dsn})
	if err != nil {
		drop()
		return nil, nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		drop()
		return nil, nil, err
	}
	if err := st.Bootstrap(ctx); err != nil {
		st.Close()
		drop()
		return nil, nil, err
	}
	return st, func() { st.Close(); drop() }, nil
}

// seedMinimal creates the city, one district, the petition bureau and a registrar.
func seedMinimal(ctx context.Context, st *store.Store) (org.User, error) {
	var u org.User
	err := st.Write(ctx, func(tx *store.Tx) error {
		city := org.Unit{Code: "211400", Name: "葫芦岛市", Kind: org.KindCity}
		if err := tx.CreateUnit(store.System, &city); err != nil {
			return err
		}
		d := org.Unit{Code: "211402", Name: "连山区", Kind: org.KindDistrict, ParentID: city.ID}
		if err := tx.CreateUnit(store.System, &d); err != nil {
			return err
		}
		b := org.Unit{Code: "211400-xfj", Name: "市信访局", Kind: org.KindDepartment, ParentID: city.ID}
		if err := tx.CreateUnit(store.System, &b); err != nil {
			return err
		}
		u = org.User{Login: "bench", Name: "压测", Role: org.RoleBureau, UnitID: b.ID}
		return tx.CreateUser(store.System, &u)
	})
	return u, err
}

func sampleRecord(i int, prefix string) intake.Record {
	return intake.Record{
		ExternalID: fmt.Sprintf("%s-%d", prefix, i), ReceivedAt: time.Now().Add(-time.Hour), Channel: "hotline",
		PetitionerName: "张明", PetitionerIDNumber: "", Phone: fmt.Sprintf("139%08d", i%100000000),
		DistrictCode: "211402", Address: "连山区站前街道幸福小区3号楼2单元",
		Title:   "供暖不热",
		Content: "市民来电反映：幸福小区3号楼2单元今冬室温长期低于16度，多次联系热力公司未解决，诉求尽快维修管网、恢复正常供暖。",
	}
}

// Intake measures acknowledged petitions per second over HTTP, beside raw inserts.
func Intake(ctx context.Context, o IntakeOptions) ([]Result, error) {
	if o.N <= 0 {
		o.N = 2000
	}
	if len(o.Clients) == 0 {
		o.Clients = []int{1, 16, 64}
	}
	st, cleanup, err := Fresh(ctx, o.DSN)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	user, err := seedMinimal(ctx, st)
	if err != nil {
		return nil, err
	}
	var tok string
	if err := st.Write(ctx, func(tx *store.Tx) error {
		var err error
		tok, err = tx.CreateToken(store.System, user.ID, "bench", nil)
		return err
	}); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	svc := lifecycle.New(st, nil)
	go server.Serve(sctx, ln, server.Handler(svc, server.Options{}), time.Second)
	base := "http://" + ln.Addr().String()

	var results []Result
	raw, err := rawInserts(ctx, st, o.N)
	if err != nil {
		return nil, err
	}
	results = append(results, raw...)
	for i, c := range o.Clients {
		c0, w0 := st.CommitStats()
		b0 := st.CommitBusy()
		r, err := httpIntake(ctx, base, tok, c, o.N, fmt.Sprintf("run%d", i))
		if err != nil {
			return nil, err
		}
		c1, w1 := st.CommitStats()
		if c1 > c0 {
			r.Name += fmt.Sprintf(" (%.1f per commit, writer busy %.0f%%)", float64(w1-w0)/float64(c1-c0),
				100*float64(st.CommitBusy()-b0)/float64(r.Elapsed))
		}
		results = append(results, r)
	}
	return results, nil
}

func httpIntake(ctx context.Context, base, tok string, clients, n int, prefix string) (Result, error) {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	bodies := make([][]byte, n)
	for i := range bodies {
		bodies[i], _ = json.Marshal(sampleRecord(i, prefix))
	}
	res, err := closedLoop(ctx, clients, n, func(i int) error {
		req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/petitions", bytes.NewReader(bodies[i]))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("POST /api/v1/petitions: status %d", resp.StatusCode)
		}
		return nil
	})
	res.Name = fmt.Sprintf("HTTP intake, %d clients", clients)
	return res, err
}

// rawInserts is the baseline: the same rows written straight into a table,
// one transaction per row, then in batches, on the same connection settings.
func rawInserts(ctx context.Context, st *store.Store, n int) ([]Result, error) {
	db := st.DB()
	create := `CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, external_id TEXT, received_at TEXT, channel TEXT, name TEXT,
		phone TEXT, district TEXT, address TEXT, title TEXT, content TEXT)`
	ins := "INSERT INTO bench_raw (external_id, received_at, channel, name, phone, district, address, title, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
	if st.Engine() == store.Postgres {
		create = `CREATE TABLE bench_raw (id BIGSERIAL PRIMARY KEY, external_id TEXT, received_at TEXT, channel TEXT, name TEXT,
		phone TEXT, district TEXT, address TEXT, title TEXT, content TEXT)`
		ins = "INSERT INTO bench_raw (external_id, received_at, channel, name, phone, district, address, title, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
	}
	if _, err := db.ExecContext(ctx, create); err != nil {
		return nil, fmt.Errorf("create baseline table: %w", err)
	}
	defer db.ExecContext(context.Background(), "DROP TABLE bench_raw")
	insert := func(tx *sql.Tx, i int) error {
		r := sampleRecord(i, "raw")
		_, err := tx.ExecContext(ctx, ins, r.ExternalID, r.ReceivedAt.Format(time.RFC3339), r.Channel, r.PetitionerName, r.Phone, r.DistrictCode, r.Address, r.Title, r.Content)
		return err
	}
	var out []Result
	start := time.Now()
	for i := 0; i < n; i++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		if err := insert(tx, i); err != nil {
			tx.Rollback()
			return nil, err
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
	}
	el := time.Since(start)
	out = append(out, Result{Name: "raw INSERT, one transaction per row", Rows: n, Elapsed: el, PerSecond: float64(n) / el.Seconds()})
	start = time.Now()
	const batch = 256
	for i := 0; i < n; i += batch {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		for j := i; j < min(n, i+batch); j++ {
			if err := insert(tx, n+j); err != nil {
				tx.Rollback()
				return nil, err
			}
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
	}
	el = time.Since(start)
	out = append(out, Result{Name: fmt.Sprintf("raw INSERT, batches of %d", batch), Rows: n, Elapsed: el, PerSecond: float64(n) / el.Seconds()})
	return out, nil
}

// Print writes results as a table.
// latencies are the p50 and p99 as printed: "-" when not measured, and
// marked as lower bounds when the load was not kept up with.
func (r Result) latencies() (p50, p99 string) {
	p50, p99 = "-", "-"
	if r.HasLatency {
		p50 = fmt.Sprintf("%.2f", float64(r.P50.Microseconds())/1000)
		p99 = fmt.Sprintf("%.2f", float64(r.P99.Microseconds())/1000)
	}
	if r.Saturated != "" {
		p50, p99 = ">"+p50, ">"+p99
	}
	return p50, p99
}

// Line is the result on one line, for progress output while a long
// benchmark runs (Print makes the table at the end).
func (r Result) Line() string {
	p50, p99 := r.latencies()
	return fmt.Sprintf("%s: %d in %.2f s, %.0f/s, p50 %s ms, p99 %s ms", r.Name, r.Rows, r.Elapsed.Seconds(), r.PerSecond, p50, p99)
}

func Print(w io.Writer, title string, rs []Result) {
	fmt.Fprintln(w, title)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "what\trows\tseconds\trows/s\tp50 ms\tp99 ms\t")
	for _, r := range rs {
		if r.Skipped {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t\n", r.Name)
			continue
		}
		p50, p99 := r.latencies()
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.0f\t%s\t%s\t\n", r.Name, r.Rows, r.Elapsed.Seconds(), r.PerSecond, p50, p99)
	}
	tw.Flush()
	for _, r := range rs {
		if r.Saturated != "" {
			fmt.Fprintf(w, "  %s: %s\n", r.Name, r.Saturated)
		}
	}
}
