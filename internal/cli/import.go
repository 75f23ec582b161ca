package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/schollz/progressbar/v3"

	"redress/internal/importer"
	"redress/internal/lifecycle"
	"redress/internal/org"
)

func runImport(ctx context.Context, env *Env, args []string) error {
	var skipInvalid bool
	var rejectsPath, as string
	cfg, pos, err := loadConfig(env, "import", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&skipInvalid, "skip-invalid", false, "store the valid lines and write the invalid ones to --rejects")
		fs.StringVar(&rejectsPath, "rejects", "", "where --skip-invalid writes rejected lines (default FILE.rejects.jsonl)")
		fs.StringVar(&as, "as", "", "login recorded as the registrar (default: the system)")
	}, "data-dir", "db", "log-level")
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("usage: redress import FILE.jsonl|FILE.xlsx [--skip-invalid] [--rejects FILE]")
	}
	path := pos[0]
	format, err := importer.FormatOf(path)
	if err != nil {
		return usageError("%s", importer.Message(err))
	}
	if rejectsPath == "" {
		rejectsPath = strings.TrimSuffix(strings.TrimSuffix(path, ".jsonl"), ".xlsx") + ".rejects.jsonl"
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open import file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat import file: %w", err)
	}
	st, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := lifecycle.New(st, nil)
	if _, err := addRepeats(ctx, env, st, svc); err != nil {
		return err
	}
	actor := org.User{Login: "system"}
	if as != "" {
		if actor, err = st.UserByLogin(ctx, as); err != nil {
			return usageError("--as: no user with login %q", as)
		}
	}

	var bar *progressbar.ProgressBar
	if env.IsTerminal {
		bar = progressbar.NewOptions64(info.Size(), progressbar.OptionSetWriter(env.Stderr), progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription("检查 validating"), progressbar.OptionSetWidth(30), progressbar.OptionClearOnFinish())
	}
	res, err := importer.Check(ctx, svc, io.TeeReader(f, barWriter{bar}), format, nil)
	if err != nil {
		return err
	}
	if bar != nil {
		_ = bar.Finish()
	}
	if len(res.Rejects) > 0 && !skipInvalid {
		for i, r := range res.Rejects {
			if i == 20 {
				fmt.Fprintf(env.Stderr, "… and %d more\n", len(res.Rejects)-20)
				break
			}
			fmt.Fprintf(env.Stderr, "%s:%d: %s\n", path, r.Line, r.Error)
		}
		return exitError{code: 1, msg: fmt.Sprintf("%d of %d lines are invalid; nothing was imported (fix them, or use --skip-invalid to import the %d valid lines)",
			len(res.Rejects), res.Rows, len(res.Good))}
	}

	if env.IsTerminal {
		bar = progressbar.NewOptions(len(res.Good), progressbar.OptionSetWriter(env.Stderr), progressbar.OptionSetDescription("写入 storing"),
			progressbar.OptionSetWidth(30), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	} else {
		bar = nil
	}
	stored, err := importer.Store(ctx, svc, actor, res, func(done, _ int) {
		if bar != nil {
			_ = bar.Set(done)
		}
	})
	if err != nil {
		return fmt.Errorf("nothing was imported: %w", err)
	}
	created, existing := stored.Created, stored.Existing
	if bar != nil {
		_ = bar.Finish()
	}
	if len(res.Rejects) > 0 {
		if err := writeRejects(rejectsPath, res.Rejects); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "imported %d new petitions, %d already present", created, existing)
	if len(res.Rejects) > 0 {
		fmt.Fprintf(env.Stdout, ", %d invalid lines written to %s", len(res.Rejects), rejectsPath)
	}
	fmt.Fprintln(env.Stdout)
	return nil
}

type barWriter struct{ bar *progressbar.ProgressBar }

func (b barWriter) Write(p []byte) (int, error) {
	if b.bar != nil {
		_ = b.bar.Add(len(p))
	}
	return len(p), nil
}

func writeRejects(path string, rejects []importer.Reject) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write rejects: %w", err)
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for _, r := range rejects {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return fmt.Errorf("write rejects: %w", err)
		}
	}
	return f.Close()
}
