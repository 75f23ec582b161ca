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
		return usageError("usage: redress bench intake [--n N] [--clients 1,16,64] [--db URL]")
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
	}
	return usageError("unknown benchmark %q: use intake", args[0])
}
