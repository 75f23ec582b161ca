package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"redress/internal/store"
)

func runToken(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError("usage: redress token create --user LOGIN [--name LABEL] [--expires 720h]")
	}
	var user, name string
	var expires time.Duration
	cfg, pos, err := loadConfig(env, "token create", args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&user, "user", "", "login of the user the token acts as (required)")
		fs.StringVar(&name, "name", "", "a label for the token")
		fs.DurationVar(&expires, "expires", 0, "lifetime, e.g. 720h (default: no expiry)")
	}, "data-dir", "db", "log-level")
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if user == "" {
		return usageError("--user is required")
	}
	if expires < 0 {
		return usageError("--expires must be positive")
	}
	st, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByLogin(ctx, user)
	if errors.Is(err, store.ErrNotFound) {
		return usageError("no user with login %q", user)
	}
	if err != nil {
		return err
	}
	var exp *time.Time
	if expires > 0 {
		t := time.Now().Add(expires).UTC()
		exp = &t
	}
	var tok string
	err = st.Write(ctx, func(tx *store.Tx) error {
		var err error
		tok, err = tx.CreateToken(store.System, u.ID, name, exp)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, tok)
	return nil
}

func runAudit(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return usageError("usage: redress audit verify")
	}
	cfg, _, err := loadConfig(env, "audit verify", args[1:], nil, "data-dir", "db", "log-level")
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.VerifyAudit(ctx, func(n int64) {
		if env.IsTerminal {
			fmt.Fprintf(env.Stderr, "\rchecked %d entries", n)
		}
	})
	if env.IsTerminal {
		fmt.Fprint(env.Stderr, "\r")
	}
	if err != nil {
		return err
	}
	if res.BrokenAt != 0 {
		return exitError{code: 1, msg: fmt.Sprintf("audit chain BROKEN at entry %d: %s (%d entries read)", res.BrokenAt, res.Reason, res.Entries)}
	}
	fmt.Fprintf(env.Stdout, "audit chain verified: %d entries\n", res.Entries)
	return nil
}
