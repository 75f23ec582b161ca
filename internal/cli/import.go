package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/schollz/progressbar/v3"

	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/store"
)

// maxLine is the longest import line accepted.
const maxLine = 4 << 20

type reject struct {
	Line   int             `json:"line"`
	Error  string          `json:"error"`
	Record json.RawMessage `json:"record,omitempty"`
	Text   string          `json:"text,omitempty"`
}

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
		return usageError("usage: redress import FILE.jsonl [--skip-invalid] [--rejects FILE]")
	}
	path := pos[0]
	if rejectsPath == "" {
		rejectsPath = strings.TrimSuffix(path, ".jsonl") + ".rejects.jsonl"
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
	res, err := readImport(ctx, svc, io.TeeReader(f, barWriter{bar}))
	if err != nil {
		return err
	}
	if bar != nil {
		_ = bar.Finish()
	}
	if len(res.rejects) > 0 && !skipInvalid {
		for i, r := range res.rejects {
			if i == 20 {
				fmt.Fprintf(env.Stderr, "… and %d more\n", len(res.rejects)-20)
				break
			}
			fmt.Fprintf(env.Stderr, "%s:%d: %s\n", path, r.Line, r.Error)
		}
		return exitError{code: 1, msg: fmt.Sprintf("%d of %d lines are invalid; nothing was imported (fix them, or use --skip-invalid to import the %d valid lines)",
			len(res.rejects), res.lines, len(res.good))}
	}

	if env.IsTerminal {
		bar = progressbar.NewOptions(len(res.good), progressbar.OptionSetWriter(env.Stderr), progressbar.OptionSetDescription("写入 storing"),
			progressbar.OptionSetWidth(30), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	} else {
		bar = nil
	}
	var created, existing int
	err = st.Write(ctx, func(tx *store.Tx) error {
		created, existing = 0, 0
		for i, p := range res.good {
			r, err := svc.RegisterTx(tx, actor, p)
			if err != nil {
				return fmt.Errorf("line %d: %w", res.goodLines[i], err)
			}
			if r.Existing {
				existing++
			} else {
				created++
			}
			if bar != nil && i%500 == 0 {
				_ = bar.Set(i)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("nothing was imported: %w", err)
	}
	if bar != nil {
		_ = bar.Finish()
	}
	if len(res.rejects) > 0 {
		if err := writeRejects(rejectsPath, res.rejects); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "imported %d new petitions, %d already present", created, existing)
	if len(res.rejects) > 0 {
		fmt.Fprintf(env.Stdout, ", %d invalid lines written to %s", len(res.rejects), rejectsPath)
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

type importResult struct {
	lines     int
	good      []lifecycle.Prepared
	goodLines []int
	rejects   []reject
}

// readImport reads and validates every line, without writing anything.
func readImport(ctx context.Context, svc *lifecycle.Service, r io.Reader) (importResult, error) {
	var res importResult
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	seen := map[string]int{}
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		res.lines++
		rec, err := decodeLine(line)
		if err == nil {
			if first, dup := seen[strings.TrimSpace(rec.ExternalID)]; dup && rec.ExternalID != "" {
				err = fmt.Errorf("external_id %q already appears on line %d", rec.ExternalID, first)
			}
		}
		var p lifecycle.Prepared
		if err == nil {
			p, err = svc.Prepare(ctx, rec, true)
		}
		if err != nil {
			rj := reject{Line: n, Error: lineError(err)}
			if json.Valid(line) {
				rj.Record = append(json.RawMessage(nil), line...)
			} else {
				rj.Text = string(line)
			}
			res.rejects = append(res.rejects, rj)
			continue
		}
		seen[strings.TrimSpace(rec.ExternalID)] = n
		res.good = append(res.good, p)
		res.goodLines = append(res.goodLines, n)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return res, fmt.Errorf("line %d is longer than %d bytes; nothing was imported", n+1, maxLine)
		}
		return res, fmt.Errorf("read import file: %w", err)
	}
	return res, nil
}

func decodeLine(line []byte) (intake.Record, error) {
	var rec intake.Record
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te):
			return rec, fmt.Errorf("%s must be a %s", te.Field, te.Type)
		case errors.As(err, &se):
			return rec, fmt.Errorf("not valid JSON (at byte %d)", se.Offset)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return rec, errors.New("not valid JSON: the line ends too early")
		case strings.Contains(err.Error(), "parsing time"):
			return rec, fmt.Errorf("received_at is not an RFC 3339 time (e.g. 2026-03-01T09:30:00+08:00)")
		}
		return rec, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return rec, errors.New("more than one JSON value on the line")
	}
	return rec, nil
}

func lineError(err error) string {
	var fe *failure.Error
	if errors.As(err, &fe) {
		return fe.Message
	}
	return err.Error()
}

func writeRejects(path string, rejects []reject) error {
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
