package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os/signal"
	"strings"
	"syscall"

	"redress/internal/demo"
	"redress/internal/lifecycle"
	"redress/internal/notices"
	"redress/internal/portal"
	"redress/internal/server"
	"redress/internal/store"
	"redress/internal/web"
)

func runServe(ctx context.Context, env *Env, args []string) error {
	cfg, _, err := loadConfig(env, "serve", args, nil)
	if err != nil {
		return err
	}
	if cfg.Demo && cfg.DB != "" {
		return usageError("--demo loads demo data into the embedded database; leave --db empty")
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	st, err := openStore(ctx, cfg, cfg.Demo)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := lifecycle.New(st, nil)
	loaded := false
	if cfg.Demo {
		loaded, err = demo.Load(ctx, svc, demo.LoadOptions{Progress: env.Stderr, Terminal: env.IsTerminal})
		if err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		if !loaded {
			fmt.Fprintln(env.Stderr, "demo data already present; keeping it")
		}
	}
	// addRepeats rebuilds the repeat index, adds the detector as an intake
	// hook and signs whatever was stored without a signature (demo data,
	// databases from before repeat detection).
	if _, err := addRepeats(ctx, env, st, svc); err != nil {
		return err
	}
	if loaded {
		// The work after intake (repeat decisions, problems, receptions…)
		// needs the repeat candidates that addRepeats has just found.
		if _, err := demo.Enrich(ctx, svc, svc.Now(), env.Stderr); err != nil {
			return fmt.Errorf("demo work: %w", err)
		}
	}
	defer startDeficiencySweep(ctx, svc)()
	stopEscalation := startEscalation(ctx, cfg, st)
	defer stopEscalation()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	h := server.Handler(svc, server.Options{MaxBodyBytes: cfg.MaxBodyBytes, Portal: portal.Options{DataDir: cfg.DataDir},
		Notices: notices.Options{City: cfg.City, Bureau: cfg.Bureau, Abbrev: cfg.DocAbbrev},
		Web:     web.Options{SessionTTL: cfg.SessionTTL, DashboardMaxAge: cfg.DashboardAge, SecureCookies: strings.HasPrefix(cfg.URL(), "https://")}})
	fmt.Fprintf(env.Stdout, "redress is running at %s (database: %s)\n", cfg.URL(), st.Engine())
	if cfg.Demo {
		fmt.Fprintln(env.Stdout, "Demo logins (password "+demo.Password+"):")
		for _, u := range demo.Users() {
			fmt.Fprintf(env.Stdout, "  %-12s %-10s %s\n", u.Login, u.Role, u.Name)
		}
		fmt.Fprintf(env.Stdout, "API: create a token with `redress token create --user bureau --data-dir %s`, then call %s/api/v1/petitions\n", cfg.DataDir, cfg.URL())
	}
	slog.Info("serving", "addr", ln.Addr().String(), "engine", st.Engine())
	if err := server.Serve(ctx, ln, h, cfg.ShutdownGrace); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

func runMigrate(ctx context.Context, env *Env, args []string) error {
	cfg, _, err := loadConfig(env, "migrate", args, nil, "data-dir", "db", "log-level")
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, store.Options{DSN: cfg.DB, DataDir: cfg.DataDir})
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	if err := st.Bootstrap(ctx); err != nil {
		return err
	}
	cur, _, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(env.Stdout, "schema is up to date (version %d)\n", cur)
		return nil
	}
	fmt.Fprintf(env.Stdout, "applied %d migration(s); schema is at version %d\n", len(applied), cur)
	return nil
}
