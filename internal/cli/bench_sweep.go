package cli

import (
	"context"
	"flag"
	"fmt"

	"redress/internal/bench"
	"redress/internal/store"
)

// runBenchSweep is `redress bench sweep`: one escalation sweep over N open
// cases with 1% due, beside the plain query reading the same rows.
func runBenchSweep(ctx context.Context, env *Env, args []string) error {
	var n int
	cfg, pos, err := loadConfig(env, "bench sweep", args, func(fs *flag.FlagSet) {
		fs.IntVar(&n, "n", 100000, "open cases (1% of them overdue)")
	}, "db", "log-level")
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if n < 100 || n > 10_000_000 {
		return usageError("--n must be between 100 and 10000000")
	}
	engine := store.SQLite
	if cfg.DB != "" {
		engine = store.Postgres
	}
	rs, err := bench.Sweep(ctx, bench.SweepOptions{DSN: cfg.DB, N: n})
	if err != nil {
		return err
	}
	bench.Print(env.Stdout, fmt.Sprintf("escalation sweep on %s, %d open cases, %d due", engine, n, n/100), rs)
	for _, r := range rs {
		fmt.Fprintf(env.Stdout, "  %-64s %9.2f ms\n", r.Name, float64(r.Elapsed.Microseconds())/1000)
	}
	return nil
}
