package cli

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"redress/internal/bench"
	"redress/internal/store"
)

func runBench(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageError("usage: redress bench intake|sweep|repeats|web|rankings [flags]; see redress bench NAME --help")
	}
	switch args[0] {
	case "intake":
		var n int
		var clients string
		cfg, pos, err := loadConfig(env, "bench intake", args[1:], func(fs *flag.FlagSet) {
			fs.IntVar(&n, "n", 3000, "petitions per measurement")
			fs.StringVar(&clients, "clients", "1,16,64", "concurrent clients to measure, comma-separated")
		}, "db", "log-level")
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageError("unexpected argument %q", pos[0])
		}
		if n < 10 || n > 10_000_000 {
			return usageError("--n must be between 10 and 10000000")
		}
		var cs []int
		for _, s := range strings.Split(clients, ",") {
			c, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || c < 1 || c > 1024 {
				return usageError("--clients: %q is not a number from 1 to 1024", s)
			}
			cs = append(cs, c)
		}
		engine := store.SQLite
		if cfg.DB != "" {
			engine = store.Postgres
		}
		rs, err := bench.Intake(ctx, bench.IntakeOptions{DSN: cfg.DB, N: n, Clients: cs})
		if err != nil {
			return err
		}
		bench.Print(env.Stdout, fmt.Sprintf("intake on %s (acknowledged = durably committed), %d petitions per line", engine, n), rs)
		return nil
	case "sweep":
		return runBenchSweep(ctx, env, args[1:])
	case "repeats":
		return runBenchRepeats(ctx, env, args[1:])
	case "web":
		return runBenchWeb(ctx, env, args[1:])
	case "rankings":
		return runBenchRankings(ctx, env, args[1:])
	}
	return usageError("unknown benchmark %q: use intake, sweep, repeats, web or rankings", args[0])
}

// runBenchWeb measures the staff web UI's pages with the demo data and,
// with --petitions above --demo, copies of it bulk-loaded up to that many.
func runBenchWeb(ctx context.Context, env *Env, args []string) error {
	var n, clients, petitions, demoN int
	var rate float64
	cfg, pos, err := loadConfig(env, "bench web", args, func(fs *flag.FlagSet) {
		fs.IntVar(&n, "n", 2000, "requests per measurement")
		fs.IntVar(&clients, "clients", 8, "concurrent clients of the closed-loop measurements")
		fs.Float64Var(&rate, "rate", 200, "requests per second of the open-loop measurements (0: none)")
		fs.IntVar(&petitions, "petitions", 2000, "petitions in the database (demo petitions, then bulk-loaded copies of them)")
		fs.IntVar(&demoN, "demo", 2000, "petitions driven through the lifecycle by the demo loader (at most --petitions)")
	}, "db", "log-level")
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if n < 10 || n > 10_000_000 {
		return usageError("--n must be between 10 and 10000000")
	}
	if clients < 1 || clients > 1024 {
		return usageError("--clients must be between 1 and 1024")
	}
	if rate < 0 || rate > 100_000 {
		return usageError("--rate must be between 0 and 100000")
	}
	if petitions < 10 || petitions > 10_000_000 {
		return usageError("--petitions must be between 10 and 10000000")
	}
	if demoN < 10 || demoN > 100_000 {
		return usageError("--demo must be between 10 and 100000")
	}
	demoN = min(demoN, petitions)
	engine := store.SQLite
	if cfg.DB != "" {
		engine = store.Postgres
	}
	rs, err := bench.Web(ctx, bench.WebOptions{DSN: cfg.DB, Petitions: petitions, Demo: demoN, N: n, Clients: clients, Rate: rate,
		Progress: env.Stderr})
	if err != nil {
		return err
	}
	bench.Print(env.Stdout, fmt.Sprintf("web UI on %s with %d petitions (%d through the lifecycle, the rest copies of them), %d requests per line",
		engine, petitions, demoN, n), rs)
	return nil
}
