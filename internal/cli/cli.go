// Package cli holds redress's sub-commands.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"

	"redress/internal/config"
	"redress/internal/store"
)

// Version is set at build time with -ldflags "-X redress/internal/cli.Version=…".
var Version = "dev"

// Env is what a command runs with; tests replace its parts.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Getenv         func(string) string
	// IsTerminal reports whether Stderr is a terminal (for progress bars).
	IsTerminal bool
}

type command struct {
	name, usage, help string
	run               func(ctx context.Context, env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve [--addr A] [--data-dir D] [--db URL] [--demo]", "run the web server", runServe},
		{"migrate", "migrate [--data-dir D] [--db URL]", "bring the database schema up to date", runMigrate},
		{"import", "import FILE.jsonl [--skip-invalid] [--rejects FILE]", "import petitions from a JSON Lines file", runImport},
		{"org", "org import FILE.json", "load units and staff accounts (a new city without demo data)", runOrg},
		{"token", "token create --user LOGIN [--name LABEL] [--expires 720h]", "issue an API token", runToken},
		{"open311", "open311 key create [--name LABEL]", "issue an Open311 GeoReport v2 api_key", runOpen311},
		{"audit", "audit verify", "check the audit log's hash chain", runAudit},
		{"calendar", "calendar show YEAR | calendar add YYYY-MM-DD N [--unit working|calendar]", "the working-day calendar", runCalendar},
		{"bench", "bench intake|sweep|repeats|web [--n N] [--db URL]", "measure, beside a baseline from the same run", runBench},
		{"repeats", "repeats pairs | repeats eval --labels FILE", "repeat petitions in the store: every pair, or pairwise F1 against labels", runRepeats},
		{"config", "config", "print the effective configuration, secrets hidden", runConfig},
		{"version", "version", "print the version", runVersion},
	}
}

// Run runs the command line args (without the program name) and returns the exit code.
func Run(ctx context.Context, args []string, env *Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		if err == nil {
			return 0
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var ee exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintln(env.Stderr, ee.msg)
			}
			return ee.code
		}
		fmt.Fprintf(env.Stderr, "redress %s: %v\n", c.name, err)
		return 1
	}
	fmt.Fprintf(env.Stderr, "redress: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "redress: petitions and complaints, from intake to resolution")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  redress %-72s %s\n", c.usage, c.help)
	}
	fmt.Fprintln(w, "\nEvery option can also be set with a REDRESS_* environment variable; see `redress config`.")
}

// exitError ends a command with a code and a message.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

// usageError reports wrong arguments.
func usageError(format string, args ...any) error {
	return exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

// flags makes a flag set for a command that reports errors instead of exiting.
func flags(env *Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("redress "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// parse parses args; flags may come before or after positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, exitError{code: 2}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func setupLogging(env *Env, cfg *config.Config) {
	h := slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel})
	slog.SetDefault(slog.New(h))
}

// openStore connects to the configured database. With migrate it brings the
// schema up to date; otherwise it refuses an out-of-date schema.
func openStore(ctx context.Context, cfg *config.Config, migrate bool) (*store.Store, error) {
	st, err := store.Open(ctx, store.Options{DSN: cfg.DB, DataDir: cfg.DataDir})
	if err != nil {
		return nil, err
	}
	if migrate {
		if _, err := st.Migrate(ctx); err != nil {
			st.Close()
			return nil, err
		}
	} else if err := st.CheckSchema(ctx); err != nil {
		st.Close()
		return nil, err
	}
	if err := st.Bootstrap(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func runConfig(ctx context.Context, env *Env, args []string) error {
	fs := flags(env, "config")
	l := config.Bind(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := l.Load(env.Getenv)
	if err != nil {
		return usageError("%v", err)
	}
	l.Print(env.Stdout, cfg)
	return nil
}

func runVersion(ctx context.Context, env *Env, args []string) error {
	v := Version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && v == "dev" {
				v = "dev-" + s.Value[:min(12, len(s.Value))]
			}
		}
		fmt.Fprintf(env.Stdout, "redress %s (%s)\n", v, bi.GoVersion)
		return nil
	}
	fmt.Fprintf(env.Stdout, "redress %s\n", v)
	return nil
}

func loadConfig(env *Env, name string, args []string, extra func(fs *flag.FlagSet), opts ...string) (*config.Config, []string, error) {
	fs := flags(env, name)
	l := config.Bind(fs, opts...)
	if extra != nil {
		extra(fs)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := l.Load(env.Getenv)
	if err != nil {
		return nil, nil, usageError("%v", err)
	}
	setupLogging(env, cfg)
	return cfg, pos, nil
}
