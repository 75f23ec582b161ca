package cli

import (
	"context"
	"fmt"
	"os"
	"sort"

	"redress/internal/orgfile"
)

// runOrg loads an organisation file (units and staff accounts) into the
// store, the way a new city starts without demo data.
func runOrg(ctx context.Context, env *Env, args []string) error {
	const usage = "usage: redress org import FILE.json [--data-dir D] [--db URL]"
	if len(args) == 0 || args[0] != "import" {
		return usageError(usage)
	}
	cfg, pos, err := loadConfig(env, "org import", args[1:], nil, "data-dir", "db", "log-level")
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError(usage)
	}
	fh, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("org import: %w", err)
	}
	defer fh.Close()
	f, err := orgfile.Read(fh)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	st, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := orgfile.Import(ctx, st, f)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	fmt.Fprintf(env.Stdout, "units: %d created, %d already present; accounts: %d created, %d already present\n",
		rep.UnitsCreated, rep.UnitsKept, rep.UsersCreated, rep.UsersKept)
	if len(rep.Passwords) > 0 {
		fmt.Fprintln(env.Stdout, "generated passwords (shown only now; hand each to its user):")
		logins := make([]string, 0, len(rep.Passwords))
		for l := range rep.Passwords {
			logins = append(logins, l)
		}
		sort.Strings(logins)
		for _, l := range logins {
			fmt.Fprintf(env.Stdout, "  %-16s %s\n", l, rep.Passwords[l])
		}
	}
	return nil
}
