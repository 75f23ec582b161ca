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
		return usageError("usage: redress bench intake|sweep|repeats|web [flags]; see redress bench NAME --help")
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
	}
	return usageError("unknown benchmark %q: use intake, sweep, repeats or web", args[0])
}

// runBenchWeb measures the staff web UI's pages with demo data.
func runBenchWeb(ctx context.Context, env *Env, args []string) error {
	var n, clients, petitions int
	cfg, pos, err := loadConfig(env, "bench web", args, func(fs *flag.FlagSet) {
		fs.IntVar(&n, "n", 2000, "requests per page")
		fs.IntVar(&clients, "clients", 8, "concurrent clients")
		fs.IntVar(&petitions, "petitions", 2000, "demo petitions loaded first")
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
	if petitions < 10 || petitions > 1_000_000 {
		return usageError("--petitions must be between 10 and 1000000")
	}
	engine := store.SQLite
	if cfg.DB != "" {
		engine = store.Postgres
	}
	rs, err := bench.Web(ctx, bench.WebOptions{DSN: cfg.DB, Petitions: petitions, N: n, Clients: clients})
	if err != nil {
		return err
	}
	bench.Print(env.Stdout, fmt.Sprintf("web UI on %s with %d demo petitions, %d requests per line", engine, petitions, n), rs)
	return nil
}
