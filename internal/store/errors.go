package store

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// Errors every engine's failures are mapped onto.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict")
	ErrBadReference = errors.New("reference to a missing record")
	ErrClosed       = errors.New("store is closed")
)

// mapErr maps a driver error onto the shared sentinel errors, keeping the
// driver's text for the log.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
			return fmt.Errorf("%w: %v", ErrConflict, err)
		case sqlite3.ErrConstraintForeignKey:
			return fmt.Errorf("%w: %v", ErrBadReference, err)
		}
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505", "40001", "40P01":
			return fmt.Errorf("%w: %v", ErrConflict, err)
		case "23503":
			return fmt.Errorf("%w: %v", ErrBadReference, err)
		}
	}
	return err
}
