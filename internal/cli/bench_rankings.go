package cli

import (
	"context"
	"flag"
	"fmt"

	"redress/internal/bench"
	"redress/internal/store"
)

// runBenchRankings is `redress bench rankings`: the monthly ranking over N
// assigned cases, beside the plain SQL reading the same rows.
func runBenchRankings(ctx context.Context, env *Env, args []string) error {
	var cases, months int
	cfg, pos, err := loadConfig(env, "bench rankings", args, func(fs *flag.FlagSet) {
		fs.IntVar(&cases, "cases", 100000, "assigned cases loaded")
		fs.IntVar(&months, "months", 36, "months the cases spread over, ending with the ranked month (2026-10)")
	}, "db", "log-level")
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if cases < 100 || cases > 100_000_000 {
		return usageError("--cases must be between 100 and 100000000")
	}
	if months < 4 || months > 240 {
		return usageError("--months must be between 4 and 240")
	}
	engine := store.SQLite
	if cfg.DB != "" {
		engine = store.Postgres
	}
	rs, err := bench.Rankings(ctx, bench.RankingsOptions{DSN: cfg.DB, Cases: cases, Months: months, Progress: env.Stderr})
	if err != nil {
		return err
	}
	bench.Print(env.Stdout, fmt.Sprintf("monthly rankings on %s, %d cases over %d months", engine, cases, months), rs)
	return nil
}
