package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"redress/internal/bench"
	"redress/internal/importer"
	"redress/internal/matters"
	"redress/internal/repeats"
	"redress/internal/store"
)

// runRepeats is `redress repeats pairs|eval`: repeat detection over
// everything in the store.
func runRepeats(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageError("usage: redress repeats pairs | redress repeats eval --labels FILE")
	}
	var labelsPath string
	cfg, pos, err := loadConfig(env, "repeats "+args[0], args[1:], func(fs *flag.FlagSet) {
		if args[0] == "eval" {
			fs.StringVar(&labelsPath, "labels", "", `JSON Lines of {"matter": …, "external_ids": […]}`)
		}
	}, "data-dir", "db", "log-level")
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	var labels []repeats.Label
	switch args[0] {
	case "pairs":
	case "eval":
		if labelsPath == "" {
			return usageError("usage: redress repeats eval --labels FILE")
		}
		if labels, err = readLabels(labelsPath); err != nil {
			return err
		}
	default:
		return usageError("unknown repeats command %q: use pairs or eval", args[0])
	}
	st, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	det := matters.NewDetector(matters.DetectorOptions{})
	if _, _, err := det.Rebuild(ctx, st, matters.RebuildOptions{Progress: env.Stderr, Terminal: env.IsTerminal}); err != nil {
		return err
	}
	pairs := det.Index().Pairs()
	if args[0] == "eval" {
		m := repeats.Evaluate(pairs, labels)
		fmt.Fprintf(env.Stdout, "threshold %.2f, %d petitions, %d labelled matters: %s\n", det.Index().Threshold(), det.Index().Len(), len(labels), m)
		fmt.Fprintf(env.Stdout, "F1 %.3f\n", m.F1)
		return nil
	}
	w := bufio.NewWriter(env.Stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, p := range pairs {
		if err := enc.Encode(struct {
			A     string  `json:"a"`
			B     string  `json:"b"`
			Score float64 `json:"score"`
		}{p.A, p.B, p.Score}); err != nil {
			return fmt.Errorf("write pairs: %w", err)
		}
	}
	return w.Flush()
}

func readLabels(path string) ([]repeats.Label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open labels: %w", err)
	}
	defer f.Close()
	var out []repeats.Label
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), importer.MaxLine)
	n := 0
	for sc.Scan() {
		n++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var l struct {
			Matter      string   `json:"matter"`
			ExternalIDs []string `json:"external_ids"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("labels line %d: %w", n, err)
		}
		out = append(out, repeats.Label{Matter: l.Matter, ExternalIDs: l.ExternalIDs})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	return out, nil
}

// runBenchRepeats is `redress bench repeats`: the index (repeats.Bench)
// and, with --rebuild, the start-up rebuild from a fresh store.
func runBenchRepeats(ctx context.Context, env *Env, args []string) error {
	var n, lookups, intakeN int
	var rebuild bool
	cfg, pos, err := loadConfig(env, "bench repeats", args, func(fs *flag.FlagSet) {
		fs.IntVar(&n, "n", 100000, "synthetic petitions")
		fs.IntVar(&lookups, "lookups", 2000, "candidate look-ups timed")
		fs.IntVar(&intakeN, "intake", 1000, "petitions registered with and without repeat detection (0: skip)")
		fs.BoolVar(&rebuild, "rebuild", true, "also time rebuilding the index from a fresh store (a new schema at --db, or SQLite in a temporary directory)")
	}, "db", "log-level")
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if n < 10 || n > 10_000_000 || lookups < 2 {
		return usageError("--n must be between 10 and 10000000, --lookups at least 2")
	}
	if err := repeats.Bench(n, lookups, env.Stdout); err != nil {
		return err
	}
	if intakeN > 0 {
		if err := matters.BenchIntake(ctx, func() (*store.Store, func(), error) { return bench.Fresh(ctx, cfg.DB) }, intakeN, env.Stdout); err != nil {
			return err
		}
	}
	if !rebuild {
		return nil
	}
	st, cleanup, err := bench.Fresh(ctx, cfg.DB)
	if err != nil {
		return fmt.Errorf("bench repeats: %w", err)
	}
	defer cleanup()
	return matters.BenchRebuild(ctx, st, n, env.Stdout)
}
