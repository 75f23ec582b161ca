package cli

import (
	"context"
	"flag"
	"fmt"

	"redress/internal/store"
)

// runOpen311 issues Open311 GeoReport v2 api_keys. The key is printed once;
// only its hash is stored.
func runOpen311(ctx context.Context, env *Env, args []string) error {
	const use = "usage: redress open311 key create [--name LABEL]"
	if len(args) < 2 || args[0] != "key" || args[1] != "create" {
		return usageError(use)
	}
	var name string
	cfg, pos, err := loadConfig(env, "open311 key create", args[2:], func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "a label for the client application")
	}, "data-dir", "db", "log-level")
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	st, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	var key string
	err = st.Write(ctx, func(tx *store.Tx) error {
		var err error
		key, _, err = tx.CreateOpen311Key(store.System, name)
		return err
	})
	if err != nil {
		return fmt.Errorf("create open311 key: %w", err)
	}
	fmt.Fprintln(env.Stdout, key)
	return nil
}
