// Package importer brings batches of petitions into the store: JSON Lines
// (one intake.Record per line) or an Excel sheet whose header row names the
// same fields (in English or in Chinese, as hotline systems export them).
// It checks every row before anything is written, then stores the batch in
// one transaction, so a batch is imported whole or not at all; with
// SkipInvalid the valid rows are stored and the invalid ones returned. Both
// `redress import` and the registrar's import page use it, reporting
// progress through a callback.
package importer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/store"
)

// MaxLine is the longest JSON line accepted.
const MaxLine = 4 << 20

// Format is a batch file's format.
type Format string

// Formats.
const (
	JSONL Format = "jsonl"
	XLSX  Format = "xlsx"
)

// FormatOf names the format of a file by its name's extension.
func FormatOf(name string) (Format, error) {
	switch n := strings.ToLower(name); {
	case strings.HasSuffix(n, ".jsonl"), strings.HasSuffix(n, ".ndjson"), strings.HasSuffix(n, ".json"):
		return JSONL, nil
	case strings.HasSuffix(n, ".xlsx"):
		return XLSX, nil
	}
	return "", failure.Invalid("file", "%q is neither a JSON Lines (.jsonl) nor an Excel (.xlsx) file", name)
}

// Reject is a row that could not be imported.
type Reject struct {
	Line   int             `json:"line"` // line of the file, or row of the sheet
	Error  string          `json:"error"`
	Record json.RawMessage `json:"record,omitempty"`
	Text   string          `json:"text,omitempty"`
	// Err is the error itself, for a caller that words it in the user's
	// language (a *failure.Error names the field at fault).
	Err error `json:"-"`
}

// Checked is a batch after validation, before anything is written.
type Checked struct {
	Rows      int // non-empty rows read
	Good      []lifecycle.Prepared
	GoodLines []int
	Rejects   []Reject
}

// Progress reports work done: rows checked or stored so far, of total (0
// when unknown).
type Progress func(done, total int)

// Check reads and validates every row of r, writing nothing. A row is
// invalid when it does not decode, fails intake validation, names an
// unknown district or unit, or repeats an external_id of an earlier row.
func Check(ctx context.Context, svc *lifecycle.Service, r io.Reader, f Format, progress Progress) (Checked, error) {
	switch f {
	case JSONL:
		return checkJSONL(ctx, svc, r, progress)
	case XLSX:
		return checkXLSX(ctx, svc, r, progress)
	}
	return Checked{}, fmt.Errorf("import format %q is not jsonl or xlsx", f)
}

// checker validates records one by one.
type checker struct {
	ctx  context.Context
	svc  *lifecycle.Service
	seen map[string]int
	res  Checked
}

func newChecker(ctx context.Context, svc *lifecycle.Service) *checker {
	return &checker{ctx: ctx, svc: svc, seen: map[string]int{}}
}

// add checks rec from line n; decodeErr is a decoding failure of the row.
func (c *checker) add(n int, rec intake.Record, decodeErr error, raw json.RawMessage, text string) {
	c.res.Rows++
	err := decodeErr
	if err == nil {
		if first, dup := c.seen[strings.TrimSpace(rec.ExternalID)]; dup && rec.ExternalID != "" {
			err = fmt.Errorf("external_id %q already appears on line %d", rec.ExternalID, first)
		}
	}
	var p lifecycle.Prepared
	if err == nil {
		p, err = c.svc.Prepare(c.ctx, rec, true)
	}
	if err != nil {
		c.res.Rejects = append(c.res.Rejects, Reject{Line: n, Error: Message(err), Record: raw, Text: text, Err: err})
		return
	}
	c.seen[strings.TrimSpace(rec.ExternalID)] = n
	c.res.Good = append(c.res.Good, p)
	c.res.GoodLines = append(c.res.GoodLines, n)
}

func checkJSONL(ctx context.Context, svc *lifecycle.Service, r io.Reader, progress Progress) (Checked, error) {
	c := newChecker(ctx, svc)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxLine)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		rec, err := DecodeLine(line)
		var raw json.RawMessage
		text := ""
		if json.Valid(line) {
			raw = append(json.RawMessage(nil), line...)
		} else {
			text = string(line)
		}
		c.add(n, rec, err, raw, text)
		if progress != nil && c.res.Rows%200 == 0 {
			progress(c.res.Rows, 0)
		}
		if err := ctx.Err(); err != nil {
			return c.res, err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return c.res, failure.Invalid("line", "line %d is longer than %d bytes", n+1, MaxLine)
		}
		return c.res, fmt.Errorf("read import file: %w", err)
	}
	if progress != nil {
		progress(c.res.Rows, c.res.Rows)
	}
	return c.res, nil
}

// DecodeLine decodes one JSON line into a record, refusing unknown fields,
// with a message that says what is wrong in the user's terms.
func DecodeLine(line []byte) (intake.Record, error) {
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

// Message is the text of a row's error: a domain error's message, or the error.
func Message(err error) string {
	var fe *failure.Error
	if errors.As(err, &fe) {
		return fe.Message
	}
	return err.Error()
}

// Stored counts what Store wrote.
type Stored struct {
	Created, Existing int
}

// Store registers every good row of c as actor, in one transaction: all
// or nothing. Rows whose external_id is already stored are counted as
// existing and left alone, so importing a file twice changes nothing.
func Store(ctx context.Context, svc *lifecycle.Service, actor org.User, c Checked, progress Progress) (Stored, error) {
	var out Stored
	err := svc.Store().Write(ctx, func(tx *store.Tx) error {
		out = Stored{}
		for i, p := range c.Good {
			r, err := svc.RegisterTx(tx, actor, p)
			if err != nil {
				return fmt.Errorf("line %d: %w", c.GoodLines[i], err)
			}
			if r.Existing {
				out.Existing++
			} else {
				out.Created++
			}
			if progress != nil && i%200 == 0 {
				progress(i, len(c.Good))
			}
		}
		return tx.Audit(store.Actor{ID: actor.ID, Login: actor.Login}, "petitions.import", "petition", "batch", nil,
			map[string]any{"created": out.Created, "existing": out.Existing, "rejected": len(c.Rejects)})
	})
	if err != nil {
		return Stored{}, err
	}
	if progress != nil {
		progress(len(c.Good), len(c.Good))
	}
	return out, nil
}
